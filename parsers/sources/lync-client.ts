import type { RawRecord } from "../io/records.ts";
import { parseSip, sipEvent } from "./sip.ts";
import { dayMs, parseTimeOfDay } from "./timestamps.ts";
import type { FileIdentity, RecordParser, RecordSink, SourceDescriptor } from "./types.ts";

/**
 * Lync / Skype for Business client UCCAPI logs (`*.uccapilog`), the client side Snooper reads:
 *
 *   03/14/2019|03:11:02.700 1A2C:1B3D INFO  :: Sending Packet - 192.0.2.10:5061 (From Local Address: 192.0.2.55:50412) 735 bytes:
 *   03/14/2019|03:11:02.700 1A2C:1B3D INFO  :: REGISTER sip:example.net SIP/2.0
 *   Via: ...
 *   03/14/2019|03:11:02.700 1A2C:1B3D INFO  :: End of Sending Packet - 192.0.2.10:5061 ...
 *
 * Rules:
 * - A record starts at a `MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: ` line, except when what
 *   follows `::` is a SIP start line or `End of Sending Packet` / `End of Data Received`: the
 *   client stamps those lines too, but they belong to the packet block opened just before. The
 *   block may also be written with bare SIP lines and a bare `End of ...` line; both read alike.
 * - Time: local wall clock (no zone in the log). Level: the LEVEL word. Thread: the second id.
 * - `Sending Packet - <remote> (From Local Address: <local>)`: the SIP message is sent to
 *   `lync-server`; `Data Received - <remote> ...`: received from `lync-server`. The client only
 *   knows the address it talks to (a pool, a director or an Edge), so the peer lane is always
 *   `lync-server` and `peerHost` is the remote ip:port as logged.
 * - A `ERROR ::` record is a local error event (label: its text). ms-diagnostics in a response
 *   are carried by the SIP response itself (a 4xx/5xx is a failed arrow). Anything else emits
 *   nothing.
 */

const HEADER =
  /^(\d\d)\/(\d\d)\/(\d{4})\|(\d\d:\d\d:\d\d(?:\.\d+)?) ([0-9A-Fa-f]+):([0-9A-Fa-f]+) ([A-Za-z]+)\s*:: ?/;
const PACKET =
  /^(Sending Packet|Data Received) - (\S+?)(?: \(From Local Address: ([^)\s]+)\))?(?: (\d+) bytes)?:?\s*$/;
const BLOCK_LINE =
  /^(?:End of (?:Sending Packet|Data Received)\b|[A-Z]{3,12} \S+ SIP\/2\.0\s*$|SIP\/2\.0 \d{3}\b)/;
const LOCAL_ADDRESS = /From Local Address: ([0-9A-Fa-f.:[\]]+?)(?::(\d+))?\)/;
const SNIFF_LINES = 60;
const MAX_LABEL = 120;

/** The text after `LEVEL :: `, or null when the line is not a stamped UCCAPI line. */
function stamped(line: string): { m: RegExpExecArray; text: string } | null {
  if (line.charCodeAt(2) !== 47 /* / */ || line.charCodeAt(10) !== 124 /* | */) return null;
  const m = HEADER.exec(line);
  return m ? { m, text: line.slice(m[0].length) } : null;
}

function isRecordStart(line: string): boolean {
  const s = stamped(line);
  return s !== null && !BLOCK_LINE.test(s.text);
}

function sniff(head: string): number {
  const lines = head.split("\n", SNIFF_LINES);
  let shaped = 0;
  let packets = 0;
  for (const raw of lines) {
    const s = stamped(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
    if (!s) continue;
    shaped++;
    if (/^(?:End of )?(?:Sending Packet|Data Received) - /.test(s.text)) packets++;
  }
  if (shaped === 0) return 0;
  // The `MM/DD/YYYY|` stamp with `PID:TID LEVEL ::` is UCCAPI's own; the packet words settle it.
  return packets > 0 ? 0.95 : 0.6;
}

function identify(head: string): FileIdentity {
  const m = LOCAL_ADDRESS.exec(head);
  return m ? { lane: "lync-client", host: m[1]! } : { lane: "lync-client" };
}

function timeOf(m: RegExpExecArray): number {
  const mo = Number(m[1]);
  const d = Number(m[2]);
  const y = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  return dayMs(y, mo, d) + parseTimeOfDay(m[4]!);
}

function parseRecord(record: RawRecord, sink: RecordSink): void {
  const s = stamped(record.lines[0]!);
  if (!s) return;
  const t = timeOf(s.m);
  if (!Number.isNaN(t)) sink.time(t, "local");
  sink.level(s.m[7]!.toUpperCase());
  sink.thread(s.m[6]!);

  const packet = PACKET.exec(s.text.trim());
  if (packet) {
    const lines: string[] = [];
    for (let i = 1; i < record.lines.length; i++) {
      const raw = record.lines[i]!;
      const text = stamped(raw)?.text ?? raw;
      if (/^End of (?:Sending Packet|Data Received)\b/.test(text)) break;
      lines.push(text);
    }
    const msg = parseSip(lines);
    if (!msg) return;
    const event = sipEvent(
      msg,
      packet[1] === "Sending Packet" ? "send" : "recv",
      "lync-server",
      msg.startLine + 1,
    );
    event.peerHost = packet[2]!;
    sink.emit(event);
    return;
  }

  if (s.m[7]!.toUpperCase() === "ERROR") {
    const text = s.text.trim();
    if (!text) return;
    sink.emit({
      kind: "error",
      dir: "local",
      label: text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text,
      failed: true,
    });
  }
}

export const lyncClient: SourceDescriptor = {
  id: "lync-client",
  label: "Lync / Skype for Business client (UCCAPI)",
  lane: "lync-client",
  priority: 5,
  sniff,
  isRecordStart,
  identify,
  createParser: (): RecordParser => parseRecord,
};
