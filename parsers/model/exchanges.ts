import type { LaneId } from "./lanes.ts";
import { NO_KEYS, type Observation } from "./observations.ts";
import type { FileInfo } from "./files.ts";

/** A request and its response as one node logged them. */
export interface Exchange {
  id: number;
  file: number;
  lane: LaneId;
  peer: LaneId;
  /** server: this node received the request; client: it sent it; local: it talked to itself. */
  role: "server" | "client" | "local";
  request?: Observation;
  response?: Observation;
  /** The same exchange logged by the other end. */
  partner?: Exchange;
  /** The upstream exchange that this one was forwarded for (Expressway-E -> C). */
  parent?: Exchange;
  /** Sightings by the other end that did not log a whole exchange (e.g. Jabber's TokenReuse). */
  otherRequest?: Observation;
  otherResponse?: Observation;
}

/** Halves within this window of each other are candidates for being one message. */
export const MATCH_WINDOW_MS = 30000;
/** For files with no zone: a whole-hour zone difference is allowed when the match is unique. */
export const ZONE_WINDOW_MS = 14.5 * 3600000;

export interface Pairing {
  exchanges: Exchange[];
  /** Loose observations (no exchange) merged pairwise: send side -> recv side. */
  loosePairs: [Observation, Observation][];
  /** Observations with no exchange, in order; those in `paired` are part of another message. */
  loose: Observation[];
  /** Loose observations paired with another sighting (an exchange's side, or a loose pair). */
  paired: ReadonlySet<Observation>;
}

export function buildExchanges(observations: Observation[]): {
  exchanges: Exchange[];
  loose: Observation[];
  /** The loose ones that may pair with another sighting (sent or received, with a `match`), in order. */
  matchable: Observation[];
} {
  // Open exchanges by file, then exchange key: no "file|exchange" string made per sighting.
  const byFile: Map<string, Exchange>[] = [];
  const exchanges: Exchange[] = [];
  const loose: Observation[] = [];
  const matchable: Observation[] = [];
  for (let oi = 0; oi < observations.length; oi++) {
    const o = observations[oi]!;
    if (o.exchange === undefined || o.phase === undefined) {
      loose.push(o);
      if (o.dir !== "local" && o.match) matchable.push(o);
      continue;
    }
    const byKey = byFile[o.file] ?? (byFile[o.file] = new Map<string, Exchange>());
    let x = byKey.get(o.exchange);
    const role =
      o.dir === "local" ? "local" : (o.dir === "recv") === (o.phase === "request") ? "server" : "client";
    if (!x || (o.phase === "request" && x.request) || (o.phase === "response" && x.response)) {
      // A reused key (threads and Txn-ids repeat): a new exchange starts.
      x = { id: exchanges.length, file: o.file, lane: o.lane, peer: o.peer ?? o.lane, role };
      exchanges.push(x);
      byKey.set(o.exchange, x);
    }
    if (o.phase === "request") x.request = o;
    else x.response = o;
  }
  return { exchanges, loose, matchable };
}

const unzoned = (f: FileInfo | undefined) => !f || f.timeBase.zoneAssumed;

/**
 * Find the two halves of each message. Exact rules, in order: a client exchange and a server
 * exchange with the same request `match` between the same two lanes; a loose sighting and an
 * exchange's missing other side; two loose sightings. Nearest in time wins, within 30 s, or
 * within ±14.5 h for files without a zone when the match is unique on both sides.
 */
export function pairHalves(observations: Observation[], files: FileInfo[]): Pairing {
  // Most loose sightings are local notes: only the matchable ones are looked at below.
  const { exchanges, loose, matchable } = buildExchanges(observations);
  const unzonedLanes = new Set(files.filter((f) => unzoned(f)).map((f) => f.lane));
  const window = (a: Observation, b: Observation) =>
    unzoned(files[a.file]) || unzoned(files[b.file]) ? ZONE_WINDOW_MS : MATCH_WINDOW_MS;
  const requestTime = (x: Exchange) => x.request!.time;
  /** Nearest within 30 s; failing that, for a file with no zone, the only candidate within ±14.5 h. */
  const search = <T>(
    o: Observation,
    peerLane: LaneId | undefined,
    sorted: T[] | undefined,
    timeOf: (t: T) => number,
    obsOf: (c: T) => Observation | undefined,
    slack = 0,
  ): T | undefined => {
    const near = nearest(
      o,
      within(sorted, timeOf, o.time, MATCH_WINDOW_MS + slack),
      obsOf,
      () => MATCH_WINDOW_MS,
      false,
    );
    if (near || !(unzoned(files[o.file]) || unzonedLanes.has(peerLane ?? null))) return near;
    return nearest(o, within(sorted, timeOf, o.time, ZONE_WINDOW_MS + slack), obsOf, window, true);
  };

  // Exchanges by lane|peer|request match, in request time order: each search looks at a window.
  const byRoute = index(
    exchanges.filter((x) => x.request?.match),
    (x) => `${x.lane}|${x.peer}|${x.request!.match}`,
    requestTime,
  );
  for (let xi = 0; xi < exchanges.length; xi++) {
    const x = exchanges[xi]!;
    if (x.role !== "client" || !x.request?.match) continue;
    const best = search(
      x.request,
      x.peer,
      byRoute.get(`${x.peer}|${x.lane}|${x.request.match}`),
      requestTime,
      (y) => (y.role !== "server" || y.partner ? undefined : y.request),
    );
    if (best) {
      best.partner = x;
      x.partner = best;
    }
  }

  const paired = new Set<Observation>();
  const loosePairs: [Observation, Observation][] = [];
  const looseRecv = index(
    matchable.filter((o) => o.dir === "recv"),
    (o) => `${o.lane}|${o.peer}|${o.match}`,
    (o) => o.time,
  );
  // A response may trail its request by more than the window; look a little further back.
  const RESPONSE_SLACK_MS = 5 * 60000;
  for (let mi = 0; mi < matchable.length; mi++) {
    const o = matchable[mi]!;
    if (paired.has(o)) continue;
    const isResponse = o.phase === "response";
    // The same node's own exchange logged again in other words (Jabber's "TokenReuse enabled"
    // after "HTTP response code 200 for request #1"): more evidence for that sighting.
    const own = search(o, o.peer, byRoute.get(`${o.lane}|${o.peer}|${o.match}`), requestTime, (c) => {
      const mine = isResponse ? c.response : c.request;
      return mine && mine.dir === o.dir && c.file === o.file ? mine : undefined;
    });
    if (own) {
      const mine = (isResponse ? own.response : own.request)!;
      mine.evidence.push(...o.evidence);
      paired.add(o);
      continue;
    }
    // The other side of an exchange's request or response.
    const side = (x: Exchange) => (isResponse ? x.response : x.request);
    const x = search(
      o,
      o.peer,
      byRoute.get(`${o.peer}|${o.lane}|${o.match}`),
      requestTime,
      (c) => {
        // A side already seen by the other end (a partner, or another loose sighting) is taken.
        const taken = isResponse
          ? c.otherResponse || c.partner?.response
          : c.otherRequest || c.partner?.request;
        const mine = side(c);
        return taken || !mine || mine.dir === o.dir ? undefined : mine;
      },
      isResponse ? RESPONSE_SLACK_MS : 0,
    );
    if (x) {
      if (isResponse) x.otherResponse = o;
      else x.otherRequest = o;
      paired.add(o);
      continue;
    }
    if (o.dir !== "send") continue;
    const recv = search(
      o,
      o.peer,
      looseRecv.get(`${o.peer}|${o.lane}|${o.match}`),
      (c) => c.time,
      (c) => (paired.has(c) ? undefined : c),
    );
    if (recv) {
      paired.add(o);
      paired.add(recv);
      loosePairs.push([o, recv]);
    }
  }

  // Forwarding: a server exchange whose client half was not logged, on a node that itself
  // received the same request from further upstream just before.
  const servers = index(
    exchanges.filter((x) => x.role === "server" && x.request?.match),
    (x) => `${x.lane}|${x.request!.match}`,
    requestTime,
  );
  for (let yi = 0; yi < exchanges.length; yi++) {
    const y = exchanges[yi]!;
    if (y.role !== "server" || y.partner || !y.request?.match) continue;
    const upstream = within(
      servers.get(`${y.peer}|${y.request.match}`),
      requestTime,
      y.request.time,
      MATCH_WINDOW_MS,
    );
    const parent = nearest(
      y.request,
      upstream,
      (x) =>
        x.peer !== y.lane && x.request!.time <= y.request!.time + MATCH_WINDOW_MS ? x.request : undefined,
      () => MATCH_WINDOW_MS,
      false,
    );
    if (parent) y.parent = parent;
  }

  return { exchanges, loosePairs, loose, paired };
}

/** Items grouped by key, each group sorted by time. */
function index<T>(items: T[], keyOf: (t: T) => string, timeOf: (t: T) => number): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (let ii = 0; ii < items.length; ii++) {
    const item = items[ii]!;
    const k = keyOf(item);
    (out.get(k) ?? out.set(k, []).get(k)!).push(item);
  }
  for (const list of out.values()) list.sort((a, b) => timeOf(a) - timeOf(b));
  return out;
}

/** The part of a time-sorted list within `reach` of `t` (binary search; NaN times match nothing). */
function within<T>(sorted: T[] | undefined, timeOf: (t: T) => number, t: number, reach: number): T[] {
  if (!sorted || sorted.length === 0 || Number.isNaN(t)) return [];
  const lower = (bound: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timeOf(sorted[mid]!) < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sorted.slice(lower(t - reach), lower(t + reach + 1e-6));
}

function nearest<T>(
  o: Observation,
  candidates: T[],
  obsOf: (c: T) => Observation | undefined,
  window: (a: Observation, b: Observation) => number,
  uniqueWhenWide: boolean,
): T | undefined {
  let best: T | undefined;
  let bestDelta = Infinity;
  let inWindow = 0;
  for (const c of candidates) {
    const other = obsOf(c);
    if (!other) continue;
    if (conflicting(o, other)) continue;
    const delta = Math.abs(other.time - o.time);
    const w = window(o, other);
    if (!(delta <= w)) continue;
    inWindow++;
    if (delta < bestDelta) {
      bestDelta = delta;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  if (uniqueWhenWide && bestDelta > MATCH_WINDOW_MS && inWindow > 1) return undefined;
  return best;
}

/** Keys that tell two messages apart: halves that carry different values of one are not one message. */
const STRONG_KEYS = ["oauthState", "callId", "cseq", "xdb", "sessionKey"] as const;

/** Two halves that carry different values of the same strong key are not one message. */
function conflicting(a: Observation, b: Observation): boolean {
  // Most sightings carry no keys (they share one empty object): nothing to read.
  if (a.keys === NO_KEYS || b.keys === NO_KEYS) return false;
  for (const k of STRONG_KEYS) {
    const x = a.keys[k];
    const y = b.keys[k];
    if (x !== undefined && y !== undefined && x !== y) return true;
  }
  return false;
}
