import type { Message } from "./messages.ts";

export type Flow = "mra-oauth" | "mra" | "onprem" | "cti" | "unknown";
export type Outcome = "success" | "failure" | "incomplete";

export interface Session {
  user: string | null;
  flow: Flow;
  outcome: Outcome;
  start: number;
  end: number;
  messages: number[];
}

/** A new login attempt when the same user is silent for this long. */
const SESSION_GAP_MS = 10 * 60000;
/** Messages without a user join the session closest in time, if it is this close. */
const ATTACH_MS = 2 * 60000;

const FLOW_RULES: [Flow, RegExp][] = [
  ["mra-oauth", /get_edge_sso|localauthentication|authorize_proxy|access_token|OAuthvalidator|\bauthorize\b/],
  ["mra", /get_edge_config|_collab-edge/],
  ["cti", /^CTI |ProviderOpen|DeviceOpen/],
  ["onprem", /SOAP |cucm-uds|_cisco-uds|_cuplogin|LDAP |SASL|IMS result/],
];

const SUCCESS =
  /IMS result 0|SOAP login: success|SASL success|DeviceInService|Access Token accepted|token valid|bind success|200 get_edge_config/;

/** One login attempt of one user: the user's messages, split at long silences, plus nearby unattributed ones. */
export function groupSessions(messages: Message[]): Session[] {
  // A dialog's user is every message's user.
  const dialogUser = new Map<string, string>();
  for (const m of messages)
    if (m.dialog && m.user && !dialogUser.has(m.dialog)) dialogUser.set(m.dialog, m.user);
  const userOf = (m: Message) => m.user ?? (m.dialog ? dialogUser.get(m.dialog) : undefined);

  const sessions: Session[] = [];
  const open = new Map<string, Session>();
  const unattributed: Message[] = [];
  for (const m of messages) {
    const user = userOf(m);
    if (!user) {
      unattributed.push(m);
      continue;
    }
    let s = open.get(user);
    if (!s || m.time - s.end > SESSION_GAP_MS) {
      s = { user, flow: "unknown", outcome: "incomplete", start: m.time, end: m.time, messages: [] };
      sessions.push(s);
      open.set(user, s);
    }
    s.messages.push(m.id);
    s.end = Math.max(s.end, m.time);
  }
  const orphans: Message[] = [];
  // Sessions by start, with the one that ends latest so far: the nearest session to a time is
  // either the latest-ending one that started before it or the first that starts after it.
  const byStart = [...sessions].sort((a, b) => a.start - b.start);
  const latest: Session[] = [];
  byStart.forEach((s, i) => latest.push(i > 0 && latest[i - 1]!.end >= s.end ? latest[i - 1]! : s));
  const gapTo = (s: Session, t: number) => (t < s.start ? s.start - t : t > s.end ? t - s.end : 0);
  for (const m of unattributed) {
    if (Number.isNaN(m.time)) {
      orphans.push(m);
      continue;
    }
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid]!.start <= m.time) lo = mid + 1;
      else hi = mid;
    }
    const before = lo > 0 ? latest[lo - 1] : undefined;
    const after = byStart[lo];
    const gapBefore = before ? gapTo(before, m.time) : Infinity;
    const gapAfter = after ? gapTo(after, m.time) : Infinity;
    const best = gapBefore <= gapAfter ? before : after;
    const bestGap = Math.min(gapBefore, gapAfter);
    if (best && bestGap <= ATTACH_MS) best.messages.push(m.id);
    else orphans.push(m);
  }
  // What no user claims still forms sessions, split at silences: a failed login often names no one.
  let current: Session | undefined;
  for (const m of orphans) {
    if (!current || m.time - current.end > SESSION_GAP_MS) {
      current = {
        user: null,
        flow: "unknown",
        outcome: "incomplete",
        start: m.time,
        end: m.time,
        messages: [],
      };
      sessions.push(current);
    }
    current.messages.push(m.id);
    current.end = Math.max(current.end, m.time);
  }
  // Built messages carry their index as id; a caller's may not.
  const byIndex = messages.every((m, i) => m.id === i);
  const byId = byIndex ? undefined : new Map(messages.map((m) => [m.id, m]));
  for (const s of sessions) {
    if (!isSorted(s.messages)) s.messages.sort((a, b) => a - b);
    const ms = byId ? s.messages.map((id) => byId.get(id)!) : s.messages.map((id) => messages[id]!);
    let start = Infinity;
    let end = -Infinity;
    let failed = false;
    for (const m of ms) {
      const t = m.time;
      if (!Number.isNaN(t)) {
        if (t < start) start = t;
        if (t > end) end = t;
      }
      if (m.failed) failed = true;
    }
    s.start = start === Infinity ? NaN : start;
    s.end = end === -Infinity ? NaN : end;
    // The first rule that any message's label matches; labels are tested rule by rule, as few
    // as that takes (most labels are distinct: caching the answers per label cost more).
    let flow: Flow = "unknown";
    rules: for (const [name, re] of FLOW_RULES)
      for (const m of ms)
        if (re.test(m.label)) {
          flow = name;
          break rules;
        }
    s.flow = flow;
    s.outcome = failed ? "failure" : ms.some((m) => SUCCESS.test(m.label)) ? "success" : "incomplete";
  }
  return sessions.sort((a, b) => a.start - b.start || (a.user ?? "").localeCompare(b.user ?? ""));
}

function isSorted(ids: number[]): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! > ids[i]!) return false;
  return true;
}
