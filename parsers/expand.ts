import { archiveKind, expandArchive, type ArchiveLimits, type ArchiveResult } from "./io/archive.ts";
import type { FileOptions } from "./model/files.ts";

/** A file that is only listed, not parsed: a skipped archive member, or an archive's errors. */
export interface ListedItem {
  kind: "listed";
  name: string;
  size: number;
  warnings: string[];
  errors: string[];
}

/** A file to parse (a dropped file, or an archive member named by its path inside), or one only listed. */
export type DropItem = { kind: "file"; name: string; blob: Blob; options?: FileOptions } | ListedItem;
/** The same with the bytes in memory (the CLI). */
export type ByteItem = { kind: "file"; name: string; bytes: Uint8Array; options?: FileOptions } | ListedItem;

const HEAD = 8192;

/** Archives (zip, gz, tar, tgz, nested) become their members, named by their path inside. */
export async function expandDropped(
  files: { name: string; blob: Blob; options?: FileOptions }[],
  limits?: Partial<ArchiveLimits>,
): Promise<DropItem[]> {
  const out: DropItem[] = [];
  for (const f of files) {
    const passThrough: DropItem = { kind: "file", ...f };
    let head: Uint8Array;
    try {
      head = new Uint8Array(await f.blob.slice(0, HEAD).arrayBuffer());
    } catch {
      out.push(passThrough);
      continue;
    }
    if (!archiveKind(f.name, head)) {
      out.push(passThrough);
      continue;
    }
    const bytes = new Uint8Array(await f.blob.arrayBuffer());
    const items = itemsOf(f.name, bytes.length, expandArchive(f.name, bytes, limits), f.options);
    for (const item of items) {
      if (item.kind === "listed") out.push(item);
      else {
        const { bytes: member, ...rest } = item;
        out.push({ ...rest, blob: new Blob([member as BlobPart]) });
      }
    }
  }
  return out;
}

/** The same for bytes already in memory (the CLI); null when they are not an archive. */
export function expandBytes(
  name: string,
  bytes: Uint8Array,
  limits?: Partial<ArchiveLimits>,
): ByteItem[] | null {
  if (!archiveKind(name, bytes.subarray(0, HEAD))) return null;
  return itemsOf(name, bytes.length, expandArchive(name, bytes, limits));
}

function itemsOf(name: string, size: number, result: ArchiveResult, options?: FileOptions): ByteItem[] {
  const items: ByteItem[] = [];
  if (result.errors.length > 0)
    items.push({ kind: "listed", name, size, warnings: [], errors: result.errors });
  for (const m of result.members)
    items.push({ kind: "file", name: m.name, bytes: m.bytes, ...(options ? { options } : {}) });
  for (const s of result.skipped)
    items.push({ kind: "listed", name: s.name, size: 0, warnings: [`skipped: ${s.reason}`], errors: [] });
  return items;
}
