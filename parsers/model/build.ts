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
  const { messages, precedences, links } = draftMessages(pairing);

  const lanesWithFiles = sortLanes(files.filter((f) => f.lane).map((f) => f.lane!));
  const laneSet = new Set<LaneId>(lanesWithFiles);
  for (const m of messages) {
    laneSet.add(m.from);
    laneSet.add(m.to);
  }
  const lanes = sortLanes(laneSet);
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
    for (const m of messages) {
      for (const o of [m.sent, m.received]) if (o && o.lane === clock.lane) o.time -= zoneMs;
    }
    for (let i = 0; i < base.length; i++) {
      const f = files[store.records.file.get(i)]!;
      if (f.lane === clock.lane) base[i] = base[i]! - zoneMs;
    }
  }

  const offsetOf = (lane: LaneId) => clockMap.get(lane)?.offsetMs ?? 0;
  for (const f of files) f.clockOffsetMs = f.lane ? offsetOf(f.lane) : 0;
  const rt = store.records.time;
  for (let i = 0; i < base.length; i++) {
    const f = files[store.records.file.get(i)]!;
    rt.set(i, base[i]! - f.clockOffsetMs);
  }
  for (const m of messages) {
    m.sendTime = m.sent ? m.sent.time - offsetOf(m.sent.lane) : undefined;
    m.recvTime = m.received ? m.received.time - offsetOf(m.received.lane) : undefined;
    m.time = m.sendTime ?? m.recvTime ?? NaN;
  }
  const sortTime = (m: Message) => (Number.isNaN(m.time) ? Infinity : m.time);
  const firstEvidence = (m: Message) => m.evidence[0]!;
  messages.sort(
    (a, b) =>
      sortTime(a) - sortTime(b) ||
      (a.chain === b.chain ? a.rank - b.rank : 0) ||
      firstEvidence(a).file - firstEvidence(b).file ||
      firstEvidence(a).line - firstEvidence(b).line,
  );
  messages.forEach((m, i) => (m.id = i));

  warnAboutZones(files, messages);
  const dialogs = groupDialogs(messages, links);
  const sessions = groupSessions(messages);
  const clocks = lanesWithFiles.map((l) => clockMap.get(l)).filter((c): c is LaneClock => c !== undefined);
  return { files, lanes, messages, dialogs, sessions, clocks, reference };
}

export function formatZone(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * A zoneless file that shares no message with the others cannot be aligned by causality; when
 * its times sit a whole number of hours away from everything else, say which zone would fit.
 */
function warnAboutZones(files: FileInfo[], messages: Message[]): void {
  const byFile = new Map<number, number[]>();
  for (const m of messages)
    for (const e of m.evidence)
      if (!Number.isNaN(m.time)) (byFile.get(e.file) ?? byFile.set(e.file, []).get(e.file)!).push(m.time);
  // Times of the files whose zone is known, sorted once: each zoneless file bisects them.
  const known = files
    .filter((g) => !g.timeBase.zoneAssumed)
    .map((g) => ({ lane: g.lane, times: byFile.get(g.index) ?? [] }));
  for (const f of files) {
    if (!f.timeBase.zoneAssumed || f.warnings.some((w) => w.startsWith(ZONE_NOTE))) continue;
    const own = byFile.get(f.index);
    if (!own || own.length === 0) continue;
    const others = known
      .filter((g) => g.lane !== f.lane)
      .flatMap((g) => g.times)
      .sort((a, b) => a - b);
    if (others.length === 0) continue;
    const mid = own[Math.floor(own.length / 2)]!;
    let lo = 0;
    let hi = others.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (others[m]! < mid) lo = m + 1;
      else hi = m;
    }
    const candidates = [others[lo - 1], others[lo]].filter((t): t is number => t !== undefined);
    const nearest = candidates.reduce((a, b) => (Math.abs(b - mid) < Math.abs(a - mid) ? b : a));
    const gap = mid - nearest;
    if (Math.abs(gap) < 30 * 60000 || Math.abs(gap) > 14.5 * 3600000) continue;
    const zone = Math.round(gap / QUARTER_HOUR) * 15;
    f.warnings.push(
      `${ZONE_NOTE} and no message shared with other nodes; its times are ${Math.round(gap / 60000)} min from theirs: if it was written in UTC${formatZone(zone)}, set that zone`,
    );
  }
}
