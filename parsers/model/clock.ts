import type { LaneId } from "./lanes.ts";

/** "a happened no later than b", each read on its own node's clock. */
export interface Precedence {
  before: { lane: LaneId; time: number };
  after: { lane: LaneId; time: number };
}

export interface LaneClock {
  lane: LaneId;
  /** The lane's clock minus the reference's, ms: subtract it from the lane's times. */
  offsetMs: number;
  /** What the logs allow for offsetMs relative to the lane it was estimated against. */
  lowerMs: number | null;
  upperMs: number | null;
  /** Lane the offset was estimated against (the reference has none). */
  against: LaneId | null;
  samples: number;
  /** True when the bounds contradict each other (lower > upper): jitter or a mismatch. */
  inconsistent: boolean;
  source: "reference" | "estimated" | "user" | "none";
}

/**
 * Per-node clock offsets from causality: a message cannot arrive before it was sent, and a
 * proxy cannot answer before its upstream answered it. Each precedence bounds the difference
 * of two offsets (tA - θA <= tB - θB, so θB - θA <= tB - tA). For each pair of lanes the
 * bounds from both directions give an interval; the estimate is 0 when 0 fits (no evidence of
 * skew), the middle of the interval when it is bounded on both sides, else its nearest end.
 * Offsets propagate outward from the reference lane along the pairs with the most samples.
 */
export function estimateClocks(
  lanes: LaneId[],
  precedences: Precedence[],
  reference: LaneId,
  fixed: Map<LaneId, number> = new Map(),
): Map<LaneId, LaneClock> {
  // bound[a][b] = min over precedences a->b of (tB - tA): an upper bound on θB - θA.
  const upper = new Map<string, { value: number; n: number }>();
  const key = (a: LaneId, b: LaneId) => `${a}\u0000${b}`;
  for (const p of precedences) {
    if (p.before.lane === p.after.lane) continue;
    const d = p.after.time - p.before.time;
    if (!Number.isFinite(d)) continue;
    const k = key(p.before.lane, p.after.lane);
    const cur = upper.get(k);
    if (!cur) upper.set(k, { value: d, n: 1 });
    else {
      cur.value = Math.min(cur.value, d);
      cur.n++;
    }
  }
  const result = new Map<LaneId, LaneClock>();
  const blank = (lane: LaneId): LaneClock => ({
    lane,
    offsetMs: 0,
    lowerMs: null,
    upperMs: null,
    against: null,
    samples: 0,
    inconsistent: false,
    source: "none",
  });
  const start = lanes.includes(reference) ? reference : lanes[0];
  if (start === undefined) return result;
  result.set(start, { ...blank(start), source: "reference", offsetMs: fixed.get(start) ?? 0 });
  const queue: LaneId[] = [start];
  while (queue.length > 0) {
    const a = queue.shift()!;
    const θa = result.get(a)!.offsetMs;
    const next: { lane: LaneId; clock: LaneClock }[] = [];
    for (const b of lanes) {
      if (result.has(b)) continue;
      const up = upper.get(key(a, b));
      const down = upper.get(key(b, a));
      if (!up && !down) continue;
      const hi = up ? up.value : null; // θb - θa <= hi
      const lo = down ? -down.value : null; // θa - θb <= down  =>  θb - θa >= -down
      let δ: number;
      if ((lo === null || lo <= 0) && (hi === null || hi >= 0)) δ = 0;
      else if (lo !== null && hi !== null) δ = (lo + hi) / 2;
      else δ = hi !== null ? hi : lo!;
      const fixedB = fixed.get(b);
      next.push({
        lane: b,
        clock: {
          lane: b,
          offsetMs: fixedB ?? θa + δ,
          lowerMs: lo,
          upperMs: hi,
          against: a,
          samples: (up?.n ?? 0) + (down?.n ?? 0),
          inconsistent: lo !== null && hi !== null && lo > hi,
          source: fixedB !== undefined ? "user" : "estimated",
        },
      });
    }
    for (const { lane, clock } of next) {
      result.set(lane, clock);
      queue.push(lane);
    }
  }
  for (const lane of lanes) {
    if (!result.has(lane)) {
      const f = fixed.get(lane);
      result.set(lane, f !== undefined ? { ...blank(lane), offsetMs: f, source: "user" } : blank(lane));
    }
  }
  return result;
}
