import type { EventInput } from "../model/events.ts";
import type { RecordParser, RecordSink, SourceDescriptor } from "./types.ts";
import { parseDateTime } from "./timestamps.ts";

/**
 * IM&P Client Profile Agent (EPASSoap) logs: log4j lines, either
 *   `2014-11-12 10:26:44,155 INFO [http-bio-443-exec-23] handlers.LoginHandlerNonSSO - message`
 * or the older shape without brackets round the thread
 *   `2011-04-26 10:05:51,826 INFO http-8443-3 soap.LoginHandler - IMS result code is :1`.
 * The client on the other end of the SOAP calls is Jabber.
 */

const RECORD_START = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3}/;

/** Date, time, level, thread (bracketed or bare), class, message. Older lines may write "-IMS". */
const HEADER =
  /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3})\s+([A-Z]+)\s+(?:\[([^\]]*)\]|(\S+))\s+([\w.$]+)\s+-\s?(.*)$/;

/** Classes and phrases only the Client Profile Agent writes: CUCM log4j files share the shape. */
const VOCABULARY =
  /\bsoap\.SoapServlet\b|\bhandlers\.LoginHandler\w*|\bsoap\.LoginHandler\b|\bimdb\.ImdbLoginAccessorUtil\b|\bGetOneTimePasswordHandler\b|IMS result code|\/EPASSoap\//;

const SNIFF_LINES = 400;

const SOAP_OPERATION = /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/;
const SOAP_USERNAME = /<(?:[\w.-]+:)?username>\s*([^<\s]+)\s*</;
const IMS_LOGIN_RESULT = /IMS login result is (\w+) for ([^|\s]+)\s*\|\s*IMS result code:\s*(-?\d+)/;
const IMS_RESULT_CODE = /IMS result code is\s*:\s*(-?\d+)/;
const SESSION_CREATED = /session created for user:\s*(\S+?)\.?\s+SessionKey is:\s*(\S+)/;
const REQUEST_FOR = /SOAP request for:\s*([\w.-]+)/;
const RETURNING_RESPONSE = /Returning response for\s+([\w.-]+)/;

/** The login user without domain, as sessions are built from it. */
function bareUser(user: string): string {
  const at = user.indexOf("@");
  return at > 0 ? user.slice(0, at) : user;
}

export function sniffEpassoap(head: string): number {
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
  // The shape alone is any log4j file (CUCM Tomcat security logs): stay below MIN_CONFIDENCE.
  if (!vocabulary) return 0.15;
  return 0.6 + 0.35 * Math.min(1, (2 * shaped) / nonEmpty);
}

/** A local event of the record's thread (no closure made per record for it). */
function local(
  sink: RecordSink,
  thread: string,
  keys: { thread: string } | undefined,
  e: Omit<EventInput, "dir">,
): void {
  sink.emit({ dir: "local", ...(thread ? { exchange: `thread:${thread}` } : {}), keys, ...e });
}

function createEpassoapParser(): RecordParser {
  return (record, sink) => {
    const header = record.lines[0] ?? "";
    const m = HEADER.exec(header);
    const time = parseDateTime(header, 0);
    if (!Number.isNaN(time)) sink.time(time, "local");
    if (!m) return;
    const level = m[2]!;
    const thread = m[3] ?? m[4] ?? "";
    sink.level(level);
    if (thread) sink.thread(thread);
    const message = record.lines.length > 1 ? [m[6]!, ...record.lines.slice(1)].join("\n") : m[6]!;
    const keys = thread ? { thread } : undefined;

    if (message.startsWith("Incoming Request")) {
      const op = SOAP_OPERATION.exec(message)?.[1];
      if (!op) return;
      const user = SOAP_USERNAME.exec(message)?.[1];
      sink.emit({
        kind: "soap.request",
        dir: "recv",
        peer: "jabber",
        label: `SOAP ${op}`,
        match: `SOAP ${op}`,
        phase: "request",
        exchange: `soap:${thread}`,
        keys,
        ...(user ? { user: bareUser(user) } : {}),
      });
      return;
    }

    const login = IMS_LOGIN_RESULT.exec(message);
    if (login) {
      const code = login[3]!;
      const ok = code === "0";
      local(sink, thread, keys, {
        kind: "auth.result",
        label: ok ? `IMS result 0 (${login[1]})` : `IMS result ${code}`,
        status: `IMS ${code}`,
        ...(ok ? {} : { failed: true }),
        user: bareUser(login[2]!),
      });
      return;
    }

    const result = IMS_RESULT_CODE.exec(message);
    if (result) {
      const code = result[1]!;
      const ok = code === "0";
      local(sink, thread, keys, {
        kind: "auth.result",
        label: ok ? "IMS result 0 (success)" : `IMS result ${code}`,
        status: `IMS ${code}`,
        ...(ok ? {} : { failed: true }),
      });
      return;
    }

    if (/SOAP Login was successful/.test(message)) {
      // The response goes out once, on the SessionKey line; this one only says so.
      local(sink, thread, keys, { kind: "note", label: "SOAP login successful" });
      return;
    }

    const session = SESSION_CREATED.exec(message);
    if (session) {
      sink.emit({
        kind: "soap.response",
        dir: "send",
        peer: "jabber",
        label: "SOAP login: success",
        status: "success",
        phase: "response",
        exchange: `soap:${thread}`,
        keys: { ...keys, sessionKey: session[2]! },
        user: bareUser(session[1]!),
      });
      return;
    }

    const requestFor = REQUEST_FOR.exec(message);
    if (requestFor) {
      const op = requestFor[1]!;
      // Login arrives as "Incoming Request" with its body; other calls are named here.
      if (op === "login") return;
      sink.emit({
        kind: "soap.request",
        dir: "recv",
        peer: "jabber",
        label: `SOAP ${op}`,
        match: `SOAP ${op}`,
        phase: "request",
        exchange: `${op === "get-onetime-password" ? "otp" : "soap"}:${thread}`,
        keys,
      });
      return;
    }

    const returning = RETURNING_RESPONSE.exec(message);
    if (returning && returning[1] !== "login") {
      const op = returning[1]!;
      const otp = op === "get-onetime-password";
      sink.emit({
        kind: "soap.response",
        dir: "send",
        peer: "jabber",
        label: otp ? "SOAP get-onetime-password: token" : `SOAP ${op}`,
        phase: "response",
        exchange: `${otp ? "otp" : "soap"}:${thread}`,
        keys,
      });
      return;
    }

    if (/GetOneTimePasswordHandler:\s*successful/.test(message))
      local(sink, thread, keys, { kind: "note", label: "get-onetime-password successful" });
  };
}

export const impEpassoap: SourceDescriptor = {
  id: "imp-epassoap",
  label: "IM&P Client Profile Agent (EPASSoap)",
  lane: "imp",
  priority: 2,
  sniff: sniffEpassoap,
  isRecordStart: (line) => RECORD_START.test(line),
  createParser: createEpassoapParser,
};
