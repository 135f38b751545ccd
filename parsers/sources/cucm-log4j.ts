import type { RawRecord } from "../io/records.ts";
import type { EventInput } from "../model/events.ts";
import { parseDateTime } from "./timestamps.ts";
import type { RecordParser, RecordSink, SourceDescriptor } from "./types.ts";

/**
 * CUCM Tomcat logs in the log4j layout: security (impl.AuthenticationLDAP), SSOSP
 * (token.TokenV2Manager) and UDS. `DATE TIME,ms LEVEL [thread] pkg.Class - message`.
 *
 * IM&P's Client Profile Agent (EPASSoap) writes the same layout; it belongs to `imp-epassoap`,
 * so the sniff decides by the classes, not by the layout.
 */

const RECORD_START = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d/;

/** Header: time, level, thread (bracketed, or bare as in older Tomcat logs), class, message. */
const HEADER =
  /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d+)\s+([A-Z]+)\s+(?:\[([^\]]*)\]|(\S+))\s+([A-Za-z_$][\w.$]*)\s+-(?:\s|$)(.*)$/;

/** Classes of the CUCM security, SSOSP and UDS logs. */
const CUCM_CLASS =
  /AuthenticationLDAP|AuthenticationImpl|AuthenticationDB|security|ssosp|sso\.|oauth|saml|token\.|Token[A-Z]|uds/i;
/** Classes of the IM&P Client Profile Agent (EPASSoap) log: not ours. */
const IMP_CLASS =
  /^(?:soap\.|handlers\.|imdb\.|ext\.SoapRequestParser)|GetOneTimePasswordHandler|LoginHandler/;

/** Lines of the head looked at by the sniff. */
const SNIFF_LINES = 400;

function sniff(head: string): number {
  let considered = 0;
  let shaped = 0;
  let cucm = 0;
  let imp = 0;
  for (const raw of head.split("\n", SNIFF_LINES)) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    considered++;
    const m = HEADER.exec(line);
    if (!m) continue;
    shaped++;
    const cls = m[5]!;
    if (IMP_CLASS.test(cls)) imp++;
    else if (CUCM_CLASS.test(cls)) cucm++;
  }
  if (shaped === 0) return 0;
  // An EPASSoap file may quote a security class now and then; its own classes dominate.
  if (imp > 0 && imp >= cucm) return 0.1;
  const ratio = shaped / considered;
  if (cucm > 0) return Math.min(1, 0.55 + 0.45 * ratio) * (imp > 0 ? 0.8 : 1);
  // The log4j layout with classes we do not know: some other CUCM Tomcat log, probably.
  return 0.4 * ratio;
}

/** The innermost account clause of an LDAP filter, or the whole filter when there is none. */
export function accountClause(filter: string): string {
  const m = /\((?:sAMAccountName|uid|userPrincipalName|mail|cn)=[^()]*\)/i.exec(filter);
  return m ? m[0] : filter;
}

/** A balanced parenthesised LDAP filter starting at `at`, or the rest of the line if unbalanced. */
function balancedFilter(s: string, at: number): string {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return s.slice(at, i + 1);
  }
  return s.slice(at).replace(/,\s*constraints=.*$/, "");
}

const BIND_FAILURE = /auth: failed|LDAP: error code (\d+)|Invalid credentials/i;

/*
 * What the parser looks for in a message, compiled once (a regex literal in the per-record
 * function is a new RegExp object at every record). Most records say none of it: KEYWORDS, one
 * scan of the message, tells before the dozen patterns below are tried one by one.
 */
const KEYWORDS =
  /userName=|SearchUserDn for|successful for|makeConnection: ldapURL|searchUserDn: performing|Issuing \w+ Token|JWT claims/i;
const NAMED_USER = /userName=(\S+)/;
const SEARCH_USER = /SearchUserDn for (\S+)/;
const SUCCESS_USER = /successful for user (\S+)/;
const AUTHENTICATE = /authenticateUserWithPassword: userName=(\S+)/;
const CONNECT = /makeConnection: ldapURL\[\d+\]=((ldaps?):\/\/([^:/\s]+)\S*)/;
const SEARCH = /searchUserDn: performing search with .*?filter=\(/;
const SEARCH_RESULT = /dn search is successful for user \S+ and the dn is (.+)$/;
const BIND_SUCCESS = /auth: successful for dn /;
const ISSUE = /Issuing (\w+) Token/i;
const JWT = /JWT claims/;
const CTYP = /"ctyp"\s*:\s*"([^"]*)"/;
const AUTH_FAILED = /auth: failed/i;

/** An event of the record's thread and user (no closure made per record for it). */
function emit(sink: RecordSink, thread: string, user: string | undefined, e: EventInput): void {
  const event: EventInput = thread ? { exchange: `thread:${thread}`, ...e } : { ...e };
  if (thread) event.keys = { thread, ...e.keys };
  if (user) event.user = user;
  sink.emit(event);
}

/** A failed bind: said on the header, or only in the exception lines that follow it. */
function bindFailure(
  record: RawRecord,
  message: string,
  thread: string,
  user: string | undefined,
  openBinds: Set<string>,
  sink: RecordSink,
): void {
  for (let i = 0; i < record.lines.length; i++) {
    const text = i === 0 ? message : record.lines[i]!;
    const f = BIND_FAILURE.exec(text);
    if (!f) continue;
    if (!openBinds.has(thread) && !AUTH_FAILED.test(text)) return;
    openBinds.delete(thread);
    emit(sink, thread, user, {
      kind: "ldap.result",
      dir: "recv",
      peer: "ldap",
      label: "bind failed",
      status: f[1] ? `error code ${f[1]}` : "failed",
      failed: true,
      phase: "response",
      exchange: `ldap-bind:${thread}`,
      lineOffset: i,
    });
    return;
  }
}

function createParser(): RecordParser {
  /** Per thread: the login user last named on it, and whether a user bind awaits its result. */
  const users = new Map<string, string>();
  const openBinds = new Set<string>();

  return (record, sink) => {
    const header = record.lines[0] ?? "";
    const m = HEADER.exec(header);
    if (!m) {
      if (RECORD_START.test(header)) sink.time(parseDateTime(header), "local");
      return;
    }
    const time = parseDateTime(m[1]!);
    if (!Number.isNaN(time)) sink.time(time, "local");
    sink.level(m[2]!);
    const thread = m[3] ?? m[4] ?? "";
    if (thread) sink.thread(thread);
    const message = m[6]!;
    if (!KEYWORDS.test(message))
      return bindFailure(record, message, thread, users.get(thread), openBinds, sink);

    const named =
      NAMED_USER.exec(message)?.[1] ?? SEARCH_USER.exec(message)?.[1] ?? SUCCESS_USER.exec(message)?.[1];
    if (named) users.set(thread, named);
    const user = users.get(thread);

    let k: RegExpExecArray | null;
    if ((k = AUTHENTICATE.exec(message))) {
      emit(sink, thread, user, { kind: "note", dir: "local", label: `authenticate user ${k[1]}` });
    } else if ((k = CONNECT.exec(message))) {
      emit(sink, thread, user, {
        kind: "ldap.connect",
        dir: "send",
        peer: "ldap",
        peerHost: k[3]!,
        label: `LDAP connect ${k[1]}`,
      });
    } else if ((k = SEARCH.exec(message))) {
      const filter = balancedFilter(message, k.index + k[0].length - 1);
      emit(sink, thread, user, {
        kind: "ldap.search",
        dir: "send",
        peer: "ldap",
        label: `LDAP search ${accountClause(filter)}`,
        phase: "request",
        exchange: `ldap-search:${thread}`,
      });
    } else if ((k = SEARCH_RESULT.exec(message))) {
      const dn = k[1]!.trim();
      emit(sink, thread, user, {
        kind: "ldap.result",
        dir: "recv",
        peer: "ldap",
        label: `search result ${dn}`,
        phase: "response",
        exchange: `ldap-search:${thread}`,
        lineOffset: 0,
      });
      emit(sink, thread, user, {
        kind: "ldap.bind",
        dir: "send",
        peer: "ldap",
        label: `LDAP bind ${dn}`,
        phase: "request",
        exchange: `ldap-bind:${thread}`,
        lineOffset: 0,
      });
      openBinds.add(thread);
    } else if (BIND_SUCCESS.test(message)) {
      openBinds.delete(thread);
      emit(sink, thread, user, {
        kind: "ldap.result",
        dir: "recv",
        peer: "ldap",
        label: "bind success",
        status: "success",
        phase: "response",
        exchange: `ldap-bind:${thread}`,
      });
    } else if ((k = ISSUE.exec(message))) {
      emit(sink, thread, user, {
        kind: "token.issue",
        dir: "local",
        label: `issue ${k[1]!.toLowerCase()} token`,
      });
    } else if (JWT.test(message)) {
      const ctyp = CTYP.exec(message)?.[1];
      emit(sink, thread, user, {
        kind: "note",
        dir: "local",
        label: ctyp ? `JWT claims ctyp=${ctyp}` : "JWT claims",
      });
    } else bindFailure(record, message, thread, user, openBinds, sink);
  };
}

export const cucmLog4j: SourceDescriptor = {
  id: "cucm-log4j",
  label: "CUCM Tomcat (log4j)",
  lane: "cucm",
  priority: 10,
  sniff,
  isRecordStart: (line) => RECORD_START.test(line),
  createParser,
};
