import { archiveKind, expandArchive, type ArchiveLimits, type ArchiveResult } from "./io/archive.ts";
import type { FileOptions } from "./model/files.ts";

/** A file to parse, or one that is only listed: a skipped archive member, an archive's errors. */
export type DropItem =
  | { kind: "file"; name: string; blob: Blob; options?: FileOptions }
  | { kind: "listed"; name: string; size: number; warnings: string[]; errors: string[] };

const HEAD = 8192;

/** Archives (zip, gz, tar, tgz, nested) become their members, named by their path inside. */
export async function expandDropped(
  files: { name: string; blob: Blob; options?: FileOptions }[],
  limits?: Partial<ArchiveLimits>,
): Promise<DropItem[]> {
  const out: DropItem[] = [];
  for (const f of files) {
    let head: Uint8Array;
    try {
      head = new Uint8Array(await f.blob.slice(0, HEAD).arrayBuffer());
    } catch {
      out.push({ kind: "file", ...f });
      continue;
    }
    if (!archiveKind(f.name, head)) {
      out.push({ kind: "file", ...f });
      continue;
    }
    const bytes = new Uint8Array(await f.blob.arrayBuffer());
    out.push(...itemsOf(f.name, bytes.length, expandArchive(f.name, bytes, limits), f.options));
  }
  return out;
}

/** The same for bytes already in memory (the CLI). */
export function expandBytes(
  name: string,
  bytes: Uint8Array,
  limits?: Partial<ArchiveLimits>,
): DropItem[] | null {
  if (!archiveKind(name, bytes.subarray(0, HEAD))) return null;
  return itemsOf(name, bytes.length, expandArchive(name, bytes, limits));
}

function itemsOf(name: string, size: number, result: ArchiveResult, options?: FileOptions): DropItem[] {
  const items: DropItem[] = [];
  if (result.errors.length > 0)
    items.push({ kind: "listed", name, size, warnings: [], errors: result.errors });
  for (const m of result.members)
    items.push({ kind: "file", name: m.name, blob: new Blob([m.bytes as BlobPart]), options });
  for (const s of result.skipped)
    items.push({ kind: "listed", name: s.name, size: 0, warnings: [`skipped: ${s.reason}`], errors: [] });
  return items;
}
