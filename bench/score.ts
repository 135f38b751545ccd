import type { Model } from "../parsers/model/build.ts";
import type { Message } from "../parsers/model/messages.ts";
import type { Flow, Truth, TruthMessage, TruthSession } from "./gen.ts";

export interface Score {
  /** Per flow: expected messages and how many the model has. */
  recall: Record<Flow, { expected: number; found: number; recall: number }>;
  /** Failing sessions whose failure the model does not show. */
  missingFailures: { user: string; failure: string }[];
  failures: number;
  /** Per lane: generated offset, the model's, and the error (null: not estimated). */
  clocks: {
    lane: string;
    generated: number;
    estimated: number | null;
    source: string;
    errorMs: number | null;
  }[];
  /** A few expected messages not found, for diagnosis. */
  missed: { user: string; flow: Flow; message: TruthMessage }[];
}

const key = (m: { from: string; to: string; label: string }) => `${m.from}>${m.to}>${m.label}`;

/**
 * Compare a model with the generator's truth. A session's candidate messages are those of the
 * model's sessions of its user, every message of their dialogs, and the messages inside the
 * session's time window (sessions follow one another on the one Jabber client).
 */
export function score(model: Model, truth: Truth): Score {
  const byUser = new Map<string, Set<number>>();
  for (const s of model.sessions) {
    if (!s.user) continue;
    const set = byUser.get(s.user) ?? byUser.set(s.user, new Set()).get(s.user)!;
    for (const id of s.messages) set.add(id);
  }
  for (const m of model.messages)
    if (m.user) (byUser.get(m.user) ?? byUser.set(m.user, new Set()).get(m.user)!).add(m.id);
  const dialogOf = new Map<number, number[]>();
  for (const d of model.dialogs) for (const id of d.messages) dialogOf.set(id, d.messages);
  const times = model.messages.map((m) => m.time);
  const lowerBound = (t: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (!(times[mid]! >= t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const candidates = (s: TruthSession): Message[] => {
    const ids = new Set<number>(byUser.get(s.user) ?? []);
    for (const id of [...ids]) for (const other of dialogOf.get(id) ?? []) ids.add(other);
    const from = Date.parse(s.start) - 100;
    const to = Date.parse(s.end) + 100;
    for (let i = lowerBound(from); i < times.length && times[i]! <= to; i++) ids.add(i);
    return [...ids].map((id) => model.messages[id]!);
  };
  const recall = {} as Score["recall"];
  const missed: Score["missed"] = [];
  const missingFailures: Score["missingFailures"] = [];
  for (const s of truth.sessions) {
    const cands = candidates(s);
    const counts = new Map<string, number>();
    for (const m of cands) counts.set(key(m), (counts.get(key(m)) ?? 0) + 1);
    const r = (recall[s.flow] ??= { expected: 0, found: 0, recall: 0 });
    for (const m of s.messages) {
      r.expected++;
      const n = counts.get(key(m)) ?? 0;
      if (n > 0) {
        r.found++;
        counts.set(key(m), n - 1);
      } else if (missed.length < 50) missed.push({ user: s.user, flow: s.flow, message: m });
    }
    if (s.expectedFailure) {
      const f = s.expectedFailure;
      const ok = cands.some(
        (m) => m.failed && m.from === f.from && m.to === f.to && m.label.startsWith(f.label),
      );
      if (!ok) missingFailures.push({ user: s.user, failure: s.failure! });
    }
  }
  for (const r of Object.values(recall)) r.recall = r.expected ? r.found / r.expected : 1;
  const clocks = Object.entries(truth.clockOffsetsMs).map(([lane, generated]) => {
    const c = model.clocks.find((x) => x.lane === lane);
    const estimated = c && (c.source === "estimated" || c.source === "reference") ? c.offsetMs : null;
    return {
      lane,
      generated,
      estimated,
      source: c?.source ?? "absent",
      errorMs: estimated === null ? null : Math.abs(estimated - generated),
    };
  });
  return {
    recall,
    missingFailures,
    failures: truth.sessions.filter((s) => s.failure).length,
    clocks,
    missed,
  };
}
