import type { EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";
import { userFrom } from "./http.ts";

/** A SIP message as read from any log: the start line and the headers a ladder needs. */
export interface SipMessage {
  /** REGISTER, INVITE, ... for requests; undefined for responses. */
  method?: string;
  /** Status code for responses. */
  status?: number;
  reason?: string;
  requestUri?: string;
  callId?: string;
  cseq?: string;
  /** The method CSeq names (a response's request). */
  cseqMethod?: string;
  from?: string;
  to?: string;
  /** Index of the start line within the lines given. */
  startLine: number;
}

const REQUEST = /^([A-Z]{3,12}) (sips?:\S+|\S[^\s@]*@\S+|\*) SIP\/2\.0\s*$/;
const RESPONSE = /^SIP\/2\.0 (\d{3})\s*(?!\s)(.*)$/;
/** Compact header forms: i = Call-ID, f = From, t = To. */
const HEADER = /^(Call-ID|i|CSeq|From|f|To|t)\s*:\s*(?!\s)(.*)$/i;

/**
 * Find and read a SIP message in lines of text. Tolerates what logs do to SIP: a prefix before
 * the start line ("sipio-sent---> "), trailing ^M, headers flattened onto one line.
 */
export function parseSip(lines: string[]): SipMessage | null {
  let start = -1;
  let msg: SipMessage | null = null;
  for (let i = 0; i < lines.length && start < 0; i++) {
    const text = lines[i]!.trim();
    const candidates = [text, ...startLineCandidates(text)];
    for (const c of candidates) {
      const req = REQUEST.exec(c);
      if (req) {
        msg = { method: req[1]!, requestUri: req[2]!, startLine: i };
        start = i;
        break;
      }
      const resp = RESPONSE.exec(c);
      if (resp) {
        msg = { status: Number(resp[1]), reason: resp[2]!.trim(), startLine: i };
        start = i;
        break;
      }
    }
  }
  if (!msg) return null;
  const headerText = lines.slice(start + 1);
  // Headers flattened onto one line: split before each known header name.
  const flat = headerText.length <= 1 ? splitFlattened(lines[start]!) : [];
  for (const raw of [...headerText, ...flat]) {
    const h = HEADER.exec(raw.trim());
    if (!h) continue;
    const name = h[1]!.toLowerCase();
    const value = h[2]!.trim();
    if ((name === "call-id" || name === "i") && !msg.callId) msg.callId = value;
    else if (name === "cseq" && !msg.cseq) {
      const m = /^(\d+)\s+([A-Z]+)/.exec(value);
      if (m) {
        msg.cseq = m[1]!;
        msg.cseqMethod = m[2]!;
      }
    } else if ((name === "from" || name === "f") && !msg.from) msg.from = value;
    else if ((name === "to" || name === "t") && !msg.to) msg.to = value;
  }
  return msg;
}

function startLineCandidates(text: string): string[] {
  const out: string[] = [];
  const req = /([A-Z]{3,12} (?:sips?:\S+|\S[^\s@]*@\S+) SIP\/2\.0)/.exec(text);
  if (req) out.push(req[1]!);
  // The header lookahead is tried only where a run of spaces starts (?<!\s): retried inside a long
  // run it would rescan the run from each position, quadratic in its length.
  const resp = /(SIP\/2\.0 \d{3}[^\r\n]*?)(?:(?<!\s)(?=\s+(?:Via|From|To|Call-ID|CSeq|Contact)\s*:)|$)/.exec(
    text,
  );
  if (resp) out.push(resp[1]!.trim());
  return out;
}

function splitFlattened(line: string): string[] {
  return line
    .split(/(?<!\s)\s+(?=(?:Via|From|To|Call-ID|CSeq|Contact|Content-Length|Max-Forwards|Expires)\s*:)/i)
    .slice(1);
}

/** The user part of a From/To header: "<sip:jdoe@corp.example>;tag=1" -> "jdoe". */
export function sipUser(header: string | undefined): string | undefined {
  const m = header ? /sips?:([^@;>\s]+)@/.exec(header) : null;
  // CUCM registers a line by its directory number (sip:1001@cucm): a number is not a login user.
  if (!m || /^\+?\d+$/.test(m[1]!)) return undefined;
  return userFrom(m[1]);
}

/**
 * The event every source emits for a SIP message, so that one dialog reads the same whatever
 * logged it: label = method or "status reason", match = the message's identity on the wire.
 */
export function sipEvent(
  msg: SipMessage,
  dir: "send" | "recv",
  peer: LaneId,
  lineOffset = msg.startLine,
): EventInput {
  const isRequest = msg.method !== undefined;
  const method = msg.method ?? msg.cseqMethod ?? "";
  const label = isRequest ? msg.method! : `${msg.status} ${msg.reason ?? ""}`.trim();
  const identity = `${msg.callId ?? "?"} ${msg.cseq ?? "?"} ${method}`;
  const user = sipUser(method === "REGISTER" ? (msg.to ?? msg.from) : isRequest ? msg.from : msg.to);
  const event: EventInput = {
    kind: isRequest ? "sip.request" : "sip.response",
    dir,
    peer,
    label,
    phase: isRequest ? "request" : "response",
    // Scoped by peer: a proxy logs the same message received from one side and sent to the other.
    exchange: `sip:${identity}@${peer}`,
    match: isRequest ? `SIP ${identity}` : `SIP ${identity} ${msg.status}`,
    keys: {
      ...(msg.callId ? { callId: msg.callId } : {}),
      ...(msg.cseq ? { cseq: `${msg.cseq} ${method}` } : {}),
    },
    lineOffset,
  };
  if (!isRequest) {
    event.status = String(msg.status);
    // A challenge (401/407) is part of a working registration, not a failure.
    event.failed = msg.status! >= 400 && msg.status !== 401 && msg.status !== 407;
  }
  if (user) event.user = user;
  return event;
}

/** A SIP message a node logged as handled on its own (loopback, an internal hop): a self-arrow. */
export function sipLocalEvent(msg: SipMessage, lineOffset = msg.startLine): EventInput {
  const {
    peer: _peer,
    phase: _phase,
    exchange: _exchange,
    match: _match,
    ...rest
  } = sipEvent(msg, "send", "", lineOffset);
  return { ...rest, dir: "local" };
}
