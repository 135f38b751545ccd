import { Gunzip, Inflate } from "fflate";
import { concatBytes } from "./bytes.ts";
import { guessEncoding } from "./encoding.ts";

/**
 * Archives as support bundles come: a Jabber problem report (.zip), Expressway diagnostic logs
 * and RTMT downloads (.tar.gz / .tgz / .tar / .gz), nested in one another. Pure functions over
 * bytes (no DOM, no Node): they run in the Web Worker and in Node.
 *
 * fflate does the inflating (raw DEFLATE for zip members, gzip with its multi-member streams),
 * always streamed in small input slices so that the output can be counted and cut off past a
 * limit. The containers are read here: the zip central directory because fflate exposes
 * neither the declared sizes before inflating nor a way to stop its streaming unzip mid-member,
 * and tar headers (ustar, GNU long names, PAX paths) because a tar member is just a slice of
 * the bytes and a synchronous, limit-aware, never-throwing reader is about a hundred lines.
 *
 * Nothing here throws: a corrupt, truncated or oversized archive gives messages in `errors`
 * and whatever members could be read before the damage.
 */

export interface ArchiveLimits {
  /** All bytes produced by decompression, over every archive of one expansion. */
  maxTotalBytes: number;
  /** One member, decompressed. */
  maxMemberBytes: number;
  /** Entries (members, skipped ones, nested ones) over one expansion. */
  maxMembers: number;
  /** Archives inside archives: a .zip at the top is depth 1, a .tgz inside it depth 2. */
  maxDepth: number;
  /** Output bytes per input byte of one compressed stream, checked once the output passes ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 2 * 1024 ** 3,
  maxMemberBytes: 1024 ** 3,
  maxMembers: 100_000,
  maxDepth: 4,
  // Text logs deflate 5:1 to 30:1, very repetitive ones ~100:1; DEFLATE's ceiling is ~1032:1,
  // reached only by runs of one byte, i.e. a bomb.
  maxRatio: 200,
  ratioFloorBytes: 32 * 1024 ** 2,
};

export interface ArchiveMember {
  /** Path inside, prefixed by the archive names: "prt.zip/jabber.log", "diag.tgz/a/inner.zip/b.log". */
  name: string;
  bytes: Uint8Array;
}

export interface ArchiveResult {
  members: ArchiveMember[];
  skipped: { name: string; reason: string }[];
  errors: string[];
  /** Bytes produced by decompression. */
  expandedBytes: number;
  /** A limit (size, ratio, members, depth) stopped something from being expanded. */
  limitExceeded: boolean;
}

export type ArchiveKind = "zip" | "gzip" | "tar";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** Compressed bytes pushed to the inflater at a time: bounds the output of one push to ~16 MiB. */
const SLICE = 16 * 1024;

function size(n: number): string {
  if (n >= GIB && n % GIB === 0) return `${n / GIB} GiB`;
  if (n >= MIB) return `${Math.round((n / MIB) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Recognising archives and non-log members

function tarChecksumOk(b: Uint8Array, at = 0): boolean {
  if (b.length < at + 512) return false;
  const field = ascii(b, at + 148, 8)
    .replace(/(?<![\0 ])[\0 ]+$/, "")
    .trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[at + i]!;
  return sum === parseInt(field, 8);
}

function magicKind(head: Uint8Array): ArchiveKind | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return "zip";
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 5 && head[3] === 6) return "zip"; // empty zip
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (ascii(head, 257, 5) === "ustar" || tarChecksumOk(head)) return "tar";
  return null;
}

function nameKind(name: string): ArchiveKind | null {
  const n = name.toLowerCase();
  if (n.endsWith(".zip")) return "zip";
  if (n.endsWith(".gz") || n.endsWith(".tgz")) return "gzip";
  if (n.endsWith(".tar")) return "tar";
  return null;
}

/**
 * Which archive the bytes are: magic bytes first (PK\3\4, 1f 8b, "ustar" at 257 or a valid
 * tar header checksum), the name as a fallback, but never for a head that reads as text (a
 * browser may have inflated a .gz on download already). Give it at least 512 bytes.
 */
export function archiveKind(name: string, head: Uint8Array): ArchiveKind | null {
  const byMagic = magicKind(head);
  if (byMagic) return byMagic;
  const byName = nameKind(name);
  if (!byName || head.length === 0) return byName;
  return guessEncoding(head).binary ? byName : null;
}

export function isArchive(name: string, head: Uint8Array): boolean {
  return archiveKind(name, head) !== null;
}

const SKIP_EXTENSIONS: Record<string, string> = {
  png: "image",
  jpg: "image",
  jpeg: "image",
  gif: "image",
  bmp: "image",
  ico: "image",
  tif: "image",
  tiff: "image",
  webp: "image",
  exe: "binary",
  dll: "binary",
  so: "binary",
  dylib: "binary",
  pdb: "binary",
  dmp: "binary",
  mdmp: "binary",
  class: "binary",
  jar: "binary",
  msi: "binary",
  sys: "binary",
};

/** Why a member is not a log by its name alone (before inflating it), or null. */
function skipByName(path: string): string | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (path.startsWith("__MACOSX/") || path.includes("/__MACOSX/") || base.startsWith("._"))
    return "macOS metadata";
  const m = /\.([a-z0-9]+)((?:\.\d+)*)$/i.exec(base);
  if (!m) return null;
  const ext = m[1]!.toLowerCase();
  // "libfoo.so.1" is a library; "jabber.log.1" is a rotated log.
  const kind = SKIP_EXTENSIONS[ext];
  if (!kind || (m[2] && ext !== "so")) return null;
  return `${kind} (.${ext})`;
}

const MAGICS: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], "image (png)"],
  [[0xff, 0xd8, 0xff], "image (jpeg)"],
  [[0x47, 0x49, 0x46, 0x38], "image (gif)"],
  [[0x7f, 0x45, 0x4c, 0x46], "binary (ELF)"],
  [[0xcf, 0xfa, 0xed, 0xfe], "binary (Mach-O)"],
  [[0xce, 0xfa, 0xed, 0xfe], "binary (Mach-O)"],
  [[0xca, 0xfe, 0xba, 0xbe], "binary (Mach-O or Java class)"],
  [[0x4d, 0x44, 0x4d, 0x50], "binary (minidump)"],
  [[0x4d, 0x5a], "binary (Windows executable)"],
];

/** Why member bytes are not a log (an image, an executable, binary content), or null. */
function skipByContent(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const binary = guessEncoding(bytes.subarray(0, 8192)).binary;
  for (const [magic, reason] of MAGICS) {
    if (magic.every((b, i) => bytes[i] === b)) {
      // "MZ" and friends could start a text line: believe them only with binary content.
      if (magic.length >= 3 || binary) return reason;
    }
  }
  return binary ? "binary content" : null;
}

// ---------------------------------------------------------------------------------------------
// Expansion

interface Context {
  limits: ArchiveLimits;
  result: ArchiveResult;
  entries: number;
  /** Set once a limit of the whole expansion is hit: nothing more is read. */
  stopped: boolean;
}

function newContext(limits?: Partial<ArchiveLimits>): Context {
  return {
    limits: { ...DEFAULT_ARCHIVE_LIMITS, ...limits },
    result: { members: [], skipped: [], errors: [], expandedBytes: 0, limitExceeded: false },
    entries: 0,
    stopped: false,
  };
}

/**
 * Expand one archive, nested archives included. Members that are not logs are listed in
 * `skipped`; limits and damage are reported in `errors`.
 */
export function expandArchive(
  name: string,
  bytes: Uint8Array,
  limits?: Partial<ArchiveLimits>,
): ArchiveResult {
  const ctx = newContext(limits);
  const kind = archiveKind(name, bytes.subarray(0, 8192));
  if (!kind) ctx.result.errors.push(`${name}: not a zip, gzip or tar archive`);
  else expand(ctx, name, bytes, kind, 1);
  return ctx.result;
}

/**
 * Expand every archive among `files` (nested too) and pass the other files through unchanged,
 * in order. The limits apply to the whole set.
 */
export function expandAll(
  files: readonly { name: string; bytes: Uint8Array }[],
  limits?: Partial<ArchiveLimits>,
): ArchiveResult {
  const ctx = newContext(limits);
  for (const f of files) {
    const kind = archiveKind(f.name, f.bytes.subarray(0, 8192));
    if (!kind) ctx.result.members.push({ name: f.name, bytes: f.bytes });
    else if (!ctx.stopped) expand(ctx, f.name, f.bytes, kind, 1);
    else ctx.result.skipped.push({ name: f.name, reason: "not expanded: a limit was reached earlier" });
  }
  return ctx.result;
}

function expand(ctx: Context, path: string, bytes: Uint8Array, kind: ArchiveKind, depth: number): void {
  try {
    if (kind === "zip") expandZip(ctx, path, bytes, depth);
    else if (kind === "gzip") expandGzip(ctx, path, bytes, depth);
    else expandTar(ctx, path, bytes, depth);
  } catch (err) {
    // Defensive: the readers check their bounds, but a bug must not take the drop down with it.
    ctx.result.errors.push(`${path}: could not be read (${(err as Error)?.message ?? String(err)})`);
  }
}

/** An error that is a limit at work, not damage: the CLI's exit code tells the two apart. */
function limitError(ctx: Context, message: string): void {
  ctx.result.errors.push(message);
  ctx.result.limitExceeded = true;
}

/** Count an entry against maxMembers; false (and stop) past it. */
function countEntry(ctx: Context, archive: string): boolean {
  if (ctx.stopped) return false;
  if (++ctx.entries > ctx.limits.maxMembers) {
    limitError(
      ctx,
      `${archive}: more than ${ctx.limits.maxMembers} members in all: the rest is not expanded (member count limit)`,
    );
    ctx.stopped = true;
    return false;
  }
  return true;
}

/** A member's bytes, once read: recurse into an archive, skip a non-log, or keep it. */
function deliver(ctx: Context, path: string, bytes: Uint8Array, depth: number): void {
  const kind =
    magicKind(bytes.subarray(0, 8192)) ?? (nameKind(path) && archiveKind(path, bytes.subarray(0, 8192)));
  if (kind) {
    if (depth >= ctx.limits.maxDepth) {
      ctx.result.skipped.push({
        name: path,
        reason: `archive nested deeper than ${ctx.limits.maxDepth} levels`,
      });
      limitError(ctx, `${path}: archive nested deeper than ${ctx.limits.maxDepth} levels: not expanded`);
      return;
    }
    expand(ctx, path, bytes, kind, depth + 1);
    return;
  }
  const reason = skipByContent(bytes);
  if (reason) ctx.result.skipped.push({ name: path, reason });
  else ctx.result.members.push({ name: path, bytes });
}

/** The bytes a stream may still produce: the smaller of the member and the remaining total budget. */
function budget(ctx: Context): number {
  return Math.min(ctx.limits.maxMemberBytes, ctx.limits.maxTotalBytes - ctx.result.expandedBytes);
}

interface Inflated {
  bytes: Uint8Array;
  /** A limit was hit: the output is dropped. */
  limit?: string;
  /** The stream is damaged or cut: `bytes` holds what came before. */
  damage?: string;
}

/**
 * Inflate `data` (raw DEFLATE or gzip) in slices, counting the output: past `cap` bytes, or
 * past the ratio guard, it stops and drops what it had. `into` preallocates the output when the
 * size is declared (zip), so that a member is held once rather than as chunks plus a copy.
 */
function inflateCapped(
  ctx: Context,
  data: Uint8Array,
  gzip: boolean,
  cap: number,
  declared?: number,
): Inflated {
  const { maxRatio, ratioFloorBytes } = ctx.limits;
  // The output goes into one buffer of the expected size when there is one: the zip's declared
  // size, or a gzip trailer's ISIZE (a hint only: modulo 4 GiB, of the last member, garbage when
  // cut). Past it, or without it, into chunks joined at the end. A hint past the ratio guard's
  // ratio is not believed: the last 4 bytes of a cut gzip can read as a GiB.
  const hint = declared ?? (gzip && data.length >= 18 ? u32(data, data.length - 4) : 0);
  const plausible = hint <= cap && hint <= Math.max(data.length * maxRatio, 64 * 1024);
  let into: Uint8Array | null = hint > 0 && plausible ? new Uint8Array(hint) : null;
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let limit: string | undefined;
  const onData = (chunk: Uint8Array): void => {
    if (limit || chunk.length === 0) return;
    if (produced + chunk.length > cap) {
      limit =
        cap === ctx.limits.maxMemberBytes
          ? `expands past the ${size(cap)} member limit`
          : declared !== undefined && cap === declared
            ? `expands past its declared size of ${size(declared)} (corrupt, or a zip bomb)`
            : `expands past the ${size(ctx.limits.maxTotalBytes)} total limit`;
      return;
    }
    if (into && produced + chunk.length > into.length) {
      chunks.push(into.subarray(0, produced));
      into = null;
    }
    if (into) into.set(chunk, produced);
    else chunks.push(chunk);
    produced += chunk.length;
  };
  const stream = gzip ? new Gunzip(onData) : new Inflate(onData);
  /** Output before the current gzip member: the trailer's ISIZE is of that member alone. */
  let memberStart = 0;
  if (stream instanceof Gunzip) stream.onmember = () => (memberStart = produced);
  let afterStream = false;
  let damage: string | undefined;
  try {
    if (data.length === 0) stream.push(data, true);
    for (let at = 0; at < data.length && !limit; at += SLICE) {
      const end = Math.min(at + SLICE, data.length);
      stream.push(data.subarray(at, end), end === data.length);
      if (produced > ratioFloorBytes && produced > maxRatio * end)
        limit = `compresses more than ${maxRatio}:1 (a zip bomb?)`;
    }
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    // A bad gzip header after output was produced is a header after a complete member: the
    // padding or trailing bytes some tools write after the stream. The data is whole.
    if (gzip && produced > 0 && (err as { code?: number })?.code === 6) afterStream = true;
    else damage = /unexpected EOF/i.test(message) ? "truncated" : `corrupt (${message})`;
  }
  if (limit) return { bytes: new Uint8Array(0), limit };
  // fflate can also end a cut stream quietly, mid-member: a whole one ends with its trailer, whose
  // ISIZE (mod 4 GiB) is what the last member inflated to; fflate passes up to 3 bytes after it.
  if (gzip && !damage && !afterStream) {
    const last = (produced - memberStart) >>> 0;
    let whole = false;
    for (let extra = 0; extra <= 3 && !whole; extra++)
      whole = data.length >= 18 + extra && u32(data, data.length - 4 - extra) === last;
    if (!whole) damage = "truncated (no trailer matches the inflated size)";
  }
  ctx.result.expandedBytes += produced;
  const full: Uint8Array | null = into;
  const bytes = full
    ? produced === full.length
      ? full
      : full.subarray(0, produced)
    : concatBytes(chunks, produced);
  if (!damage && declared !== undefined && produced !== declared)
    damage = `inflated to ${produced} bytes, ${declared} declared`;
  return damage ? { bytes, damage } : { bytes };
}

// ---- gzip -----------------------------------------------------------------------------------

function expandGzip(ctx: Context, path: string, bytes: Uint8Array, depth: number): void {
  if (!countEntry(ctx, path)) return;
  // fflate ends quietly on a stream cut inside its header: a header, an empty DEFLATE block and
  // the 8-byte trailer are the least a gzip file has.
  if (bytes.length < gzipHeaderEnd(bytes) + 2 + 8) {
    ctx.result.errors.push(`${path}: truncated (no complete gzip stream): not expanded`);
    return;
  }
  const inflated = inflateCapped(ctx, bytes, true, budget(ctx));
  if (inflated.limit) {
    limitError(ctx, `${path}: ${inflated.limit}: not expanded`);
    if (ctx.result.expandedBytes >= ctx.limits.maxTotalBytes || /total/.test(inflated.limit))
      ctx.stopped = true;
    return;
  }
  if (inflated.damage)
    ctx.result.errors.push(`${path}: ${inflated.damage}: kept the ${inflated.bytes.length} bytes before it`);
  const out = inflated.bytes;
  // The member is named by the archive's name less ".gz" ("jabber.log.gz/jabber.log"), else by
  // the name the gzip header stored.
  const base = path.slice(path.lastIndexOf("/") + 1);
  const stripped = /\.tgz$/i.test(base) ? base.slice(0, -4) + ".tar" : base.replace(/\.gz$/i, "");
  const inner = stripped && stripped !== base ? stripped : gzipName(bytes) || `${base}.out`;
  const tar = magicKind(out) === "tar";
  // A tar cut inside its first header has no member to keep (not even its name as a log).
  if (inflated.damage && out.length < 512 && (tar || /\.tar$/i.test(inner))) return;
  // A tar inside (.tar.gz, .tgz) is flattened: "diag.tgz/var/log/x.log", not "diag.tgz/diag.tar/...".
  if (tar) {
    expandTar(ctx, path, out, depth);
    return;
  }
  deliver(ctx, `${path}/${inner}`, out, depth);
}

/** Where the first gzip member's header ends (RFC 1952: FEXTRA, FNAME, FCOMMENT, FHCRC). */
function gzipHeaderEnd(b: Uint8Array): number {
  const flags = b[3] ?? 0;
  let at = 10;
  if (flags & 4) at += 2 + u16(b, 10);
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (at < b.length && b[at] !== 0) at++;
    at++;
  }
  if (flags & 2) at += 2;
  return at;
}

/** FNAME of a gzip header, when the writer stored one. */
function gzipName(b: Uint8Array): string {
  const flags = b[3] ?? 0;
  if (!(flags & 8)) return "";
  let at = 10;
  if (flags & 4) at += 2 + ((b[10] ?? 0) | ((b[11] ?? 0) << 8));
  let end = at;
  while (end < b.length && end < at + 1024 && b[end] !== 0) end++;
  const name = latin1(b, at, end - at);
  return name.slice(name.lastIndexOf("/") + 1);
}

// ---- tar ------------------------------------------------------------------------------------

function ascii(b: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let i = at; i < at + n && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function latin1(b: Uint8Array, at: number, n: number): string {
  return ascii(b, at, n);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A NUL-terminated name field: UTF-8 when it is, Latin-1 otherwise. */
function text(b: Uint8Array, at: number, n: number): string {
  let end = at;
  while (end < at + n && end < b.length && b[end] !== 0) end++;
  try {
    return utf8.decode(b.subarray(at, end));
  } catch {
    return latin1(b, at, end - at);
  }
}

/** An octal size field, or GNU base-256 (high bit set) for members of 8 GiB and more. */
function tarNumber(b: Uint8Array, at: number, n: number): number {
  if ((b[at]! & 0x80) !== 0) {
    let v = b[at]! & 0x7f;
    for (let i = at + 1; i < at + n; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = ascii(b, at, n).replace(/[\0 ]/g, "");
  if (s === "") return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : NaN;
}

/** PAX extended header records ("27 path=some/long/name\n"): the ones that matter here. */
function paxRecords(b: Uint8Array): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let at = 0;
  while (at < b.length) {
    let sp = at;
    while (sp < b.length && b[sp] !== 0x20) sp++;
    const len = parseInt(ascii(b, at, sp - at), 10);
    if (!(len > 0) || at + len > b.length) break;
    const record = text(b, sp + 1, at + len - sp - 2);
    const eq = record.indexOf("=");
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === "path") out.path = value;
    else if (key === "size" && /^\d+$/.test(value)) out.size = Number(value);
    at += len;
  }
  return out;
}

/** Forward slashes, no leading "./" or "/", no "." or ".." segments ("../../x.log" -> "x.log"). */
function cleanPath(p: string): string {
  const trailing = p.endsWith("/") || p.endsWith("\\") ? "/" : "";
  const parts = p.split(/[\\/]+/).filter((s) => s !== "" && s !== "." && s !== "..");
  return parts.length ? parts.join("/") + trailing : "";
}

function expandTar(ctx: Context, path: string, bytes: Uint8Array, depth: number): void {
  let at = 0;
  let longName: string | null = null;
  let pax: { path?: string; size?: number } = {};
  while (at + 512 <= bytes.length) {
    if (ctx.stopped) return;
    const h = bytes.subarray(at, at + 512);
    if (h.every((c) => c === 0)) return; // end of archive
    if (!tarChecksumOk(bytes, at)) {
      ctx.result.errors.push(`${path}: corrupt tar header at byte ${at}: the rest is not read`);
      return;
    }
    const type = String.fromCharCode(h[156]!);
    let entrySize = tarNumber(h, 124, 12);
    if (pax.size !== undefined && (type === "0" || type === "\0" || type === "7")) entrySize = pax.size;
    if (!Number.isFinite(entrySize)) {
      ctx.result.errors.push(`${path}: corrupt tar header at byte ${at}: the rest is not read`);
      return;
    }
    const dataStart = at + 512;
    const available = Math.max(0, Math.min(entrySize, bytes.length - dataStart));
    const data = bytes.subarray(dataStart, dataStart + available);
    at = dataStart + Math.ceil(entrySize / 512) * 512;

    if (type === "L") {
      longName = text(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      pax = paxRecords(data);
      continue;
    }
    if (type === "g" || type === "K") continue; // global PAX header, GNU long link name
    const magic = ascii(h, 257, 6);
    const prefix = magic === "ustar\0" ? text(h, 345, 155) : "";
    const entryName = cleanPath(pax.path ?? longName ?? (prefix ? `${prefix}/` : "") + text(h, 0, 100));
    longName = null;
    pax = {};
    if (type === "5" || entryName === "" || entryName.endsWith("/")) continue; // directory
    const member = `${path}/${entryName}`;
    if (!countEntry(ctx, path)) return;
    if (type !== "0" && type !== "\0" && type !== "7") {
      const what =
        type === "1" ? "hard link" : type === "2" ? "symbolic link" : `tar entry of type '${type}'`;
      ctx.result.skipped.push({ name: member, reason: `${what}, not a file` });
      continue;
    }
    const byName = skipByName(entryName);
    if (byName) {
      ctx.result.skipped.push({ name: member, reason: byName });
      continue;
    }
    if (entrySize > ctx.limits.maxMemberBytes) {
      limitError(
        ctx,
        `${member}: ${size(entrySize)}, over the ${size(ctx.limits.maxMemberBytes)} member limit: skipped`,
      );
      ctx.result.skipped.push({ name: member, reason: "over the member size limit" });
      continue;
    }
    if (available < entrySize) {
      ctx.result.errors.push(
        `${path}: truncated: ${entryName} declares ${entrySize} bytes, ${available} are there: kept those`,
      );
      if (available > 0) deliver(ctx, member, data, depth);
      return;
    }
    deliver(ctx, member, data, depth);
  }
  if (at < bytes.length || at > bytes.length)
    ctx.result.errors.push(`${path}: truncated tar (ends inside a header at byte ${at})`);
}

// ---- zip ------------------------------------------------------------------------------------

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) + u16(b, at + 2) * 0x10000) >>> 0;
}

function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header, or of the data itself for entries found by a local-header walk. */
  offset: number;
  dataKnown?: boolean;
}

/** The central directory, or null when there is none (truncated, or not a zip). */
function zipDirectory(b: Uint8Array): ZipEntry[] | null {
  let eocd = -1;
  for (let i = b.length - 22; i >= 0 && i >= b.length - 22 - 0xffff; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  let count = u16(b, eocd + 10);
  let offset = u32(b, eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && u32(b, locator) === 0x07064b50) {
      const z = u64(b, locator + 8);
      if (u32(b, z) === 0x06064b50) {
        count = u64(b, z + 32);
        offset = u64(b, z + 48);
      }
    }
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || u32(b, at) !== 0x02014b50) return entries.length ? entries : null;
    const flags = u16(b, at + 8);
    const nameLen = u16(b, at + 28);
    const extraLen = u16(b, at + 30);
    const commentLen = u16(b, at + 32);
    const entry: ZipEntry = {
      name: text(b, at + 46, nameLen), // UTF-8 flagged or not (CP437 in theory): UTF-8, else Latin-1
      flags,
      method: u16(b, at + 10),
      compressedSize: u32(b, at + 20),
      size: u32(b, at + 24),
      offset: u32(b, at + 42),
    };
    zip64Extra(b, at + 46 + nameLen, extraLen, entry);
    entries.push(entry);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function zip64Extra(b: Uint8Array, at: number, n: number, e: ZipEntry): void {
  const end = at + n;
  while (at + 4 <= end) {
    const id = u16(b, at);
    const len = u16(b, at + 2);
    if (id === 1) {
      let p = at + 4;
      if (e.size === 0xffffffff) {
        e.size = u64(b, p);
        p += 8;
      }
      if (e.compressedSize === 0xffffffff) {
        e.compressedSize = u64(b, p);
        p += 8;
      }
      if (e.offset === 0xffffffff) e.offset = u64(b, p);
      return;
    }
    at += 4 + len;
  }
}

/** No central directory (a cut download): walk the local headers for what can be saved. */
function zipLocalWalk(b: Uint8Array, path: string, ctx: Context): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 30 <= b.length && u32(b, at) === 0x04034b50) {
    const flags = u16(b, at + 6);
    const nameLen = u16(b, at + 26);
    const extraLen = u16(b, at + 28);
    const entry: ZipEntry = {
      name: text(b, at + 30, nameLen),
      flags,
      method: u16(b, at + 8),
      compressedSize: u32(b, at + 18),
      size: u32(b, at + 22),
      offset: at + 30 + nameLen + extraLen,
      dataKnown: true,
    };
    zip64Extra(b, at + 30 + nameLen, extraLen, entry);
    if (flags & 8) {
      ctx.result.errors.push(
        `${path}: cannot find the members after ${entry.name} without the central directory`,
      );
      break;
    }
    entries.push(entry);
    at = entry.offset + entry.compressedSize;
  }
  return entries;
}

function expandZip(ctx: Context, path: string, bytes: Uint8Array, depth: number): void {
  let entries = zipDirectory(bytes);
  if (!entries) {
    entries = zipLocalWalk(bytes, path, ctx);
    ctx.result.errors.push(
      entries.length
        ? `${path}: no central directory (truncated?): read ${entries.length} member(s) from their local headers`
        : `${path}: not a readable zip (no central directory): truncated or corrupt`,
    );
  }
  for (const e of entries) {
    if (ctx.stopped) return;
    const name = cleanPath(e.name);
    if (name === "" || name.endsWith("/")) continue; // directory
    const member = `${path}/${name}`;
    if (!countEntry(ctx, path)) return;
    const byName = skipByName(name);
    if (byName) {
      ctx.result.skipped.push({ name: member, reason: byName });
      continue;
    }
    if (e.flags & 1) {
      ctx.result.skipped.push({ name: member, reason: "encrypted" });
      continue;
    }
    if (e.method !== 0 && e.method !== 8) {
      ctx.result.skipped.push({
        name: member,
        reason: `zip compression method ${e.method} is not supported`,
      });
      continue;
    }
    // Declared sizes are checked before anything is inflated.
    if (e.size > ctx.limits.maxMemberBytes) {
      limitError(
        ctx,
        `${member}: declares ${size(e.size)}, over the ${size(ctx.limits.maxMemberBytes)} member limit: skipped`,
      );
      ctx.result.skipped.push({ name: member, reason: "over the member size limit" });
      continue;
    }
    if (
      e.method === 8 &&
      e.size > ctx.limits.ratioFloorBytes &&
      e.size > ctx.limits.maxRatio * e.compressedSize
    ) {
      limitError(
        ctx,
        `${member}: declares ${size(e.size)} from ${size(e.compressedSize)}, more than ${ctx.limits.maxRatio}:1 (a zip bomb?): skipped`,
      );
      ctx.result.skipped.push({ name: member, reason: "compression ratio over the limit" });
      continue;
    }
    if (e.method === 8 && ctx.result.expandedBytes + e.size > ctx.limits.maxTotalBytes) {
      limitError(
        ctx,
        `${member}: declares ${size(e.size)}, past the ${size(ctx.limits.maxTotalBytes)} total limit: the rest is not expanded`,
      );
      ctx.stopped = true;
      return;
    }
    let start = e.offset;
    if (!e.dataKnown) {
      if (start + 30 > bytes.length || u32(bytes, start) !== 0x04034b50) {
        ctx.result.errors.push(`${member}: local header missing (corrupt or truncated zip): skipped`);
        continue;
      }
      start += 30 + u16(bytes, start + 26) + u16(bytes, start + 28);
    }
    const end = start + e.compressedSize;
    const data = bytes.subarray(start, Math.min(end, bytes.length));
    const cut = end > bytes.length;
    if (e.method === 0) {
      if (cut) ctx.result.errors.push(`${member}: truncated: kept the ${data.length} bytes there`);
      if (data.length) deliver(ctx, member, data, depth);
      continue;
    }
    const cap = Math.min(e.size, budget(ctx));
    const inflated = inflateCapped(ctx, data, false, cap, e.size);
    if (inflated.limit) {
      limitError(ctx, `${member}: ${inflated.limit}: skipped`);
      ctx.result.skipped.push({ name: member, reason: inflated.limit });
      continue;
    }
    if (inflated.damage)
      ctx.result.errors.push(
        `${member}: ${cut ? "truncated" : inflated.damage}: kept the ${inflated.bytes.length} bytes before it`,
      );
    if (inflated.bytes.length) deliver(ctx, member, inflated.bytes, depth);
  }
}
