import { describe, expect, it } from "vitest";
import {
  eventLines,
  expectCrlfParsesTheSame,
  expectSameDigestAtEveryChunkSize,
  parse,
  readSample,
} from "../testing/sourceHarness.ts";
import { lyncClient } from "./lync-client.ts";
import { lyncServer } from "./lync-server.ts";
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

describe("lync-client", () => {
  it("golden: the client side of the sign-in (seed 004, composed)", () => {
    const p = parse(readSample(CLIENT), "client.uccapilog");
    expect(p.info).toMatchObject({
      source: "lync-client",
      lane: "lync-client",
      host: "192.0.2.55",
      records: 14,
      unparsedLines: 0,
    });
    // Seed 004: REGISTER (CSeq 1) out, 401 with NTLM / Kerberos / TLS-DSK in; REGISTER CSeq 2
    // (TLS-DSK client_hello in gssapi-data), 401 (server_hello...); CSeq 3 (certificate...),
    // 401; CSeq 4 (response=), 200 OK. Then SERVICE with a new Call-ID for the location
    // profile, 403; SUBSCRIBE roaming contacts, SUBSCRIBE provisioning v2 sent before the
    // contacts 200 arrives, then both 200 OK.
    expect(eventLines(p)).toEqual([
      "2 -> lync-server sip.request REGISTER",
      "19 <- lync-server sip.response 401 Unauthorized [401]",
      "34 -> lync-server sip.request REGISTER",
      "52 <- lync-server sip.response 401 Unauthorized [401]",
      "65 -> lync-server sip.request REGISTER",
      "83 <- lync-server sip.response 401 Unauthorized [401]",
      "96 -> lync-server sip.request REGISTER",
      "114 <- lync-server sip.response 200 OK [200]",
      "132 -> lync-server sip.request SERVICE",
      "148 <- lync-server sip.response 403 Forbidden [403]",
      "160 -> lync-server sip.request SUBSCRIBE",
      "180 -> lync-server sip.request SUBSCRIBE",
      "202 <- lync-server sip.response 200 OK [200]",
      "219 <- lync-server sip.response 200 OK [200]",
    ]);
  });

  it("golden: one Call-ID for REGISTER CSeq 1..4, a new one for SERVICE", () => {
    const p = parse(readSample(CLIENT), "client.uccapilog");
    const registers = p.events.slice(0, 8);
    expect(registers.map((e) => e.keys?.callId)).toEqual(Array(8).fill(REGISTER_CALL));
    expect(registers.map((e) => e.keys?.cseq)).toEqual([
      "1 REGISTER",
      "1 REGISTER",
      "2 REGISTER",
      "2 REGISTER",
      "3 REGISTER",
      "3 REGISTER",
      "4 REGISTER",
      "4 REGISTER",
    ]);
    // Challenges are part of a working sign-in; the location profile 403 is a failure.
    expect(registers.map((e) => e.failed ?? false)).toEqual(Array(8).fill(false));
    expect(p.events[0]).toMatchObject({
      dir: "send",
      peer: "lync-server",
      peerHost: "192.0.2.10:5061",
      phase: "request",
      match: `SIP ${REGISTER_CALL} 1 REGISTER`,
      user: "aandrews",
    });
    expect(p.events[7]).toMatchObject({
      phase: "response",
      status: "200",
      match: `SIP ${REGISTER_CALL} 4 REGISTER 200`,
    });
    expect(p.events[8]).toMatchObject({
      label: "SERVICE",
      keys: { callId: SERVICE_CALL, cseq: "1 SERVICE" },
    });
    expect(p.events[9]).toMatchObject({ status: "403", failed: true, keys: { callId: SERVICE_CALL } });
  });

  it("reads local time, level and thread from the record header", () => {
    const p = parse(readSample(CLIENT), "client.uccapilog");
    const r = p.store.records;
    expect(r.rawTime.get(0)).toBe(Date.UTC(2019, 2, 14, 3, 11, 2, 700));
    expect(r.kindOf(0)).toBe("local");
    expect(r.strings.get(r.level.get(0))).toBe("INFO");
    expect(r.strings.get(r.thread.get(0))).toBe("1B3D");
    // The stamped SIP start line and End-of line stay inside the packet record.
    expect(r.firstLine.get(1)).toBe(18);
    expect(r.lineCount.get(0)).toBe(17);
  });

  it("rules: the FORMATS.md shape (bare SIP lines), other records and ERROR lines", () => {
    const lines = [
      // Composed from FORMATS.md: the packet block with unstamped SIP lines.
      "03/14/2019|08:11:02.731 0A1C:0B2D INFO :: Sending Packet - 192.0.2.10:443 (From Local Address: 192.0.2.55:50412) 1392 bytes:",
      "REGISTER sip:contoso.com SIP/2.0",
      "From: <sip:jdoe@contoso.com>;tag=1",
      "To: <sip:jdoe@contoso.com>",
      "Call-ID: abc123",
      "CSeq: 1 REGISTER",
      "End of Sending Packet",
      "03/14/2019|08:11:02.802 0A1C:0B2D INFO :: Data Received - 203.0.113.7:443 (From Local Address: 192.0.2.55:50412) 600 bytes:",
      "SIP/2.0 401 Unauthorized",
      "From: <sip:jdoe@contoso.com>;tag=1",
      "To: <sip:jdoe@contoso.com>;tag=2",
      "Call-ID: abc123",
      "CSeq: 1 REGISTER",
      "End of Data Received",
      // Composed: a record that means nothing to the ladder, and an error.
      "03/14/2019|08:11:02.900 0A1C:0B2D INFO :: CUccPlatform::Initialize done",
      "03/14/2019|08:11:03.000 0A1C:0B2D ERROR :: SIP_E_AUTH_UNAUTHORIZED: sign-in failed",
    ];
    const p = parse(lines.join("\n"), "log.txt");
    expect(p.info.source).toBe("lync-client");
    expect(p.info.records).toBe(4);
    expect(eventLines(p)).toEqual([
      "2 -> lync-server sip.request REGISTER",
      "9 <- lync-server sip.response 401 Unauthorized [401]",
      "16 local error SIP_E_AUTH_UNAUTHORIZED: sign-in failed",
    ]);
    expect(p.events[1]!.peerHost).toBe("203.0.113.7:443");
    expect(p.events[2]!.failed).toBe(true);
  });

  it("detection: the fixture under a generic name", () => {
    expect(lyncClient.sniff(text(CLIENT))).toBeGreaterThanOrEqual(0.9);
    expect(detectSource(text(CLIENT))?.source.id).toBe("lync-client");
    expect(parse(readSample(CLIENT), "log.txt").info.source).toBe("lync-client");
  });

  it("not mine: the other samples, the server trace and prose", () => {
    const others = Object.entries(SAMPLES).filter(
      ([path]) => !/\/lync-signin\/|\/contract-register\//.test(path),
    );
    expect(others.length).toBeGreaterThan(5);
    for (const [path, content] of others)
      expect(lyncClient.sniff(content), path).toBeLessThan(MIN_CONFIDENCE);
    expect(lyncClient.sniff(text(SERVER))).toBeLessThan(MIN_CONFIDENCE);
    expect(lyncServer.sniff(text(CLIENT))).toBeLessThan(MIN_CONFIDENCE);
    const prose = [
      'As you can see in the screen above, our first SIP packet leaves the client machine (hence the "Out") and asks the pool to REGISTER.',
      "Sending Packet - that is what Snooper calls an outbound message.",
      "03/14/2019 was the day the client signed in.",
    ];
    expect(lyncClient.sniff(prose.join("\n"))).toBeLessThan(MIN_CONFIDENCE);
    expect(lyncClient.sniff("")).toBe(0);
  });

  it("chunk sizes give the same digest", () => {
    expectSameDigestAtEveryChunkSize(CLIENT);
  });

  it("CRLF line endings parse the same", () => {
    expectCrlfParsesTheSame(CLIENT, "lync-client");
  });
});
