import type { RecordParser, RecordSink, SourceDescriptor, TimeKind } from "./types.ts";

/**
 * The fallback for any text log with a recognisable timestamp at the start of its lines (Cisco
 * video endpoints, XMPP clients, whatever else a bundle holds), so that unknown logs still join
 * the timeline and the search. It names no lane and emits no events: its records are for the
 * timeline and the search only.
 *
 * A record starts at a line that begins with one of these (optionally after a BOM or no-break
 * space, a syslog `<PRI>` / `<PRI>1 `, an opening `[`, or the `*` / `.` Cisco IOS puts before
 * its stamps); every other line continues it:
 *
 *   2021-06-02T09:14:03.118Z        ISO 8601, `T` or space, `.`/`,` fraction, `Z` or `+02:00` / `-0700`
 *   2021-06-02 09:14:03,118         (also 2021/06/02)
 *   06/02/2021|09:14:03.118         MM/DD/YYYY, then `|`, space, `T` or `-`
 *   Jun  2 09:14:03                 syslog (BSD), optionally with a fraction or a year before the time
 *   [2021-06-02 09:14:03]           any of the above in brackets
 *   09:14:03.118                    time of day only
 *
 * Time kinds: `utc` when the stamp carries `Z` or an offset, `local` for a date and time, `tod`
 * for a time only (the date then comes from the file's time base, like SDL and XCP).
 *
 * Syslog stamps have no year. They are read as `local` in the current year, or in the previous
 * one when that would put the record more than a day in the future (a December log read in
 * January): what syslog readers do. The alternative, `tod`, would drop the month and day the
 * line does give; a wrong year is visible at a glance and the file's date can be corrected.
 *
 * Detection: only when at least 60% of the head's non-blank lines begin with the same one of
 * these shapes, and then at exactly MIN_CONFIDENCE (0.3): every real source that claims a file
 * at all claims it with at least as much, and wins a tie by priority. A README quoting a few
 * log lines, or prose, stays unknown.
 */

/** registry.ts's MIN_CONFIDENCE, the lowest confidence that claims a file (not imported: registry imports us). */
const GENERIC_CONFIDENCE = 0.3;
const SNIFF_SHARE = 0.6;
/** A verdict needs a few stamped lines: two lines of a chat pasted in a note are not a log. */
const SNIFF_MIN_LINES = 3;
const SNIFF_LINES = 400;

type Shape = "iso" | "us" | "syslog" | "tod";

interface Stamp {
  shape: Shape;
  ms: number;
  kind: TimeKind;
  /** Index just past the stamp (and its closing bracket). */
  end: number;
}

/** BOM / no-break space, syslog priority (and RFC 5424 version), bracket, IOS `*` or `.`. */
const PREFIX = /^[\ufeff\u00a0]*(?:<\d{1,3}>(?:1 )?)?(?:\[|[*.](?=[A-Z]))?/;
const ISO =
  /^(\d{4})([-/])(\d\d)\2(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?: ?(Z|[+-]\d\d:?\d\d)(?!\d))?(?!\d)/;
const US = /^(\d\d)\/(\d\d)\/(\d{4})[| T-](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?!\d)/;
const SYSLOG =
  /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2})(?: (\d{4}))? (\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?!\d)/;
const TOD = /^(\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?!\d)/;
const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

const LEVELS = new Set([
  "TRACE",
  "DEBUG",
  "INFO",
  "NOTICE",
  "WARN",
  "WARNING",
  "ERROR",
  "ERR",
  "CRIT",
  "CRITICAL",
  "FATAL",
  "SEVERE",
  "ALERT",
  "EMERG",
]);

function fractionMs(frac: string | undefined): number {
  return frac ? Number("0." + frac) * 1000 : 0;
}

function timeOfDay(h: string, m: string, s: string, frac: string | undefined): number {
  const hh = Number(h);
  const mm = Number(m);
  const ss = Number(s);
  if (hh > 23 || mm > 59 || ss > 60) return NaN;
  return ((hh * 60 + mm) * 60 + ss) * 1000 + fractionMs(frac);
}

function day(year: number, month: number, dayOfMonth: number): number {
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return NaN;
  return Date.UTC(year, month - 1, dayOfMonth);
}

function zoneOffsetMs(zone: string): number {
  if (zone === "Z") return 0;
  const digits = zone.replace(":", "");
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (zone[0] === "+" ? 1 : -1) * minutes * 60000;
}

/** The year a syslog stamp (no year) belongs to, given the time the file is read. */
export function syslogYear(month: number, dayOfMonth: number, nowMs: number): number {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  return Date.UTC(year, month - 1, dayOfMonth) > nowMs + 86_400_000 ? year - 1 : year;
}

/** The timestamp a line starts with, or null. `nowMs` dates syslog stamps (see above). */
export function lineStamp(line: string, nowMs: number): Stamp | null {
  const prefix = PREFIX.exec(line)![0];
  const bracket = prefix.endsWith("[");
  const at = prefix.length;
  const c = line.charCodeAt(at);
  const rest = at === 0 ? line : line.slice(at);
  let stamp: Stamp | null = null;
  if (c >= 48 && c <= 57) {
    let m: RegExpExecArray | null;
    if ((m = ISO.exec(rest))) {
      const ms = day(Number(m[1]), Number(m[3]), Number(m[4])) + timeOfDay(m[5]!, m[6]!, m[7]!, m[8]);
      const zone = m[9];
      stamp = zone
        ? { shape: "iso", ms: ms - zoneOffsetMs(zone), kind: "utc", end: at + m[0].length }
        : { shape: "iso", ms, kind: "local", end: at + m[0].length };
    } else if ((m = US.exec(rest))) {
      const ms = day(Number(m[3]), Number(m[1]), Number(m[2])) + timeOfDay(m[4]!, m[5]!, m[6]!, m[7]);
      stamp = { shape: "us", ms, kind: "local", end: at + m[0].length };
    } else if ((m = TOD.exec(rest))) {
      stamp = { shape: "tod", ms: timeOfDay(m[1]!, m[2]!, m[3]!, m[4]), kind: "tod", end: at + m[0].length };
    }
  } else if (c >= 65 && c <= 90) {
    const m = SYSLOG.exec(rest);
    if (m) {
      const month = MONTHS.indexOf(m[1]!) / 3 + 1;
      const dayOfMonth = Number(m[2]);
      const year = m[3] ? Number(m[3]) : syslogYear(month, dayOfMonth, nowMs);
      const ms = day(year, month, dayOfMonth) + timeOfDay(m[4]!, m[5]!, m[6]!, m[7]);
      stamp = { shape: "syslog", ms, kind: "local", end: at + m[0].length };
    }
  }
  if (!stamp || Number.isNaN(stamp.ms)) return null;
  if (bracket) {
    // "[2021-06-02 09:14:03]", "[2021-06-02 09:14:03.118 +0200]", "[09:14:03][INFO]".
    if (line[stamp.end] !== "]") return null;
    stamp.end++;
  }
  return stamp;
}

/** A level word among the first few tokens after the stamp (`INFO`, `[ERROR]`, `<warn>`, `level=debug`). */
function levelOf(line: string, from: number): string | undefined {
  const tokens = line
    .slice(from, from + 160)
    .trim()
    .split(/\s+/, 4);
  for (const token of tokens) {
    const word = token
      .replace(/^(?:level=)?[[(<]?/i, "")
      .replace(/(?<![\])>:,])[\])>:,]*$/, "")
      .toUpperCase();
    if (LEVELS.has(word)) return word;
  }
  return undefined;
}

function sniff(head: string): number {
  const counts: Record<Shape, number> = { iso: 0, us: 0, syslog: 0, tod: 0 };
  let nonBlank = 0;
  const now = Date.now();
  for (const raw of head.split("\n", SNIFF_LINES)) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    nonBlank++;
    const stamp = lineStamp(line, now);
    if (stamp) counts[stamp.shape]++;
  }
  const best = Math.max(counts.iso, counts.us, counts.syslog, counts.tod);
  if (best < SNIFF_MIN_LINES || best < SNIFF_SHARE * nonBlank) return 0;
  return GENERIC_CONFIDENCE;
}

/** A parser for one file. `nowMs` (the time the file is read) dates syslog stamps. */
export function createGenericParser(nowMs = Date.now()): RecordParser {
  return (record, sink: RecordSink) => {
    const header = record.lines[0] ?? "";
    const stamp = lineStamp(header, nowMs);
    if (!stamp) return;
    sink.time(stamp.ms, stamp.kind);
    const level = levelOf(header, stamp.end);
    if (level) sink.level(level);
  };
}

export const generic: SourceDescriptor = {
  id: "generic",
  label: "generic (timestamped text)",
  lane: null,
  priority: 0,
  sniff,
  isRecordStart: (line) => lineStamp(line, 0) !== null,
  createParser: () => createGenericParser(),
};
