import { regexPerName } from "./regexes.ts";
import { parseSip, sipLocalEvent } from "./sip.ts";
import type { RawRecord } from "../io/records.ts";
import type { FileIdentity, RecordParser, RecordSink, SourceDescriptor } from "./types.ts";
import { parseTimeOfDay } from "./timestamps.ts";

/**
 * IM&P XCP services (Connection Manager, Authentication Service, Router): time of day only,
 *   `10:26:46.981 |076a1b70| debug| SASLManager.cpp:426 message` or `10:26:46.986 | debug| message`.
 * The three services are one source on the `imp` lane; they hand one login along as `<xdb>`
 * packets whose id (jtx_56) correlates them. The Connection Manager is the end Jabber talks to.
 *
 * The XCP SIP Federation Connection Manager writes the same line shape (no seed quotes it; the
 * shape is composed): records naming `SIPFed`/`sipfed`/`SIP Federation` that carry a SIP message
 * as continuation lines are SIP events drawn as self-arrows (the SIP Proxy in front of it is on
 * the same `imp` lane, and its own log draws the arrow to the federated host): label, keys and
 * user as every SIP source, no match. Their routing lines (`rout...`) are local notes, their
 * failure lines local errors.
 */

const RECORD_START = /^\d\d:\d\d:\d\d\.\d{3} \|/;

/** Time, optional thread id, level, message. */
const HEADER = /^(\d\d:\d\d:\d\d\.\d{3}) \|(?:([0-9A-Fa-f]+)\|)?\s*([A-Za-z]+)\s*\|\s?(.*)$/;

/** Expressway XCP_JABBERD lines carry the same words but start with an ISO time and a host. */
const VOCABULARY =
  /SIPFed|sipfed|SIP Federation|SASLManager|AuthXCPComponent|SXComponent|MIOByteSource|<xdb\b|xdbSessionCB|jsmcp|XCPRouter|ComponentManager/;

const SNIFF_LINES = 400;

const SIP_FEDERATION = /SIPFed|sipfed|SIP Federation/i;

const XDB_TAG = /<xdb\b([^>]*)/;
const INNER_ELEMENT = /<xdb\b[^>]*>\s*<([\w:-]+)/;
const MECHANISM = /mechanism=['"]([^'"]+)['"]/;
const AUTH_PAYLOAD = /<auth\b[^>]*>([^<]*)<\/auth>/;
const JID_FIELD = /var=['"]JID['"]\s*>\s*<value>([^<]+)<\/value>/;
const FAILURE_CONDITION = /<failure\b[^>]*>\s*<([\w-]+)/;
const XDB_SESSION_ID = /(?:^|[^_\w])xdbSessionCB: id=([\w.:-]+)/;
const TOKEN_RESULT =
  /authenticate(\w*)\(\):\s*Authentication (success|succeeded|failed|failure)\b[^[]*(?:\[([^\]]*)\])?/i;
const COMPONENT_HOST = /\b[a-z]+-\d+(?:_[a-z]+-\d+)?\.(\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})\b/;

function attribute(attrs: string, name: string): string | undefined {
  return attributeRegex(name).exec(attrs)?.[1];
}

const attributeRegex = regexPerName((name) => `\\b${name}=['"]([^'"]*)['"]`);

/** The login user without domain. */
function bareUser(user: string): string {
  const at = user.indexOf("@");
  return at > 0 ? user.slice(0, at) : user;
}

/**
 * The user named by a SASL initial response: CISCO-VTG-TOKEN "userid=u@d\0token=...", PLAIN
 * "authzid\0authcid\0password", OAUTHBEARER "n,a=u@d,...". Undefined on anything else.
 */
export function saslUser(mechanism: string, base64: string): string | undefined {
  let text: string;
  try {
    text = atob(base64.replace(/\s+/g, ""));
  } catch {
    return undefined;
  }
  let user: string | undefined;
  if (mechanism === "PLAIN") user = text.split("\0")[1];
  else if (mechanism === "OAUTHBEARER") user = /(?:^|,)a=([^,]+)/.exec(text)?.[1];
  else user = /(?:^|\0)userid=([^\0]+)/.exec(text)?.[1];
  if (!user || !/^[\x21-\x7e]+$/.test(user)) return undefined;
  return bareUser(user);
}

export function sniffXcp(head: string): number {
  const lines = head.split("\n", SNIFF_LINES);
  let nonEmpty = 0;
  let shaped = 0;
  let vocabulary = false;
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    nonEmpty++;
    if (!HEADER.test(line)) continue;
    shaped++;
    if (!vocabulary && VOCABULARY.test(line)) vocabulary = true;
  }
  if (shaped === 0) return 0;
  // A bare "HH:MM:SS.mmm |" shape is too common to claim without XCP words.
  if (!vocabulary) return 0.15;
  return 0.6 + 0.35 * Math.min(1, (2 * shaped) / nonEmpty);
}

/** XCP component names carry the node address dashed: auth-1.10-106-89-222. */
function identifyXcp(head: string): FileIdentity {
  const m = COMPONENT_HOST.exec(head);
  const identity: FileIdentity = { lane: "imp" };
  if (m) identity.host = m[1]!.replace(/-/g, ".");
  return identity;
}

interface XdbPacket {
  id: string | undefined;
  type: string | undefined;
  /** The first element inside the packet: auth, success, failure, ... */
  inner: string | undefined;
}

function xdbPacket(message: string): XdbPacket | null {
  const tag = XDB_TAG.exec(message);
  if (!tag) return null;
  const attrs = tag[1]!;
  const inner = INNER_ELEMENT.exec(message)?.[1]?.replace(/^[\w-]+:/, "");
  return { id: attribute(attrs, "id"), type: attribute(attrs, "type"), inner };
}

function xdbKeys(p: XdbPacket): { xdb: string } | undefined {
  return p.id ? { xdb: p.id } : undefined;
}

/** "auth CISCO-VTG-TOKEN", "success", "failure not-authorized". */
function innerSummary(message: string, p: XdbPacket): string {
  if (!p.inner) return "";
  if (p.inner === "auth") {
    const mech = MECHANISM.exec(message)?.[1];
    return mech ? `auth ${mech}` : "auth";
  }
  if (p.inner === "failure") {
    const condition = FAILURE_CONDITION.exec(message)?.[1];
    return condition ? `failure ${condition}` : "failure";
  }
  return p.inner;
}

function userOfPacket(message: string): string | undefined {
  const jid = JID_FIELD.exec(message)?.[1];
  if (jid) return bareUser(jid.trim());
  const mech = MECHANISM.exec(message)?.[1];
  const payload = AUTH_PAYLOAD.exec(message)?.[1];
  return mech && payload ? saslUser(mech, payload) : undefined;
}

/** A SIP Federation record: its SIP message, else a failure or routing line. */
function sipFederation(record: RawRecord, sink: RecordSink, text: string): void {
  const msg = record.lines.length > 1 ? parseSip(record.lines.slice(1)) : null;
  if (msg) {
    sink.emit(sipLocalEvent(msg, 1 + msg.startLine));
    return;
  }
  if (/\b(?:fail(?:ed|ure)?|refused|timed? ?out|unreachable|error)\b/i.test(text)) {
    sink.emit({ kind: "error", dir: "local", label: text.trim(), failed: true });
    return;
  }
  if (/\brout(?:e|ed|ing)\b/i.test(text)) sink.emit({ kind: "note", dir: "local", label: text.trim() });
}

function createXcpParser(): RecordParser {
  return (record, sink) => {
    const header = record.lines[0] ?? "";
    const time = parseTimeOfDay(header, 0);
    if (!Number.isNaN(time)) sink.time(time, "tod");
    const m = HEADER.exec(header);
    if (!m) return;
    const thread = m[2];
    if (thread) sink.thread(thread);
    sink.level(m[3]!);
    const message = record.lines.length > 1 ? [m[4]!, ...record.lines.slice(1)].join("\n") : m[4]!;
    // No closures are made per record: they were a measurable part of the parse.

    if (SIP_FEDERATION.test(m[4]!)) {
      sipFederation(record, sink, m[4]!.replace(/^[\w.]+\.(?:cpp|c|h):\d+\s+/, ""));
      return;
    }

    // Connection Manager, from the client: the SASL initial response.
    if (message.includes("SASLManager") && /<auth\b/.test(message) && !message.includes("<xdb")) {
      const mech = MECHANISM.exec(message)?.[1] ?? "?";
      const payload = AUTH_PAYLOAD.exec(message)?.[1];
      const user = payload !== undefined ? saslUser(mech, payload) : undefined;
      sink.emit({
        kind: "xmpp.sasl",
        dir: "recv",
        peer: "jabber",
        label: `SASL auth ${mech}`,
        match: `SASL auth ${mech}`,
        ...(user ? { user } : {}),
      });
      return;
    }

    const session = XDB_SESSION_ID.exec(message);
    if (session && !message.includes("<xdb")) {
      sink.emit({
        kind: "note",
        dir: "local",
        label: `xdb session ${session[1]}`,
        keys: { xdb: session[1]! },
      });
      return;
    }

    const packet = xdbPacket(message);

    // Connection Manager, to the client: the outcome the Authentication Service sent back.
    if (packet && /_xdbSessionCB:/.test(message)) {
      const user = userOfPacket(message);
      const failed = packet.inner === "failure";
      const outcome = failed ? "failure" : packet.inner === "success" ? "success" : (packet.inner ?? "?");
      const summary = innerSummary(message, packet);
      sink.emit({
        kind: "xmpp.sasl",
        dir: "send",
        peer: "jabber",
        label: `SASL ${summary || outcome}`,
        match: `SASL ${outcome}`,
        status: summary || outcome,
        ...(failed ? { failed: true } : {}),
        keys: xdbKeys(packet),
        ...(user ? { user } : {}),
      });
      return;
    }

    const token = TOKEN_RESULT.exec(message);
    if (token) {
      const ok = /^succe/i.test(token[2]!);
      const user = token[3] ? bareUser(token[3].trim()) : undefined;
      sink.emit({
        kind: "auth.result",
        dir: "local",
        label: `token ${ok ? "valid" : "invalid"}${user ? ` for ${user}` : ""}`,
        status: ok ? "success" : "failed",
        ...(ok ? {} : { failed: true }),
        ...(user ? { user } : {}),
      });
      return;
    }

    // Authentication Service in and out; Router buffers.
    if (packet) {
      const summary = innerSummary(message, packet);
      const id = packet.id ?? "?";
      const type = packet.type ?? "?";
      const failed = packet.inner === "failure";
      const user = userOfPacket(message);
      const base = {
        ...(failed ? { failed: true, status: summary } : {}),
        keys: xdbKeys(packet),
        ...(user ? { user } : {}),
      };
      if (/Got Buffer\b/.test(message)) {
        sink.emit({ kind: "xmpp.stanza", dir: "local", label: `route xdb ${id} ${type}`, ...base });
        return;
      }
      if (/onPacket\(\)|\[PACKET_OUT\]|\[PACKET_IN\]/.test(message)) {
        sink.emit({
          kind: "xmpp.sasl",
          dir: "local",
          label: `xdb ${id} ${type}${summary ? `: ${summary}` : ""}`,
          ...base,
        });
        return;
      }
    }

    if (/Authentication failed/i.test(message))
      sink.emit({
        kind: "auth.result",
        dir: "local",
        label: "authentication failed",
        status: "failed",
        failed: true,
      });
  };
}

export const impXcp: SourceDescriptor = {
  id: "imp-xcp",
  label: "IM&P XCP (Connection Manager, Authentication Service, Router)",
  lane: "imp",
  priority: 2,
  sniff: sniffXcp,
  isRecordStart: (line) => RECORD_START.test(line),
  identify: identifyXcp,
  createParser: createXcpParser,
};
