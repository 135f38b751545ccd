import { describe, expect, it } from "vitest";
import { eventLines, expectSameDigestAtEveryChunkSize, parse, readSample } from "../testing/sourceHarness.ts";
import { impEpassoap } from "./imp-epassoap.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const ONPREM = "onprem-login/imp-epassoap.log";
const IMS = "ims-failures/imp-epassoap.log";
const text = (rel: string) => new TextDecoder().decode(readSample(rel));

/** Lines quoted from seed 000 (and 001, 003) that belong to other sources. */
const OTHERS: Record<string, string> = {
  "cucm tomcat security":
    "2014-11-05 11:59:07,908 DEBUG [http-bio-443-exec-47] impl.AuthenticationLDAP - makeConnection: ldapURL[0]=ldap://10.106.89.210:389\n" +
    "2014-11-05 11:59:07,938 DEBUG [http-bio-443-exec-47] impl.AuthenticationLDAP - auth: successful for dn CN=Nirmal Issac, CN=users, DC=ccie, DC=com\n",
  "cucm token log4j":
    "2020-05-01 11:36:18,124 DEBUG [http-bio-8443-exec-89] token.TokenV2Manager - TokenV2Manager.createTokens:  Issuing Refresh Token\n",
  jabber:
    "2020-03-24 22:31:00,442 INFO [0x00002b04] [rvices\\impl\\system\\SingleSignOn.cpp(206)] [Single-Sign-On-Logger] [CSFUnified::SingleSignOn::Impl::isAuthenticatorTokenReuseEnabled] - TokenReuse enabled for 1001\n" +
    "[JabberWerx] [IMPStackCap::Log::log] - [JabberWerxCPP.DLL]: JWLoginSink::OnError, lerr:14\n",
  expressway:
    '2020-03-31T05:13:03.338-06:00 labucexpwye01 XCP_JABBERD[16268]: UTCTime="2020-03-31 11:13:03,338" ThreadID="139821024597760" Module="Jabber" Level="DEBUG" CodeLocation="MIOByteSource.cpp:93" Detail="Got Buffer (324) <xdb from=\'cm-1_jsmcp-1.labucexpwye01-lab-com\' id=\'jtx_10392\' ns=\'http://jabber.com/protocol/sasl\' to=\'lab.com\' type=\'set\'>"\n',
  sdl: "00895255.002 |08:59:16.944 |AppInfo |[CTI-APP] [CTIHandler::processIncomingMessage] CTI\n",
  prose:
    "NOTE: CUP server contacts the LDAP server to authenticate the user who logs-in into the client.\n" +
    "Client Profile Agent logs (commonly called epassoap logs) will show some 'Reason Codes'.\n" +
    "Action: Reset user account\n",
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
    return !name.startsWith("imp-epassoap") && !name.endsWith(".md");
  });
}

describe("imp-epassoap", () => {
  it("golden: on-prem login (seed 000, 2014-11-12)", () => {
    const p = parse(readSample(ONPREM), "imp-epassoap.log");
    expect(p.info.source).toBe("imp-epassoap");
    expect(p.info.lane).toBe("imp");
    expect(p.info.records).toBe(11);
    expect(p.info.warnings).toEqual([]);
    expect(eventLines(p)).toEqual([
      "1 <- jabber soap.request SOAP login",
      "2 local auth.result IMS result 0 (success) [IMS 0]",
      "4 local note SOAP login successful",
      "5 -> jabber soap.response SOAP login: success [success]",
      "9 <- jabber soap.request SOAP get-onetime-password",
      "10 local note get-onetime-password successful",
      "11 -> jabber soap.response SOAP get-onetime-password: token",
    ]);
    const [login, ims, , response, otp, , token] = p.events;
    expect(login).toMatchObject({
      match: "SOAP login",
      phase: "request",
      exchange: "soap:http-bio-443-exec-23",
      user: "nirmal",
      keys: { thread: "http-bio-443-exec-23" },
    });
    expect(ims).toMatchObject({ user: "nirmal", failed: false });
    expect(response).toMatchObject({
      phase: "response",
      exchange: "soap:http-bio-443-exec-23",
      user: "nirmal",
      keys: { sessionKey: "cfd514ad-49e5-2e97-6a2c-64cdfda98cc8" },
    });
    expect(otp).toMatchObject({
      match: "SOAP get-onetime-password",
      phase: "request",
      exchange: "otp:http-bio-443-exec-23",
    });
    expect(token).toMatchObject({ phase: "response", exchange: "otp:http-bio-443-exec-23" });
    const r = p.store.records;
    expect(r.rawTime.get(0)).toBe(Date.UTC(2014, 10, 12, 10, 26, 43, 969));
    expect(r.thread.get(0)).toBe(r.thread.get(10));
    expect(r.kindOf(0)).toBe("local");
  });

  it("golden: IMS result codes (seed 000, 2011-04-26: five incidents one after another)", () => {
    const p = parse(readSample(IMS), "imp-epassoap.log");
    expect(p.info.records).toBe(10);
    // Seed order: example 1 is code 1, 2 is code 3, 3 is code 2, 4 is 4, 5 is 5 ("-IMS", no space).
    expect(eventLines(p)).toEqual([
      "2 local auth.result IMS result 1 [IMS 1]",
      "4 local auth.result IMS result 3 [IMS 3]",
      "6 local auth.result IMS result 2 [IMS 2]",
      "8 local auth.result IMS result 4 [IMS 4]",
      "10 local auth.result IMS result 5 [IMS 5]",
    ]);
    for (const e of p.events) {
      expect(e.failed).toBe(true);
      expect(e.user).toBeUndefined();
      expect(e.keys).toEqual({ thread: "http-8443-3" });
    }
    expect(p.store.records.rawTime.get(9)).toBe(Date.UTC(2011, 3, 26, 10, 5, 51, 826));
  });

  it("detects both fixtures under a generic name", () => {
    for (const rel of [ONPREM, IMS]) {
      expect(detectSource(text(rel))?.source.id).toBe("imp-epassoap");
      expect(parse(readSample(rel), "log.txt").info.source).toBe("imp-epassoap");
    }
  });

  it("is not mine: other sources' lines, fixtures and prose", () => {
    for (const [name, head] of Object.entries(OTHERS))
      expect(impEpassoap.sniff(head), name).toBeLessThan(MIN_CONFIDENCE);
    const others = otherFixtures();
    // The glob sees the fixtures (here the sibling IM&P source's), not an empty list.
    expect(others.some(([path]) => path.endsWith("imp-xcp-router.log"))).toBe(true);
    for (const [path, head] of others) expect(impEpassoap.sniff(head), path).toBeLessThan(MIN_CONFIDENCE);
  });

  it("gives the same digest for every chunk size", () => {
    for (const rel of [ONPREM, IMS]) expectSameDigestAtEveryChunkSize(rel);
  });

  it("reads CRLF line ends the same", () => {
    const lf = parse(readSample(ONPREM), "log.txt");
    const crlf = parse(text(ONPREM).replace(/\n/g, "\r\n"), "log.txt");
    expect(eventLines(crlf)).toEqual(eventLines(lf));
    expect(crlf.events).toEqual(lf.events);
  });

  it("skips what it does not understand without warnings", () => {
    const p = parse(
      '2014-11-12 10:26:43,969 DEBUG [t] soap.SoapServlet - Incoming Request<?xml version="1.0"?><broken\n' +
        "2014-11-12 10:26:44,155 INFO [t] handlers.LoginHandlerNonSSO - doLogin:IMS login result is\n" +
        "not a record start\n",
      "log.txt",
      { source: "imp-epassoap" },
    );
    expect(p.events).toEqual([]);
    expect(p.info.warnings).toEqual([]);
  });
});
