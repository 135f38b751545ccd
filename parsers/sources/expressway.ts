import type { RawRecord } from "../io/records.ts";
import type { EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";
import { param, parseRequestLine, parseStatusLine, parseUrl, userFrom, type RequestLine } from "./http.ts";
import { parseDateTime, parseIsoWithOffset } from "./timestamps.ts";
import type { FileContext, FileIdentity, RecordSink, SourceDescriptor } from "./types.ts";

/**
 * Expressway-E and Expressway-C: one syslog-style format, one parser. The node's role comes
 * from its host name (…e01 / …c01) or, failing that, from what it logs (only C talks to
 * CUCM's UDS and receives the E->C tunnel on 127.0.0.1); the user can override it.
 */

const HEADER =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)) (\S+) ([A-Za-z_][\w.-]*)(?:\[\d+\])?:? /;
const ATTR = /([A-Za-z][\w.-]*)="((?:[^"\\]|\\.)*)"/g;
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

    if (module === "network.http.trafficserver") return trafficServer();
    if (a.has("Action") && /edgeconfigprovisioning|sso\.server/.test(module)) return edgeConfig();
    if (p.process === "XCP_JABBERD" || module === "Jabber") return xcp();
    if (p.process === "credentialmanager" || /credentialmanager/.test(module)) return credentials();
    const event = a.get("Event");
    if (event) {
      const user = userFrom(a.get("Username") ?? a.get("User"));
      sink.emit({
        kind: "note",
        dir: "local",
        label: `${event}: ${detail || a.get("Service") || ""}`.trim(),
        failed: /fail|denied|error/i.test(detail),
        ...(user ? { user } : {}),
      });
    }
    return;

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
