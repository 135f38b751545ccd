import { describe, expect, it } from "vitest";
import { parseSip } from "./sip.ts";

describe("parseSip", () => {
  it("reads a message whose headers a log flattened onto its start line", () => {
    const line =
      "sipio-recv<--- SIP/2.0 401 Unauthorized  Via: SIP/2.0/TCP 10.0.0.55:50412 From: <sip:jdoe@corp.example>;tag=7d3e To: <sip:jdoe@corp.example>;tag=91 Call-ID: c1@10.0.0.55 CSeq: 101 REGISTER";
    expect(parseSip([line])).toEqual({
      status: 401,
      reason: "Unauthorized",
      startLine: 0,
      from: "<sip:jdoe@corp.example>;tag=7d3e",
      to: "<sip:jdoe@corp.example>;tag=91",
      callId: "c1@10.0.0.55",
      cseq: "101",
      cseqMethod: "REGISTER",
    });
  });

  // Inputs that parsers/fuzz.test.ts found: the header lookahead after a status line, and the split
  // before flattened headers, rescanned a run of spaces from each of its positions (quadratic: a
  // Jabber line took 108 s). What such lines read as is checked here; how fast is the benchmark's
  // to measure, and eslint's regexp/no-super-linear-* rules keep such patterns out (one that costs
  // minutes would also fail on the test timeout).
  it("a status line followed by 100 000 spaces", () => {
    const spaces = " ".repeat(100_000);
    expect(parseSip([`sipio-recv<--- SIP/2.0 403 Forbidden${spaces}x`])).toEqual({
      status: 403,
      reason: `Forbidden${spaces}x`,
      startLine: 0,
    });
    expect(parseSip([`sipio-recv<--- SIP/2.0 200 OK${spaces}Call-ID: c1`])).toEqual({
      status: 200,
      reason: "OK",
      startLine: 0,
      callId: "c1",
    });
    expect(parseSip([`sipio-recv<--- SIP/2.0 200 OK${spaces}`])).toEqual({
      status: 200,
      reason: "OK",
      startLine: 0,
    });
  });
});
