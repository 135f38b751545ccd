/**
 * Timestamp shapes shared by the sources. Each returns milliseconds (sub-millisecond digits
 * kept as a fraction) or NaN; none allocates a Date.
 */

/** Two decimal digits at `at`, or NaN. */
function digits2(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/*
 * Every record's time goes through these: characters are compared as codes (no one-character
 * strings), the fraction is read without an object for its result, and the day of the last call
 * is kept, since the records of a log share their day.
 */

/** Fractional seconds after the separator at `at`: "962" -> 962 ms, "9621" -> 962.1 ms. */
function fractionMs(s: string, at: number): number {
  // Digits read as they come: "962" -> 962, "9621" -> 962.1, no string built.
  let ms = 0;
  let scale = 100;
  for (let end = at; end < s.length; end++) {
    const c = s.charCodeAt(end) - 48;
    if (c < 0 || c > 9) break;
    ms += c * scale;
    scale /= 10;
  }
  return ms;
}

/** Where the digits from `at` end. */
function digitsEnd(s: string, at: number): number {
  let end = at;
  for (; end < s.length; end++) {
    const c = s.charCodeAt(end) - 48;
    if (c < 0 || c > 9) break;
  }
  return end;
}

/** The day of the last dayMs call, and its ms. */
const lastDay = { year: NaN, month: NaN, day: NaN, ms: NaN };

export function dayMs(year: number, month: number, day: number): number {
  const last = lastDay;
  if (year !== last.year || month !== last.month || day !== last.day) {
    last.year = year;
    last.month = month;
    last.day = day;
    last.ms = Date.UTC(year, month - 1, day);
  }
  return last.ms;
}

const DASH = 45;
const SPACE = 32;
const T = 84;
const COLON = 58;
const COMMA = 44;
const DOT = 46;

/** "2020-03-24 22:31:00,442" or with "T" / "." at `at`: wall-clock ms read as UTC. */
export function parseDateTime(s: string, at = 0): number {
  const y = digits2(s, at) * 100 + digits2(s, at + 2);
  const mo = digits2(s, at + 5);
  const d = digits2(s, at + 8);
  if (s.charCodeAt(at + 4) !== DASH || s.charCodeAt(at + 7) !== DASH) return NaN;
  const sep = s.charCodeAt(at + 10);
  if (sep !== SPACE && sep !== T) return NaN;
  const tod = parseTimeOfDay(s, at + 11);
  if (Number.isNaN(y + mo + d + tod) || mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  return dayMs(y, mo, d) + tod;
}

/** "22:31:00,442" / "10:26:46.981" / "08:59:16" at `at`: ms since midnight. */
export function parseTimeOfDay(s: string, at = 0): number {
  const h = digits2(s, at);
  const m = digits2(s, at + 3);
  const sec = digits2(s, at + 6);
  if (s.charCodeAt(at + 2) !== COLON || s.charCodeAt(at + 5) !== COLON) return NaN;
  if (h > 23 || m > 59 || sec > 60) return NaN;
  let ms = 0;
  const sep = s.charCodeAt(at + 8);
  if (sep === COMMA || sep === DOT) ms = fractionMs(s, at + 9);
  return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

/** "2020-03-24T16:31:00.962-06:00": UTC ms, or NaN when there is no zone. */
export function parseIsoWithOffset(s: string, at = 0): number {
  const local = parseDateTime(s, at);
  if (Number.isNaN(local)) return NaN;
  let i = at + 19;
  const dot = s.charCodeAt(i);
  if (dot === DOT || dot === COMMA) i = digitsEnd(s, i + 1);
  const z = s.charCodeAt(i);
  if (z === 90 /* Z */) return local;
  if (z !== 43 /* + */ && z !== DASH) return NaN;
  const oh = digits2(s, i + 1);
  const om = s.charCodeAt(i + 3) === COLON ? digits2(s, i + 4) : digits2(s, i + 3);
  if (Number.isNaN(oh + om)) return NaN;
  const offset = (oh * 60 + om) * 60000;
  return z === 43 ? local - offset : local + offset;
}

/** A YYYY-MM-DD or YYYYMMDD date in a file name or header, as a day in ms. */
export function findDate(s: string): number {
  const m = /(20\d\d)-?([01]\d)-?([0-3]\d)/.exec(s);
  if (!m) return NaN;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  return dayMs(Number(m[1]), mo, d);
}
