import { describe, expect, it } from "vitest";
import { arrows, loadBundle } from "../testing/bundles.ts";
import { eventLines, expectSameDigestAtEveryChunkSize, parse, readSample } from "../testing/sourceHarness.ts";
import { impSipProxy } from "./imp-sipproxy.ts";
import { detectSource, MIN_CONFIDENCE, SOURCES } from "./registry.ts";

const FED = "imp-sip-federation/sipproxy.log";
const text = (rel: string): string => new TextDecoder().decode(readSample(rel));

const SAMPLES = import.meta.glob<string>("../../public/samples/**/*.{log,txt}", {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("imp-sipproxy", () => {
  it("is registered", () => {
    expect(SOURCES).toContain(impSipProxy);
  });

  it("golden: presence federation with partner.example (composed, ^M line ends)", () => {
    const p = parse(readSample(FED), "sipproxy.log");
    expect(p.info).toMatchObject({ source: "imp-sipproxy", lane: "imp", unparsedLines: 0, warnings: [] });
    expect(eventLines(p)).toEqual([
      "2 <- sip.partner.example sip.request SUBSCRIBE",
      "14 local note route: request for corp.example is local: handing to the XCP SIP Federation Connection Manager",
      "16 -> sip.partner.example sip.response 200 OK [200]",
      "26 -> sip.partner.example sip.request NOTIFY",
      "38 <- sip.partner.example sip.response 200 OK [200]",
      "46 local note route: federated domain partner.example -> static route sip.partner.example:5061 (TLS)",
      "48 -> sip.partner.example sip.request SUBSCRIBE",
      "60 <- sip.partner.example sip.response 403 Forbidden [403]",
      "68 local error tls: connection to 203.0.113.99:5061 (sip.other.example) failed: certificate verify failed",
    ]);
    const e = p.events;
    expect(e[0]).toMatchObject({
      peerHost: "198.51.100.77",
      phase: "request",
      exchange: "sip:9b3e77a0-51f2@198.51.100.77 1 SUBSCRIBE@sip.partner.example",
      match: "SIP 9b3e77a0-51f2@198.51.100.77 1 SUBSCRIBE",
      keys: { callId: "9b3e77a0-51f2@198.51.100.77", cseq: "1 SUBSCRIBE" },
      user: "alice",
    });
    expect(e[2]).toMatchObject({ phase: "response", exchange: e[0]!.exchange, status: "200" });
    expect(e[3]).toMatchObject({ keys: { cseq: "2 NOTIFY" }, user: "jdoe" });
    expect(e.map((x) => x.failed)).toEqual([false, false, false, false, false, false, false, true, true]);
    // The io layer stripped the literal ^M: the labels and keys hold none.
    expect(JSON.stringify(e)).not.toContain("^M");
    const r = p.store.records;
    expect(r.rawTime.get(0)).toBe(Date.UTC(2024, 4, 14, 9, 20, 11, 402));
    expect(r.kindOf(0)).toBe("local");
  });

  it("draws the federated host as a lane of its own", () => {
    const { json } = loadBundle("imp-sip-federation");
    expect(json.lanes).toEqual(["imp", "sip.partner.example"]);
    expect(arrows(json)).toEqual([
      "sip.partner.example->imp SUBSCRIBE",
      "imp->imp route: request for corp.example is local: handing to the XCP SIP Federation Connection Manager",
      "imp->sip.partner.example 200 OK SUBSCRIBE",
      "imp->sip.partner.example NOTIFY",
      "sip.partner.example->imp 200 OK NOTIFY",
      "imp->imp route: federated domain partner.example -> static route sip.partner.example:5061 (TLS)",
      "imp->sip.partner.example SUBSCRIBE",
      "sip.partner.example->imp 403 Forbidden SUBSCRIBE",
      "imp->imp tls: connection to 203.0.113.99:5061 (sip.other.example) failed: certificate verify failed",
    ]);
  });

  it("draws loopback traffic as a self-arrow with no match", () => {
    const lines = [
      "2024-05-14 09:20:11.404 |INFO |27815| sip_msg: Sending TCP message to 127.0.0.1:5080, 412 bytes:",
      "SUBSCRIBE sip:jdoe@corp.example SIP/2.0",
      "From: <sip:alice@partner.example>;tag=a71c",
      "To: <sip:jdoe@corp.example>",
      "Call-ID: 9b3e77a0-51f2@198.51.100.77",
      "CSeq: 1 SUBSCRIBE",
      "2024-05-14 09:20:11.405 |DEBUG|27815| sip_msg: keepalive sent",
    ];
    const p = parse(lines.join("^M\n") + "^M\n", "log.txt");
    expect(p.info.source).toBe("imp-sipproxy");
    expect(eventLines(p)).toEqual(["2 local sip.request SUBSCRIBE"]);
    expect(p.events[0]!.match).toBeUndefined();
    expect(p.events[0]!.keys).toEqual({ callId: "9b3e77a0-51f2@198.51.100.77", cseq: "1 SUBSCRIBE" });
  });

  it("detects its file under a generic name", () => {
    expect(detectSource(text(FED))?.source.id).toBe("imp-sipproxy");
    expect(impSipProxy.sniff(text(FED))).toBeGreaterThanOrEqual(0.8);
    expect(parse(readSample(FED), "log.txt").info.source).toBe("imp-sipproxy");
  });

  it("does not claim other formats or prose", () => {
    const others = Object.entries(SAMPLES).filter(([path]) => !path.endsWith("/sipproxy.log"));
    expect(others.length).toBeGreaterThan(5);
    for (const [path, head] of others) expect(impSipProxy.sniff(head), path).toBeLessThan(MIN_CONFIDENCE);
    const prose = "The SIP Proxy received a SUBSCRIBE from the partner.\nSIP/2.0 200 OK was sent back.";
    expect(impSipProxy.sniff(prose)).toBeLessThan(MIN_CONFIDENCE);
    expect(impSipProxy.sniff("")).toBe(0);
  });

  it("gives the same digest for every chunk size", () => {
    expectSameDigestAtEveryChunkSize(FED);
  });

  it("reads CRLF and bare-LF copies the same as ^M", () => {
    const reference = parse(readSample(FED), "log.txt");
    const crlf = parse(text(FED).replaceAll("^M\n", "\r\n"), "log.txt");
    const lf = parse(text(FED).replaceAll("^M\n", "\n"), "log.txt");
    expect(crlf.events).toEqual(reference.events);
    expect(lf.events).toEqual(reference.events);
    expect(eventLines(crlf)).toEqual(eventLines(reference));
  });
});
