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
// Names are short (Module, UTCTime, Txn-id): bounded, so a long run of word characters is not
// retried from each of its positions (quadratic: seconds for one 100 000-character token).
const ATTR = /([A-Za-z][\w.-]{0,63})="((?:[^"\\]|\\.)*)"/g;
const BLOCKS = new Set(["HTTPMSG:", "SIPMSG:", "MSGBODY:"]);

export function isExpresswayHeader(line: string): boolean {
  return line.length > 30 && line.charCodeAt(10) === 84 /* T */ && HEADER.test(line);
}

interface Parsed {
  host: string;
  process: string;
  attrs: Map<string, string>;
  /** Lines of the HTTPMSG/SIPMSG/MSGBODY block, leading "|" removed, and where it starts. */
  block: string[];
  blockOffset: number;
  blockKind: string;
}

function parseRecord(rec: RawRecord): Parsed | null {
  const m = HEADER.exec(rec.lines[0]!);
  if (!m) return null;
  let end = rec.lines.length;
  let blockKind = "";
  for (let i = 1; i < rec.lines.length; i++) {
    const t = rec.lines[i]!.trim();
    if (BLOCKS.has(t)) {
      end = i;
      blockKind = t.slice(0, -1);
      break;
    }
  }
  const head = rec.lines.slice(0, end).join("\n");
  const attrs = new Map<string, string>();
  for (const a of head.matchAll(ATTR)) if (!attrs.has(a[1]!)) attrs.set(a[1]!, a[2]!);
  const block = rec.lines.slice(end + 1).map((l, i) => (i === 0 ? l.replace(/^\|/, "") : l));
  return { host: m[2]!, process: m[3]!, attrs, block, blockOffset: end + 1, blockKind };
}

function timeOf(rec: RawRecord, p: Parsed | null, sink: RecordSink): void {
  const utc = p?.attrs.get("UTCTime");
  if (utc) {
    const t = parseDateTime(utc);
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

function createParser(file: FileContext) {
  const self = file.lane;
  /** Txn-id -> peer of the request, so that a response goes back where its request came from. */
  const txnPeer = new Map<string, { peer: LaneId; tail: string }>();
  /** SIP: remote address -> the lane it was placed on, for the rest of the file. */
  const known = new Map<string, LaneId>();
  let ldapCount = 0;
  let openLdap: string | null = null;

  /** The lane a SIP message came from or went to (rules in the file comment). */
  function sipPeer(
    msg: SipMessage,
    receiving: boolean,
    ip: string | undefined,
    port: string | undefined,
    localPort: string | undefined,
  ): LaneId {
    const other: LaneId = self === "expc" ? "expe" : "expc";
    const remember = (lane: LaneId): LaneId => {
      if (ip) known.set(ip, lane);
      return lane;
    };
    if (ip && /^127\./.test(ip)) return self;
    if (port === "7001" || (localPort === "7001" && self === "expe")) return remember(other);
    const seen = ip ? known.get(ip) : undefined;
    if (seen) return seen;
    if (self === "expc") {
      const target = !receiving && msg.requestUri ? msg.requestUri.replace(/^sips?:(?:[^@]*@)?/, "") : "";
      if (
        port === "5060" ||
        port === "5061" ||
        /^(?:[\w-]*\.)?(?:cucm|ucm|ccm|callmanager)[\w-]*\./i.test(target)
      )
        return remember("cucm");
      return ip ? remember(ip) : "cucm";
    }
    return remember("jabber");
  }

  return (rec: RawRecord, sink: RecordSink): void => {
    const p = parseRecord(rec);
    timeOf(rec, p, sink);
    if (!p) return;
    const a = p.attrs;
    const level = a.get("Level");
    if (level) sink.level(level);
    const thread = a.get("ThreadID");
    if (thread) sink.thread(thread);
    const module = a.get("Module") ?? "";
    const detail = a.get("Detail") ?? "";
    const body = p.block.join("\n");

    const lastVia = a.get("Last-via-addr");
    if (lastVia && self === "expc" && !/^127\./.test(lastVia) && !known.has(lastVia))
      known.set(lastVia, "expe");
    if (module === "network.http.trafficserver") return trafficServer();
    if (a.has("Action") && /edgeconfigprovisioning|sso\.server/.test(module)) return edgeConfig();
    if (p.process === "XCP_JABBERD" || module === "Jabber") return xcp();
    if (p.process === "credentialmanager" || /credentialmanager/.test(module)) return credentials();
    if (module === "network.sip") return sip();
    if (module === "network.tcp") return tcp();
    if (module === "network.ldap") return ldap();
    if (module.startsWith("developer.")) return developer();
    const event = a.get("Event");
    if (event) summary(event);
    return;

    function sip(): void {
      const action = a.get("Action") ?? "";
      const receiving = /^Rece?ived$/i.test(action);
      if (!receiving && !/^Sent$/i.test(action)) return;
      if (p!.blockKind !== "SIPMSG") return;
      const msg = parseSip(p!.block);
      if (!msg) return;
      const remoteIp = a.get(receiving ? "Src-ip" : "Dst-ip");
      const remotePort = a.get(receiving ? "Src-port" : "Dst-port");
      const peer = sipPeer(msg, receiving, remoteIp, remotePort, a.get("Local-port"));
      const event = sipEvent(msg, receiving ? "recv" : "send", peer, p!.blockOffset + msg.startLine);
      if (remoteIp && peer === remoteIp) event.peerHost = remoteIp;
      sink.emit(event);
    }

    function tcp(): void {
      const src = endpoint(a.get("Src-ip"), a.get("Src-port"));
      const dst = endpoint(a.get("Dst-ip"), a.get("Dst-port"));
      const what = detail || a.get("Event") || "TCP";
      sink.emit({
        kind: "note",
        dir: "local",
        label: `${what}${src || dst ? ` ${src || "?"} -> ${dst || "?"}` : ""}`,
        failed: /fail|refused|timed? ?out|reset|error|unreachable/i.test(what),
      });
    }

    function ldap(): void {
      const server = a.get("Server") ?? a.get("Host") ?? a.get("Dst-ip");
      const port = a.get("Port") ?? a.get("Dst-port");
      const result = a.get("Result") ?? a.get("Status") ?? a.get("Reason") ?? a.get("Response-code");
      const dn = a.get("Bind-dn") ?? a.get("Dn") ?? a.get("DN") ?? a.get("User");
      const filter = a.get("Filter");
      const base = a.get("Base-dn") ?? a.get("Base");
      const where = server ? { peerHost: server } : {};
      const op = detail || a.get("Operation") || "";
      const failed = /fail|error|invalid|refused|denied|timeout/i.test(`${op} ${result ?? ""}`);
      if (result !== undefined || /result|response|complete|success|fail|error/i.test(op)) {
        const event: EventInput = {
          kind: "ldap.result",
          dir: "recv",
          peer: "ldap",
          ...where,
          label: `${op || "LDAP result"}${result ? ` ${result}` : ""}`.trim(),
          status: result ?? (failed ? "failed" : "success"),
          failed,
        };
        if (openLdap !== null) {
          event.phase = "response";
          event.exchange = openLdap;
          openLdap = null;
        }
        sink.emit(event);
        return;
      }
      const kind = /bind/i.test(op)
        ? "ldap.bind"
        : /search|query|lookup/i.test(op)
          ? "ldap.search"
          : /connect|open/i.test(op)
            ? "ldap.connect"
            : null;
      if (kind === null) return;
      openLdap = `ldap:${++ldapCount}`;
      const what =
        kind === "ldap.bind"
          ? `LDAP bind ${dn ?? ""}`
          : kind === "ldap.search"
            ? `LDAP search ${filter ?? (base ? `base ${base}` : "")}`
            : `LDAP connect ${server ?? ""}${port ? `:${port}` : ""}`;
      const user = userFrom(
        a.get("Username") ?? (filter ? /=([^()*]{1,256})\)/.exec(filter)?.[1] : undefined),
      );
      sink.emit({
        kind,
        dir: "send",
        peer: "ldap",
        ...where,
        label: what.trim(),
        phase: "request",
        exchange: openLdap,
        ...(user ? { user } : {}),
      });
    }

    function developer(): void {
      // Developer records are code traces: worth a note only when they say something went wrong.
      const text = detail || trailingText(rec.lines[0]!);
      if (!text) return;
      const loud = /^(WARN|WARNING|ERROR|CRITICAL|FATAL)$/i.test(level ?? "");
      const bad = /fail|error|reject|denied|unable|timed? ?out|does not match|invalid|refused/i.test(text);
      if (!loud && !bad) return;
      sink.emit({
        kind: "note",
        dir: "local",
        label: text.length > 160 ? `${text.slice(0, 157)}...` : text,
        failed: bad || /^(ERROR|CRITICAL|FATAL)$/i.test(level ?? ""),
      });
    }

    function summary(event: string): void {
      const aor = a.get("AOR");
      const src = a.get("Src-alias");
      const dst = a.get("Dst-alias");
      const subject = aor ?? (src || dst ? `${src ?? "?"} -> ${dst ?? "?"}` : "");
      const reason = a.get("Reason");
      const what = detail || reason || (subject ? "" : a.get("Service") || "");
      const failed =
        /fail|denied|error|reject/i.test(`${event} ${detail} ${reason ?? ""}`) ||
        /^false$/i.test(a.get("Found") ?? "");
      const user = userFrom(a.get("Username") ?? a.get("User")) ?? sipUser(aor ?? src);
      sink.emit({
        kind: "note",
        dir: "local",
        label: `${event}${subject ? ` ${subject}` : ""}${what ? `: ${what}` : ""}`.trim(),
        failed,
        ...(user ? { user } : {}),
      });
    }

    function trafficServer(): void {
      const txn = a.get("Txn-id");
      if (!txn) return;
      const exchange = `txn:${txn}`;
      const keys = { txn };
      if (/^Receive Request$/i.test(detail) || /^Sending Request$/i.test(detail)) {
        const lineText = a.get("Msg") ?? p!.block[0] ?? "";
        const req = parseRequestLine(lineText);
        const receiving = /^Receive/i.test(detail);
        const peerInfo = receiving
          ? { peer: clientPeer(self, a.get("Src-ip")) }
          : requestPeer(self, req, req?.url ?? "");
        const label = req ? `${req.method} ${req.tail}` : "";
        if (req) txnPeer.set(txn, { peer: peerInfo.peer, tail: req.tail });
        else if (!txnPeer.has(txn)) txnPeer.set(txn, { peer: peerInfo.peer, tail: "" });
        const extra = requestKeys(req, p!.blockKind === "HTTPMSG" ? body : "");
        const state = extra.keys?.oauthState ?? refererState(p!.block);
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
          lineOffset: !a.has("Msg") && p!.block.length > 0 ? p!.blockOffset : 0,
        });
        return;
      }
      if (/^(Sending|Receive) Response$/i.test(detail)) {
        const statusLine = parseStatusLine(p!.blockKind === "HTTPMSG" ? (p!.block[0] ?? "") : "");
        const code = a.get("Response-code") ?? (statusLine ? String(statusLine.code) : "");
        const known = txnPeer.get(txn);
        const sending = /^Sending/i.test(detail);
        const peer = known?.peer ?? (sending ? clientPeer(self, a.get("Dst-ip")) : self);
        const reason = statusLine?.reason ?? "";
        const location = p!.block.find((l) => /^Location:/i.test(l));
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
          lineOffset: p!.blockKind === "HTTPMSG" && statusLine ? p!.blockOffset : 0,
        });
      }
    }

    function edgeConfig(): void {
      const action = a.get("Action")!;
      const url = a.get("Url") ?? a.get("Request-url") ?? "";
      const u = parseUrl(url);
      const exchange = `url:${u.path}`;
      const target = requestPeer(self, null, url);
      if (/^Send$/i.test(action)) {
        const req = parseRequestLine(p!.block[0] ?? "");
        const method = req?.method ?? "GET";
        const label = `${method} ${u.tail}`;
        const extra = requestKeys({ ...u, method }, body);
        sink.emit({
          kind: /OAuthvalidator/i.test(u.path) ? "token.validate" : "http.request",
          dir: target.peer === self ? "local" : "send",
          ...(target.peer === self ? {} : target),
          label,
          match: label,
          phase: "request",
          exchange,
          ...extra,
        });
        // The seed quotes CUCM's answer to access_token inside the Send record, with no header
        // of its own: it is kept as the response, at the request's time.
        const answer = p!.block.findIndex((l, i) => i > 0 && parseStatusLine(l) !== null);
        if (answer > 0) emitResponse(parseStatusLine(p!.block[answer]!)!, answer);
        return;
      }
      if (/^Received$/i.test(action)) {
        const status = parseStatusLine(p!.block[0] ?? "");
        if (status) emitResponse(status, 0);
      }

      function emitResponse(status: { code: number; reason: string }, at: number): void {
        const rest = p!.block.slice(at + 1).join("\n");
        sink.emit({
          kind: /OAuthvalidator/i.test(u.path) ? "token.validate" : "http.response",
          dir: target.peer === self ? "local" : "recv",
          ...(target.peer === self ? {} : target),
          label: `${status.code}${status.reason ? ` ${status.reason}` : ""}`,
          status: String(status.code),
          failed: status.code >= 400,
          phase: "response",
          exchange,
          keys: stateKey(rest),
          lineOffset: p!.blockOffset + at,
        });
      }
    }

    function xcp(): void {
      const text = detail || body;
      const xdb = /<xdb\b[^>]*>/.exec(text);
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
      const ownHost = (file.host ?? "").toLowerCase().replace(/\./g, "-");
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

    function credentials(): void {
      const user = userFrom(a.get("User"));
      const reason = a.get("Reason");
      const type = a.get("Type");
      const issuer = a.get("Issuer");
      const label =
        detail === "Token validation"
          ? `token validation: ${type ?? ""} ${reason ?? ""}${issuer ? ` (${issuer})` : ""}`.replace(
              /\s+/g,
              " ",
            )
          : detail;
      sink.emit({
        kind: "token.validate",
        dir: "local",
        label: label.trim(),
        failed: /fail|reject|invalid|expired|denied/i.test(`${detail} ${reason ?? ""}`),
        ...(user ? { user } : {}),
      });
    }
  };
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
