import { describe, expect, it } from "vitest";
import { arrows, loadBundle } from "../testing/bundles.ts";
import { eventLines, expectSameDigestAtEveryChunkSize, parse, readSample } from "../testing/sourceHarness.ts";
import { expressway, roleFromHost } from "./expressway.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const E = "mra-oauth/expressway-e.log";
const C = "mra-oauth/expressway-c.log";
const SASL_C = "mra-sasl-failure/expressway-c.log";
const SASL_E = "mra-sasl-failure/expressway-e.log";
const SIP_E = "expressway-sip-register/expressway-e.log";
const SIP_C = "expressway-sip-register/expressway-c.log";
const CALL_ID = "4f2a9c10-7d3e11ef-a1b2c3d4@10.0.0.55";

/** One tvcs record as the fixtures write it, for the rules the fixtures do not show. */
const tvcs = (host: string, ms: number, attrs: string, block: string[] = []): string =>
  [
    `2024-05-14T09:12:04.${String(ms).padStart(3, "0")}+02:00 ${host} tvcs: UTCTime="2024-05-14 07:12:04,${String(ms).padStart(3, "0")}" ${attrs}`,
    ...block,
  ].join("\n") + "\n";
const sipBlock = (first: string, cseq: string): string[] => [
  "SIPMSG:",
  `|${first}`,
  "From: <sip:jdoe@corp.example>;tag=1",
  "To: <sip:jdoe@corp.example>",
  "Call-ID: c1@10.0.0.55",
  `CSeq: ${cseq}`,
  "Content-Length: 0",
  "",
  "|",
];

const SAMPLES = import.meta.glob<string>("../../public/samples/**/*.{log,txt}", {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("expressway", () => {
  it("golden: Expressway-E of the MRA OAuth login (seed 001, 2020-03-24)", () => {
    const p = parse(readSample(E), "expressway-e.log");
    expect(p.info).toMatchObject({
      source: "expressway",
      lane: "expe",
      host: "labucexpye01",
      unparsedLines: 0,
    });
    // Each request is logged twice (INFO with Msg=, DEBUG with the HTTPMSG block): both are events.
    expect(eventLines(p)).toEqual([
      "1 <- jabber http.request GET get_edge_sso",
      "4 <- jabber http.request GET get_edge_sso",
      "8 -> jabber http.response 200 [200]",
      "19 <- jabber http.request GET authorize",
      "20 <- jabber http.request ", // Txn-id 2005's DEBUG record: its HTTPMSG block is empty in the seed
      "22 <- jabber http.request POST localauthentication",
      "25 <- jabber http.request POST localauthentication",
      "30 -> jabber http.response 302 Found [302]",
      "34 <- jabber http.request GET OAuthcb",
      "37 -> jabber http.response 200 [200]",
    ]);
    const [sso, , , authorize, , local] = p.events;
    expect(sso).toMatchObject({ exchange: "txn:2004", keys: { txn: "2004" }, user: "aokanlawon" });
    expect(authorize!.keys).toMatchObject({
      oauthState: "1771145038",
      clientId: expect.stringMatching(/^C1b4b988/),
    });
    // The form post's Referer names the authorize page, and with it the OAuth state.
    expect(p.events[6]!.keys).toMatchObject({ txn: "2007", oauthState: "1771145038" });
    expect(local!.match).toBe("POST localauthentication");
    // UTCTime wins over the local ISO time: 16:31:00.962-06:00 is 22:31:00.962 UTC either way.
    expect(p.store.records.rawTime.get(0)).toBe(Date.UTC(2020, 2, 24, 22, 31, 0, 962));
    expect(p.store.records.kindOf(0)).toBe("utc");
  });

  it("golden: Expressway-C of the MRA OAuth login", () => {
    const p = parse(readSample(C), "expressway-c.log");
    expect(p.info).toMatchObject({ lane: "expc", host: "labucexpyc01", unparsedLines: 0 });
    expect(eventLines(p)).toEqual([
      "1 <- expe http.request POST localauthentication", // Src-ip 127.0.0.1 + Last-via-addr: the E->C tunnel
      "2 -> cucm http.request GET clusterUser",
      "7 <- cucm http.response 200 OK [200]",
      "14 -> cucm http.request POST authorize_proxy",
      "24 <- cucm http.response 200 OK [200]",
      "27 local note Edge OAuth/SSO: Successful authorization",
      "28 local note Edge SSO: Redirected client",
      "31 -> expe http.response 302 Found [302]",
      "33 -> cucm http.request POST access_token",
      "40 <- cucm http.response 200 OK [200]", // quoted by the seed inside the Send record
      "45 local token.validate POST OAuthvalidator", // 127.0.0.1:9998: C to itself
      "51 local token.validate Access Token accepted",
      "52 local token.validate token validation: Access Token Matched AuthZ key (cucm.lab.com)",
      "53 local token.validate token validation: Access Token Matched AuthZ key (a-cucm.lab.com)",
    ]);
    // authorize_proxy's Url says cucm.lab.com, its Received says av-cucm.lab.com: paired by path.
    expect(p.events[3]!.exchange).toBe("url:/ssosp/token/authorize_proxy");
    expect(p.events[4]!.exchange).toBe("url:/ssosp/token/authorize_proxy");
    expect(p.events[3]!.keys).toMatchObject({ oauthState: "1771145038" });
    expect(p.events[4]!.keys).toMatchObject({ oauthState: "1771145038" });
    expect(p.events[11]!.user).toBe("aokanlawon");
  });

  it("golden: XCP_JABBERD SASL packets of the failing login (seed 001, 2020-03-31)", () => {
    const c = parse(readSample(SASL_C), "expressway-c.log");
    expect(c.info).toMatchObject({ lane: "expc", host: "labucexpwyc01", records: 3, unparsedLines: 0 });
    expect(eventLines(c)).toEqual([
      "1 -> imp xmpp.sasl SASL mechanisms?",
      "2 <- imp xmpp.sasl SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER",
      "10 -> imp xmpp.sasl SASL auth CISCO-VTG-TOKEN",
    ]);
    for (const e of c.events) expect(e.keys?.xdb).toBe("jtx_10392");
    expect(c.events[0]!.user).toBe("ntanborgeson");
    const e = parse(readSample(SASL_E), "expressway-e.log");
    expect(e.info).toMatchObject({ lane: "expe", host: "labucexpwye01" });
    expect(eventLines(e)).toEqual(["1 local xmpp.sasl SASL auth CISCO-VTG-TOKEN"]);
  });

  it("reads the process from the header however it ends: a space, a colon, or [pid] and a colon", () => {
    // The seed's lines (seed 001, 2020-03-24 and 2020-03-31); the process picks the handler.
    const text = [
      `2020-03-24T16:31:23.920-06:00 labucexpyc01 credentialmanager: Level="INFO" Detail="Access Token accepted" User="aokanlawon" UTCTime="2020-03-24 22:31:23,920"`,
      `2020-03-31T12:41:58.111-06:00 labucexpwyc01 XCP_JABBERD[10392]: UTCTime="2020-03-31 18:41:58,111" ThreadID="1" Module="Jabber" Level="DEBUG" Detail="DELIVER host:labucimp01-lab-com, <xdb type='get' id='jtx_10392'><jid>ntanborgeson@lab.com</jid></xdb>"`,
      `2020-03-24T16:31:22.741-06:00 labucexpyc01 edgeconfigprovisioning UTCTime="2020-03-24 22:31:22,741" Module="network.http.edgeconfigprovisioning" Level="DEBUG" Action="Send" Url="https://av-cucm.lab.com:8443/cucm-uds/clusterUser?username=aokanlawon"`,
    ].join("\n");
    const p = parse(text + "\n", "expressway-c.log");
    expect(p.events.map((e) => [e.kind, e.label])).toEqual([
      ["token.validate", "Access Token accepted"],
      ["xmpp.sasl", "xdb get"],
      ["http.request", "GET clusterUser"],
    ]);
    expect(p.events[0]!.user).toBe("aokanlawon");
  });

  it("golden: tvcs network.sip of a REGISTER dialog on Expressway-C (composed)", () => {
    const p = parse(readSample(SIP_C), "expressway-c.log");
    expect(p.info).toMatchObject({
      source: "expressway",
      lane: "expc",
      host: "corpexpc01",
      unparsedLines: 0,
    });
    expect(eventLines(p)).toEqual([
      "3 <- expe sip.request REGISTER", // Src-port 7001: the traversal zone from E
      "17 local note TCP Connecting 10.1.1.20:27345 -> 10.1.1.10:5061",
      "18 local note TCP Connection Established 10.1.1.20:27345 -> 10.1.1.10:5061",
      "21 -> cucm sip.request REGISTER", // Dst-port 5061
      "38 <- cucm sip.response 401 Unauthorized [401]",
      "54 -> expe sip.response 401 Unauthorized [401]",
      "69 <- expe sip.request REGISTER",
      "86 -> cucm sip.request REGISTER",
      "104 <- cucm sip.response 200 OK [200]",
      "121 -> expe sip.response 200 OK [200]",
    ]);
    const sip = p.events.filter((e) => e.kind.startsWith("sip."));
    for (const e of sip) {
      expect(e.keys?.callId).toBe(CALL_ID);
      expect(e.user).toBe("jdoe");
      expect(e.failed).toBe(false); // a 401 challenge is part of a working registration
    }
    expect(sip.map((e) => e.keys?.cseq)).toEqual([
      ...Array(4).fill("101 REGISTER"),
      ...Array(4).fill("102 REGISTER"),
    ]);
    // C proxies the same REGISTER on: the exchange is scoped by peer, so each leg has its answer.
    expect(sip.map((e) => e.exchange)).toEqual([
      `sip:${CALL_ID} 101 REGISTER@expe`,
      `sip:${CALL_ID} 101 REGISTER@cucm`,
      `sip:${CALL_ID} 101 REGISTER@cucm`,
      `sip:${CALL_ID} 101 REGISTER@expe`,
      `sip:${CALL_ID} 102 REGISTER@expe`,
      `sip:${CALL_ID} 102 REGISTER@cucm`,
      `sip:${CALL_ID} 102 REGISTER@cucm`,
      `sip:${CALL_ID} 102 REGISTER@expe`,
    ]);
    expect(sip[0]!.match).toBe(`SIP ${CALL_ID} 101 REGISTER`);
    expect(sip[2]!.match).toBe(`SIP ${CALL_ID} 101 REGISTER 401`);
    expect(p.store.records.rawTime.get(0)).toBe(Date.UTC(2024, 4, 14, 7, 12, 3, 112));
  });

  it("golden: tvcs network.sip of the same dialog on Expressway-E (composed)", () => {
    const p = parse(readSample(SIP_E), "expressway-e.log");
    expect(p.info).toMatchObject({ lane: "expe", host: "corpexpe01", unparsedLines: 0 });
    expect(eventLines(p)).toEqual([
      "1 local note TCP Connection Established 203.0.113.45:50412 -> 198.51.100.10:5061",
      "4 <- jabber sip.request REGISTER", // an external address: the client
      "19 -> expc sip.request REGISTER", // Local-port 7001: the traversal zone to C
      "35 <- expc sip.response 401 Unauthorized [401]",
      "50 -> jabber sip.response 401 Unauthorized [401]",
      "64 <- jabber sip.request REGISTER",
      "80 -> expc sip.request REGISTER",
      "97 <- expc sip.response 200 OK [200]",
      "113 -> jabber sip.response 200 OK [200]",
    ]);
  });

  it("draws the REGISTER dialog from Jabber through E and C to CUCM, each hop once", () => {
    const { json } = loadBundle("expressway-sip-register");
    expect(json.lanes).toEqual(["jabber", "expe", "expc", "cucm"]);
    const sip = json.messages.filter((m) => m.kind.startsWith("sip."));
    expect(sip.map((m) => `${m.from}->${m.to} ${m.label}`)).toEqual(
      [101, 102].flatMap((cseq) => {
        const answer = cseq === 101 ? "401 Unauthorized REGISTER" : "200 OK REGISTER";
        return [
          "jabber->expe REGISTER",
          "expe->expc REGISTER",
          "expc->cucm REGISTER",
          `cucm->expc ${answer}`,
          `expc->expe ${answer}`,
          `expe->jabber ${answer}`,
        ];
      }),
    );
    // The E<->C hops are logged by both nodes and merge into one arrow each.
    for (const m of sip.filter((x) => [x.from, x.to].sort().join() === "expc,expe"))
      expect([...m.seenBy].sort()).toEqual(["expc", "expe"]);
    expect(arrows(json).filter((a) => a.includes("TCP")).length).toBe(3);
  });

  it("places SIP peers: Last-via-addr, 5060 to CUCM, unknown addresses get their own lane, loopback is self", () => {
    const text = [
      tvcs(
        "corpexpc01",
        1,
        'Module="network.http.trafficserver" Level="INFO": Detail="Receive Request" Txn-id="1" Src-ip="127.0.0.1" Src-port="33688" Last-via-addr="172.16.10.10" Msg="GET http://vcs_control.corp.example:8443/x/get_edge_config HTTP/1.1"',
      ),
      tvcs(
        "corpexpc01",
        2,
        'Module="network.sip" Level="DEBUG":  Action="Received" Local-ip="10.1.1.20" Local-port="25011" Src-ip="172.16.10.10" Src-port="25999"',
        sipBlock("OPTIONS sip:10.1.1.20 SIP/2.0", "1 OPTIONS"),
      ),
      tvcs(
        "corpexpc01",
        3,
        'Module="network.sip" Level="DEBUG":  Action="Sent" Local-ip="10.1.1.20" Local-port="27346" Dst-ip="10.1.1.11" Dst-port="5060"',
        sipBlock("OPTIONS sip:10.1.1.11 SIP/2.0", "2 OPTIONS"),
      ),
      tvcs(
        "corpexpc01",
        4,
        'Module="network.sip" Level="DEBUG":  Action="Received" Local-ip="10.1.1.20" Local-port="27346" Src-ip="10.1.1.11" Src-port="40001"',
        sipBlock("SIP/2.0 200 OK", "2 OPTIONS"),
      ),
      tvcs(
        "corpexpc01",
        5,
        'Module="network.sip" Level="DEBUG":  Action="Sent" Local-ip="10.1.1.20" Local-port="27347" Dst-ip="10.9.9.9" Dst-port="5070"',
        sipBlock("INVITE sip:bob@10.9.9.9 SIP/2.0", "3 INVITE"),
      ),
      tvcs(
        "corpexpc01",
        6,
        'Module="network.sip" Level="DEBUG":  Action="Sent" Local-ip="127.0.0.1" Local-port="5060" Dst-ip="127.0.0.1" Dst-port="22210"',
        sipBlock("SIP/2.0 404 Not Found", "3 INVITE"),
      ),
      tvcs(
        "corpexpc01",
        7,
        'Module="network.sip" Level="DEBUG":  Action="Sent" Local-ip="10.1.1.20" Local-port="27348" Dst-ip="10.1.1.12" Dst-port="5090"',
        sipBlock("OPTIONS sip:ucm3.corp.example SIP/2.0", "4 OPTIONS"),
      ),
    ].join("");
    const p = parse(text, "log.txt");
    expect(p.info.lane).toBe("expc");
    expect(eventLines(p)).toEqual([
      "1 <- expe http.request GET get_edge_config",
      "4 <- expe sip.request OPTIONS", // seen as Last-via-addr of the E->C tunnel
      "14 -> cucm sip.request OPTIONS", // port 5060
      "24 <- cucm sip.response 200 OK [200]", // the same address, any port
      "34 -> 10.9.9.9 sip.request INVITE", // unknown: a lane named by the address
      "44 -> expc sip.response 404 Not Found [404]", // loopback: the node itself
      "54 -> cucm sip.request OPTIONS", // a request-URI host that reads like CUCM
    ]);
    expect(p.events[4]!.peerHost).toBe("10.9.9.9");
    expect(p.events[5]!.failed).toBe(true);
  });

  it("reads network.tcp, network.ldap, developer.* and Event summary lines", () => {
    const h = "corpexpc01";
    const text = [
      tvcs(
        h,
        1,
        'Module="network.tcp" Level="DEBUG":  Src-ip="10.1.1.20" Src-port="27345" Dst-ip="10.1.1.10" Dst-port="5061" Detail="TCP Connection Failed"',
      ),
      tvcs(
        h,
        2,
        'Module="network.ldap" Level="INFO": Detail="LDAP Connect" Server="dc1.corp.example" Port="389"',
      ),
      tvcs(
        h,
        3,
        'Module="network.ldap" Level="INFO": Detail="LDAP Bind" Server="dc1.corp.example" Bind-dn="CN=svc-exp,OU=Service,DC=corp,DC=example"',
      ),
      tvcs(
        h,
        4,
        'Module="network.ldap" Level="INFO": Detail="LDAP Bind Result" Server="dc1.corp.example" Result="success"',
      ),
      tvcs(
        h,
        5,
        'Module="network.ldap" Level="INFO": Detail="LDAP Search" Server="dc1.corp.example" Base-dn="DC=corp,DC=example" Filter="(sAMAccountName=jdoe)"',
      ),
      tvcs(
        h,
        6,
        'Module="network.ldap" Level="INFO": Detail="LDAP Search Result" Server="dc1.corp.example" Result="No such object"',
      ),
      tvcs(
        h,
        7,
        'Module="developer.nomodule" Level="INFO" CodeLocation="ppcmains/sip/sipproxy/SipProxy.cpp(120)" Method="SipProxy::route" Thread="0x7f1a": routing request',
      ),
      tvcs(
        h,
        8,
        'Module="developer.nomodule" Level="WARN" CodeLocation="ppcmains/sip/sipproxy/SipProxyAuthentication.cpp(686)" Method="SipProxyAuthentication::checkDigestSAResponse" Thread="0x7f1a": calculated response does not match supplied response, calculatedResponse=1a2b, response=3c4d',
      ),
      tvcs(h, 9, 'Module="developer.ssl" Level="DEBUG" Detail="Handshake complete"'),
      `2024-05-14T09:12:04.010+02:00 ${h} tvcs: Event="Registration Accepted" Service="SIP" Src-ip="172.16.10.10" Src-port="7001" Protocol="TLS" AOR="sip:jdoe@corp.example" Duration="3600" Level="1" UTCTime="2024-05-14 07:12:04,010"\n`,
      `2024-05-14T09:12:04.011+02:00 ${h} tvcs: Event="Registration Rejected" Reason="Unknown domain" Service="SIP" Src-ip="172.16.10.10" Protocol="TLS" AOR="sip:mallory@other.example" Level="1" UTCTime="2024-05-14 07:12:04,011"\n`,
      `2024-05-14T09:12:04.012+02:00 ${h} tvcs: Event="Call Attempted" Service="SIP" Src-alias="sip:jdoe@corp.example" Dst-alias="sip:bob@corp.example" Call-serial-number="a1" Level="1" UTCTime="2024-05-14 07:12:04,012"\n`,
      `2024-05-14T09:12:04.013+02:00 ${h} tvcs: Event="Search Completed" Reason="Not Found" Service="SIP" Src-alias="sip:jdoe@corp.example" Dst-alias="sip:carol@corp.example" Found="False" Level="1" UTCTime="2024-05-14 07:12:04,013"\n`,
    ].join("");
    const p = parse(text, "log.txt");
    expect(eventLines(p)).toEqual([
      "1 local note TCP Connection Failed 10.1.1.20:27345 -> 10.1.1.10:5061",
      "2 -> ldap ldap.connect LDAP connect dc1.corp.example:389",
      "3 -> ldap ldap.bind LDAP bind CN=svc-exp,OU=Service,DC=corp,DC=example",
      "4 <- ldap ldap.result LDAP Bind Result success [success]",
      "5 -> ldap ldap.search LDAP search (sAMAccountName=jdoe)",
      "6 <- ldap ldap.result LDAP Search Result No such object [No such object]",
      "8 local note calculated response does not match supplied response, calculatedResponse=1a2b, response=3c4d",
      "10 local note Registration Accepted sip:jdoe@corp.example",
      "11 local note Registration Rejected sip:mallory@other.example: Unknown domain",
      "12 local note Call Attempted sip:jdoe@corp.example -> sip:bob@corp.example",
      "13 local note Search Completed sip:jdoe@corp.example -> sip:carol@corp.example: Not Found",
    ]);
    expect(p.events.map((e) => e.failed)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(p.events.filter((e) => e.peer === "ldap").map((e) => [e.phase, e.exchange])).toEqual([
      ["request", "ldap:1"],
      ["request", "ldap:2"],
      ["response", "ldap:2"],
      ["request", "ldap:3"],
      ["response", "ldap:3"],
    ]);
    expect(p.events[1]!.peerHost).toBe("dc1.corp.example");
    expect(p.events[4]!.user).toBe("jdoe");
    expect(p.events[7]!.user).toBe("jdoe");
  });

  it("decides E or C from the host, else from what the node logs, and can be overridden", () => {
    expect(roleFromHost("labucexpye01")).toBe("expe");
    expect(roleFromHost("labucexpyc01")).toBe("expc");
    expect(roleFromHost("labucexpwyc01")).toBe("expc");
    expect(roleFromHost("edge01")).toBe("expe");
    expect(roleFromHost("ucm1")).toBeUndefined();
    const renamed = new TextDecoder().decode(readSample(C)).replaceAll("labucexpyc01", "node7");
    expect(parse(renamed, "log.txt").info.lane).toBe("expc");
    expect(parse(readSample(C), "log.txt", { lane: "expe" }).info.lane).toBe("expe");
  });

  it("detects its files under a generic name", () => {
    for (const f of [E, C, SASL_C, SASL_E, SIP_E, SIP_C]) {
      const head = new TextDecoder().decode(readSample(f));
      expect(detectSource(head)?.source.id).toBe("expressway");
      expect(parse(readSample(f), "log.txt").info.source).toBe("expressway");
    }
  });

  it("does not claim other formats or prose", () => {
    const others = Object.entries(SAMPLES).filter(([path]) => !/expressway-[ec]\.log$/.test(path));
    expect(others.length).toBeGreaterThan(5);
    for (const [path, text] of others) expect(expressway.sniff(text), path).toBeLessThan(MIN_CONFIDENCE);
    const prose = "++ Expressway-E receives the request ++\nNext Expressway-C sends POST request to CUCM";
    expect(expressway.sniff(prose)).toBeLessThan(MIN_CONFIDENCE);
  });

  it("gives the same result for every chunk size", () => {
    for (const f of [E, C, SASL_C, SIP_E, SIP_C]) expectSameDigestAtEveryChunkSize(f, "x.log");
  });

  it("reads CRLF and UTF-16 copies the same", () => {
    const text = new TextDecoder().decode(readSample(C));
    const reference = eventLines(parse(text));
    expect(eventLines(parse(text.replaceAll("\n", "\r\n")))).toEqual(reference);
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16[0] = 0xff;
    utf16[1] = 0xfe;
    for (let i = 0; i < text.length; i++) {
      utf16[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      utf16[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    expect(eventLines(parse(utf16, "x.log", {}, 7))).toEqual(reference);
    const sip = new TextDecoder().decode(readSample(SIP_C));
    const lf = parse(sip);
    const crlf = parse(sip.replaceAll("\n", "\r\n"));
    expect(eventLines(crlf)).toEqual(eventLines(lf));
    expect(crlf.events).toEqual(lf.events);
  });
});

// Inputs that parsers/fuzz.test.ts found: a long run that a regular expression retried from each
// of its positions (quadratic: seconds to minutes for one line). What such lines parse to is
// checked here; how fast is the benchmark's to measure, and eslint's regexp/no-super-linear-*
// rules keep such patterns out (one that costs minutes would also fail on the test timeout).
describe("expressway: regressions found by fuzzing", () => {
  const HEAD = '2020-03-24T16:31:00.962-06:00 labucexpye01 tvcs: UTCTime="2020-03-24 22:31:00,962"';

  it("a 100 000-character word among the attributes", () => {
    const line = `${HEAD} Module="network.ldap" ${"a".repeat(100_000)} Level="INFO": Detail="search" Filter="(uid=jdoe)"`;
    const p = parse(line + "\n", "log.txt", { source: "expressway" });
    expect(p.store.records.rawTime.get(0)).toBe(Date.parse("2020-03-24T22:31:00.962Z"));
    expect(eventLines(p)).toEqual(["1 -> ldap ldap.search LDAP search (uid=jdoe)"]);
    expect(p.events[0]!.user).toBe("jdoe");
  });

  it('reads attributes as the Name="value" regex did: first wins, escapes, values across lines', () => {
    // The attributes are scanned by hand (for speed); these are the corners of the regex
    // /([A-Za-z][\w.-]{0,63})="((?:[^"\\]|\\.)*)"/g it replaced, seen through a TCP note's label.
    const label = (...lines: string[]): string[] =>
      parse(lines.join("\n") + "\n", "log.txt", { source: "expressway" }).events.map((e) => e.label);
    const tcp = `${HEAD} Module="network.tcp" Level="DEBUG":`;
    expect(label(`${tcp} Detail="first" Detail="second"`)).toEqual(["first"]);
    expect(label(`${tcp} Detail="say \\"hi\\" \\\\" Src-ip="10.0.0.1"`)).toEqual([
      'say \\"hi\\" \\\\ 10.0.0.1 -> ?',
    ]);
    // A name starts at its first letter, and a name character before it makes it another name.
    expect(label(`${tcp} 9Detail="digit"`)).toEqual(["digit"]);
    expect(label(`${tcp} x-Detail="other" Src-ip="10.0.0.1"`)).toEqual(["TCP 10.0.0.1 -> ?"]);
    // A value may run over lines, but a backslash before a line break (or the end) leaves it
    // unclosed: the scan goes on inside it, where it finds the next attribute.
    expect(label(tcp + ' Detail="two', 'lines"')).toEqual(["two\nlines"]);
    expect(label(tcp + ' Detail="broken \\', 'Src-ip="10.0.0.1" Detail="inner"')).toEqual([
      "inner 10.0.0.1 -> ?",
    ]);
    expect(label(tcp + ' Src-ip="10.0.0.1" Detail="end \\')).toEqual(["TCP 10.0.0.1 -> ?"]);
  });

  it("finds attributes by name past the first 32 of a header, first still winning", () => {
    // Lookups go through an index of a header's first 32 attributes, and back to a scan past
    // that: names that share a length and end letters (X1y..X9y) share a probe chain.
    const tcp = `${HEAD} Module="network.tcp" Level="DEBUG":`;
    const label = (extra: string): string[] =>
      parse(`${tcp} ${extra}\n`, "log.txt", { source: "expressway" }).events.map((e) => e.label);
    const same = Array.from({ length: 9 }, (_, i) => `X${i + 1}y="${i}"`).join(" ");
    expect(label(`${same} Detail="first" Detail="second" Src-ip="10.0.0.1"`)).toEqual([
      "first 10.0.0.1 -> ?",
    ]);
    const many = Array.from({ length: 40 }, (_, i) => `Pad${i}="${i}"`).join(" ");
    expect(label(`${many} Detail="late" Detail="later" Dst-ip="10.0.0.2"`)).toEqual(["late ? -> 10.0.0.2"]);
    // And the next record, of a few attributes, is indexed again.
    const two = parse(`${tcp} ${many} Detail="late"\n${tcp} Detail="next" Src-ip="10.0.0.3"\n`, "log.txt", {
      source: "expressway",
    });
    expect(two.events.map((e) => e.label)).toEqual(["late", "next 10.0.0.3 -> ?"]);
  });

  it("an LDAP filter of 100 000 '='", () => {
    const line = `${HEAD} Module="network.ldap" Level="INFO": Detail="search" Filter="(uid${"=".repeat(100_000)}"`;
    const p = parse(line + "\n", "log.txt", { source: "expressway" });
    expect(p.events.map((e) => e.kind)).toEqual(["ldap.search"]);
  });
});
