import { describe, it, expect } from "vitest";
import { eventLines, expectSameDigestAtEveryChunkSize, parse, readSample } from "../testing/sourceHarness.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";
import { jabber } from "./jabber.ts";

const FIXTURES = [
  "mra-oauth/jabber.log",
  "mra-sasl-failure/jabber.log",
  "onprem-login/jabber.log",
  "jabber-sip-register/jabber.log",
  "jabber-cti-failure/jabber.log",
  "jabber-mobile/jabber.log",
];

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

describe("jabber golden: jabber-sip-register (composed, on-prem softphone)", () => {
  const p = parse(readSample("jabber-sip-register/jabber.log"), "jabber.log");
  const callId = "00505689-a1b20003-4c3d2e1f-7a6b5c4d@10.20.30.44";

  it("reads each sipio line and its SIP message lines as one record", () => {
    expect(p.info.source).toBe("jabber");
    expect(p.info.records).toBe(7);
    expect(p.info.unparsedLines).toBe(0);
    expect(p.store.records.lineCount.get(1)).toBe(14);
    expect(p.store.records.rawTime.get(1)).toBe(Date.UTC(2023, 4, 16, 8, 42, 11, 318));
  });

  it("gives the REGISTER dialog as jabber<->cucm SIP arrows", () => {
    expect(eventLines(p)).toEqual([
      "2 -> cucm sip.request REGISTER",
      "16 <- cucm sip.response 401 Unauthorized [401]",
      "27 -> cucm sip.request REGISTER",
      "42 <- cucm sip.response 200 OK [200]",
    ]);
    const [reg1, challenge, reg2, ok] = p.events;
    expect(reg1).toMatchObject({
      dir: "send",
      peer: "cucm",
      peerHost: "ucm1.corp.example",
      phase: "request",
      exchange: `sip:${callId} 101 REGISTER@cucm`,
      match: `SIP ${callId} 101 REGISTER`,
      keys: { callId, cseq: "101 REGISTER" },
    });
    expect(challenge).toMatchObject({
      phase: "response",
      exchange: `sip:${callId} 101 REGISTER@cucm`,
      match: `SIP ${callId} 101 REGISTER 401`,
      status: "401",
      failed: false,
    });
    expect(reg2).toMatchObject({
      exchange: `sip:${callId} 102 REGISTER@cucm`,
      keys: { cseq: "102 REGISTER" },
    });
    expect(ok).toMatchObject({ exchange: `sip:${callId} 102 REGISTER@cucm`, status: "200", failed: false });
  });
});

describe("jabber golden: jabber-cti-failure (composed, deskphone)", () => {
  const p = parse(readSample("jabber-cti-failure/jabber.log"), "jabber.log");

  it("gives the ProviderOpen exchange and the failure reason code", () => {
    expect(p.info.records).toBe(7);
    expect(eventLines(p)).toEqual([
      "2 -> cucm cti.request CTI ProviderOpenRequest",
      "3 <- cucm cti.response CTI ProviderOpenResponse",
      "4 <- cucm cti.event CTI ProviderOpenCompletedEvent [0x8CCC0075]",
      "5 local error CTI ProviderOpenFailed [0x8CCC0075]",
      "6 <- cucm cti.event CTI ProviderOutOfServiceEvent [0x8CCC0075]",
    ]);
    const [req, res, completed, failed, oos] = p.events;
    // The same labels and matches as cucm-sdl's CTIHandler lines, so the halves merge.
    expect(req).toMatchObject({
      match: "CTI ProviderOpenRequest",
      phase: "request",
      exchange: "cti:2",
      keys: { ctiSeq: "2" },
      user: "jdoe",
    });
    expect(res).toMatchObject({
      match: "CTI ProviderOpenResponse",
      phase: "response",
      exchange: "cti:2",
      keys: { ctiSeq: "2", provider: "16777231" },
      user: "jdoe",
      failed: false,
    });
    expect(completed).toMatchObject({ match: "CTI ProviderOpenCompletedEvent", failed: true });
    expect(completed!.phase).toBeUndefined();
    expect(failed).toMatchObject({ failed: true, status: "0x8CCC0075" });
    expect(oos).toMatchObject({ match: "CTI ProviderOutOfServiceEvent", failed: true });
  });
});

describe("jabber golden: jabber-mobile (composed, iOS line shape)", () => {
  const p = parse(readSample("jabber-mobile/jabber.log"), "jabber.log");

  it("reads records with no time, with level and thread", () => {
    expect(p.info.source).toBe("jabber");
    expect(p.info.records).toBe(16);
    expect(p.info.unparsedLines).toBe(0);
    const r = p.store.records;
    for (let i = 0; i < r.length; i++) {
      expect(r.rawTime.get(i)).toBeNaN();
      expect(r.kindOf(i)).toBeNull();
    }
    expect(r.strings.get(r.level.get(4))).toBe("WARN");
    expect(r.strings.get(r.thread.get(1))).toBe("0x16f753000");
  });

  it("applies the desktop rules to the message part", () => {
    expect(eventLines(p)).toEqual([
      "2 -> dns dns.query SRV _cisco-uds._tcp.corp.example",
      "3 <- dns dns.answer SRV _cisco-uds._tcp.corp.example [success]",
      "4 -> dns dns.query SRV _cuplogin._tcp.corp.example",
      "5 <- dns dns.answer SRV _cuplogin._tcp.corp.example [FAILED_NO_SRV_RECORDS_FOUND]",
      "6 -> cucm http.request GET version",
      "7 <- cucm http.response 200 OK [200]",
      "8 <- cucm http.response 200 [200]",
      "9 -> cucm http.request GET jdoe",
      "10 <- cucm http.response 401 Unauthorized [401]",
      "11 <- cucm http.response 401 [401]",
      "12 -> cucm http.request GET jdoe",
      "13 <- cucm http.response 200 OK [200]",
      "14 <- cucm http.response 200 [200]",
      "16 local error login error LERR_CUP_UNREACHABLE [LERR_CUP_UNREACHABLE]",
    ]);
    const ev = p.events;
    expect(ev[3]).toMatchObject({ exchange: "srv:_cuplogin._tcp.corp.example", failed: true });
    // The status line and the response-code line of one request are one response, by exchange.
    expect(ev[8]).toMatchObject({ exchange: "req:4", match: "GET jdoe", failed: true });
    expect(ev[9]).toMatchObject({ exchange: "req:4", match: "GET jdoe", failed: true });
    expect(ev[13]).toMatchObject({ failed: true, status: "LERR_CUP_UNREACHABLE" });
  });
});

describe("jabber rules: SIP shapes and the edge rule", () => {
  const t = "2023-05-18 10:00:00,000 DEBUG [0x00001111] ";
  const sipio =
    t + "[re\\sipstack\\sip_common_transport.c(908)] [csf.sip-call-control] [platform_print_sip_msg] - ";
  const http =
    t + "[etutils\\src\\http\\CurlHttpUtils.cpp(1088)] [csf.httpclient] [configureEasyRequest] - *-----* ";

  it("reads headers flattened onto the start line and ^M line ends", () => {
    const text = [
      sipio + "sipio-sent---> REGISTER sip:ucm1.corp.example SIP/2.0^M",
      "Via: SIP/2.0/TCP 10.20.30.44:51234;branch=z9hG4bK1^M",
      "From: <sip:1001@ucm1.corp.example>;tag=a1^M",
      "To: <sip:1001@ucm1.corp.example>^M",
      "Call-ID: flat-1@10.20.30.44^M",
      "CSeq: 7 REGISTER^M",
      sipio +
        "sipio-recv<--- SIP/2.0 407 Proxy Authentication Required Via: SIP/2.0/TCP 10.20.30.44:51234;branch=z9hG4bK1 From: <sip:1001@ucm1.corp.example>;tag=a1 To: <sip:1001@ucm1.corp.example>;tag=b2 Call-ID: flat-1@10.20.30.44 CSeq: 7 REGISTER Content-Length: 0",
    ].join("\n");
    const p = parse(text + "\n");
    expect(eventLines(p)).toEqual([
      "1 -> cucm sip.request REGISTER",
      "7 <- cucm sip.response 407 Proxy Authentication Required [407]",
    ]);
    expect(p.events[1]).toMatchObject({
      exchange: "sip:flat-1@10.20.30.44 7 REGISTER@cucm",
      match: "SIP flat-1@10.20.30.44 7 REGISTER 407",
      failed: false,
    });
  });

  it("sends to expe when a Route or Via host is an edge host seen earlier in the file", () => {
    const text = [
      http +
        "Configuring request #2 GET https://edge01.corp.example:8443/Y29ycC5leGFtcGxl/get_edge_config?service_name=_cisco-uds",
      sipio + "sipio-sent---> REGISTER sip:ucm1.corp.example SIP/2.0",
      "Via: SIP/2.0/TLS 192.168.1.20:50123;branch=z9hG4bK9",
      "Route: <sip:edge01.corp.example:5061;transport=tls;lr>",
      "To: <sip:1001@corp.example>",
      "Call-ID: mra-1@192.168.1.20",
      "CSeq: 101 REGISTER",
      sipio + "sipio-recv<--- SIP/2.0 200 OK",
      "Via: SIP/2.0/TLS 192.168.1.20:50123;branch=z9hG4bK9",
      "Call-ID: mra-1@192.168.1.20",
      "CSeq: 101 REGISTER",
      // A dialog that names no edge host stays on CUCM.
      sipio + "sipio-recv<--- NOTIFY sip:1001@192.168.1.20:50123 SIP/2.0",
      "Via: SIP/2.0/TCP 10.10.10.21:5060;branch=z9hG4bK77",
      "Call-ID: notify-1@10.10.10.21",
      "CSeq: 1000 NOTIFY",
    ].join("\n");
    const p = parse(text + "\n");
    expect(eventLines(p)).toEqual([
      "1 -> expe http.request GET get_edge_config",
      "2 -> expe sip.request REGISTER",
      "8 <- expe sip.response 200 OK [200]",
      "12 <- cucm sip.request NOTIFY",
    ]);
    expect(p.events[1]!.peerHost).toBe("edge01.corp.example");
    expect(p.events[2]!.peerHost).toBe("edge01.corp.example");
  });

  it("learns edge hosts from csf.edge lines", () => {
    const text = [
      t +
        "[src\\EdgeConfig.cpp(88)] [csf.edge] [csf::edge::EdgeConfigProvider::onConfig] - Edge server: edge02.corp.example:8443",
      sipio +
        "sipio-sent---> REGISTER sip:corp.example SIP/2.0 Via: SIP/2.0/TLS edge02.corp.example:5061;branch=z9hG4bK3 Call-ID: mra-2@x CSeq: 5 REGISTER",
    ].join("\n");
    expect(eventLines(parse(text + "\n"))).toEqual(["2 -> expe sip.request REGISTER"]);
  });

  it("skips a sipio line with no SIP start line", () => {
    expect(parse(sipio + "sipio-sent---> (truncated)\n").events).toEqual([]);
  });
});

describe("jabber rules: CTI, login errors, HTTP status lines, DNS", () => {
  const t = "2023-05-18 10:00:00,000 INFO  [0x00002222] ";
  const ecc = t + "[src\\CtiConnection.cpp(10)] [csf.ecc.cti] [csf::ecc::cti::CtiConnection::run] - ";

  it("pairs a ProviderOpenResponse that does not repeat the seq# and reads a failed completion", () => {
    const p = parse(
      [
        ecc + "ProviderOpenRequest sent, seq#=5 login=asmith",
        ecc + "ProviderOpenResponse received, provider id=16777300 result=0",
        ecc + "ProviderOpenCompletedEvent reason=0x0",
        ecc + "ProviderOpenCompletedEvent reason=0x8CCC00D1",
        ecc + "ProviderOpenFailed reason=0x8CCC00D1",
        ecc + "ProviderOpen timer started (10 s)",
      ].join("\n") + "\n",
    );
    expect(eventLines(p)).toEqual([
      "1 -> cucm cti.request CTI ProviderOpenRequest",
      "2 <- cucm cti.response CTI ProviderOpenResponse [0]",
      "3 <- cucm cti.event CTI ProviderOpenCompletedEvent [0x0]",
      "4 <- cucm cti.event CTI ProviderOpenCompletedEvent [0x8CCC00D1]",
      "5 local error CTI ProviderOpenFailed [0x8CCC00D1]",
    ]);
    expect(p.events[1]).toMatchObject({ exchange: "cti:5", keys: { ctiSeq: "5", provider: "16777300" } });
    expect(p.events[1]!.failed).toBe(false);
    expect(p.events[2]!.failed).toBe(false);
    expect(p.events[3]!.failed).toBe(true);
    expect(p.events.every((e) => e.user === "asmith")).toBe(true);
  });

  it("reads LoginCup and OnLoginError LERR codes, in both line shapes", () => {
    const p = parse(
      [
        "[JabberWerx] [IMPStackCap::Log::log] - [JabberWerxCPP.DLL]: LoginCup failed for imp1.corp.example: LERR_CUP_AUTH",
        "2023-05-18 10:00:01,000 ERROR [0x00002222] [src\\LoginSink.cpp(10)] [csf.login] [OnLoginError] - OnLoginError: LERR_CUP_UNREACHABLE",
        "ERROR [main] - [JabberWerx][IMPStackCap::Log::log] [JabberWerxCPP]: OnLoginError: LERR_JABBER_AUTH",
        "INFO [main] - [JabberWerx][IMPStackCap::Log::log] [JabberWerxCPP]: LoginCup: server imp1.corp.example",
      ].join("\n") + "\n",
    );
    expect(eventLines(p)).toEqual([
      "1 local error login error LERR_CUP_AUTH [LERR_CUP_AUTH]",
      "2 local error login error LERR_CUP_UNREACHABLE [LERR_CUP_UNREACHABLE]",
      "3 local error login error LERR_JABBER_AUTH [LERR_JABBER_AUTH]",
    ]);
    expect(p.events.every((e) => e.failed)).toBe(true);
  });

  it("reads a status line on a continuation line and curl error codes", () => {
    const h = t + "[src\\http\\CurlHttpUtils.cpp(1)] [csf.httpclient] [csf::http::run] - *-----* ";
    const p = parse(
      [
        h + "Configuring request #11 GET https://ucm1.corp.example:8443/cucm-uds/servers",
        h + "Response headers for request #11:",
        "HTTP/1.1 503 Service Unavailable",
        "Content-Length: 0",
        h + "Configuring request #12 GET https://ucm2.corp.example:8443/cucm-uds/servers",
        h + "curl_easy_perform for request #12 failed with curl error code 28",
      ].join("\n") + "\n",
    );
    expect(eventLines(p)).toEqual([
      "1 -> cucm http.request GET servers",
      "3 <- cucm http.response 503 Service Unavailable [503]",
      "5 -> cucm http.request GET servers",
      "6 <- cucm http.response curl error 28 [curl error 28]",
    ]);
    expect(p.events[1]).toMatchObject({
      exchange: "req:11",
      match: "GET servers",
      failed: true,
      lineOffset: 1,
    });
    expect(p.events[3]).toMatchObject({ exchange: "req:12", failed: true, peerHost: "ucm2.corp.example" });
  });

  it("answers an SRV query named by its service only, and reads a success", () => {
    const dns = t + "[src\\dns\\DnsUtils.cpp(1)] [csf.dns] [csf::dns::DnsUtils::executeSRVRecordQuery] - ";
    const sd = t + "[src\\sd\\Handler.cpp(1)] [service-discovery] [csf::service::discovery::onResult] - ";
    const p = parse(
      [
        dns + "Querying SRV record _collab-edge._tls.corp.example",
        sd + "Result for _collab-edge: FAILED_NO_SRV_RECORDS_FOUND",
        dns + "DNS query _cisco-uds._tcp.corp.example. has succeeded.",
        sd + "_cisco-uds lookup result: SUCCESS",
      ].join("\n") + "\n",
    );
    expect(eventLines(p)).toEqual([
      "1 -> dns dns.query SRV _collab-edge._tls.corp.example",
      "2 <- dns dns.answer SRV _collab-edge._tls.corp.example [FAILED_NO_SRV_RECORDS_FOUND]",
      "3 -> dns dns.query SRV _cisco-uds._tcp.corp.example",
      "3 <- dns dns.answer SRV _cisco-uds._tcp.corp.example [success]",
    ]);
  });
});

describe("jabber rules: the mobile line shape", () => {
  it("reads Android threads and iOS method names with nested brackets", () => {
    const p = parse(
      [
        "DEBUG [4711] - [csf.httpclient][csf::http::CurlHttpUtils::configureEasyRequest] *-----* Configuring request #1 GET https://ucm1.corp.example:8443/cucm-uds/version",
        "INFO [com.apple.main-thread] - [UIModule][-[CSFLoginController startLogin:]] Login started for jdoe",
        "ERROR [com.apple.main-thread] - [JabberWerx][-[JWLogin onError:]] OnLoginError: LERR_CUP_AUTH",
      ].join("\n") + "\n",
    );
    expect(p.info.records).toBe(3);
    const r = p.store.records;
    expect(r.strings.get(r.thread.get(0))).toBe("4711");
    expect(r.strings.get(r.thread.get(1))).toBe("com.apple.main-thread");
    expect(eventLines(p)).toEqual([
      "1 -> cucm http.request GET version",
      "3 local error login error LERR_CUP_AUTH [LERR_CUP_AUTH]",
    ]);
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

  it("recognises a mobile log and a softphone log made mostly of SIP text", () => {
    expect(jabber.sniff(text("jabber-mobile/jabber.log"))).toBeGreaterThanOrEqual(0.9);
    expect(jabber.sniff(text("jabber-sip-register/jabber.log"))).toBeGreaterThanOrEqual(0.9);
    // Fifty SIP dumps of fourteen lines each: the SIP lines do not dilute the verdict.
    const sip = text("jabber-sip-register/jabber.log").split("\n").slice(1, 15).join("\n");
    expect(jabber.sniff(Array(50).fill(sip).join("\n"))).toBeGreaterThanOrEqual(0.9);
  });

  it("wants Jabber's module names before trusting a mobile-shaped line", () => {
    const lines = Array(10).fill("INFO [main] - [Foo][Bar] something happened").join("\n");
    expect(jabber.sniff(lines)).toBeLessThan(0.9);
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
    expectSameDigestAtEveryChunkSize(rel);
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

// Inputs that parsers/fuzz.test.ts found (its sniff property: a confidence within 0..1).
describe("jabber: regressions found by fuzzing", () => {
  it("sniff of a head with no non-blank line is 0, not NaN", () => {
    expect(jabber.sniff("")).toBe(0);
    expect(jabber.sniff("\n  \n\t\n")).toBe(0);
  });

  // Each took from seconds to minutes (a \s* next to a \s*, or a run retried from each of its
  // positions). What such lines parse to is checked here; how fast is the benchmark's to measure,
  // and eslint's regexp/no-super-linear-* rules keep such patterns out (one that costs minutes would also fail on the test timeout).
  const HEAD = "2023-05-16 08:42:11,337 DEBUG [0x00002f18] [a.c(1)]";
  const SPACES = " ".repeat(100_000);
  it.each([
    [
      "a SIP status line",
      `${HEAD} [csf.sip-call-control] [f] - sipio-recv<--- SIP/2.0 403 Forbidden${SPACES}x`,
    ],
    ["a CTI seq", `${HEAD} [csf.cti] [f] - ProviderOpenRequest seq${SPACES}x`],
    ["a CTI provider id", `${HEAD} [csf.cti] [f] - ProviderOpenResponse provider id${SPACES}x`],
    ["a curl error code", `${HEAD} [csf.httpclient] [f] - request #3 curl error code${SPACES}x`],
    ["a DNS answer count", `${HEAD} [csf.dns] [f] - _cisco-uds._tcp.corp.example ${"1".repeat(100_000)}x`],
  ])("%s followed by a 100 000-character run", (_, line) => {
    const p = parse(line + "\n", "jabber.log", { source: "jabber" });
    expect(p.info.warnings).toEqual([]);
    expect(p.store.records.length).toBe(1);
  });
});
