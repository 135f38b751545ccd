import type { LaneId } from "../model/lanes.ts";
import { parseSip, sipEvent, sipLocalEvent } from "./sip.ts";
import { parseDateTime } from "./timestamps.ts";
import type { RecordParser, SourceDescriptor } from "./types.ts";

/**
 * IM&P SIP Proxy trace (federation). No seed quotes it: the shape below is composed, plausible
 * and documented, and the parser reads only what it names:
 *
 *   2024-05-14 09:20:11.402 |INFO |27815| sip_msg: Received TLS message from 198.51.100.77:5061 (sip.partner.example), 412 bytes:
 *   SUBSCRIBE sip:jdoe@corp.example SIP/2.0
 *   ...headers, a blank line...
 *   2024-05-14 09:20:11.409 |INFO |27815| sip_msg: Sending TLS message to 198.51.100.77:5061 (sip.partner.example), 301 bytes:
 *   SIP/2.0 200 OK
 *
 * Date and time with no zone (`local`), level, process id (the thread), text; copies carry a
 * literal `^M` at every line end, which the io layer strips.
 *
 * - `Received|Sending|Sent <TLS|TCP|UDP> message from|to ADDR:PORT (HOST)` + a SIP message: one
 *   SIP arrow between `imp` and a lane named by the remote host (the name in parentheses, else the
 *   address): a federated domain no dropped file belongs to gets its own lane. Loopback traffic
 *   (the proxy and IM&P's own components) is a self-arrow with no match.
 * - `route: ...` lines: a local note (how the proxy routed a federated domain).
 * - ERROR/CRIT lines, or any line saying failed/refused/timed out: a local `error`, failed.
 */

const RECORD_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \|[A-Za-z]+\s*\|\d+\|/;
const HEADER = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \|([A-Za-z]+)\s*\|(\d+)\|\s?(.*)$/;
const TRANSPORT =
  /\b(Received|Receiving|Sending|Sent) (?:TLS|TCP|UDP) message (?:from|to) (\[[^\]]+\]|[\w.-]+)(?::(\d+))?(?: \(([^)]+)\))?/;
const SIP_START = /^(?:SIP\/2\.0 \d{3}|[A-Z]{3,12} sips?:\S+ SIP\/2\.0$)/;
const SNIFF_LINES = 400;

function sniff(head: string): number {
  let headers = 0;
  let sipWords = 0;
  for (const raw of head.split("\n", SNIFF_LINES)) {
    const line = raw.replace(/(?<!\r|\^M)(?:\r|\^M)+$/, "");
    if (RECORD_START.test(line)) {
      headers++;
      if (TRANSPORT.test(line) || /\broute:|sip_msg:/.test(line)) sipWords++;
    } else if (headers > 0 && SIP_START.test(line)) sipWords++;
  }
  if (headers === 0) return 0;
  if (sipWords === 0) return 0.2;
  return Math.min(1, 0.7 + 0.05 * sipWords);
}

function isLoopback(host: string): boolean {
  return /^(?:127\.|\[?::1\]?$|localhost$)/i.test(host);
}

function createParser(): RecordParser {
  return (record, sink) => {
    const m = HEADER.exec(record.lines[0] ?? "");
    if (!m) return;
    const time = parseDateTime(m[1]!);
    if (!Number.isNaN(time)) sink.time(time, "local");
    const level = m[2]!;
    sink.level(level);
    sink.thread(m[3]!);
    const text = m[4]!.trim();

    const t = TRANSPORT.exec(text);
    if (t) {
      const msg = parseSip(record.lines.slice(1));
      if (!msg) return;
      const receiving = /^Receiv/.test(t[1]!);
      const address = t[2]!.replace(/^\[|\]$/g, "");
      const host = (t[4] ?? address).trim().toLowerCase();
      const lineOffset = 1 + msg.startLine;
      if (isLoopback(address)) {
        sink.emit(sipLocalEvent(msg, lineOffset));
        return;
      }
      const peer: LaneId = host;
      const e = sipEvent(msg, receiving ? "recv" : "send", peer, lineOffset);
      e.peerHost = address;
      sink.emit(e);
      return;
    }
    const failed =
      /^(?:ERR|ERROR|CRIT|CRITICAL|FATAL|ALERT|EMERG)$/i.test(level) ||
      /\b(?:fail(?:ed|ure)?|refused|timed? ?out|unreachable)\b/i.test(text);
    if (failed) {
      sink.emit({ kind: "error", dir: "local", label: text, failed: true });
      return;
    }
    if (/^route:/i.test(text)) sink.emit({ kind: "note", dir: "local", label: text });
  };
}

export const impSipProxy: SourceDescriptor = {
  id: "imp-sipproxy",
  label: "IM&P SIP Proxy (federation)",
  lane: "imp",
  priority: 5,
  sniff,
  isRecordStart: (line) => RECORD_START.test(line),
  identify: () => ({ lane: "imp" }),
  createParser,
};
