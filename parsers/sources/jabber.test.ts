import { describe, it, expect } from "vitest";
import { parse, digest, eventLines, CHUNK_SIZES, readSample } from "../testing/sourceHarness.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";
import { jabber } from "./jabber.ts";

const FIXTURES = ["mra-oauth/jabber.log", "mra-sasl-failure/jabber.log", "onprem-login/jabber.log"];

const text = (rel: string) => new TextDecoder().decode(readSample(rel));

function utf16leWithBom(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    out[2 + i * 2] = s.charCodeAt(i) & 0xff;
    out[3 + i * 2] = s.charCodeAt(i) >> 8;
  }
  return out;
}

/** Events without the table indexes, for comparing two parses of the same text. */
const plainEvents = (p: ReturnType<typeof parse>) => p.events.map(({ index: _i, record: _r, ...e }) => e);

describe("jabber golden: mra-oauth (seed 001, 2020-03-24)", () => {
  const p = parse(readSample("mra-oauth/jabber.log"), "jabber.log");

  it("reads five records, each with its local time, level and thread", () => {
    expect(p.info.source).toBe("jabber");
    expect(p.info.lane).toBe("jabber");
    expect(p.info.records).toBe(5);
    expect(p.info.unparsedLines).toBe(0);
    const r = p.store.records;
    for (let i = 0; i < r.length; i++) {
      expect(r.rawTime.get(i)).toBe(Date.UTC(2020, 2, 24, 22, 31, 0, 442));
      expect(r.kindOf(i)).toBe("local");
      expect(r.strings.get(r.thread.get(i))).toBe("0x00002b04");
    }
    expect(r.strings.get(r.level.get(0))).toBe("INFO");
    expect(r.strings.get(r.level.get(1))).toBe("DEBUG");
  });

  it("gives the events the seed lines describe", () => {
    // 1 TokenReuse enabled for 1001: Jabber's reading of get_edge_sso's <Token reuse="true"/>.
    // 2 setCredentialAuthorizationMode with no message: nothing.
    // 3 getCredentialsForAuthenticator, 4 currentServiceNeedsAuthorization: notes.
    // 5 BrowserController::NavigateTo the Expressway-E authorize URL.
    expect(eventLines(p)).toEqual([
      "1 <- expe http.response 200 get_edge_sso (token reuse) [200]",
      "3 local note SSO credentials for authenticator 1001",
      "4 local note SSO service 1001 needs authorization",
      "5 -> expe http.request GET authorize",
    ]);
  });

  it("pairs the token-reuse response by match and keys the authorize request", () => {
    const [reuse, , , authorize] = p.events;
    expect(reuse).toMatchObject({ phase: "response", match: "GET get_edge_sso", status: "200" });
    expect(reuse!.exchange).toBeUndefined();
    expect(reuse!.keys).toBeUndefined();
    expect(authorize).toMatchObject({
      dir: "send",
      peer: "expe",
      peerHost: "labucexpwye01.bouldermedicalcenter.com",
      phase: "request",
      match: "GET authorize",
      user: "aokanlawon",
      keys: {
        oauthState: "1771145038",
        clientId: "C1b4b988f3efa1c3fc97d0d0a36f6b97f244b4fafe55e8d9d78774e305bae9ab1",
      },
    });
  });
});

describe("jabber golden: mra-sasl-failure (seed 001, 2020-03-31)", () => {
  const p = parse(readSample("mra-sasl-failure/jabber.log"), "jabber.log");

  it("gives the events the seed lines describe", () => {
    expect(p.info.records).toBe(4);
    expect(eventLines(p)).toEqual([
      "1 <- expe xmpp.stanza stream:features SASL [CISCO-VTG-TOKEN]",
      "2 local note SASL token empty:0",
      "3 local note SASL mechanism: none",
      "4 local error SASL: no common mechanism",
    ]);
    expect(p.events[3]!.failed).toBe(true);
    expect(p.events.slice(0, 3).every((e) => !e.failed)).toBe(true);
    expect(p.store.records.rawTime.get(0)).toBe(Date.UTC(2020, 2, 31, 12, 12, 54, 998));
  });
});

describe("jabber golden: onprem-login (seed 000, lerr:14)", () => {
  const p = parse(readSample("onprem-login/jabber.log"), "jabber.log");

  it("reads the quoted line tail as a record without a time", () => {
    expect(p.info.records).toBe(1);
    expect(p.info.unparsedLines).toBe(0);
    expect(p.store.records.rawTime.get(0)).toBeNaN();
    expect(p.store.records.kindOf(0)).toBeNull();
    expect(eventLines(p)).toEqual(["1 local error login error lerr 14 [lerr 14]"]);
    expect(p.events[0]!.failed).toBe(true);
  });
});

describe("jabber rules on FORMATS.md shapes", () => {
  const head =
    "2021-06-02 09:14:03,118 INFO  [0x00001a2c] [src\\dnsutils\\win32\\win32DnsUtils.cpp(52)] [csf.dns] [csf::dns::mapFromWindowsDNSResult] - *-----* ";
  const http =
    "2021-06-02 09:14:03,540 INFO  [0x00001a2c] [etutils\\src\\http\\CurlHttpUtils.cpp(1088)] [csf.httpclient] [csf::http::CurlHttpUtils::configureEasyRequest] - *-----* ";
  const lines = [
    head + "DNS query _cisco-uds._tcp.corp.example. has failed: DNS name does not exist.",
    http + "Configuring request #7 GET https://ucm1.corp.example:8443/cucm-uds/version",
    "2021-06-02 09:14:03,702 INFO  [0x00001a2c] [ls\\src\\http\\BasicHttpClientImpl.cpp(452)] [csf.httpclient] [csf::http::executeImpl] - *-----* HTTP response code 200 for request #7 to https://ucm1.corp.example:8443/cucm-uds/version",
    // Constructed from the shapes above (not seed lines): an edge request, a 401, a curl error.
    http +
      "Configuring request #8 GET https://edge01.corp.example:8443/Y29ycC5leGFtcGxl/get_edge_config?service_name=_cisco-uds",
    http +
      "HTTP response code 401 for request #8 to https://edge01.corp.example:8443/Y29ycC5leGFtcGxl/get_edge_config",
    http + "Configuring request #9 POST https://imp1.corp.example:8443/EPASSoap/service/v80",
    http +
      "There was an issue performing the call to curl_easy_perform for request #9: CURLE_COULDNT_CONNECT",
  ];
  const p = parse(lines.join("\n") + "\n", "log.txt");

  it("turns SRV lookups and request #N into paired events", () => {
    expect(eventLines(p)).toEqual([
      "1 -> dns dns.query SRV _cisco-uds._tcp.corp.example",
      "1 <- dns dns.answer SRV _cisco-uds._tcp.corp.example [NXDOMAIN]",
      "2 -> cucm http.request GET version",
      "3 <- cucm http.response 200 [200]",
      "4 -> expe http.request GET get_edge_config",
      "5 <- expe http.response 401 [401]",
      "6 -> imp http.request POST v80",
      "7 <- imp http.response curl error CURLE_COULDNT_CONNECT [curl error CURLE_COULDNT_CONNECT]",
    ]);
    const [query, answer, req7, res7, , res8, , res9] = p.events;
    expect(query).toMatchObject({ match: "SRV _cisco-uds._tcp.corp.example", phase: "request" });
    expect(answer).toMatchObject({
      failed: true,
      phase: "response",
      match: "SRV _cisco-uds._tcp.corp.example",
    });
    expect(req7).toMatchObject({
      exchange: "req:7",
      match: "GET version",
      peerHost: "ucm1.corp.example",
      keys: { httpRequest: "7" },
    });
    expect(res7).toMatchObject({ exchange: "req:7", match: "GET version", failed: false, status: "200" });
    expect(res8!.failed).toBe(true);
    expect(res9).toMatchObject({ exchange: "req:9", failed: true });
  });

  it("reads OnLoginError codes and padded levels", () => {
    const q = parse(
      "2021-06-02 09:14:05,001 ERROR [0x00001a2c] [src\\LoginSink.cpp(10)] [csf.login] [OnLoginError] - OnLoginError: LERR_JABBER_AUTH\n",
    );
    expect(eventLines(q)).toEqual(["1 local error login error LERR_JABBER_AUTH [LERR_JABBER_AUTH]"]);
    expect(p.store.records.strings.get(p.store.records.level.get(0))).toBe("INFO");
  });
});

describe("jabber detection", () => {
  it.each(FIXTURES)("detects %s under a generic name", (rel) => {
    const byName = detectSource(text(rel));
    expect(byName?.source.id).toBe("jabber");
    const p = parse(readSample(rel), "log.txt");
    expect(p.info.source).toBe("jabber");
  });

  it("is confident on full Jabber headers", () => {
    expect(jabber.sniff(text("mra-oauth/jabber.log"))).toBeGreaterThanOrEqual(0.9);
    expect(jabber.sniff(text("mra-sasl-failure/jabber.log"))).toBeGreaterThanOrEqual(0.9);
  });
});

describe("jabber: not mine", () => {
  // Lines quoted from the seeds, one group per other format.
  const others: Record<string, string> = {
    expressway: [
      '2020-03-24T16:31:00.962-06:00 labucexpye01 traffic_server[16087]: UTCTime="2020-03-24 22:31:00,962" Module="network.http.trafficserver" Level="INFO": Detail="Receive Request" Txn-id="2004" Src-ip="81.157.160.37" Src-port="59252" Msg="GET https:///Ym91bGRlcm1lZGljYWxjZW50ZXIuY29t/get_edge_sso?email=aokanlawon@lab.com HTTP/1.1"',
      '2020-03-24T16:31:00.963-06:00 labucexpye01 traffic_server[16087]: UTCTime="2020-03-24 22:31:00,962" Module="network.http.trafficserver" Level="DEBUG": Detail="Sending response" Response-code="200" Txn-id="2004" Dst-ip="81.157.160.37" Dst-port="59252"',
    ].join("\n"),
    "cucm-log4j": [
      "2014-11-05 11:59:07,908 DEBUG [http-bio-443-exec-47] impl.AuthenticationLDAP - makeConnection: ldapURL[0]=ldap://10.106.89.210:389",
      "2014-11-05 11:59:07,938 DEBUG [http-bio-443-exec-47] impl.AuthenticationLDAP - auth: successful for dn CN=Nirmal Issac, CN=users, DC=ccie, DC=com",
      "2014-11-12 10:26:44,155 INFO [http-bio-443-exec-23] handlers.LoginHandlerNonSSO - doLogin:IMS login result is success for nirmal| IMS result code:0",
    ].join("\n"),
    "imp-epassoap": [
      "2011-04-26 10:05:51,513 INFO http-8443-3 soap.LoginHandler - Created Authentication instance=com.cisco.security.ims.authentication.AuthenticationImpl@b492e9",
      "2011-04-26 10:05:51,826 INFO http-8443-3 soap.LoginHandler - IMS result code is :1",
    ].join("\n"),
    "cucm-sdl": [
      "00895256.000 |08:59:16.944 |SdlSig |CtiProviderOpenReq |init_complete_await_provopen",
      "00895256.001 |08:59:16.944 |AppInfo |SSOTOKEN =",
      "00895256.003 |08:59:16.944 |AppInfo |CTIHandler::OutputQbeMessage: TcpHand=[1:200:13:8]",
    ].join("\n"),
    "imp-xcp": [
      "10:26:46.982 |00000000| debug| auth-1.10-106-89-222 AuthXCPComponent::onPacket()",
      "10:26:46.986 | debug| SXComponent::authenticateVTGToken(): Authentication success for userid: [nirmal@ccie.com]",
    ].join("\n"),
    prose: [
      "Jabber Client Login and Login Issues",
      "In jabber problem report we have seen the error code 14 when login.",
      "[Introduction](#)",
      "For Error code 14, it is due ot the cups server is not defined using fqdn or ip address",
    ].join("\n"),
  };

  it.each(Object.keys(others))("gives %s lines a low confidence", (name) => {
    const confidence = jabber.sniff(others[name]!);
    expect(confidence).toBeLessThan(0.3);
    expect(confidence).toBeLessThan(MIN_CONFIDENCE);
  });

  it("is not fooled by a few Jabber lines quoted in an article", () => {
    const article = [
      others.prose!,
      ...Array(100).fill("Some explanation of the login flow."),
      text("mra-oauth/jabber.log"),
    ];
    expect(jabber.sniff(article.join("\n"))).toBeLessThan(0.3);
  });
});

describe("jabber input invariance", () => {
  it.each(FIXTURES)("%s: the same digest for every chunk size", (rel) => {
    const bytes = readSample(rel);
    const expected = digest(parse(bytes, "log.txt"));
    for (const size of CHUNK_SIZES) expect(digest(parse(bytes, "log.txt", {}, size))).toEqual(expected);
  });

  it.each(FIXTURES)("%s: CRLF and UTF-16LE with BOM give the same events", (rel) => {
    const lf = text(rel);
    const base = parse(lf, "log.txt");
    const crlf = parse(lf.replace(/\n/g, "\r\n"), "log.txt");
    const utf16 = parse(utf16leWithBom(lf), "log.txt");
    for (const other of [crlf, utf16]) {
      expect(other.info.source).toBe("jabber");
      expect(eventLines(other)).toEqual(eventLines(base));
      expect(plainEvents(other)).toEqual(plainEvents(base));
      const r = other.store.records;
      for (let i = 0; i < r.length; i++) expect(r.rawTime.get(i)).toEqual(base.store.records.rawTime.get(i));
    }
  });
});
