import type { DroppedFile } from "../../parsers/workerApi.ts";

/**
 * The files of a drop, folders read recursively (DataTransferItem.webkitGetAsEntry). Names keep
 * their folder path so two "jabber.log" from different folders stay apart.
 */
export async function readDrop(data: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...data.items]
    .filter((i) => i.kind === "file")
    .map((i) => i.webkitGetAsEntry?.() ?? null)
    .filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) return [...data.files].map((f) => ({ name: f.name, blob: f }));
  const out: DroppedFile[] = [];
  for (const entry of entries) await walk(entry, "", out);
  return out;
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ name: prefix + file.name, blob: file });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries a call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (!batch.length) break;
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

export function filesFromInput(list: FileList | null): DroppedFile[] {
  return [...(list ?? [])].map((f) => ({ name: f.webkitRelativePath || f.name, blob: f }));
}
