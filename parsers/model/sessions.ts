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

/**
 * One login attempt of one user: the user's messages, split at long silences, plus nearby
 * unattributed ones. `made`: as for groupDialogs, the same messages in the order they were made
 * (their order in memory), each with its place in `messages` as id.
 */
export function groupSessions(messages: Message[], made: readonly Message[] = messages): Session[] {
  const n = messages.length;
  // What the grouping reads of each message, in one pass over the message objects (in the order
  // they are in memory: each pass over them costs); the rest works on these columns, by place.
  const time = new Float64Array(n);
  const failed = new Uint8Array(n);
  const label: string[] = new Array<string>(n);
  const ownUser: (string | undefined)[] = new Array<string | undefined>(n);
  const dialog: (string | null)[] = new Array<string | null>(n);
  const id: number[] = new Array<number>(n);
  let byIndex = true;
  for (let visit = 0; visit < n; visit++) {
    const m = made[visit]!;
    const i = made === messages ? visit : m.id;
    time[i] = m.time;
    failed[i] = m.failed ? 1 : 0;
    label[i] = m.label;
    ownUser[i] = m.user;
    dialog[i] = m.dialog;
    id[i] = m.id;
    if (m.id !== i) byIndex = false;
  }
  // A dialog's user (its first message's that has one) is every message's user.
  const dialogUser = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const d = dialog[i];
    const u = ownUser[i];
    if (d && u && !dialogUser.has(d)) dialogUser.set(d, u);
  }

  const sessions: Session[] = [];
  const open = new Map<string, Session>();
  const unattributed: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = dialog[i];
    const user = ownUser[i] ?? (d ? dialogUser.get(d) : undefined);
    if (!user) {
      unattributed.push(i);
      continue;
    }
    const t = time[i]!;
    let s = open.get(user);
    if (!s || t - s.end > SESSION_GAP_MS) {
      s = { user, flow: "unknown", outcome: "incomplete", start: t, end: t, messages: [] };
      sessions.push(s);
      open.set(user, s);
    }
    s.messages.push(id[i]!);
    s.end = Math.max(s.end, t);
  }
  const orphans: number[] = [];
  // Sessions by start, with the one that ends latest so far: the nearest session to a time is
  // either the latest-ending one that started before it or the first that starts after it.
  const byStart = [...sessions].sort((a, b) => a.start - b.start);
  const latest: Session[] = [];
  byStart.forEach((s, i) => latest.push(i > 0 && latest[i - 1]!.end >= s.end ? latest[i - 1]! : s));
  const gapTo = (s: Session, t: number) => (t < s.start ? s.start - t : t > s.end ? t - s.end : 0);
  for (let u = 0; u < unattributed.length; u++) {
    const i = unattributed[u]!;
    const t = time[i]!;
    if (Number.isNaN(t)) {
      orphans.push(i);
      continue;
    }
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid]!.start <= t) lo = mid + 1;
      else hi = mid;
    }
    const before = lo > 0 ? latest[lo - 1] : undefined;
    const after = byStart[lo];
    const gapBefore = before ? gapTo(before, t) : Infinity;
    const gapAfter = after ? gapTo(after, t) : Infinity;
    const best = gapBefore <= gapAfter ? before : after;
    const bestGap = Math.min(gapBefore, gapAfter);
    if (best && bestGap <= ATTACH_MS) best.messages.push(id[i]!);
    else orphans.push(i);
  }
  // What no user claims still forms sessions, split at silences: a failed login often names no one.
  let current: Session | undefined;
  for (let o = 0; o < orphans.length; o++) {
    const i = orphans[o]!;
    const t = time[i]!;
    if (!current || t - current.end > SESSION_GAP_MS) {
      current = { user: null, flow: "unknown", outcome: "incomplete", start: t, end: t, messages: [] };
      sessions.push(current);
    }
    current.messages.push(id[i]!);
    current.end = Math.max(current.end, t);
  }
  // Built messages carry their index as id; a caller's may not (the last of an id is the one).
  const positionOf = byIndex ? undefined : new Map(id.map((x, i) => [x, i]));
  for (let si = 0; si < sessions.length; si++) {
    const s = sessions[si]!;
    if (!isSorted(s.messages)) s.messages.sort((a, b) => a - b);
    const at = positionOf ? s.messages.map((x) => positionOf.get(x)!) : s.messages;
    let start = Infinity;
    let end = -Infinity;
    let anyFailed = false;
    for (let k = 0; k < at.length; k++) {
      const p = at[k]!;
      const t = time[p]!;
      if (!Number.isNaN(t)) {
        if (t < start) start = t;
        if (t > end) end = t;
      }
      if (failed[p] === 1) anyFailed = true;
    }
    s.start = start === Infinity ? NaN : start;
    s.end = end === -Infinity ? NaN : end;
    // The first rule that any message's label matches; labels are tested rule by rule, as few
    // as that takes (most labels are distinct: caching the answers per label cost more).
    let flow: Flow = "unknown";
    rules: for (const [name, re] of FLOW_RULES)
      for (let k = 0; k < at.length; k++)
        if (re.test(label[at[k]!]!)) {
          flow = name;
          break rules;
        }
    s.flow = flow;
    s.outcome = anyFailed ? "failure" : at.some((p) => SUCCESS.test(label[p]!)) ? "success" : "incomplete";
  }
  return sessions.sort((a, b) => a.start - b.start || (a.user ?? "").localeCompare(b.user ?? ""));
}

function isSorted(ids: number[]): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! > ids[i]!) return false;
  return true;
}
