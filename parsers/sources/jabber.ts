import type { RawRecord } from "../io/records.ts";
import type { CorrelationKeys, EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";
import { parseSip, sipEvent, type SipMessage } from "./sip.ts";
import { parseDateTime } from "./timestamps.ts";
import type { RecordSink, SourceDescriptor } from "./types.ts";

/**
 * Jabber desktop (Windows/Mac) jabber.log:
 * `DATE TIME,ms LEVEL [0xTHREAD] [src\file.cpp(line)] [logger] [function] - message`, local
 * time with no zone. Articles and PRT excerpts also quote the tail of a line alone
 * (`[JabberWerx] [IMPStackCap::Log::log] - ...`): such a line is a record with no time.
 *
 * Jabber mobile (iOS/Android) writes `LEVEL [thread] - [module][function] message` with no
 * date on the line: such records have no time (kept in file order) and the same rules apply
 * to the message part.
 *
 * Rules beyond HTTP/DNS/XMPP/SSO:
 * - SIP: a `sipio-sent--->` / `sipio-recv<---` record (the SIP text on the line, flattened, or
 *   on its continuation lines) is `sipEvent(msg, send|recv, peer)`. The peer is `expe` when
 *   the Request-URI, a Via or a (Record-)Route host is an edge host seen earlier in the file
 *   (the host of a get_edge_config/get_edge_sso or MRA-domain URL, or a host a `csf.edge` line
 *   names), and stays so for the rest of that Call-ID; otherwise `cucm`.
 * - CTI (deskphone): ProviderOpenRequest -> `cti.request` to cucm (`cti:seq#`), ProviderOpen
 *   Response -> `cti.response` from cucm, PROVIDER_OPEN_COMPLETED_EVENT / PROVIDER_OUT_OF_
 *   SERVICE_EVENT -> `cti.event` from cucm matched as `CTI ProviderOpenCompletedEvent` /
 *   `CTI ProviderOutOfServiceEvent` (the cucm-sdl names), ProviderOpenFailed -> local error;
 *   a non-zero `reason=` is the status and makes it failed.
 * - `OnLoginError: LERR_*`, `LoginCup ... LERR_*`, `JWLoginSink::OnError, lerr:N`: local error.
 */

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}/;
/** `[logger] [function] - `: a quoted line tail, taken as a record start without a time. */
const BRACKET_START = /^\[[A-Za-z][\w.-]*\] \[[^\]\s]+\] -(?: |$)/;
/** The full header, thread in hex: what sets Jabber apart from log4j (`[http-bio-443-exec-47]`). */
const HEADER_SHAPE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} +[A-Z]+ +\[0x[0-9A-Fa-f]+\] \[[^\]]*\] \[[^\]]+\] \[[^\]]*\] -/;
/** The mobile shape: `DEBUG [0x16f6c7000] - [csf.dns][csf::dns::...] message`. */
const MOBILE_START =
  /^(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL) +\[[^\]]*\] +- +\[[A-Za-z][\w.:-]*\] ?\[/;
const KNOWN_LOGGER =
  /\[(?:csf\.[\w.-]+|Single-Sign-On-Logger|PluginUtils|UserProfileManager|service-discovery|JabberWerx|IMPStackCap|ECC|CSFUnified[\w.:-]*)\]/;
/** Lines of the head looked at by sniff: enough for a verdict, bounded for a prose file. */
const SNIFF_LINES = 500;

interface Header {
  time: number;
  level: string;
  thread: string;
  logger: string;
  fn: string;
  message: string;
}

function parseHeader(line: string): Header | null {
  if (MOBILE_START.test(line)) return parseMobileHeader(line);
  let time = NaN;
  let level = "";
  let i = 0;
  if (TIMESTAMP.test(line)) {
    time = parseDateTime(line, 0);
    i = 23;
    while (line[i] === " ") i++;
    const end = line.indexOf(" ", i);
    if (end < 0) return { time, level: line.slice(i), thread: "", logger: "", fn: "", message: "" };
    level = line.slice(i, end);
    i = end;
  } else if (!BRACKET_START.test(line)) {
    return null;
  }
  const groups: string[] = [];
  for (;;) {
    while (line[i] === " ") i++;
    if (line[i] !== "[") break;
    const close = line.indexOf("]", i);
    if (close < 0) break;
    groups.push(line.slice(i + 1, close));
    i = close + 1;
  }
  let message = line.slice(i);
  if (message.startsWith("-")) message = message.slice(1).trimStart();
  const thread = groups[0] !== undefined && /^0x[0-9A-Fa-f]+$/.test(groups[0]) ? groups[0] : "";
  const n = groups.length;
  const logger = n >= 2 ? groups[n - 2]! : (groups[0] ?? "");
  const fn = n >= 2 ? groups[n - 1]! : "";
  return { time, level, thread, logger, fn, message };
}

/**
 * `LEVEL [thread] - [module][function] message`. The function group is read with its nested
 * brackets, for iOS method names (`[-[CSFLoginController start]]`).
 */
function parseMobileHeader(line: string): Header {
  const space = line.indexOf(" ");
  const level = line.slice(0, space);
  const open = line.indexOf("[", space);
  const close = line.indexOf("]", open);
  const thread = line.slice(open + 1, close);
  let i = line.indexOf("-", close) + 1;
  const groups: string[] = [];
  while (groups.length < 2) {
    while (line[i] === " ") i++;
    if (line[i] !== "[") break;
    let depth = 0;
    let end = i;
    for (; end < line.length; end++) {
      if (line[end] === "[") depth++;
      else if (line[end] === "]" && --depth === 0) break;
    }
    if (end >= line.length) break;
    groups.push(line.slice(i + 1, end));
    i = end + 1;
  }
  let message = line.slice(i).trimStart();
  if (message.startsWith("- ")) message = message.slice(2);
  return { time: NaN, level, thread, logger: groups[0] ?? "", fn: groups[1] ?? "", message };
}

// ---- URLs ------------------------------------------------------------------------------------

interface Url {
  host: string;
  port: string;
  path: string;
  query: string;
}

function parseUrl(url: string): Url | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)([^?#\s]*)(?:\?([^#\s]*))?/i.exec(url);
  if (!m) return null;
  const authority = m[1]!.slice(m[1]!.lastIndexOf("@") + 1);
  const host = authority.startsWith("[")
    ? authority.slice(0, authority.indexOf("]") + 1)
    : authority.replace(/:\d*$/, "");
  const port = /:(\d+)$/.exec(authority)?.[1] ?? "";
  return { host: host.toLowerCase(), port, path: m[2] ?? "", query: m[3] ?? "" };
}

function pathTail(path: string): string {
  const segments = path.split("/").filter((s) => s !== "");
  return segments[segments.length - 1] ?? "/";
}

function queryParam(query: string, name: string): string | undefined {
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq) !== name) continue;
    const raw = pair.slice(eq + 1);
    try {
      return decodeURIComponent(raw.replace(/\+/g, " "));
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** MRA URLs carry the user's domain base64url-encoded as the first path segment. */
function hasDomainSegment(path: string): boolean {
  const first = path.split("/").find((s) => s !== "");
  if (first === undefined || first.length < 4 || !/^[A-Za-z0-9_-]+={0,2}$/.test(first)) return false;
  let decoded: string;
  try {
    decoded = atob(
      first
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .replace(/(?<!=)=+$/, ""),
    );
  } catch {
    return false;
  }
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(decoded);
}

/**
 * A CTI message between Jabber and CUCM's CTI Manager, labelled and matched by its name as the
 * CUCM SDL source logs it ("CTI ProviderOpenRequest"), so that the two sightings merge.
 */
function ctiEvent(name: string, dir: "send" | "recv"): EventInput {
  const label = `CTI ${name}`;
  const kind = name.endsWith("Event")
    ? "cti.event"
    : name.endsWith("Request")
      ? "cti.request"
      : "cti.response";
  return { kind, dir, peer: "cucm", label, match: label };
}

/**
 * Which node a Jabber request goes to. The MRA domain segment comes first because edge URLs
 * also contain `/cucm-uds/` after it; a CUCM-direct `/ssosp/oauth/authorize` is CUCM's.
 */
function peerOf(url: Url): LaneId {
  const path = url.path + "/";
  if (hasDomainSegment(url.path)) return "expe";
  if (/\/(?:cucm-uds|ssosp)\//i.test(path)) return "cucm";
  if (/\/EPASSoap\//i.test(path)) return "imp";
  if (/get_edge_sso|get_edge_config|authorize|localauthentication|OAuthcb/i.test(path)) return "expe";
  // Configuration download: CUCM's TFTP service over HTTP (6970, 6972 for HTTPS).
  if (url.port === "6970" || url.port === "6972" || /jabber-config[^/]*\.xml|\.cnf\.xml|\.tlv\//i.test(path))
    return "cucm";
  // A host no rule names gets a lane of its own; its port tells a proxy (3128) from a web server.
  if (url.host === "") return "expe";
  return url.port && url.port !== "443" && url.port !== "80" ? `${url.host}:${url.port}` : url.host;
}

/** Local part of an e-mail address: sessions are keyed by the login without its domain. */
function userOf(email: string | undefined): string | undefined {
  if (!email) return undefined;
  const local = email.split("@")[0]!.trim();
  return local !== "" ? local : undefined;
}

function urlKeys(url: Url, base: CorrelationKeys = {}): CorrelationKeys {
  const keys = { ...base };
  const state = queryParam(url.query, "state");
  const clientId = queryParam(url.query, "client_id");
  if (state) keys.oauthState = state;
  if (clientId) keys.clientId = clientId;
  return keys;
}

// ---- the parser ------------------------------------------------------------------------------

interface HttpRequest {
  match: string;
  peer: LaneId;
  peerHost: string | undefined;
}

const SRV_NAME = /(_[A-Za-z0-9-]+\._(?:tcp|tls|udp)\.[A-Za-z0-9.-]*[A-Za-z0-9])/;

function createJabberParser() {
  /** csf.httpclient request #N: the response line names the number, often not the URL. */
  const requests = new Map<string, HttpRequest>();
  /** SRV names queried and not answered yet. */
  const pendingSrv = new Set<string>();
  let lastAnswer: string | null = null;
  /** Over MRA Jabber talks XMPP to Expressway-E, on premises to IM&P: the last request says which. */
  let xmppPeer: LaneId = "expe";
  /** Expressway-E hosts seen in the file (get_edge_config/get_edge_sso/MRA URLs, csf.edge lines). */
  const edgeHosts = new Set<string>();
  /** SIP Call-ID -> the lane and host its first message went to or came from. */
  const dialogs = new Map<string, { peer: LaneId; host: string | undefined }>();
  /** The seq# of the last CTI ProviderOpenRequest, for a response line that does not repeat it. */
  let ctiSeq: string | undefined;
  /** The login of the last ProviderOpenRequest: the response and events of that open are its. */
  let ctiUser: string | undefined;

  function dns(message: string, sink: RecordSink): void {
    const full = SRV_NAME.exec(message)?.[1];
    const name = full ?? srvByService(message);
    if (!name) return;
    // A service-only line about a query already answered restates that answer.
    if (!full && !pendingSrv.has(name)) return;
    const srv = `SRV ${name}`;
    const exchange = `srv:${name}`;
    const failed = /fail|does not exist|nxdomain|timed? ?out|error/i.test(message);
    const succeeded =
      !failed && /succe|resolved|\bfound\b|(?<!\d)\d+ (?:record|result|answer)s?\b/i.test(message);
    const queried = /\bquery\b|querying|lookup|look up|resolving/i.test(message);
    if (!failed && !succeeded) {
      if (!queried) return;
      sink.emit({
        kind: "dns.query",
        dir: "send",
        peer: "dns",
        label: srv,
        match: srv,
        phase: "request",
        exchange,
      });
      pendingSrv.add(name);
      lastAnswer = null;
      return;
    }
    // "DNS query X has failed": the one line is the evidence of both the query and its answer.
    if (!pendingSrv.has(name)) {
      if (!queried && lastAnswer === name) return; // service-discovery restating csf.dns's answer
      if (queried)
        sink.emit({
          kind: "dns.query",
          dir: "send",
          peer: "dns",
          label: srv,
          match: srv,
          phase: "request",
          exchange,
        });
    }
    pendingSrv.delete(name);
    lastAnswer = name;
    const answer: EventInput = {
      kind: "dns.answer",
      dir: "recv",
      peer: "dns",
      label: srv,
      match: srv,
      phase: "response",
      exchange,
      status: dnsStatus(message, failed),
    };
    if (failed) answer.failed = true;
    sink.emit(answer);
  }

  /**
   * `service-discovery` results often name the service only (`_cuplogin: FAILED_NO_SRV_...`):
   * the SRV name is the pending (or just answered) query of that service.
   */
  function srvByService(message: string): string | undefined {
    const service = /(?:^|[\s'"(=:])(_[A-Za-z][A-Za-z0-9-]*)(?![\w.-])/.exec(message)?.[1];
    if (!service) return undefined;
    for (const name of pendingSrv) if (name.startsWith(`${service}.`)) return name;
    return lastAnswer?.startsWith(`${service}.`) ? lastAnswer : undefined;
  }

  function request(method: string, rawUrl: string, number: string | undefined, sink: RecordSink): void {
    const url = parseUrl(rawUrl);
    if (!url) return;
    const peer = peerOf(url);
    if (url.host && (hasDomainSegment(url.path) || /get_edge_(?:config|sso)/i.test(url.path)))
      edgeHosts.add(url.host);
    const match = `${method} ${pathTail(url.path)}`;
    const keys = urlKeys(url, number !== undefined ? { httpRequest: number } : {});
    const event: EventInput = {
      kind: "http.request",
      dir: "send",
      peer,
      label: match,
      match,
      phase: "request",
    };
    if (url.host) event.peerHost = url.host;
    if (number !== undefined) event.exchange = `req:${number}`;
    if (Object.keys(keys).length > 0) event.keys = keys;
    const user = userOf(queryParam(url.query, "email"));
    if (user) event.user = user;
    sink.emit(event);
    if (number !== undefined) requests.set(number, { match, peer, peerHost: event.peerHost });
    if (peer === "expe") xmppPeer = "expe";
    else if (peer === "cucm" || peer === "imp") xmppPeer = "imp";
  }

  function response(
    number: string,
    status: string,
    failed: boolean,
    rawUrl: string | undefined,
    sink: RecordSink,
    reason = "",
    lineOffset = 0,
  ) {
    let known = requests.get(number);
    if (!known && rawUrl) {
      const url = parseUrl(rawUrl);
      if (url) known = { match: "", peer: peerOf(url), peerHost: url.host || undefined };
    }
    const event: EventInput = {
      kind: "http.response",
      dir: "recv",
      peer: known?.peer ?? "expe",
      label: reason !== "" ? `${status} ${reason}` : status,
      status,
      phase: "response",
      exchange: `req:${number}`,
      keys: { httpRequest: number },
    };
    if (lineOffset > 0) event.lineOffset = lineOffset;
    if (known?.match) event.match = known.match;
    if (known?.peerHost) event.peerHost = known.peerHost;
    if (failed) event.failed = true;
    sink.emit(event);
  }

  function http(message: string, lines: string[], sink: RecordSink): void {
    const configured = /Configuring request #(\d+) ([A-Z]+) (\S+)/.exec(message);
    if (configured) {
      request(configured[2]!, configured[3]!, configured[1]!, sink);
      return;
    }
    const code = /HTTP response code (\d{3}) for request #(\d+)(?: to (\S+))?/.exec(message);
    if (code) {
      response(code[2]!, code[1]!, Number(code[1]) >= 400, code[3], sink);
      return;
    }
    const number = /request\s*#(\d+)/i.exec(message)?.[1];
    if (number === undefined) return;
    // "Request #4 got receivedHeader: HTTP/1.1 401 Unauthorized", or the status line on a
    // continuation line of a record that names the request.
    for (let i = 0; i < lines.length; i++) {
      const status = /\bHTTP\/\d(?:\.\d)?\s+(\d{3})\b\s*(?!\s)(.*)$/.exec(i === 0 ? message : lines[i]!);
      if (!status) continue;
      const reason = status[2]!.trim();
      response(number, status[1]!, Number(status[1]) >= 400, undefined, sink, reason, i);
      return;
    }
    if (/curl/i.test(message) && /error|fail|CURLE_/i.test(message)) {
      const detail =
        /CURLE_[A-Z0-9_]+/.exec(message)?.[0] ??
        /(?:curl\s*(?:error\s*)?code|error\s*code|curlcode)\s*(?:[:=]\s*)?(\d+)/i.exec(message)?.[1];
      const url = /\bhttps?:\/\/\S+/.exec(message)?.[0];
      response(number, detail ? `curl error ${detail}` : "curl error", true, url, sink);
    }
  }

  function xmpp(message: string, record: RawRecord, sink: RecordSink): void {
    const io = /@XmppSDK: #\d+, (?:\d+, )?(Recv|Send):\s?(.*)$/.exec(message);
    if (io) {
      const payload = [io[2]!, ...record.lines.slice(1)].join("\n");
      const stanza = stanzaEvent(payload);
      if (!stanza) return;
      const event: EventInput = { ...stanza, dir: io[1] === "Recv" ? "recv" : "send", peer: xmppPeer };
      // SASL steps merge with the Connection Manager's sightings of them (imp-xcp, Expressway).
      if (stanza.kind === "xmpp.sasl") event.match = stanza.label;
      sink.emit(event);
      return;
    }
    if (/doesn't offer any SASL authentication mechanism/.test(message)) {
      sink.emit({ kind: "error", dir: "local", label: "SASL: no common mechanism", failed: true });
      return;
    }
    const empty = /SASL token empty:\s*(\S*)/.exec(message);
    if (empty) {
      sink.emit({ kind: "note", dir: "local", label: `SASL token empty:${empty[1]}` });
      return;
    }
    const mechanism = /SASL mechanism:\s*(?!\s)(.*)$/.exec(message);
    if (mechanism) {
      const value = mechanism[1]!.trim();
      sink.emit({ kind: "note", dir: "local", label: `SASL mechanism: ${value !== "" ? value : "none"}` });
    }
  }

  function sso(h: Header, sink: RecordSink): void {
    const reuse = /TokenReuse enabled for\b/.exec(h.message);
    if (reuse) {
      // Jabber's reading of get_edge_sso's `<Token reuse="true"/>`: the response half, merged
      // with Expressway-E's by match.
      sink.emit({
        kind: "http.response",
        dir: "recv",
        peer: "expe",
        label: "200 get_edge_sso (token reuse)",
        status: "200",
        phase: "response",
        match: "GET get_edge_sso",
      });
      return;
    }
    if (h.fn.endsWith("getCredentialsForAuthenticator")) {
      const id = /authenticator:?\s*(\S+)/.exec(h.message)?.[1];
      sink.emit({
        kind: "note",
        dir: "local",
        label: `SSO credentials for authenticator${id ? ` ${id}` : ""}`,
      });
      return;
    }
    if (h.fn.endsWith("currentServiceNeedsAuthorization")) {
      const id = /service:?\s*(\S+)\s*$/.exec(h.message)?.[1];
      sink.emit({
        kind: "note",
        dir: "local",
        label: `SSO service${id ? ` ${id}` : ""} needs authorization`,
      });
    }
  }

  function navigate(message: string, sink: RecordSink): void {
    const rawUrl = /\burl\s*=\s*(\S+)/.exec(message)?.[1];
    if (rawUrl) request("GET", rawUrl, undefined, sink);
  }

  function loginError(message: string, sink: RecordSink): boolean {
    const lerr = /JWLoginSink::OnError, lerr:\s*(\d+)/.exec(message);
    // `OnLoginError: LERR_CUP_AUTH`, `LoginCup ... failed ... LERR_CUP_UNREACHABLE`.
    const code = lerr
      ? `lerr ${lerr[1]}`
      : /\b(?:OnLoginError|LoginCup\w*)\b.*?\b(LERR_[A-Z0-9_]+)/.exec(message)?.[1];
    if (!code) return false;
    sink.emit({ kind: "error", dir: "local", label: `login error ${code}`, status: code, failed: true });
    return true;
  }

  /** csf.edge names the Expressway-E it talks to: URL hosts and `host=`/`server:` values. */
  function edge(message: string): void {
    for (const m of message.matchAll(/\bhttps?:\/\/([^/?#\s:]+)/gi)) edgeHosts.add(m[1]!.toLowerCase());
    for (const m of message.matchAll(
      /\b(?:host(?:name)?|server|edge\w*)\s*[=:]\s*\[?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/gi,
    ))
      if (/[a-z]/i.test(m[1]!.split(".").pop()!)) edgeHosts.add(m[1]!.toLowerCase());
  }

  /**
   * `sipio-sent---> REGISTER ...` / `sipio-recv<--- SIP/2.0 401 ...` and the message lines.
   * Peer: `expe` when the Request-URI, a Via or a Route host is an edge host seen earlier in
   * the file, or an earlier message of the same Call-ID went to Expressway-E; else `cucm`.
   */
  function sip(dir: "send" | "recv", lines: string[], sink: RecordSink): void {
    const msg = parseSip(lines);
    if (!msg) return;
    const known = msg.callId ? dialogs.get(msg.callId) : undefined;
    let peer: LaneId = known?.peer ?? "cucm";
    let host = known?.host;
    if (!known) {
      const hosts = sipHosts(lines, msg);
      const edgeHost = hosts.find((h) => edgeHosts.has(h));
      if (edgeHost) {
        peer = "expe";
        host = edgeHost;
      } else if (dir === "send" && msg.requestUri) {
        host = uriHost(msg.requestUri);
      }
      if (msg.callId) dialogs.set(msg.callId, { peer, host });
    }
    const event = sipEvent(msg, dir, peer);
    if (host) event.peerHost = host;
    sink.emit(event);
  }

  /** CTI (deskphone control): ProviderOpen request and response, the completed and out-of-service events. */
  function cti(message: string, sink: RecordSink): void {
    const seq = /seq#?\s*(?:[=:]\s*)?(\d+)/i.exec(message)?.[1];
    const reason =
      /\b(?:reason(?:\s*code)?|result|error(?:\s*code)?)\s*[=:]\s*(0x[0-9A-Fa-f]+|-?\d+|[A-Z][A-Z0-9_]+)/i.exec(
        message,
      )?.[1];
    const bad = reason !== undefined && !/^(?:0x0+|0+|success)$/i.test(reason);
    const login = userOf(/\blogin(?:Id)?\s*[=:]\s*([^\s,;)]+)/i.exec(message)?.[1]);
    const withUser = (e: EventInput): EventInput => {
      const u = login ?? ctiUser;
      if (u) e.user = u;
      return e;
    };
    if (/ProviderOpenFail/i.test(message)) {
      const event: EventInput = {
        kind: "error",
        dir: "local",
        label: "CTI ProviderOpenFailed",
        failed: true,
      };
      if (reason) event.status = reason;
      sink.emit(withUser(event));
      return;
    }
    const eventName = /PROVIDER_OUT_OF_SERVICE|ProviderOutOfService/i.test(message)
      ? "ProviderOutOfServiceEvent"
      : /PROVIDER_OPEN_COMPLETED|ProviderOpenCompleted/i.test(message)
        ? "ProviderOpenCompletedEvent"
        : undefined;
    if (eventName) {
      // Events carry no seq#: they merge with CUCM's `CTI <Name>` by match.
      const event = ctiEvent(eventName, "recv");
      if (reason) event.status = reason;
      if (bad || eventName === "ProviderOutOfServiceEvent") event.failed = true;
      sink.emit(withUser(event));
      return;
    }
    const device =
      /\b(DeviceOpenRequest|DeviceOpenResponse|DEVICE_IN_SERVICE_EVENT|DeviceInServiceEvent)\b/.exec(
        message,
      )?.[1];
    if (device) {
      // Deskphone control after the provider is open; CUCM's CTI Manager logs the same names.
      const name = device === "DEVICE_IN_SERVICE_EVENT" ? "DeviceInServiceEvent" : device;
      const isRequest = name === "DeviceOpenRequest";
      const event = ctiEvent(name, isRequest ? "send" : "recv");
      if (seq && !name.endsWith("Event")) {
        event.phase = isRequest ? "request" : "response";
        event.exchange = `cti:${seq}`;
        event.keys = { ctiSeq: seq };
      }
      if (reason) event.status = reason;
      if (bad) event.failed = true;
      sink.emit(withUser(event));
      return;
    }
    const exchangeSeq = seq ?? ctiSeq;
    const keys: CorrelationKeys = exchangeSeq ? { ctiSeq: exchangeSeq } : {};
    if (/ProviderOpenRes(?:ponse)?\b/.test(message)) {
      const provider = /provider\s*id\s*(?:[=:]\s*)?(\d+)/i.exec(message)?.[1];
      if (provider) keys.provider = provider;
      const event = ctiEvent("ProviderOpenResponse", "recv");
      event.phase = "response";
      if (exchangeSeq) event.exchange = `cti:${exchangeSeq}`;
      if (Object.keys(keys).length > 0) event.keys = keys;
      if (reason) event.status = reason;
      if (bad) event.failed = true;
      sink.emit(withUser(event));
      ctiSeq = undefined;
      return;
    }
    if (/ProviderOpen(?:Req(?:uest)?)?\b/.test(message) && /send|sent|sending|request|->/i.test(message)) {
      const event = ctiEvent("ProviderOpenRequest", "send");
      event.phase = "request";
      if (seq) {
        event.exchange = `cti:${seq}`;
        event.keys = keys;
      }
      ctiSeq = seq;
      ctiUser = login;
      sink.emit(withUser(event));
    }
  }

  return (record: RawRecord, sink: RecordSink): void => {
    const first = record.lines[0];
    if (first === undefined) return;
    const h = parseHeader(first);
    if (!h) return;
    if (!Number.isNaN(h.time)) sink.time(h.time, "local");
    if (h.level) sink.level(h.level);
    if (h.thread) sink.thread(h.thread);
    const message = h.message;
    if (loginError(message, sink)) return;
    if (h.logger === "csf.edge") edge(message);
    const sipio = /\bsipio-(sent|recv)/.exec(message);
    if (sipio) sip(sipio[1] === "sent" ? "send" : "recv", [message, ...record.lines.slice(1)], sink);
    else if (
      /ProviderOpen|PROVIDER_OPEN|PROVIDER_OUT_OF_SERVICE|ProviderOutOfService|DeviceOpen(?:Request|Response)|DEVICE_IN_SERVICE_EVENT|DeviceInServiceEvent/.test(
        message,
      )
    )
      cti(message, sink);
    else if (h.logger === "csf.dns" || h.logger === "service-discovery") dns(message, sink);
    else if (h.logger === "csf.httpclient") http(message, record.lines, sink);
    else if (message.includes("@XmppSDK")) xmpp(message, record, sink);
    else if (h.fn.endsWith("NavigateTo")) navigate(message, sink);
    else sso(h, sink);
  };
}

function dnsStatus(message: string, failed: boolean): string {
  const token = /\b(?:FAILED|SUCCESS|SUCCEEDED)[A-Z_]*\b/.exec(message)?.[0];
  if (token) return token;
  if (!failed) return "success";
  if (/does not exist|nxdomain|\b9003\b/i.test(message)) return "NXDOMAIN";
  const reason = /fail(?:ed|ure)?:?\s*([^.]{1,60})/i.exec(message)?.[1]?.trim();
  return reason || "failed";
}

/** The host of a SIP URI: `sip:1001@10.10.10.21:5060;transport=tcp` -> `10.10.10.21`. */
function uriHost(uri: string): string | undefined {
  const m = /^(?:sips?:)?(?:[^@;>\s]*@)?(\[[^\]]+\]|[^:;>\s]+)/i.exec(uri.replace(/^<|>$/g, ""));
  return m?.[1]?.toLowerCase();
}

/** Hosts a SIP message names on its route: the Request-URI, each Via and each Route. */
function sipHosts(lines: string[], msg: SipMessage): string[] {
  const hosts: string[] = [];
  if (msg.requestUri) {
    const h = uriHost(msg.requestUri);
    if (h) hosts.push(h);
  }
  // Flattened headers share a line: look for every Via/Route value anywhere in the text.
  const text = lines.join("\n");
  for (const m of text.matchAll(/(?:^|\s)(?:Via|v)\s*:\s*SIP\/2\.0\/[A-Z]+\s+(\[[^\]]+\]|[^:;\s]+)/gim))
    hosts.push(m[1]!.toLowerCase());
  for (const m of text.matchAll(/(?:^|\s)(?:Route|Record-Route)\s*:\s*([^\n]*)/gim))
    for (const u of m[1]!.matchAll(/<(sips?:[^>]+)>/g)) {
      const h = uriHost(u[1]!);
      if (h) hosts.push(h);
    }
  return hosts;
}

type Stanza = Pick<EventInput, "kind" | "label" | "failed" | "status">;

function stanzaEvent(payload: string): Stanza | null {
  if (payload.includes("<stream:features")) {
    const mechanisms = [...payload.matchAll(/<mechanism>\s*([^<\s]+)\s*<\/mechanism>/g)].map((m) => m[1]!);
    const sasl = payload.includes("<mechanisms") ? ` SASL [${mechanisms.join(", ")}]` : "";
    return { kind: "xmpp.stanza", label: `stream:features${sasl}` };
  }
  const auth = /<auth\b[^>]*\bmechanism=['"]([^'"]+)['"]/.exec(payload);
  if (auth) return { kind: "xmpp.sasl", label: `SASL auth ${auth[1]}` };
  if (/<success\b[^>]*xmpp-sasl/.test(payload)) return { kind: "xmpp.sasl", label: "SASL success" };
  if (/<failure\b[^>]*xmpp-sasl/.test(payload)) {
    const reason = /<failure\b[^>]*>\s*<([\w-]+)/.exec(payload)?.[1];
    return {
      kind: "xmpp.sasl",
      label: `SASL failure${reason ? ` ${reason}` : ""}`,
      status: reason,
      failed: true,
    };
  }
  const tag = /^\s*<(\/?[\w:.-]+)/.exec(payload)?.[1];
  if (!tag || tag.startsWith("?")) return null;
  const type = /^\s*<[^>]*?\btype=['"]([^'"]+)['"]/.exec(payload)?.[1];
  return { kind: "xmpp.stanza", label: type ? `${tag} ${type}` : tag };
}

/** How many head lines have the Jabber shape, weighed by how much of the head they are. */
function sniff(head: string): number {
  let examined = 0;
  let hits = 0;
  let known = 0;
  let tails = 0;
  let inSip = false;
  let at = 0;
  while (at < head.length && examined < SNIFF_LINES) {
    let end = head.indexOf("\n", at);
    if (end < 0) end = head.length;
    const line = head.slice(at, end).trimEnd();
    at = end + 1;
    if (line === "") continue;
    const header = HEADER_SHAPE.test(line) || MOBILE_START.test(line);
    // The lines of a SIP message after `sipio-sent--->` are Jabber's own output, not prose:
    // a softphone log is mostly SIP text, so they do not dilute the share.
    if (!header && inSip && !BRACKET_START.test(line)) continue;
    inSip = header && line.includes("sipio-");
    examined++;
    if (header) {
      hits++;
      if (KNOWN_LOGGER.test(line)) known++;
    } else if (BRACKET_START.test(line) && KNOWN_LOGGER.test(line)) {
      tails++;
    }
  }
  if (examined === 0) return 0;
  // Continuation lines (XML, stack traces) are common, so a fifth of the lines is enough; a few
  // Jabber lines quoted in an article are not a jabber.log.
  const share = Math.min(1, ((hits + tails) / examined) * 5);
  if (hits === 0) return 0.6 * share;
  const base =
    hits >= 3 ? (known > 0 ? 0.95 : 0.85) : hits === 2 ? (known > 0 ? 0.9 : 0.75) : known > 0 ? 0.7 : 0.5;
  return base * share;
}

export const jabber: SourceDescriptor = {
  id: "jabber",
  label: "Jabber (jabber.log)",
  lane: "jabber",
  priority: 5,
  sniff,
  isRecordStart: (line) => TIMESTAMP.test(line) || BRACKET_START.test(line) || MOBILE_START.test(line),
  createParser: () => createJabberParser(),
};
