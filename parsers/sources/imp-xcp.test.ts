import { describe, expect, it } from "vitest";
import { eventLines, expectSameDigestAtEveryChunkSize, parse, readSample } from "../testing/sourceHarness.ts";
import { impXcp, saslUser } from "./imp-xcp.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const CM = "onprem-login/imp-xcp-connection-manager.log";
const AUTH = "onprem-login/imp-xcp-auth.log";
const ROUTER = "onprem-login/imp-xcp-router.log";
const FIXTURES = [CM, AUTH, ROUTER];
const text = (rel: string) => new TextDecoder().decode(readSample(rel));

/** Lines quoted from the seeds that belong to other sources. */
const OTHERS: Record<string, string> = {
  sdl:
    "00895255.002 |08:59:16.944 |AppInfo |[CTI-APP] [CTIHandler::processIncomingMessage] CTI\n" +
    "00895256.000 |08:59:16.944 |SdlSig |CtiProviderOpenReq |init_complete_await_provopen\n",
  jabber:
    "2020-03-24 22:31:00,442 INFO [0x00002b04] [rvices\\impl\\system\\SingleSignOn.cpp(206)] [Single-Sign-On-Logger] [CSFUnified::SingleSignOn::Impl::isAuthenticatorTokenReuseEnabled] - TokenReuse enabled for 1001\n",
  // Expressway's XCP_JABBERD carries the same packets and words, after an ISO time and a host.
  expressway:
    "2020-03-31T05:13:03.338-06:00 labucexpwye01 XCP_JABBERD[16268]: UTCTime=\"2020-03-31 11:13:03,338\" ThreadID=\"139821024597760\" Module=\"Jabber\" Level=\"DEBUG\" CodeLocation=\"MIOByteSource.cpp:93\" Detail=\"Got Buffer (324) <xdb from='cm-1_jsmcp-1.labucexpwye01-lab-com' id='jtx_10392' ns='http://jabber.com/protocol/sasl' to='lab.com' type='set'><auth mechanism='CISCO-VTG-TOKEN\n",
  log4j:
    "2014-11-12 10:26:44,155 INFO [http-bio-443-exec-23] handlers.LoginHandlerNonSSO - doLogin:IMS login result is success for nirmal| IMS result code:0\n" +
    "2014-11-05 11:59:07,938 DEBUG [http-bio-443-exec-47] impl.AuthenticationLDAP - auth: successful for dn CN=Nirmal Issac, CN=users, DC=ccie, DC=com\n",
  prose:
    "Connection Manager Logs: XCP connection Manager service receives Token from JC.\n" +
    "- XCP Authentication Service receives msg from XCP Connection manager to verify the Token.\n" +
    "XCP connection Manager Informs JC about Token Authentication Successful.\n",
};

/**
 * Every fixture under public/samples that is not mine (other engineers' included). Loaded by
 * Vite's glob: parsers/ may not import Node modules, not even in tests.
 */
const SAMPLES = import.meta.glob<string>("../../public/samples/**/*", {
  query: "?raw",
  import: "default",
  eager: true,
});
function otherFixtures(): [string, string][] {
  return Object.entries(SAMPLES).filter(([path]) => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return !name.startsWith("imp-xcp") && !name.endsWith(".md");
  });
}

describe("imp-xcp", () => {
  it("golden: Connection Manager (seed 000)", () => {
    const p = parse(readSample(CM), "imp-xcp-connection-manager.log");
    expect(p.info.source).toBe("imp-xcp");
    expect(p.info.lane).toBe("imp");
    expect(p.info.records).toBe(3);
    expect(p.info.warnings).toEqual([]);
    expect(eventLines(p)).toEqual([
      "1 <- jabber xmpp.sasl SASL auth CISCO-VTG-TOKEN",
      "2 local note xdb session jtx_56",
      "3 -> jabber xmpp.sasl SASL success [success]",
    ]);
    const [auth, session, success] = p.events;
    expect(auth).toMatchObject({ match: "SASL auth CISCO-VTG-TOKEN", user: "nirmal", failed: false });
    expect(session).toMatchObject({ keys: { xdb: "jtx_56" } });
    expect(success).toMatchObject({ keys: { xdb: "jtx_56" }, user: "nirmal", failed: false });
    const r = p.store.records;
    expect(r.rawTime.get(0)).toBe(((10 * 60 + 26) * 60 + 46) * 1000 + 981);
    expect(r.kindOf(0)).toBe("tod");
    expect(p.info.host).toBe("10.106.89.222");
  });

  it("golden: Authentication Service (seed 000, quoted once)", () => {
    const p = parse(readSample(AUTH), "imp-xcp-auth.log");
    expect(p.info.records).toBe(5);
    expect(eventLines(p)).toEqual([
      "2 local xmpp.sasl xdb jtx_56 set: auth CISCO-VTG-TOKEN",
      "3 local auth.result token valid for nirmal [success]",
      "5 local xmpp.sasl xdb jtx_56 result: success",
    ]);
    const [set, valid, result] = p.events;
    expect(set).toMatchObject({ keys: { xdb: "jtx_56" } });
    expect(valid).toMatchObject({ user: "nirmal", failed: false });
    expect(result).toMatchObject({ keys: { xdb: "jtx_56" }, failed: false });
  });

  it("golden: Router (seed 000)", () => {
    const p = parse(readSample(ROUTER), "imp-xcp-router.log");
    expect(eventLines(p)).toEqual(["1 local xmpp.stanza route xdb jtx_56 set"]);
    expect(p.events[0]).toMatchObject({ keys: { xdb: "jtx_56" }, user: "nirmal" });
  });

  it("marks failures red", () => {
    const p = parse(
      "10:26:46.986 | debug| SXComponent::authenticateVTGToken(): Authentication failed for userid: [nirmal@ccie.com]\n" +
        "10:26:46.987 |076a1b70| debug| SASLManager.cpp:272 _xdbSessionCB: <xdb from='ccie.com' id='jtx_57' type='result'><failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure></xdb>\n",
      "log.txt",
      { source: "imp-xcp" },
    );
    expect(eventLines(p)).toEqual([
      "1 local auth.result token invalid for nirmal [failed]",
      "2 -> jabber xmpp.sasl SASL failure not-authorized [failure not-authorized]",
    ]);
    expect(p.events.map((e) => e.failed)).toEqual([true, true]);
    expect(p.events[1]).toMatchObject({ match: "SASL failure", keys: { xdb: "jtx_57" } });
  });

  it("reads the XCP SIP Federation Connection Manager: SIP as self-arrows, routing notes, failures", () => {
    // Composed in the XCP line shape; no seed quotes this service.
    const lines = [
      "09:20:11.404 |7f2a1c40| info| SIPFedCMSession.cpp:318 SIP Federation Connection Manager: received from SIP proxy 127.0.0.1:5080:",
      "SUBSCRIBE sip:jdoe@corp.example SIP/2.0",
      "From: <sip:alice@partner.example>;tag=a71c",
      "To: <sip:jdoe@corp.example>",
      "Call-ID: 9b3e77a0-51f2@198.51.100.77",
      "CSeq: 1 SUBSCRIBE",
      "",
      "09:20:11.405 |7f2a1c40| debug| SIPFedRouter.cpp:88 sipfed: routing presence subscription for jdoe@corp.example from alice@partner.example to the XCP router",
      "09:20:11.407 |7f2a1c40| info| SIPFedCMSession.cpp:402 SIP Federation Connection Manager: sending to SIP proxy 127.0.0.1:5080:",
      "SIP/2.0 200 OK",
      "From: <sip:alice@partner.example>;tag=a71c",
      "To: <sip:jdoe@corp.example>;tag=j552",
      "Call-ID: 9b3e77a0-51f2@198.51.100.77",
      "CSeq: 1 SUBSCRIBE",
      "09:20:12.100 |7f2a1c40| error| SIPFedCMSession.cpp:511 sipfed: no route to federated domain other.example: request failed",
      "09:20:12.101 |7f2a1c40| debug| SIPFedCMSession.cpp:530 sipfed: session table size 4",
    ];
    const p = parse(lines.join("\n") + "\n", "log.txt");
    expect(p.info).toMatchObject({ source: "imp-xcp", lane: "imp" });
    expect(eventLines(p)).toEqual([
      "2 local sip.request SUBSCRIBE",
      "8 local note sipfed: routing presence subscription for jdoe@corp.example from alice@partner.example to the XCP router",
      "10 local sip.response 200 OK [200]",
      "15 local error sipfed: no route to federated domain other.example: request failed",
    ]);
    const [req, , resp, err] = p.events;
    expect(req).toMatchObject({
      keys: { callId: "9b3e77a0-51f2@198.51.100.77", cseq: "1 SUBSCRIBE" },
      user: "alice",
    });
    expect(req!.match).toBeUndefined();
    expect(resp).toMatchObject({ keys: { cseq: "1 SUBSCRIBE" }, status: "200", failed: false });
    expect(err!.failed).toBe(true);
  });

  it("never throws on bad base64", () => {
    expect(saslUser("CISCO-VTG-TOKEN", "dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=")).toBe("nirmal");
    expect(saslUser("CISCO-VTG-TOKEN", "%%not base64%%")).toBeUndefined();
    expect(saslUser("PLAIN", "=")).toBeUndefined();
    const p = parse(
      "10:26:46.981 |076a1b70| debug| SASLManager.cpp:426 SASLManager::stepSession sending: <auth mechanism='PLAIN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>%%%</auth>\n",
      "log.txt",
    );
    expect(eventLines(p)).toEqual(["1 <- jabber xmpp.sasl SASL auth PLAIN"]);
    expect(p.events[0]!.user).toBeUndefined();
    expect(p.info.warnings).toEqual([]);
  });

  it("detects every fixture under a generic name", () => {
    for (const rel of FIXTURES) {
      expect(detectSource(text(rel))?.source.id, rel).toBe("imp-xcp");
      expect(parse(readSample(rel), "log.txt").info.source, rel).toBe("imp-xcp");
    }
  });

  it("is not mine: other sources' lines, fixtures and prose", () => {
    for (const [name, head] of Object.entries(OTHERS))
      expect(impXcp.sniff(head), name).toBeLessThan(MIN_CONFIDENCE);
    const others = otherFixtures();
    // The glob sees the fixtures (here the sibling IM&P source's), not an empty list.
    expect(others.some(([path]) => path.endsWith("ims-failures/imp-epassoap.log"))).toBe(true);
    for (const [path, head] of others) expect(impXcp.sniff(head), path).toBeLessThan(MIN_CONFIDENCE);
  });

  it("gives the same digest for every chunk size", () => {
    for (const rel of FIXTURES) expectSameDigestAtEveryChunkSize(rel);
  });

  it("reads CRLF line ends the same", () => {
    const lf = parse(readSample(CM), "log.txt");
    const crlf = parse(text(CM).replace(/\n/g, "\r\n"), "log.txt");
    expect(eventLines(crlf)).toEqual(eventLines(lf));
    expect(crlf.events).toEqual(lf.events);
  });
});
