import { findDate } from "../sources/timestamps.ts";
import type { FileInfo, TimeBase } from "./files.ts";
import { TIME_LOCAL, TIME_TOD, TIME_UTC } from "./records.ts";
import { rotationFamilies } from "./rotation.ts";
import type { Store } from "./store.ts";

const DAY = 86400000;
const NO_DATE = "time of day only and no date found: times are shown on 1970-01-01; set the date";
const MINUTE = 60000;

export function isoDate(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/**
 * Decide each file's time base: what its records carry, and for time-of-day logs the day,
 * taken from the file itself, its name, or the other files of the bundle (the earliest
 * dated record among them), in that order. Zones default to UTC when nothing says otherwise.
 */
export function decideTimeBases(
  store: Store,
  zones: Map<number, number> = new Map(),
  dates: Map<number, string> = new Map(),
): void {
  const r = store.records;
  // The columns themselves (time kind codes: see records.ts), not a call per record.
  const kinds = r.timeKind.data;
  const rawTimes = r.rawTime.data;
  let siblingDay = NaN;
  /** Earliest dated day per lane: a node's own dated logs say its date best. */
  const laneDay = new Map<string, number>();
  for (const f of store.files) {
    const counts = { utc: 0, local: 0, tod: 0 };
    for (let i = f.recordStart; i < f.recordEnd; i++) {
      const k = kinds[i];
      if (k === TIME_UTC) counts.utc++;
      else if (k === TIME_LOCAL) counts.local++;
      else if (k === TIME_TOD) counts.tod++;
    }
    const kind =
      counts.utc + counts.local + counts.tod === 0
        ? "none"
        : counts.utc >= counts.local && counts.utc >= counts.tod
          ? "utc"
          : counts.local >= counts.tod
            ? "local"
            : "tod";
    // Zones are decided anew on every build: the user's, else UTC until the estimate says otherwise.
    const base: TimeBase = { ...f.timeBase, kind, zoneMinutes: 0 };
    f.timeBase = base;
    if (kind === "utc" || kind === "local") {
      for (let i = f.recordStart; i < f.recordEnd; i++) {
        const t = rawTimes[i]!;
        if (!Number.isNaN(t) && kinds[i] !== TIME_TOD) {
          const day = Math.floor(t / DAY) * DAY;
          if (Number.isNaN(siblingDay) || day < siblingDay) siblingDay = day;
          const lane = f.lane ?? "";
          if (!((laneDay.get(lane) ?? Infinity) <= day)) laneDay.set(lane, day);
          break;
        }
      }
    }
  }
  for (const f of store.files) {
    const base = f.timeBase;
    const userZone = zones.get(f.index);
    if (userZone !== undefined) {
      base.zoneMinutes = userZone;
      base.zoneAssumed = false;
    } else if (base.kind === "local" || base.kind === "tod") {
      base.zoneAssumed = true;
    }
    const userDate = dates.get(f.index);
    if (userDate !== undefined) {
      base.date = userDate;
      base.dateFrom = "user";
      f.warnings = f.warnings.filter((w) => w !== NO_DATE);
      continue;
    }
    if (base.kind !== "tod" || base.dateFrom === "file") continue;
    const fromName = findDate(f.name);
    if (!Number.isNaN(fromName)) {
      base.date = isoDate(fromName);
      base.dateFrom = "name";
    } else if (laneDay.has(f.lane ?? "") || !Number.isNaN(siblingDay)) {
      base.date = isoDate(laneDay.get(f.lane ?? "") ?? siblingDay);
      base.dateFrom = "sibling";
    } else {
      base.date = "1970-01-01";
      base.dateFrom = "unknown";
      addOnce(f, NO_DATE);
    }
  }
}

/** Base UTC time of every record (before clock offsets); records without a time take their neighbour's. */
export function baseTimes(store: Store): Float64Array {
  const r = store.records;
  const kinds = r.timeKind.data;
  const rawTimes = r.rawTime.data;
  const out = new Float64Array(r.length).fill(NaN);
  for (const family of rotationFamilies(store.files)) {
    // Carried from one rotated file to the next, oldest first.
    let dayShift = 0;
    let lastTod = NaN;
    let last = NaN;
    for (const f of family) {
      const base = f.timeBase;
      const zone = base.zoneMinutes * MINUTE;
      const day = base.date ? Date.parse(`${base.date}T00:00:00Z`) : 0;
      if (base.dateFrom === "file" || base.dateFrom === "user" || base.dateFrom === "name") {
        dayShift = 0;
        lastTod = NaN;
      }
      let firstKnown = NaN;
      for (let i = f.recordStart; i < f.recordEnd; i++) {
        const raw = rawTimes[i]!;
        const kind = kinds[i];
        let t = NaN;
        if (kind === TIME_UTC) t = raw;
        else if (kind === TIME_LOCAL) t = raw - zone;
        else if (kind === TIME_TOD) {
          // A time of day that jumps back by more than 12 h has passed midnight.
          if (!Number.isNaN(lastTod) && raw < lastTod - DAY / 2) dayShift += DAY;
          lastTod = raw;
          t = day + dayShift + raw - zone;
        }
        // A record with no timestamp sits right after the one before it.
        if (Number.isNaN(t)) t = last;
        else if (Number.isNaN(firstKnown)) firstKnown = t;
        out[i] = t;
        last = t;
      }
      // Records before the first timestamped one sit just before it.
      for (let i = f.recordStart; i < f.recordEnd && Number.isNaN(out[i]!); i++) out[i] = firstKnown;
    }
  }
  return out;
}

function addOnce(f: FileInfo, message: string): void {
  if (!f.warnings.includes(message)) f.warnings.push(message);
}
