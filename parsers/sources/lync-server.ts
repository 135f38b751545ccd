import type { RawRecord } from "../io/records.ts";
import type { EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";
import { parseSip, sipEvent } from "./sip.ts";
import { dayMs, parseTimeOfDay } from "./timestamps.ts";
import type { FileIdentity, RecordParser, RecordSink, SourceDescriptor } from "./types.ts";

/**
 * Lync / Skype for Business Front End and Edge SIPStack traces (OCSLogger / CLS text output):
 *
 *   TL_INFO(TF_PROTOCOL) [0]0A1C.0B2D::03/14/2019-08:11:02.731.0001f2a3 (SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125))$$begin_record
 *   Trace-Correlation-Id: 3598135862
 *   Direction: incoming
 *   Peer: 192.0.2.55:50412
 *   Message-Type: request
 *   Start-Line: REGISTER sip:example.net SIP/2.0
 *   From: ...
 *   Message-Body: –
 *   $$end_record
 *
 * Rules:
 * - A record starts at a line beginning with `TL_` that contains `::`.
 * - Time: `MM/DD/YYYY-HH:MM:SS.mmm` after `::`, UTC (these traces are written in UTC; the
 *   trailing `.0001f2a3` is a sequence number, not a fraction). Level: the word after `TL_`.
 *   Thread: the id after the dot in `[0]PID.TID`.
 * - A protocol record (`Start-Line:` present) is one SIP message: `Direction: incoming` is
 *   received from the Peer, `outgoing` is sent to it. The headers run from `Start-Line:` to
 *   `Message-Body:`.
 * - Peer lane: an IP address whose port is not a server listening port (443, 444, 5060-5087)
 *   is a client connection (`lync-client`); anything else (an FQDN, or an address on a server
 *   port) is another server and gets a lane named by its host, lower case, port dropped (an
 *   Edge `edge01.contoso.com`, a mediation server). `peerHost` is the Peer as logged.
 * - A diagnostic record (`TF_DIAG` or `LogType: diagnostic`) is a local error event: label
 *   `ms-diagnostics <code> <reason>` (else the `Result-Code:` or `Text:`), status the code,
 *   failed; its `SIP-Call-ID` / `SIP-CSeq` become keys so it joins the message's dialog.
 *   Diagnostics at info/verbose level are notes, not failures.
 * - identify: the server's own name is the `targetname` of the authentication challenges it
 *   sends (`targetname="sip/fe01.contoso.com"`), when the head has one.
 */

const HEADER =
  /^TL_([A-Z]+)\(([A-Z_]+)\)\s*\[\d+\]([0-9A-Fa-f]+)\.([0-9A-Fa-f]+)::(\d\d)\/(\d\d)\/(\d{4})-(\d\d:\d\d:\d\d\.\d{3})/;
const FIELD = /^([A-Za-z][\w-]*)\s*:\s?(.*)$/;
const DIAGNOSTICS = /^\s*(\d+)\s*(?:;\s*reason="([^"]*)")?/;
const TARGET = /targetname="(?:sip\/)?([A-Za-z0-9][\w.-]*\.[A-Za-z]{2,})"/;
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f]*:[0-9A-Fa-f:]+)$/;
const SNIFF_LINES = 60;
const MAX_LABEL = 120;

function isRecordStart(line: string): boolean {
  return line.startsWith("TL_") && line.includes("::");
}

function sniff(head: string): number {
  const lines = head.split("\n", SNIFF_LINES);
  let shaped = 0;
  let sipstack = false;
  for (const raw of lines) {
    if (!raw.startsWith("TL_")) continue;
    if (!HEADER.test(raw)) continue;
    shaped++;
    if (raw.includes("$$begin_record") || raw.includes("(SIPStack,")) sipstack = true;
  }
  if (shaped === 0) return 0;
  return sipstack ? 0.95 : 0.6;
}

function identify(head: string): FileIdentity {
  const m = TARGET.exec(head);
  return m ? { lane: "lync-server", host: m[1]!.toLowerCase() } : { lane: "lync-server" };
}

/** Splits "host:port", "[v6]:port" or a bare host. */
function splitPeer(peer: string): { host: string; port: number | undefined } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(peer);
  if (v6) return { host: `[${v6[1]!}]`, port: v6[2] ? Number(v6[2]) : undefined };
  const m = /^([^:]+):(\d+)$/.exec(peer);
  if (m) return { host: m[1]!, port: Number(m[2]) };
  return { host: peer, port: undefined };
}

const serverPort = (port: number | undefined) =>
  port === 443 || port === 444 || (port !== undefined && port >= 5060 && port <= 5087);

/** The lane of a Peer: see the rules above. */
export function peerLane(peer: string): LaneId {
  const { host, port } = splitPeer(peer.trim());
  if (IP.test(host) && !serverPort(port)) return "lync-client";
  return host.toLowerCase();
}

function fields(lines: string[]): Map<string, { value: string; index: number }> {
  const out = new Map<string, { value: string; index: number }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("$$end_record")) break;
    const f = FIELD.exec(line);
    if (!f) continue;
    const name = f[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, { value: f[2]!.trim(), index: i });
    // The first SIP header follows the Start-Line: the SIPStack fields are all before it.
    if (name === "start-line") break;
  }
  return out;
}

function protocolEvent(record: RawRecord, f: ReturnType<typeof fields>): EventInput | null {
  const start = f.get("start-line");
  const direction = f.get("direction")?.value.toLowerCase();
  const peer = f.get("peer")?.value;
  if (!start || (direction !== "incoming" && direction !== "outgoing")) return null;
  const lines = [start.value];
  for (let i = start.index + 1; i < record.lines.length; i++) {
    const line = record.lines[i]!;
    if (line.startsWith("Message-Body:") || line.startsWith("$$end_record")) break;
    lines.push(line);
  }
  const msg = parseSip(lines);
  if (!msg) return null;
  const lane = peer ? peerLane(peer) : "lync-client";
  const event = sipEvent(msg, direction === "incoming" ? "recv" : "send", lane, start.index + msg.startLine);
  if (peer) event.peerHost = peer;
  return event;
}

function diagnosticEvent(record: RawRecord, level: string): EventInput | null {
  let code: string | undefined;
  let reason: string | undefined;
  let resultCode: string | undefined;
  let text: string | undefined;
  let severity: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  let offset = 0;
  for (let i = 1; i < record.lines.length; i++) {
    const f = FIELD.exec(record.lines[i]!);
    if (!f) continue;
    const name = f[1]!.toLowerCase();
    const value = f[2]!.trim();
    if (name === "ms-diagnostics" && code === undefined) {
      const d = DIAGNOSTICS.exec(value);
      if (d) {
        code = d[1]!;
        reason = d[2];
        offset = i;
      }
    } else if (name === "result-code") resultCode ??= value;
    else if (name === "text") text ??= value;
    else if (name === "severity") severity ??= value.toLowerCase();
    else if (name === "sip-call-id") callId ??= value;
    else if (name === "sip-cseq") cseq ??= /^\d+\s+[A-Z]+/.exec(value)?.[0].replace(/\s+/, " ");
  }
  const words = code
    ? `ms-diagnostics ${code}${reason ? ` ${reason}` : ""}`
    : (resultCode ?? text ?? "diagnostic");
  const quiet = severity
    ? /^(info|information|verbose)/.test(severity)
    : /^(INFO|VERBOSE|NOISE)$/.test(level);
  const event: EventInput = {
    kind: quiet ? "note" : "error",
    dir: "local",
    label: words.length > MAX_LABEL ? `${words.slice(0, MAX_LABEL - 1)}…` : words,
  };
  if (code) event.status = code;
  if (!quiet) event.failed = true;
  if (callId || cseq) event.keys = { ...(callId ? { callId } : {}), ...(cseq ? { cseq } : {}) };
  if (offset) event.lineOffset = offset;
  return event;
}

function parseRecord(record: RawRecord, sink: RecordSink): void {
  const head = record.lines[0]!;
  const m = HEADER.exec(head);
  if (!m) return;
  const mo = Number(m[5]);
  const d = Number(m[6]);
  if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
    const t = dayMs(Number(m[7]), mo, d) + parseTimeOfDay(m[8]!);
    if (!Number.isNaN(t)) sink.time(t, "utc");
  }
  const level = m[1]!;
  sink.level(level);
  sink.thread(m[4]!);

  const f = fields(record.lines);
  const diagnostic = m[2] === "TF_DIAG" || f.get("logtype")?.value.toLowerCase() === "diagnostic";
  const event = f.has("start-line") && !diagnostic ? protocolEvent(record, f) : null;
  if (event) return sink.emit(event);
  if (diagnostic) {
    const e = diagnosticEvent(record, level);
    if (e) sink.emit(e);
  }
}

export const lyncServer: SourceDescriptor = {
  id: "lync-server",
  label: "Lync / Skype for Business server (SIPStack)",
  lane: "lync-server",
  priority: 5,
  sniff,
  isRecordStart,
  identify,
  createParser: (): RecordParser => parseRecord,
};
