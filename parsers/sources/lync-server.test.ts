import { describe, expect, it } from "vitest";
import {
  eventLines,
  expectCrlfParsesTheSame,
  expectSameDigestAtEveryChunkSize,
  parse,
  readSample,
} from "../testing/sourceHarness.ts";
import { lyncClient } from "./lync-client.ts";
import { lyncServer, peerLane } from "./lync-server.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const CLIENT = "lync-signin/client.uccapilog";
const SERVER = "lync-signin/frontend-sipstack.log";
const REGISTER_CALL = "9c1e5a8f27b44d6f8e2c3b1a0d4e7f60";
const SERVICE_CALL = "4d7b2e9a1c3f4e8b9a6d5c2b1e0f3a7d";

const text = (rel: string): string => new TextDecoder().decode(readSample(rel));

const SAMPLES = import.meta.glob<string>("../../public/samples/**/*.{log,txt,uccapilog}", {
  query: "?raw",
  import: "default",
  eager: true,
});

const protocol = (time: string, fields: string[]) => [
  `TL_INFO(TF_PROTOCOL) [0]0A1C.0B2D::03/14/2019-${time}.0001f2a3 (SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125))$$begin_record`,
  ...fields,
  "Message-Body: –",
  "$$end_record",
];

describe("lync-server", () => {
  it("golden: the Front End side of the sign-in (seed 004, composed)", () => {
    const p = parse(readSample(SERVER), "frontend-sipstack.log");
    expect(p.info).toMatchObject({
      source: "lync-server",
      lane: "lync-server",
      host: "fe01.frankwhitepfelab.net",
      records: 15,
      unparsedLines: 0,
    });
    // The same sign-in as the client logged it (seed 004), seen from the pool: REGISTER CSeq
    // 1..4 in, 401 x3 then 200 OK out; SERVICE in, the diagnostic that explains the refusal
    // (location profiles are for UC enabled users only), 403 out; the two SUBSCRIBEs in and
    // their 200 OKs out.
    expect(eventLines(p)).toEqual([
      "7 <- lync-client sip.request REGISTER",
      "29 -> lync-client sip.response 401 Unauthorized [401]",
      "49 <- lync-client sip.request REGISTER",
      "72 -> lync-client sip.response 401 Unauthorized [401]",
      "90 <- lync-client sip.request REGISTER",
      "113 -> lync-client sip.response 401 Unauthorized [401]",
      "131 <- lync-client sip.request REGISTER",
      "154 -> lync-client sip.response 200 OK [200]",
      "177 <- lync-client sip.request SERVICE",
      "195 local error ms-diagnostics 12008 User is not UC enabled: a location profile is only available to UC enabled users [12008]",
      "207 -> lync-client sip.response 403 Forbidden [403]",
      "224 <- lync-client sip.request SUBSCRIBE",
      "249 <- lync-client sip.request SUBSCRIBE",
      "275 -> lync-client sip.response 200 OK [200]",
      "296 -> lync-client sip.response 200 OK [200]",
    ]);
  });

  it("golden: Call-IDs, CSeqs and the diagnostic's keys", () => {
    const p = parse(readSample(SERVER), "frontend-sipstack.log");
    expect(p.events.slice(0, 8).map((e) => `${e.keys?.callId} ${e.keys?.cseq}`)).toEqual(
      [1, 1, 2, 2, 3, 3, 4, 4].map((n) => `${REGISTER_CALL} ${n} REGISTER`),
    );
    expect(p.events[0]).toMatchObject({
      dir: "recv",
      peer: "lync-client",
      peerHost: "192.0.2.55:50412",
      match: `SIP ${REGISTER_CALL} 1 REGISTER`,
      user: "aandrews",
    });
    expect(p.events[9]).toMatchObject({
      kind: "error",
      dir: "local",
      status: "12008",
      failed: true,
      keys: { callId: SERVICE_CALL, cseq: "1 SERVICE" },
    });
    expect(p.events[10]).toMatchObject({ status: "403", failed: true, keys: { callId: SERVICE_CALL } });
    const r = p.store.records;
    expect(r.rawTime.get(0)).toBe(Date.UTC(2019, 2, 14, 8, 11, 2, 703));
    expect(r.kindOf(0)).toBe("utc");
    expect(r.strings.get(r.level.get(0))).toBe("INFO");
    expect(r.strings.get(r.thread.get(0))).toBe("0B2D");
    expect(r.strings.get(r.level.get(9))).toBe("ERROR");
  });

  it("rules: peer lanes, Edge peers, diagnostics without ms-diagnostics", () => {
    expect(peerLane("192.0.2.55:50412")).toBe("lync-client");
    expect(peerLane("[2001:db8::55]:50412")).toBe("lync-client");
    expect(peerLane("192.0.2.20:5061")).toBe("192.0.2.20");
    expect(peerLane("Edge01.Contoso.com:5061")).toBe("edge01.contoso.com");
    expect(peerLane("edge01.contoso.com")).toBe("edge01.contoso.com");
    // Composed from the FORMATS.md shape: a REGISTER from an external user through the Edge,
    // a routing diagnostic with a Result-Code only, an informational diagnostic.
    const lines = [
      ...protocol("08:11:02.731", [
        "Trace-Correlation-Id: 1",
        "Direction: incoming",
        "Peer: edge01.contoso.com:5061",
        "Message-Type: request",
        "Start-Line: REGISTER sip:contoso.com SIP/2.0",
        "From: <sip:jdoe@contoso.com>;tag=1",
        "To: <sip:jdoe@contoso.com>",
        "Call-ID: e1",
        "CSeq: 1 REGISTER",
      ]),
      "TL_ERROR(TF_DIAG) [0]0A1C.0B2D::03/14/2019-08:11:02.740.0001f2a4 (SIPStack,SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(802))[1263438346] $$begin_record",
      "LogType: diagnostic",
      "Severity: error",
      "Text: Routing error occurred",
      "Result-Code: 0xc3e93c7f SIPPROXY_E_NOT_ROUTED_NO_DIALOG",
      "SIP-Start-Line: REGISTER sip:contoso.com SIP/2.0",
      "SIP-Call-ID: e1",
      "SIP-CSeq: 1 REGISTER",
      "$$end_record",
      "TL_INFO(TF_DIAG) [0]0A1C.0B2D::03/14/2019-08:11:02.750.0001f2a5 (SIPStack,SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(802))$$begin_record",
      "LogType: diagnostic",
      "Severity: information",
      'ms-diagnostics: 1000;reason="Final response received"',
      "$$end_record",
      // Not a SIPStack record: prose between records is kept in the record before it.
      "The trace continues below.",
    ];
    const p = parse(lines.join("\n"), "log.txt");
    expect(p.info.source).toBe("lync-server");
    expect(p.info.records).toBe(3);
    expect(eventLines(p)).toEqual([
      "6 <- edge01.contoso.com sip.request REGISTER",
      "13 local error 0xc3e93c7f SIPPROXY_E_NOT_ROUTED_NO_DIALOG",
      "25 local note ms-diagnostics 1000 Final response received [1000]",
    ]);
    expect(p.events[0]!.peerHost).toBe("edge01.contoso.com:5061");
    expect(p.events[1]).toMatchObject({ failed: true, keys: { callId: "e1", cseq: "1 REGISTER" } });
    expect(p.events[2]!.failed ?? false).toBe(false);
  });

  it("detection: the fixture under a generic name", () => {
    expect(lyncServer.sniff(text(SERVER))).toBeGreaterThanOrEqual(0.9);
    expect(detectSource(text(SERVER))?.source.id).toBe("lync-server");
    expect(parse(readSample(SERVER), "log.txt").info.source).toBe("lync-server");
  });

  it("not mine: the other samples, the client log and prose", () => {
    const others = Object.entries(SAMPLES).filter(([path]) => !path.includes("/lync-signin/"));
    expect(others.length).toBeGreaterThan(5);
    for (const [path, content] of others)
      expect(lyncServer.sniff(content), path).toBeLessThan(MIN_CONFIDENCE);
    expect(lyncServer.sniff(text(CLIENT))).toBeLessThan(MIN_CONFIDENCE);
    expect(lyncClient.sniff(text(SERVER))).toBeLessThan(MIN_CONFIDENCE);
    const prose = [
      "TL_INFO is the level of a protocol record; each one starts with $$begin_record.",
      "Direction: incoming means the Front End received the message from the Peer.",
    ];
    expect(lyncServer.sniff(prose.join("\n"))).toBeLessThan(MIN_CONFIDENCE);
    expect(lyncServer.sniff("")).toBe(0);
  });

  it("chunk sizes give the same digest", () => {
    expectSameDigestAtEveryChunkSize(SERVER);
  });

  it("CRLF line endings parse the same", () => {
    expectCrlfParsesTheSame(SERVER, "lync-server");
  });
});
