import type { RawRecord } from "../io/records.ts";
import type { EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";
import { param, parseRequestLine, parseStatusLine, parseUrl, userFrom, type RequestLine } from "./http.ts";
import { parseSip, sipEvent, sipUser, type SipMessage } from "./sip.ts";
import { parseDateTime, parseIsoWithOffset } from "./timestamps.ts";
import type { FileContext, FileIdentity, RecordSink, SourceDescriptor } from "./types.ts";

/**
 * Expressway-E and Expressway-C: one syslog-style format, one parser. The node's role comes
 * from its host name (…e01 / …c01) or, failing that, from what it logs (only C talks to
 * CUCM's UDS and receives the E->C tunnel on 127.0.0.1); the user can override it.
 *
 * `tvcs` records:
 * - `Module="network.sip"` `Action="Received"|"Sent"` + `SIPMSG:` block: one SIP arrow. The peer
 *   (see `sipPeer`): the traversal zone (local or remote port 7001, or an address C saw as
 *   `Last-via-addr`) is the other Expressway; on C, remote port 5060/5061 (or a request-URI host
 *   that reads like CUCM) is `cucm`; on E everything else is the client (`jabber`); on C an
 *   unknown address gets a lane named by that address. An address, once placed, keeps its lane
 *   for the rest of the file. Expressway proxies the same message on, so its exchange is scoped
 *   by peer (`sip:<id>@<peer>`): the REGISTER from E and the one forwarded to CUCM pair with
 *   their own responses.
 * - `Module="network.tcp"`: a local note (`TCP Connecting 10.1.1.20:27345 -> 10.1.1.10:5061`).
 * - `Module="network.ldap"`: `ldap.*` to the `ldap` lane, by the words of its `Detail`
 *   (connect / bind / search / result), paired per file as `ldap:N`.
 * - `Module="developer.*"`: a local note only when the record carries a `Detail` (or trailing text)
 *   at WARN/ERROR level or with failure words; otherwise nothing.
 * - `Event="..."` summary lines (no Module): a local note `Event AOR-or-aliases: Detail-or-Reason`,
 *   failed when the event or its reason says failed/rejected/denied/error or `Found="False"`.
 */

const HEADER =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)) (\S+) ([A-Za-z_][\w.-]*)(?:\[\d+\])?:? /;
/** A block's marker line (trimmed) -> its kind. */
const BLOCKS = new Map([
  ["HTTPMSG:", "HTTPMSG"],
  ["SIPMSG:", "SIPMSG"],
  ["MSGBODY:", "MSGBODY"],
]);
/** The block of a record without one (most): shared, and frozen since it is. */
const NO_BLOCK: string[] = Object.freeze([]) as unknown as string[];

export function isExpresswayHeader(line: string): boolean {
  return line.length > 30 && line.charCodeAt(10) === 84 /* T */ && HEADER.test(line);
}

interface Parsed {
  process: string;
  attrs: Attrs;
  /** Lines of the HTTPMSG/SIPMSG/MSGBODY block, leading "|" removed, and where it starts. */
  block: string[];
  blockOffset: number;
  blockKind: string;
}

/**
 * The record into `p`, which it overwrites: the parser reuses one Parsed (and its Attrs) for
 * all records of a file, records being handled one at a time and nothing keeping them. The
 * header's `Name="value"` pairs (the lines before the block) go to `p.attrs`; the block's lines
 * are copied only when there is a block, and its text is joined on demand (`bodyOf`). False
 * when the first line is not a header.
 */
function parseRecord(rec: RawRecord, p: Parsed): boolean {
  const lines = rec.lines;
  const first = lines[0]!;
  // The ingest opens a record only at a line isExpresswayHeader passed, so HEADER holds and is
  // not tested again (it was a tenth of the parse), unless unwrapping PII changed the line.
  if (rec.marked && !HEADER.test(first)) return false;
  p.process = processName(first, p.process);
  let end = lines.length;
  let blockKind = "";
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    // A marker ends in ":" once trimmed: a line ending in other visible ASCII is not one, and
    // is not trimmed (a copy) just to find that out.
    const last = l.charCodeAt(l.length - 1);
    if (last !== 58 /* : */ && last > 32 && last < 127) continue;
    const kind = BLOCKS.get(l.trim());
    if (kind !== undefined) {
      end = i;
      blockKind = kind;
      break;
    }
  }
  scanAttrs(end === 1 ? first : lines.slice(0, end).join("\n"), p.attrs);
  const block = end < lines.length ? lines.slice(end + 1) : NO_BLOCK;
  if (block.length > 0 && block[0]!.charCodeAt(0) === 124 /* | */) block[0] = block[0]!.slice(1);
  p.block = block;
  p.blockOffset = end + 1;
  p.blockKind = blockKind;
  return true;
}

/**
 * The process name of a line that HEADER matches: its third field. The time has no space, and the
 * host (\S+) ends at the line's second space, as HEADER requires a space there; the name is the
 * run of [\w.-] after it. `last` (the record before's) is returned when the name is the same, as
 * it nearly always is, instead of a new copy.
 */
function processName(header: string, last: string): string {
  const start = header.indexOf(" ", header.indexOf(" ") + 1) + 1;
  let end = start;
  while (end < header.length && isNameChar(header.charCodeAt(end))) end++;
  return sliceOrLast(header, start, end, last);
}

/**
 * text.slice(start, end), or `last` itself when that is the same text: values that repeat from
 * record to record are compared where they stand instead of copied each time.
 */
function sliceOrLast(text: string, start: number, end: number, last: string): string {
  return end - start === last.length && text.startsWith(last, start) ? last : text.slice(start, end);
}

/** The block as one text (HTTP bodies, XML): joined only by the handlers that read it. */
function bodyOf(p: Parsed): string {
  return p.block.join("\n");
}

/**
 * The attributes of one record header, as places in its text: a record has about ten and its
 * handler reads a few, so names and values are not cut out as strings (that, and hashing them
 * into a map, was most of the cost of scanning). Reused from record to record (`reset`).
 */
class Attrs {
  private text = "";
  /**
   * Per attribute, in order: where its name starts, its "=", its closing quote, and a code of its
   * name's length, first and last characters (nameCode), so that finding a name compares numbers
   * and reads the text only for the attribute that has the same code.
   */
  private readonly at: number[] = [];
  private size = 0;
  /**
   * An open-addressed index of the attributes by nameCode, so that a lookup (a handler makes
   * several per record, most for names the record lacks) probes a slot or two instead of comparing
   * with every attribute. A slot holds an attribute's place in `at` and is live when its stamp is
   * this record's `generation`, so a reset clears nothing. Attributes past INDEXED are not
   * indexed, and lookups go back to the scan (a hostile header of thousands).
   */
  private readonly slotAt = new Int32Array(INDEX_SLOTS);
  private readonly slotStamp = new Int32Array(INDEX_SLOTS);
  private generation = 0;

  reset(text: string): void {
    this.text = text;
    this.size = 0;
    // Repeats only after 2^32 records, days of parsing: the stamps only need to differ.
    this.generation = (this.generation + 1) | 0;
  }

  add(start: number, eq: number, close: number): void {
    const text = this.text;
    const k = this.size;
    const code = nameCode(eq - start, text.charCodeAt(start), text.charCodeAt(eq - 1));
    this.at[this.size++] = start;
    this.at[this.size++] = eq;
    this.at[this.size++] = close;
    this.at[this.size++] = code;
    if (k >= INDEXED * 4) return;
    // At the end of its probe chain: a lookup meets the first attribute of a name first.
    const stamp = this.slotStamp;
    let slot = slotOf(code);
    while (stamp[slot] === this.generation) slot = (slot + 1) & (INDEX_SLOTS - 1);
    stamp[slot] = this.generation;
    this.slotAt[slot] = k;
  }

  /** The value of the first attribute of that name. */
  get(name: string): string | undefined {
    const k = this.find(name);
    return k < 0 ? undefined : this.text.slice(this.at[k + 1]! + 2, this.at[k + 2]);
  }

  /** get(name), but `last` itself when the value is the same text (see sliceOrLast). */
  getAgain(name: string, last: string): string | undefined {
    const k = this.find(name);
    return k < 0 ? undefined : sliceOrLast(this.text, this.at[k + 1]! + 2, this.at[k + 2]!, last);
  }

  /**
   * parseDateTime of the value, read where it is (no copy): the closing quote after it stops the
   * reading as the value's end would. NaN when the attribute is absent or empty.
   */
  dateTime(name: string): number {
    const k = this.find(name);
    if (k < 0) return NaN;
    const start = this.at[k + 1]! + 2;
    return start === this.at[k + 2] ? NaN : parseDateTime(this.text, start);
  }

  has(name: string): boolean {
    return this.find(name) >= 0;
  }

  private find(name: string): number {
    const at = this.at;
    const n = name.length;
    const code = nameCode(n, name.charCodeAt(0), name.charCodeAt(n - 1));
    if (this.size > INDEXED * 4) {
      for (let k = 0; k < this.size; k += 4)
        if (at[k + 3] === code && this.text.startsWith(name, at[k])) return k;
      return -1;
    }
    const stamp = this.slotStamp;
    for (let slot = slotOf(code); stamp[slot] === this.generation; slot = (slot + 1) & (INDEX_SLOTS - 1)) {
      const k = this.slotAt[slot]!;
      if (at[k + 3] === code && this.text.startsWith(name, at[k])) return k;
    }
    return -1;
  }
}

/** Attributes a record's index holds (a header has about ten), in a table of twice that. */
const INDEXED = 32;
const INDEX_SLOTS = 64;

/** A nameCode's home slot: the top bits of a multiplicative hash. */
function slotOf(code: number): number {
  return Math.imul(code, 0x9e3779b1) >>> 26;
}

/**
 * Length, first and last character of a name as one small integer (a V8 Smi, so that neither
 * the list of places nor a lookup boxes it as a double). Exact in the length (names are at most
 * 64 characters: see scanAttrs), the characters' low 11 bits only: a lookup compares the names
 * themselves when their codes agree.
 */
function nameCode(length: number, first: number, last: number): number {
  return (length << 22) | ((first & 0x7ff) << 11) | (last & 0x7ff);
}

/** 1 for the characters of [\w.-], by char code: one load instead of six comparisons. */
const NAME_CHARS = new Uint8Array(128).map((_, c) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
    ? 1
    : 0,
);

/** [\w.-] */
function isNameChar(c: number): boolean {
  return c < 128 && NAME_CHARS[c] === 1;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Every `Name="value"` of `text` into `attrs`, the first of a name kept: what
 * `/([A-Za-z][\w.-]{0,63})="((?:[^"\\]|\\.)*)"/g` finds, by hand (that regex was most of the
 * parse time). Names are short (Module, UTCTime, Txn-id): at most 64 characters, so a long run of
 * word characters is not walked back over from each of its positions. A value runs to the first
 * unescaped quote and may span lines; a backslash before a line break or the end of the text
 * (where `.` does not match) leaves it unclosed, and the search goes on just after its `="`, as the
 * regex would retry from the next position.
 */
function scanAttrs(text: string, attrs: Attrs): void {
  attrs.reset(text);
  const n = text.length;
  let from = 0;
  // The next quote and backslash at or after where the scan is (-1: none left): searched again
  // only once passed, so that no stretch of the text is searched twice (a value of a million
  // escapes and no closing quote stays linear).
  let quote = text.indexOf('"');
  let slash = text.indexOf("\\");
  for (;;) {
    const eq = text.indexOf('="', from);
    if (eq < 0) return;
    // The leftmost start of a name ending at "=": back over name characters (not before `from`,
    // at most 64), then forward to the first letter.
    let start = eq;
    while (start > from && eq - start < 64 && isNameChar(text.charCodeAt(start - 1))) start--;
    while (start < eq && !isLetter(text.charCodeAt(start))) start++;
    let close = -1;
    let i = eq + 2;
    while (start < eq) {
      if (quote >= 0 && quote < i) quote = text.indexOf('"', i);
      if (slash >= 0 && slash < i) slash = text.indexOf("\\", i);
      if (slash < 0 || (quote >= 0 && quote < slash)) {
        close = quote;
        break;
      }
      // An escape: its character may be anything but a line break (or the end of the text).
      const next = slash + 1 < n ? text.charCodeAt(slash + 1) : 10;
      if (next === 10 || next === 13 || next === 0x2028 || next === 0x2029) break;
      i = slash + 2;
    }
    if (close < 0) {
      from = eq + 1;
      continue;
    }
    attrs.add(start, eq, close);
    from = close + 1;
  }
}

function timeOf(rec: RawRecord, p: Parsed | null, sink: RecordSink): void {
  if (p !== null) {
    const t = p.attrs.dateTime("UTCTime");
    if (!Number.isNaN(t)) return sink.time(t, "utc");
  }
  const t = parseIsoWithOffset(rec.lines[0]!);
  if (!Number.isNaN(t)) sink.time(t, "utc");
}

/** Decide E or C from the host name: "labucexpye01" -> expe, "labucexpwyc01" -> expc. */
export function roleFromHost(host: string): LaneId | undefined {
  const h = host.toLowerCase().split(".")[0]!;
  if (!/exp|vcs|edge|xway/.test(h)) return undefined;
  const m = /(?:^|[^a-z])?([a-z])[-_]?\d*$/.exec(h);
  const last = m?.[1];
  if (last === "e") return "expe";
  if (last === "c") return "expc";
  if (/edge/.test(h)) return "expe";
  if (/control|core/.test(h)) return "expc";
  return undefined;
}

function roleFromContent(head: string): LaneId {
  let c = 0;
  if (/Last-via-addr=/.test(head)) c += 2;
  if (/edgeconfigprovisioning|network\.http\.sso\.server|credentialmanager/.test(head)) c += 2;
  if (/connect-auth-1\./.test(head)) c += 1;
  if (/get_edge_sso|get_edge_config/.test(head) && /Src-ip="(?!127\.)/.test(head)) c -= 1;
  return c > 0 ? "expc" : "expe";
}

function identify(head: string): FileIdentity {
  let host: string | undefined;
  for (const line of head.split("\n", 200)) {
    const m = HEADER.exec(line);
    if (m) {
      host = m[2]!;
      break;
    }
  }
  const lane = (host && roleFromHost(host)) || roleFromContent(head);
  return host ? { host, lane } : { lane };
}

function sniff(head: string): number {
  let headers = 0;
  let expresswayWords = 0;
  const lines = head.split("\n", 400);
  for (const line of lines) {
    if (!isExpresswayHeader(line)) continue;
    headers++;
    if (
      /UTCTime="|Module="|traffic_server|edgeconfigprovisioning|XCP_JABBERD|tvcs|credentialmanager/.test(line)
    )
      expresswayWords++;
  }
  if (headers === 0) return 0;
  if (expresswayWords === 0) return 0.2;
  return Math.min(1, 0.6 + 0.1 * expresswayWords);
}

/** A request's peer as seen from this node. */
function requestPeer(
  self: LaneId,
  req: RequestLine | null,
  url: string,
): { peer: LaneId; peerHost?: string } {
  const u = req ?? parseUrl(url);
  const host = u.host.split(":")[0] ?? "";
  if (/^127\.|^localhost$/.test(host)) return { peer: self };
  if (/cucm-uds|ssosp|\/ccmcip|\/cucm/.test(u.path)) return { peer: "cucm", peerHost: host || undefined };
  if (/EPASSoap|\/http-bind|xmpp/i.test(u.path)) return { peer: "imp", peerHost: host || undefined };
  if (/^vcs_control/.test(host)) return { peer: "expc" };
  return { peer: self === "expe" ? "expc" : "cucm", peerHost: host || undefined };
}

function clientPeer(self: LaneId, ip: string | undefined): LaneId {
  if (ip && /^127\./.test(ip)) return self === "expc" ? "expe" : self;
  return "jabber";
}

function requestKeys(req: RequestLine | null, body: string): Pick<EventInput, "keys" | "user"> {
  const text = `${req?.query ?? ""}&${body}`;
  const keys: NonNullable<EventInput["keys"]> = {};
  const state = param(text, "state");
  if (state) keys.oauthState = state;
  const clientId = param(text, "client_id");
  if (clientId && !/CONCEALED|^-+$/.test(clientId)) keys.clientId = clientId;
  const user = userFrom(param(text, "email") ?? param(text, "username"));
  return user ? { keys, user } : { keys };
}

/** The "Referer:" of a form post names the authorize page, and with it the OAuth state. */
function refererState(block: string[]): string | undefined {
  const ref = block.find((l) => /^Referer:/i.test(l));
  return ref ? param(ref, "state") : undefined;
}

/*
 * The tests of the handlers that run for most records. Module constants, not literals in the
 * handlers: each evaluation of a regex literal makes a new RegExp object, and those were a
 * measurable part of what a parse allocates.
 */
const TCP_FAILED = /fail|refused|timed? ?out|reset|error|unreachable/i;
const LDAP_FAILED = /fail|error|invalid|refused|denied|timeout/i;
const LDAP_RESULT = /result|response|complete|success|fail|error/i;
const LDAP_BIND = /bind/i;
const LDAP_SEARCH = /search|query|lookup/i;
const LDAP_CONNECT = /connect|open/i;
const LOUD_LEVEL = /^(WARN|WARNING|ERROR|CRITICAL|FATAL)$/i;
const ERROR_LEVEL = /^(ERROR|CRITICAL|FATAL)$/i;
const DEVELOPER_BAD = /fail|error|reject|denied|unable|timed? ?out|does not match|invalid|refused/i;
const SUMMARY_FAILED = /fail|denied|error|reject/i;
const FALSE = /^false$/i;
const XDB = /<xdb\b[^>]*>/;
const RECEIVED = /^Rece?ived$/i;
const SENT = /^Sent$/i;

/** What a parser keeps across the records of one file. */
interface FileState {
  file: FileContext;
  self: LaneId;
  /** Txn-id -> peer of the request, so that a response goes back where its request came from. */
  txnPeer: Map<string, { peer: LaneId; tail: string }>;
  /** SIP: remote address -> the lane it was placed on, for the rest of the file. */
  known: Map<string, LaneId>;
  ldapCount: number;
  openLdap: string | null;
  /** The record being handled (see `parseRecord`). */
  parsed: Parsed;
  /** The Level, ThreadID, Module and Detail of the record before (see `Attrs.getAgain`). */
  level: string;
  thread: string;
  module: string;
  detail: string;
}

/*
 * The handlers below are plain functions given the file's state and the parsed record, not
 * closures made inside the per-record callback: creating a handful of functions for every record
 * was a measurable part of the parse.
 */

function createParser(file: FileContext) {
  const st: FileState = {
    file,
    self: file.lane,
    txnPeer: new Map(),
    known: new Map(),
    ldapCount: 0,
    openLdap: null,
    parsed: { process: "", attrs: new Attrs(), block: NO_BLOCK, blockOffset: 0, blockKind: "" },
    level: "",
    thread: "",
    module: "",
    detail: "",
  };
  return (rec: RawRecord, sink: RecordSink): void => handleRecord(st, rec, sink);
}

function handleRecord(st: FileState, rec: RawRecord, sink: RecordSink): void {
  const p = parseRecord(rec, st.parsed) ? st.parsed : null;
  timeOf(rec, p, sink);
  if (p === null) return;
  const a = p.attrs;
  const level = a.getAgain("Level", st.level);
  if (level) sink.level((st.level = level));
  const thread = a.getAgain("ThreadID", st.thread);
  if (thread) sink.thread((st.thread = thread));
  const module = (st.module = a.getAgain("Module", st.module) ?? "");
  const detail = (st.detail = a.getAgain("Detail", st.detail) ?? "");

  const lastVia = a.get("Last-via-addr");
  if (lastVia && st.self === "expc" && !lastVia.startsWith("127.") && !st.known.has(lastVia))
    st.known.set(lastVia, "expe");
  if (module === "network.http.trafficserver") return trafficServer(st, p, detail, sink);
  if (a.has("Action") && (module.includes("edgeconfigprovisioning") || module.includes("sso.server")))
    return edgeConfig(st, p, sink);
  if (p.process === "XCP_JABBERD" || module === "Jabber") return xcp(st, p, detail, sink);
  if (p.process === "credentialmanager" || module.includes("credentialmanager"))
    return credentials(a, detail, sink);
  if (module === "network.sip") return sip(st, p, sink);
  if (module === "network.tcp") return tcp(a, detail, sink);
  if (module === "network.ldap") return ldap(st, a, detail, sink);
  if (module.startsWith("developer.")) return developer(rec, level, detail, sink);
  const event = a.get("Event");
  if (event) summary(a, event, detail, sink);
}

/** The lane a SIP message came from or went to (rules in the file comment). */
function sipPeer(
  st: FileState,
  msg: SipMessage,
  receiving: boolean,
  ip: string | undefined,
  port: string | undefined,
  localPort: string | undefined,
): LaneId {
  const self = st.self;
  const other: LaneId = self === "expc" ? "expe" : "expc";
  if (ip && ip.startsWith("127.")) return self;
  if (port === "7001" || (localPort === "7001" && self === "expe")) return remember(st, ip, other);
  const seen = ip ? st.known.get(ip) : undefined;
  if (seen) return seen;
  if (self === "expc") {
    const target = !receiving && msg.requestUri ? msg.requestUri.replace(/^sips?:(?:[^@]*@)?/, "") : "";
    if (
      port === "5060" ||
      port === "5061" ||
      /^(?:[\w-]*\.)?(?:cucm|ucm|ccm|callmanager)[\w-]*\./i.test(target)
    )
      return remember(st, ip, "cucm");
    return ip ? remember(st, ip, ip) : "cucm";
  }
  return remember(st, ip, "jabber");
}

function remember(st: FileState, ip: string | undefined, lane: LaneId): LaneId {
  if (ip) st.known.set(ip, lane);
  return lane;
}

function sip(st: FileState, p: Parsed, sink: RecordSink): void {
  const a = p.attrs;
  const action = a.get("Action") ?? "";
  const receiving = RECEIVED.test(action);
  if (!receiving && !SENT.test(action)) return;
  if (p.blockKind !== "SIPMSG") return;
  const msg = parseSip(p.block);
  if (!msg) return;
  const remoteIp = a.get(receiving ? "Src-ip" : "Dst-ip");
  const remotePort = a.get(receiving ? "Src-port" : "Dst-port");
  const peer = sipPeer(st, msg, receiving, remoteIp, remotePort, a.get("Local-port"));
  const event = sipEvent(msg, receiving ? "recv" : "send", peer, p.blockOffset + msg.startLine);
  if (remoteIp && peer === remoteIp) event.peerHost = remoteIp;
  sink.emit(event);
}

function tcp(a: Attrs, detail: string, sink: RecordSink): void {
  const src = endpoint(a.get("Src-ip"), a.get("Src-port"));
  const dst = endpoint(a.get("Dst-ip"), a.get("Dst-port"));
  const what = detail || a.get("Event") || "TCP";
  sink.emit({
    kind: "note",
    dir: "local",
    label: `${what}${src || dst ? ` ${src || "?"} -> ${dst || "?"}` : ""}`,
    failed: TCP_FAILED.test(what),
  });
}

function ldap(st: FileState, a: Attrs, detail: string, sink: RecordSink): void {
  const server = a.get("Server") ?? a.get("Host") ?? a.get("Dst-ip");
  const port = a.get("Port") ?? a.get("Dst-port");
  const result = a.get("Result") ?? a.get("Status") ?? a.get("Reason") ?? a.get("Response-code");
  const dn = a.get("Bind-dn") ?? a.get("Dn") ?? a.get("DN") ?? a.get("User");
  const filter = a.get("Filter");
  const base = a.get("Base-dn") ?? a.get("Base");
  const op = detail || a.get("Operation") || "";
  // Each tested alone: no word of the test holds a space, so none can match across the two.
  const failed = LDAP_FAILED.test(op) || (result !== undefined && LDAP_FAILED.test(result));
  if (result !== undefined || LDAP_RESULT.test(op)) {
    const event: EventInput = {
      kind: "ldap.result",
      dir: "recv",
      peer: "ldap",
      label: `${op || "LDAP result"}${result ? ` ${result}` : ""}`.trim(),
      status: result ?? (failed ? "failed" : "success"),
      failed,
    };
    if (server) event.peerHost = server;
    if (st.openLdap !== null) {
      event.phase = "response";
      event.exchange = st.openLdap;
      st.openLdap = null;
    }
    sink.emit(event);
    return;
  }
  const kind = LDAP_BIND.test(op)
    ? "ldap.bind"
    : LDAP_SEARCH.test(op)
      ? "ldap.search"
      : LDAP_CONNECT.test(op)
        ? "ldap.connect"
        : null;
  if (kind === null) return;
  const exchange = `ldap:${++st.ldapCount}`;
  st.openLdap = exchange;
  const what =
    kind === "ldap.bind"
      ? `LDAP bind ${dn ?? ""}`
      : kind === "ldap.search"
        ? `LDAP search ${filter ?? (base ? `base ${base}` : "")}`
        : `LDAP connect ${server ?? ""}${port ? `:${port}` : ""}`;
  const user = userFrom(a.get("Username") ?? (filter ? /=([^()*]{1,256})\)/.exec(filter)?.[1] : undefined));
  sink.emit({
    kind,
    dir: "send",
    peer: "ldap",
    ...(server ? { peerHost: server } : {}),
    label: what.trim(),
    phase: "request",
    exchange,
    ...(user ? { user } : {}),
  });
}

function developer(rec: RawRecord, level: string | undefined, detail: string, sink: RecordSink): void {
  // Developer records are code traces: worth a note only when they say something went wrong.
  const text = detail || trailingText(rec.lines[0]!);
  if (!text) return;
  const loud = LOUD_LEVEL.test(level ?? "");
  const bad = DEVELOPER_BAD.test(text);
  if (!loud && !bad) return;
  sink.emit({
    kind: "note",
    dir: "local",
    label: text.length > 160 ? `${text.slice(0, 157)}...` : text,
    failed: bad || ERROR_LEVEL.test(level ?? ""),
  });
}

function summary(a: Attrs, event: string, detail: string, sink: RecordSink): void {
  const aor = a.get("AOR");
  const src = a.get("Src-alias");
  const dst = a.get("Dst-alias");
  const subject = aor ?? (src || dst ? `${src ?? "?"} -> ${dst ?? "?"}` : "");
  const reason = a.get("Reason");
  const what = detail || reason || (subject ? "" : a.get("Service") || "");
  const failed =
    SUMMARY_FAILED.test(`${event} ${detail} ${reason ?? ""}`) || FALSE.test(a.get("Found") ?? "");
  const user = userFrom(a.get("Username") ?? a.get("User")) ?? sipUser(aor ?? src);
  sink.emit({
    kind: "note",
    dir: "local",
    label: `${event}${subject ? ` ${subject}` : ""}${what ? `: ${what}` : ""}`.trim(),
    failed,
    ...(user ? { user } : {}),
  });
}

function trafficServer(st: FileState, p: Parsed, detail: string, sink: RecordSink): void {
  const a = p.attrs;
  const self = st.self;
  const txn = a.get("Txn-id");
  if (!txn) return;
  const exchange = `txn:${txn}`;
  const keys = { txn };
  if (/^Receive Request$/i.test(detail) || /^Sending Request$/i.test(detail)) {
    const lineText = a.get("Msg") ?? p.block[0] ?? "";
    const req = parseRequestLine(lineText);
    const receiving = /^Receive/i.test(detail);
    const peerInfo = receiving
      ? { peer: clientPeer(self, a.get("Src-ip")) }
      : requestPeer(self, req, req?.url ?? "");
    const label = req ? `${req.method} ${req.tail}` : "";
    if (req) st.txnPeer.set(txn, { peer: peerInfo.peer, tail: req.tail });
    else if (!st.txnPeer.has(txn)) st.txnPeer.set(txn, { peer: peerInfo.peer, tail: "" });
    const extra = requestKeys(req, p.blockKind === "HTTPMSG" ? bodyOf(p) : "");
    const state = extra.keys?.oauthState ?? refererState(p.block);
    sink.emit({
      kind: "http.request",
      dir: receiving ? "recv" : "send",
      ...peerInfo,
      label,
      phase: "request",
      exchange,
      ...(label ? { match: label } : {}),
      keys: { ...keys, ...extra.keys, ...(state ? { oauthState: state } : {}) },
      ...(extra.user ? { user: extra.user } : {}),
      lineOffset: !a.has("Msg") && p.block.length > 0 ? p.blockOffset : 0,
    });
    return;
  }
  if (/^(Sending|Receive) Response$/i.test(detail)) {
    const statusLine = parseStatusLine(p.blockKind === "HTTPMSG" ? (p.block[0] ?? "") : "");
    const code = a.get("Response-code") ?? (statusLine ? String(statusLine.code) : "");
    const known = st.txnPeer.get(txn);
    const sending = /^Sending/i.test(detail);
    const peer = known?.peer ?? (sending ? clientPeer(self, a.get("Dst-ip")) : self);
    const reason = statusLine?.reason ?? "";
    const location = p.block.find((l) => /^Location:/i.test(l));
    sink.emit({
      kind: "http.response",
      dir: sending ? "send" : "recv",
      peer,
      label: `${code}${reason ? ` ${reason}` : ""}`.trim(),
      status: code,
      failed: Number(code) >= 400,
      phase: "response",
      exchange,
      keys: { ...keys, ...(location ? stateKey(location) : {}) },
      lineOffset: p.blockKind === "HTTPMSG" && statusLine ? p.blockOffset : 0,
    });
  }
}

function edgeConfig(st: FileState, p: Parsed, sink: RecordSink): void {
  const a = p.attrs;
  const self = st.self;
  const action = a.get("Action")!;
  const url = a.get("Url") ?? a.get("Request-url") ?? "";
  const u = parseUrl(url);
  const target = requestPeer(self, null, url);
  if (/^Send$/i.test(action)) {
    const req = parseRequestLine(p.block[0] ?? "");
    const method = req?.method ?? "GET";
    const label = `${method} ${u.tail}`;
    const extra = requestKeys({ ...u, method }, bodyOf(p));
    sink.emit({
      kind: /OAuthvalidator/i.test(u.path) ? "token.validate" : "http.request",
      dir: target.peer === self ? "local" : "send",
      ...(target.peer === self ? {} : target),
      label,
      match: label,
      phase: "request",
      exchange: `url:${u.path}`,
      ...extra,
    });
    // The seed quotes CUCM's answer to access_token inside the Send record, with no header
    // of its own: it is kept as the response, at the request's time.
    const answer = p.block.findIndex((l, i) => i > 0 && parseStatusLine(l) !== null);
    if (answer > 0) edgeResponse(st, p, u.path, target, parseStatusLine(p.block[answer]!)!, answer, sink);
    return;
  }
  if (/^Received$/i.test(action)) {
    const status = parseStatusLine(p.block[0] ?? "");
    if (status) edgeResponse(st, p, u.path, target, status, 0, sink);
  }
}

/** The response of an edge-config request: its status line is line `at` of the block. */
function edgeResponse(
  st: FileState,
  p: Parsed,
  path: string,
  target: { peer: LaneId; peerHost?: string },
  status: { code: number; reason: string },
  at: number,
  sink: RecordSink,
): void {
  const rest = p.block.slice(at + 1).join("\n");
  sink.emit({
    kind: /OAuthvalidator/i.test(path) ? "token.validate" : "http.response",
    dir: target.peer === st.self ? "local" : "recv",
    ...(target.peer === st.self ? {} : target),
    label: `${status.code}${status.reason ? ` ${status.reason}` : ""}`,
    status: String(status.code),
    failed: status.code >= 400,
    phase: "response",
    exchange: `url:${path}`,
    keys: stateKey(rest),
    lineOffset: p.blockOffset + at,
  });
}

function xcp(st: FileState, p: Parsed, detail: string, sink: RecordSink): void {
  const text = detail || bodyOf(p);
  const xdb = XDB.exec(text);
  if (!xdb) return;
  const id = /\bid='([^']*)'/.exec(xdb[0])?.[1] ?? "";
  const type = /\btype='([^']*)'/.exec(xdb[0])?.[1] ?? "";
  const xdbId = id.replace(/^.*?(jtx_)/, "$1");
  const jid = /<jid>([^<]*)<\/jid>/.exec(text)?.[1];
  const user = userFrom(jid);
  const mechanisms = [...text.matchAll(/<mechanism>([^<]+)<\/mechanism>/g)].map((m) => m[1]!);
  const auth = /<auth mechanism='([^']+)'/.exec(text)?.[1];
  let label = `xdb ${type}`;
  if (mechanisms.length > 0) label = `SASL mechanisms ${mechanisms.join(" ")}`;
  else if (auth) label = `SASL auth ${auth}`;
  else if (type === "get" && /protocol\/sasl/.test(text)) label = "SASL mechanisms?";
  const deliverHost = /host:([^,\s]+)/.exec(detail)?.[1] ?? "";
  const ownHost = (st.file.host ?? "").toLowerCase().replace(/\./g, "-");
  const toSelf = ownHost !== "" && deliverHost.toLowerCase().includes(ownHost);
  const viaImp = /imp/i.test(deliverHost) || (toSelf && /from='[^']*'/.test(xdb[0]));
  const event: EventInput = {
    kind: "xmpp.sasl",
    dir: /^DELIVER/.test(detail) && viaImp ? (toSelf ? "recv" : "send") : "local",
    label,
    match: `xdb ${xdbId} ${type} ${label}`,
    keys: { xdb: xdbId },
    ...(user ? { user } : {}),
  };
  if (event.dir !== "local") event.peer = "imp";
  sink.emit(event);
}

function credentials(a: Attrs, detail: string, sink: RecordSink): void {
  const user = userFrom(a.get("User"));
  const reason = a.get("Reason");
  const type = a.get("Type");
  const issuer = a.get("Issuer");
  const label =
    detail === "Token validation"
      ? `token validation: ${type ?? ""} ${reason ?? ""}${issuer ? ` (${issuer})` : ""}`.replace(/\s+/g, " ")
      : detail;
  sink.emit({
    kind: "token.validate",
    dir: "local",
    label: label.trim(),
    failed: /fail|reject|invalid|expired|denied/i.test(`${detail} ${reason ?? ""}`),
    ...(user ? { user } : {}),
  });
}

function endpoint(ip: string | undefined, port: string | undefined): string {
  return ip ? (port ? `${ip}:${port}` : ip) : "";
}

/** The free text after the attributes of a header (`...Thread="0x7f": calculated response ...`). */
function trailingText(header: string): string {
  const at = header.lastIndexOf('": ');
  if (at < 0) return "";
  const rest = header.slice(at + 3).trim();
  return /^[\w.-]+="/.test(rest) ? "" : rest;
}

function stateKey(text: string): { oauthState?: string } {
  const state = param(text.replace(/#/g, "&"), "state");
  return state ? { oauthState: state } : {};
}

export const expressway: SourceDescriptor = {
  id: "expressway",
  label: "Expressway (E or C)",
  lane: "expe",
  priority: 10,
  sniff,
  isRecordStart: isExpresswayHeader,
  identify,
  createParser,
};
