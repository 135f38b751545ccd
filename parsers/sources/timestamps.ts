/**
 * Timestamp shapes shared by the sources. Each returns milliseconds (sub-millisecond digits
 * kept as a fraction) or NaN; none allocates a Date.
 */

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(at + i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Fractional seconds after the separator at `at`: "962" -> 962 ms, "9621" -> 962.1 ms. */
function fraction(s: string, at: number): { ms: number; end: number } {
  // Digits read as they come: "962" -> 962, "9621" -> 962.1, no string built.
  let ms = 0;
  let scale = 100;
  let end = at;
  for (; end < s.length; end++) {
    const c = s.charCodeAt(end) - 48;
    if (c < 0 || c > 9) break;
    ms += c * scale;
    scale /= 10;
  }
  return { ms, end };
}

export function dayMs(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

/** "2020-03-24 22:31:00,442" or with "T" / "." at `at`: wall-clock ms read as UTC. */
export function parseDateTime(s: string, at = 0): number {
  const y = digits(s, at, 4);
  const mo = digits(s, at + 5, 2);
  const d = digits(s, at + 8, 2);
  if (s[at + 4] !== "-" || s[at + 7] !== "-") return NaN;
  const sep = s[at + 10];
  if (sep !== " " && sep !== "T") return NaN;
  const tod = parseTimeOfDay(s, at + 11);
  if (Number.isNaN(y + mo + d + tod) || mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  return dayMs(y, mo, d) + tod;
}

/** "22:31:00,442" / "10:26:46.981" / "08:59:16" at `at`: ms since midnight. */
export function parseTimeOfDay(s: string, at = 0): number {
  const h = digits(s, at, 2);
  const m = digits(s, at + 3, 2);
  const sec = digits(s, at + 6, 2);
  if (s[at + 2] !== ":" || s[at + 5] !== ":") return NaN;
  if (h > 23 || m > 59 || sec > 60) return NaN;
  let ms = 0;
  const sep = s[at + 8];
  if (sep === "," || sep === ".") ms = fraction(s, at + 9).ms;
  return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

/** "2020-03-24T16:31:00.962-06:00": UTC ms, or NaN when there is no zone. */
export function parseIsoWithOffset(s: string, at = 0): number {
  const local = parseDateTime(s, at);
  if (Number.isNaN(local)) return NaN;
  let i = at + 19;
  if (s[i] === "." || s[i] === ",") i = fraction(s, i + 1).end;
  const z = s[i];
  if (z === "Z") return local;
  if (z !== "+" && z !== "-") return NaN;
  const oh = digits(s, i + 1, 2);
  const om = s[i + 3] === ":" ? digits(s, i + 4, 2) : digits(s, i + 3, 2);
  if (Number.isNaN(oh + om)) return NaN;
  const offset = (oh * 60 + om) * 60000;
  return z === "+" ? local - offset : local + offset;
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
