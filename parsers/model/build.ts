import { estimateClocks, type LaneClock } from "./clock.ts";
import { groupDialogs, type Dialog } from "./dialogs.ts";
import { pairHalves } from "./exchanges.ts";
import type { FileInfo } from "./files.ts";
import { sortLanes, type LaneId } from "./lanes.ts";
import { draftMessages, type Message } from "./messages.ts";
import { collectObservations } from "./observations.ts";
import { groupSessions, type Session } from "./sessions.ts";
import type { Store } from "./store.ts";
import { baseTimes, decideTimeBases } from "./timebase.ts";

export interface Model {
  files: FileInfo[];
  lanes: LaneId[];
  messages: Message[];
  dialogs: Dialog[];
  sessions: Session[];
  clocks: LaneClock[];
  reference: LaneId | null;
}

export interface BuildOptions {
  /** User-set clock offsets per lane, ms (replace the estimate). */
  clockOffsets?: Map<LaneId, number>;
  /** User-set zones per file index, minutes east of UTC. */
  zones?: Map<number, number>;
  /** User-set dates (YYYY-MM-DD) per file index, for time-of-day logs. */
  dates?: Map<number, string>;
}

const ZONE_NOTE = "no time zone in the file";
const QUARTER_HOUR = 15 * 60000;
const REFERENCE_ORDER: LaneId[] = ["expe", "expc", "cucm", "imp", "jabber"];

/** Correlate everything in the store into the ladder: messages, dialogs, sessions, clocks. */
export function buildModel(store: Store, options: BuildOptions = {}): Model {
  const files = store.files;
  // Building is repeatable (the user edits clocks): drop what a previous build concluded.
  for (const f of files) f.warnings = f.warnings.filter((w) => !w.startsWith(ZONE_NOTE));
  decideTimeBases(store, options.zones, options.dates);
  const base = baseTimes(store);
  const observations = collectObservations(store, base);
  const pairing = pairHalves(observations, files);
  // In the order they were made (and are in memory), until sorted below.
  const { messages: made, precedences, links } = draftMessages(pairing);

  const lanesWithFiles = sortLanes(files.filter((f) => f.lane).map((f) => f.lane!));
  const trusted = lanesWithFiles.filter((l) => files.some((f) => f.lane === l && f.timeBase.kind === "utc"));
  const reference =
    REFERENCE_ORDER.find((l) => trusted.includes(l)) ??
    trusted[0] ??
    REFERENCE_ORDER.find((l) => lanesWithFiles.includes(l)) ??
    lanesWithFiles[0] ??
    null;
  const clockMap = reference
    ? estimateClocks(lanesWithFiles, precedences, reference, options.clockOffsets)
    : new Map<LaneId, LaneClock>();

  // A file with no zone whose offset is a whole number of quarter hours off was written in
  // another zone: keep the zone apart from the clock's drift, so both can be read and set.
  for (const clock of clockMap.values()) {
    if (clock.source !== "estimated" || Math.abs(clock.offsetMs) < QUARTER_HOUR / 2) continue;
    const laneFiles = files.filter((f) => f.lane === clock.lane);
    if (!laneFiles.every((f) => f.timeBase.zoneAssumed)) continue;
    const zoneMs = Math.round(clock.offsetMs / QUARTER_HOUR) * QUARTER_HOUR;
    for (const f of laneFiles) {
      f.timeBase.zoneMinutes += zoneMs / 60000;
      f.warnings.push(
        `${ZONE_NOTE}: UTC${formatZone(f.timeBase.zoneMinutes)} estimated from messages with ${clock.against}`,
      );
    }
    clock.offsetMs -= zoneMs;
    for (const m of made) {
      const s = m.sent;
      const r = m.received;
      if (s && s.lane === clock.lane) s.time -= zoneMs;
      if (r && r.lane === clock.lane) r.time -= zoneMs;
    }
    const onLane = Uint8Array.from(files, (f) => (f.lane === clock.lane ? 1 : 0));
    const recordFile = store.records.file.data;
    for (let i = 0; i < base.length; i++) if (onLane[recordFile[i]!] === 1) base[i] = base[i]! - zoneMs;
  }

  const offsetOf = (lane: LaneId) => clockMap.get(lane)?.offsetMs ?? 0;
  for (const f of files) f.clockOffsetMs = f.lane ? offsetOf(f.lane) : 0;
  // Straight over the columns: a record's file's offset, by file index.
  const fileOffset = Float64Array.from(files, (f) => f.clockOffsetMs);
  const recordFile = store.records.file.data;
  const rt = store.records.time.data;
  for (let i = 0; i < base.length; i++) rt[i] = base[i]! - fileOffset[recordFile[i]!]!;
  // A sighting's clock offset, by its file (a sighting's lane is its file's, or "unknown").
  const sightingOffset = Float64Array.from(files, (f) => offsetOf(f.lane ?? "unknown"));
  // One pass over the messages, in the order they were drafted (each pass over 400k message
  // objects costs, and more so once they are sorted, scattered in memory) for their corrected
  // times, the lanes they name, their sort keys, and each file's message times for
  // warnAboutZones (one time per line of evidence).
  const zoneless = files.filter(
    (f) => f.timeBase.zoneAssumed && !f.warnings.some((w) => w.startsWith(ZONE_NOTE)),
  );
  const timesByFile: number[][] | null = zoneless.length > 0 ? files.map(() => []) : null;
  const laneSet = new Set<LaneId>(lanesWithFiles);
  const keys = new SortKeys(made.length);
  for (let i = 0; i < made.length; i++) {
    const m = made[i]!;
    laneSet.add(m.from);
    laneSet.add(m.to);
    const s = m.sent;
    const r = m.received;
    m.sendTime = s ? s.time - sightingOffset[s.file]! : undefined;
    m.recvTime = r ? r.time - sightingOffset[r.file]! : undefined;
    const time = m.sendTime ?? m.recvTime ?? NaN;
    m.time = time;
    keys.set(i, m);
    // A message's evidence is its sightings', each of one file: one time per line of each.
    if (timesByFile && !Number.isNaN(time)) {
      if (s) for (let k = s.evidence.length, list = timesByFile[s.file]!; k > 0; k--) list.push(time);
      if (r) for (let k = r.evidence.length, list = timesByFile[r.file]!; k > 0; k--) list.push(time);
    }
  }
  const lanes = sortLanes(laneSet);
  const messages = sortMessages(made, keys);
  if (timesByFile) warnAboutZones(files, zoneless, timesByFile);
  const dialogs = groupDialogs(messages, links, made);
  const sessions = groupSessions(messages, made);
  const clocks = lanesWithFiles.map((l) => clockMap.get(l)).filter((c): c is LaneClock => c !== undefined);
  // The sightings have been read (times, dialogs): let them go. They are a third of the model's
  // memory (an object, its keys and its evidence list per side of each message), and a rebuild
  // makes them again from the store.
  for (let i = 0; i < made.length; i++) {
    const m = made[i]!;
    m.sent = undefined;
    m.received = undefined;
  }
  return { files, lanes, messages, dialogs, sessions, clocks, reference };
}

/**
 * Messages by time (no time last), then causal rank within a chain, then first evidence. The
 * comparator reads its keys from typed arrays filled once, by the message's place in the list,
 * rather than from the message objects (scattered in memory) at each of the n log n comparisons;
 * the list of places is an ordinary array sorted by the same Array.prototype.sort, so that the
 * comparator (not transitive: rank only counts within one chain) sees the same pairs in the same
 * order and the result is the same as sorting the messages. Each message is numbered (id) by
 * its new place. `made` stays as it is.
 */
function sortMessages(made: Message[], keys: SortKeys): Message[] {
  const { time, chain, rank, file, line } = keys;
  const order: number[] = new Array<number>(made.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort(
    (a, b) =>
      time[a]! - time[b]! ||
      (chain[a] === chain[b] ? rank[a]! - rank[b]! : 0) ||
      file[a]! - file[b]! ||
      line[a]! - line[b]!,
  );
  const sorted: Message[] = [];
  const place = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    sorted.push(made[order[i]!]!);
    place[order[i]!] = i;
  }
  // Numbered in the order they were made, which is their order in memory.
  for (let i = 0; i < made.length; i++) made[i]!.id = place[i]!;
  return sorted;
}

/** What sortMessages compares, by the message's place in the list. */
class SortKeys {
  readonly time: Float64Array;
  readonly chain: Int32Array;
  readonly rank: Int32Array;
  readonly file: Int32Array;
  readonly line: Int32Array;

  constructor(n: number) {
    this.time = new Float64Array(n);
    this.chain = new Int32Array(n);
    this.rank = new Int32Array(n);
    this.file = new Int32Array(n);
    this.line = new Int32Array(n);
  }

  /** The keys of message m, at place i: its time (none sorts last), chain, rank, first evidence. */
  set(i: number, m: Message): void {
    this.time[i] = Number.isNaN(m.time) ? Infinity : m.time;
    this.chain[i] = m.chain;
    this.rank[i] = m.rank;
    const first = m.evidence[0]!;
    this.file[i] = first.file;
    this.line[i] = first.line;
  }
}

export function formatZone(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * A zoneless file that shares no message with the others cannot be aligned by causality; when
 * its times sit a whole number of hours away from everything else, say which zone would fit.
 * `pending`: the zoneless files not warned yet; `byFile`: each file's message times, in any order.
 */
function warnAboutZones(files: FileInfo[], pending: FileInfo[], byFile: number[][]): void {
  // Times of the files whose zone is known, one sorted array per lane, sorted once: each zoneless
  // file bisects those of the other lanes (sorting their union again for every zoneless file
  // was a quarter of the build on a large bundle). The nearest time in the union is the nearer
  // of the latest one below the midpoint and the earliest one at or above it, over all lanes.
  const laneFiles = new Map<string | null, number[][]>();
  for (const g of files) {
    if (g.timeBase.zoneAssumed) continue;
    const list = laneFiles.get(g.lane) ?? laneFiles.set(g.lane, []).get(g.lane)!;
    list.push(byFile[g.index]!);
  }
  const known: { lane: string | null; times: Float64Array }[] = [];
  for (const [lane, parts] of laneFiles) {
    const times = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) for (let i = 0; i < p.length; i++) times[at++] = p[i]!;
    if (times.length > 0) known.push({ lane, times: times.sort() });
  }
  for (const f of pending) {
    if (byFile[f.index]!.length === 0) continue;
    const own = new Float64Array(byFile[f.index]!).sort();
    const mid = own[Math.floor(own.length / 2)]!;
    let below: number | undefined;
    let above: number | undefined;
    for (const g of known) {
      if (g.lane === f.lane) continue;
      const others = g.times;
      let lo = 0;
      let hi = others.length;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (others[m]! < mid) lo = m + 1;
        else hi = m;
      }
      if (lo > 0 && (below === undefined || others[lo - 1]! > below)) below = others[lo - 1]!;
      if (lo < others.length && (above === undefined || others[lo]! < above)) above = others[lo]!;
    }
    if (below === undefined && above === undefined) continue;
    // The earlier of the two wins a tie.
    const nearest =
      below === undefined
        ? above!
        : above === undefined || !(Math.abs(above - mid) < Math.abs(below - mid))
          ? below
          : above;
    const gap = mid - nearest;
    if (Math.abs(gap) < 30 * 60000 || Math.abs(gap) > 14.5 * 3600000) continue;
    const zone = Math.round(gap / QUARTER_HOUR) * 15;
    f.warnings.push(
      `${ZONE_NOTE} and no message shared with other nodes; its times are ${Math.round(gap / 60000)} min from theirs: if it was written in UTC${formatZone(zone)}, set that zone`,
    );
  }
}
