import { regexPerName } from "./regexes.ts";
import type { EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";
import { parseSip, sipEvent } from "./sip.ts";
import { parseTimeOfDay } from "./timestamps.ts";
import type { RawRecord } from "../io/records.ts";
import type { RecordParser, RecordSink, SourceDescriptor } from "./types.ts";

/**
 * SDL traces of CallManager and CTI Manager: `NNNNNNNN.NNN |HH:MM:SS.mmm |AppInfo |text` or
 * `... |SdlSig |Signal |state |dest(...) |src(...) |... |params`. Time of day only.
 *
 * The CTI Manager talks CTI (QBE) with Jabber and, to authenticate the user, LDAP: both
 * halves of those exchanges are read from its AppInfo lines.
 *
 * CallManager's SIP station records:
 * - `AppInfo |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message from IP on port N index I with
 *   B bytes:` (and `wait_SdlSPISignal: Outgoing SIP TCP message to IP on port N ...`; UDP and TLS
 *   alike), then `[12,NET]` and the SIP message as continuation lines: one SIP arrow. The peer is
 *   `jabber`, or `expc` for an address whose messages came through an Expressway (a `Via` with
 *   `egress-zone=` or `proxy-call-id=`, which only Expressway writes); once placed, an address
 *   keeps its lane for the file.
 * - `//SIP/SIPHandler/ccbId=../scbId=../SIP_PROCESS_ENQUEUE: ...` and `SIPStationD(...) - ...`
 *   lines are CallManager's own processing of a message the transport line already drew: no event.
 * - `ConnectionFailure` (an SdlSig of that name or an AppInfo line naming it) and alarms
 *   (`|AlarmErr |AlarmClass: CallManager, AlarmName: EndPointUnregistered, ... AlarmParameters:
 *   DeviceName:X, ..., Reason:13, ...`, any `Alarm*` trace type, or `AlarmName:` in a line): a
 *   local `error`, failed, labelled `alarm NAME DEVICE` with status `Reason N`. Alarms that report
 *   a recovery (EndPointRegistered, ...InService, ...Restored) are plain notes.
 */

const RECORD_START = /^\d{8}\.\d{3} \|\d\d:\d\d:\d\d\.\d{3} \|/;
/** The `|` after the trace type may be missing when a copy wrapped the line right after it. */
const HEADER = /^\d{8}\.\d{3} \|(\d\d:\d\d:\d\d\.\d{3}) \|(\w+)(?!\w)\s*(?!\s)\|?(.*)$/;

const SNIFF_LINES = 400;

/*
 * HEADER's groups in a line it matches, by hand: the time is at 14-26 (after the fixed
 * `DDDDDDDD.DDD |`), the type is the run of \w from 28 (after ` |`), and the rest follows the
 * white space after the type and one `|` if there is one.
 */

/** The end of the run of \w (ASCII letters, digits, _) that starts at `from`. */
function wordEnd(line: string, from: number): number {
  let i = from;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  return i;
}

/** Where HEADER's last group starts: past \s* and an optional `|` after the type. */
function restStart(line: string, from: number): number {
  let i = from;
  while (i < line.length && isRegExpSpace(line.charCodeAt(i))) i++;
  return line.charCodeAt(i) === 124 /* | */ ? i + 1 : i;
}

/** What \s matches in an expression without the u flag. */
function isRegExpSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Lines of a SIP message quoted after a transport record ("[12,NET]", start line, headers). */
const SIP_LINE = /^(?:\[\d+,NET\]$|SIP\/2\.0 \d{3}|[A-Z]{3,12} sips?:\S+ SIP\/2\.0$|[A-Za-z][\w-]*:\s)/;
const SIP_TRANSPORT =
  /\b(Incoming|Outgoing) SIP (?:TCP|UDP|TLS) message (?:from|to) ([\w.:-]+?)(?: on port (\d+))?(?:\s|$)/;
/** Only Expressway writes these Via parameters. */
const VIA_EXPRESSWAY = /^Via:.*;(?:egress-zone|proxy-call-id)=/im;
const RECOVERY_ALARM = /(?<!Un)Registered$|InService$|Restored$|Recovered$/;

function sniff(head: string): number {
  let considered = 0;
  let sdl = 0;
  for (const raw of head.split("\n", SNIFF_LINES)) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "" || SIP_LINE.test(line)) continue;
    considered++;
    if (
      RECORD_START.test(line) &&
      /^\S+ \|\S+ \|(?:AppInfo|SdlSig|AppWarn|AppErr|SdlExc|SdlErr|SdlInfo)\b/.test(line)
    )
      sdl++;
    else if (RECORD_START.test(line)) sdl += 0.5;
  }
  if (sdl === 0) return 0;
  return Math.min(1, 0.2 + (0.8 * sdl) / considered);
}

/** SdlSig signals that mark the CTI login and device open on the CTI Manager itself. */
const CTI_SIGNALS = new Set([
  "CtiProviderOpenReq",
  "CtiProceedWithAppLogin",
  "CtiLoginCheckReq",
  "CtiLoginCheckRes",
  "CtiUserSettingsReq",
  "CtiUserSettingsRes",
  "CtiDeviceOpenDeviceReq",
  "CtiDeviceOpenDeviceRes",
]);

/** The parameters worth showing per signal, in the order they are shown. */
const SIGNAL_PARAMS: Record<string, string[]> = {
  CtiProviderOpenReq: ["LoginId"],
  CtiLoginCheckReq: ["Login"],
  CtiLoginCheckRes: ["result"],
  CtiUserSettingsReq: ["mUserId"],
  CtiUserSettingsRes: ["Userid", "result"],
  CtiDeviceOpenDeviceReq: ["Name"],
  CtiDeviceOpenDeviceRes: ["Name", "mOpenResult"],
};

/**
 * `key=value` or `key = value` in SDL parameters. The key must start a word (`Name`, not
 * `ProviderName`); `key= next=...` is an empty value, not `next=...`.
 */
function param(params: string, key: string): string | undefined {
  return paramRegex(key).exec(params)?.[1];
}

const paramRegex = regexPerName((key) => `(?:^|[\\s|])${key}(?:=|\\s+=\\s+)([^\\s|]+)`);

function isSuccess(value: string): boolean {
  return /^(?:success|0|0x0)$/i.test(value);
}

/** The account clause of an LDAP filter, or the filter itself. */
function accountClause(filter: string): string {
  const m = /\((?:sAMAccountName|uid|userPrincipalName|mail|cn)=[^()]*\)/i.exec(filter);
  return m ? m[0] : filter.trim();
}

/** What the parser remembers across the records of one file. */
interface State {
  /** The login user last named in the file (a CTI Manager serves one login at a time in practice). */
  user: string | undefined;
  ldapCount: number;
  /** The LDAP exchange awaiting a bind result, and the search awaiting its completion. */
  openBind: string | null;
  openSearch: { exchange: string; from: "filter" | "base" } | null;
  /** SIP: remote address -> lane, once known. */
  sipPeers: Map<string, LaneId>;
}

function nextLdap(st: State): string {
  return `ldap:${++st.ldapCount}`;
}

/** An event of the file, with the login user unless it names its own. */
function emit(st: State, sink: RecordSink, e: EventInput): void {
  if (st.user && !e.user) e.user = st.user;
  sink.emit(e);
}

function createParser(): RecordParser {
  const st: State = { user: undefined, ldapCount: 0, openBind: null, openSearch: null, sipPeers: new Map() };
  return (record, sink) => parseRecord(st, record, sink);
}

function parseRecord(st: State, record: RawRecord, sink: RecordSink): void {
  const lines = record.lines;
  const header = lines[0] ?? "";
  // Tested, not matched (an exec's array and strings for every record were the parser's largest
  // allocation); HEADER holding, its groups are at known places (see wordEnd).
  if (!HEADER.test(header)) return;
  const time = parseTimeOfDay(header.slice(14, 26));
  if (!Number.isNaN(time)) sink.time(time, "tod");
  const typeEnd = wordEnd(header, 28);
  const type = header.slice(28, typeEnd);
  const rest = header.slice(restStart(header, typeEnd));

  let t: RegExpExecArray | null;
  if (type === "AppInfo" && rest.includes(" SIP ") && (t = SIP_TRANSPORT.exec(rest))) {
    sipMessage(st, record, sink, t[1] === "Incoming", t[2]!);
    return;
  }
  // A record the trace itself broke over lines reads as one (trimmed lines, blank ones left out).
  let text = rest;
  if (lines.length !== 1) {
    text = "";
    let first = true;
    for (let i = 0; i < lines.length; i++) {
      const l = (i === 0 ? rest : lines[i]!).trim();
      if (l === "") continue;
      text = first ? l : `${text} ${l}`;
      first = false;
    }
  }

  if (type.startsWith("Alarm") || (text.includes("AlarmName:") && /\bAlarmName:\s*\w/.test(text))) {
    alarm(st, sink, text);
    return;
  }
  if (type === "SdlSig") {
    const bar = text.indexOf(" |");
    const first = bar < 0 ? text : text.slice(0, bar);
    if (first.includes("ConnectionFailure")) return connectionFailure(st, sink, text);
    if (CTI_SIGNALS.has(first.trim())) signal(st, sink, text);
    return;
  }
  if (type !== "AppInfo") return;
  if (text.includes("ConnectionFailure") && /\bConnectionFailure\b/.test(text))
    return connectionFailure(st, sink, text);
  appInfo(st, sink, text);
}

function appInfo(st: State, sink: RecordSink, text: string): void {
  let k: RegExpExecArray | null;
  if (
    text.includes("[CTIHandler::processIncomingMessage") &&
    (k = /\[CTIHandler::processIncomingMessage\s*\]\s*CTI\s+(\w+)\s*\((.*)$/.exec(text))
  ) {
    const name = k[1]!;
    const body = k[2]!;
    const login = /\blogin=([^\s)]+)/.exec(body)?.[1];
    if (login) st.user = login;
    const seq = /seq#=(\d+)/.exec(body)?.[1];
    const label = `CTI ${name}`;
    emit(st, sink, {
      kind: "cti.request",
      dir: "recv",
      peer: "jabber",
      label,
      match: label,
      ...(seq ? { phase: "request", exchange: `cti:${seq}`, keys: { ctiSeq: seq } } : {}),
    });
    return;
  }
  if (
    text.includes("[CTIHandler::OutputCtiMessage") &&
    (k = /\[CTIHandler::OutputCtiMessage\s*\]\s*CTI\s+(\w+)\s*\((.*)$/.exec(text))
  ) {
    const name = k[1]!;
    const body = k[2]!;
    const seq = /seq#=(\d+)/.exec(body)?.[1];
    const label = `CTI ${name}`;
    if (!seq || name.endsWith("Event")) {
      emit(st, sink, { kind: "cti.event", dir: "send", peer: "jabber", label, match: label });
      return;
    }
    const event: EventInput = {
      kind: "cti.response",
      dir: "send",
      peer: "jabber",
      label,
      match: label,
      phase: "response",
      exchange: `cti:${seq}`,
      keys: { ctiSeq: seq },
    };
    const provider = /provider id=(\d+)/.exec(body)?.[1];
    if (provider) event.keys!.provider = provider;
    const result = /\bresult=([^\s)]+)/.exec(body)?.[1];
    if (result) {
      event.status = result;
      if (!isSuccess(result)) event.failed = true;
    }
    emit(st, sink, event);
    return;
  }

  if (text.includes("userid is ") && (k = /^(?:LDAP )?userid is '?([^'\s]+)'?$/.exec(text))) {
    st.user = k[1];
    return;
  }
  if (
    text.includes("Authenticating with SSL ") &&
    (k = /Authenticating with SSL (?:not )?enabled\s*\(((ldaps?):\/\/([^:/)\s]+)(?:[:/][^)\s]*)?)\)/.exec(
      text,
    ))
  ) {
    const connect: EventInput = {
      kind: "ldap.connect",
      dir: "send",
      peer: "ldap",
      peerHost: k[3]!,
      label: `LDAP connect ${k[1]}`,
    };
    // Authenticate() binds as it connects: with the service account unless a user bind is pending.
    if (st.openBind === null) {
      st.openBind = nextLdap(st);
      connect.phase = "request";
      connect.exchange = st.openBind;
    }
    emit(st, sink, connect);
    return;
  }
  if (
    text.includes("LDAP authentication bind ") &&
    (k = /LDAP authentication bind (\w+) for (.+)$/.exec(text))
  ) {
    const ok = /^success/i.test(k[1]!);
    const event: EventInput = {
      kind: "ldap.result",
      dir: "recv",
      peer: "ldap",
      label: `bind ${k[1]!.toLowerCase()} ${k[2]!.trim()}`,
      status: ok ? "success" : k[1]!.toLowerCase(),
    };
    if (!ok) event.failed = true;
    if (st.openBind !== null) {
      event.phase = "response";
      event.exchange = st.openBind;
      st.openBind = null;
    }
    emit(st, sink, event);
    return;
  }
  if (st.openBind !== null && /Invalid credentials|LDAP error|error code \d+|bind failed/i.test(text)) {
    const code = /error code (\d+)/.exec(text)?.[1];
    emit(st, sink, {
      kind: "ldap.result",
      dir: "recv",
      peer: "ldap",
      label: "bind failed",
      status: code ? `error code ${code}` : "failed",
      failed: true,
      phase: "response",
      exchange: st.openBind,
    });
    st.openBind = null;
    return;
  }
  const filterLine = text.includes("Retrieve the specified user entry:")
    ? /Retrieve the specified user entry:\s*(?!\s)(.*)$/.exec(text)
    : null;
  const baseLine =
    filterLine || !text.includes("LDAP Search for User base:")
      ? null
      : /LDAP Search for User base:\s*(?!\s)(.*)$/.exec(text);
  if (filterLine || baseLine) {
    const from = filterLine ? "filter" : "base";
    // The filter line and the base line describe one search: the first of them draws it.
    if (st.openSearch !== null && st.openSearch.from !== from) return;
    st.openSearch = { exchange: nextLdap(st), from };
    const what = filterLine
      ? accountClause(filterLine[1]!)
      : `base ${baseLine![1]!.trim().replace(/^'|'$/g, "")}`;
    emit(st, sink, {
      kind: "ldap.search",
      dir: "send",
      peer: "ldap",
      label: `LDAP search ${what}`,
      phase: "request",
      exchange: st.openSearch.exchange,
    });
    return;
  }
  if (text.includes("LDAP Search complete.") && (k = /LDAP Search complete\. Code:\s*(-?\d+)/.exec(text))) {
    const code = k[1]!;
    const event: EventInput = {
      kind: "ldap.result",
      dir: "recv",
      peer: "ldap",
      label: `search complete code ${code}`,
      status: code,
    };
    if (code !== "0") event.failed = true;
    if (st.openSearch !== null) {
      event.phase = "response";
      event.exchange = st.openSearch.exchange;
      st.openSearch = null;
    }
    emit(st, sink, event);
    return;
  }
  // The DN, or (nothing after the blanks) the last blank: what `\s*(.+)$` took, without rescans.
  if (
    text.includes("Attempt to authenticate DN:") &&
    (k = /Attempt to authenticate DN:\s*(\S.*|[^\S\n\r\u2028\u2029])$/.exec(text))
  ) {
    st.openBind = nextLdap(st);
    emit(st, sink, {
      kind: "ldap.bind",
      dir: "send",
      peer: "ldap",
      label: `LDAP bind ${k[1]!.trim()}`,
      phase: "request",
      exchange: st.openBind,
    });
    return;
  }
  if (
    text.includes("Successfully authenticated user:") &&
    (k = /Successfully authenticated user:\s*(\S+)/.exec(text))
  ) {
    st.user = k[1];
    emit(st, sink, {
      kind: "auth.result",
      dir: "local",
      label: `authenticated user ${k[1]}`,
      status: "success",
      user: k[1]!,
    });
    return;
  }
  if ((k = /(?:Failed to authenticate|Authentication failed for) user:?\s*(\S+)/i.exec(text))) {
    emit(st, sink, {
      kind: "auth.result",
      dir: "local",
      label: `authentication failed ${k[1]}`,
      status: "failed",
      failed: true,
      user: k[1]!,
    });
  }
}

function sipMessage(
  st: State,
  record: RawRecord,
  sink: RecordSink,
  incoming: boolean,
  address: string,
): void {
  const lines = record.lines.slice(1);
  const msg = parseSip(lines);
  if (!msg) return;
  const ip = address.replace(/:\d+$/, "");
  if (incoming && VIA_EXPRESSWAY.test(lines.join("\n"))) st.sipPeers.set(ip, "expc");
  const peer = st.sipPeers.get(ip) ?? "jabber";
  const event = sipEvent(msg, incoming ? "recv" : "send", peer, 1 + msg.startLine);
  event.peerHost = ip;
  sink.emit(event);
}

function alarm(st: State, sink: RecordSink, body: string): void {
  const name = /AlarmName:\s*(\w+)/.exec(body)?.[1] ?? (/^(\w+)\s+-/.exec(body)?.[1] || "alarm");
  const params = /AlarmParameters:(.*)$/.exec(body)?.[1] ?? body;
  const device = /\bDevice ?Name\s*:\s*([^,\s]+)/i.exec(params)?.[1]?.trim();
  const reason = /\bReason(?: ?Code)?\s*:([^,]+)/i.exec(params)?.[1]?.trim();
  const recovery = RECOVERY_ALARM.test(name);
  const event: EventInput = {
    kind: recovery ? "note" : "error",
    dir: "local",
    label: `alarm ${name}${device ? ` ${device}` : ""}`,
  };
  if (reason) event.status = `Reason ${reason}`;
  if (!recovery) event.failed = true;
  emit(st, sink, event);
}

function connectionFailure(st: State, sink: RecordSink, body: string): void {
  const reason =
    /\b(?:reason|cause|error)\s*(?:code\s*)?[=:]\s*([^,\s|]+)/i.exec(body)?.[1] ??
    // Only a "ConnectionFailure" after the last "|" can match: looked for there, so that each
    // of many does not read on to the "|"; and its word stops at the next one, so that each of
    // "ConnectionFailureConnectionFailure..." does not read the whole word (both quadratic).
    /ConnectionFailure(?:(?!ConnectionFailure)\w)*\s*[-:]\s*(?!\s)([^|]*[^|\s])\s*$/.exec(
      body.slice(body.lastIndexOf("|") + 1),
    )?.[1];
  const address = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/.exec(body)?.[1];
  emit(st, sink, {
    kind: "error",
    dir: "local",
    label: `ConnectionFailure${address ? ` ${address}` : ""}`,
    status: reason ?? "failed",
    failed: true,
  });
}

/** An SdlSig record of one of the CTI_SIGNALS. */
function signal(st: State, sink: RecordSink, sig: string): void {
  // Signal |state |dest |src |routing |params: params may contain " |" themselves (DH=1|38).
  const fields = sig.split(" |");
  const name = fields[0]!.trim();
  const params = fields.slice(5).join(" |");
  const shown: string[] = [];
  let failed = false;
  let status: string | undefined;
  for (const key of SIGNAL_PARAMS[name] ?? []) {
    const value = param(params, key);
    if (value === undefined || value === "") continue;
    shown.push(`${key}=${value}`);
    if (/result$/i.test(key) || key === "mOpenResult") {
      status = value;
      if (!isSuccess(value)) failed = true;
    }
  }
  const named =
    param(params, "LoginId") ??
    param(params, "Login") ??
    param(params, "mUserId") ??
    param(params, "Userid") ??
    param(params, "AppLoginUserId");
  if (named) st.user = named;
  if (name === "CtiUserSettingsRes" && /CTI Enabled\s*=\s*Disabled/.test(params)) {
    shown.push("CTI Enabled=Disabled");
    failed = true;
  }
  const event: EventInput = {
    kind: "cti.event",
    dir: "local",
    label: [name, ...shown].join(" "),
  };
  if (status !== undefined) event.status = status;
  if (failed) event.failed = true;
  const seq = param(params, "Seq#");
  const provider = /ProviderIds are (\d+)/.exec(params)?.[1];
  if (seq || provider) event.keys = { ...(seq ? { ctiSeq: seq } : {}), ...(provider ? { provider } : {}) };
  emit(st, sink, event);
}

export const cucmSdl: SourceDescriptor = {
  id: "cucm-sdl",
  label: "CUCM SDL trace",
  lane: "cucm",
  priority: 10,
  sniff,
  isRecordStart: (line) => RECORD_START.test(line),
  createParser,
};
