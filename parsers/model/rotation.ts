import type { FileInfo } from "./files.ts";

/**
 * Rotated logs: `jabber.log`, `jabber.log.1` .. `.N` (a bigger N is older) and numbered SDL
 * sequences such as `SDL001_100_000123.txt` (a bigger number is newer). Files of one family
 * and one lane are returned oldest first, so that a day rollover or a timeless record carries
 * over from one file to the next.
 */
export function rotationFamilies(files: FileInfo[]): FileInfo[][] {
  const families = new Map<string, { file: FileInfo; age: number }[]>();
  for (const f of files) {
    const { family, age } = rotationKey(f.name);
    const key = `${f.lane ?? ""}\u0000${family}`;
    (families.get(key) ?? families.set(key, []).get(key)!).push({ file: f, age });
  }
  return [...families.values()].map((members) => members.sort((a, b) => b.age - a.age).map((m) => m.file));
}

/** Family name and age (bigger = older) of a file name. */
export function rotationKey(path: string): { family: string; age: number } {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dir = path.slice(0, path.lastIndexOf("/") + 1);
  const numbered = /^(.*\.(?:log|txt))\.(\d+)$/i.exec(name);
  if (numbered) return { family: dir + numbered[1]!, age: Number(numbered[2]) };
  const sequence = /^(.*?)(?<!\d)(\d{4,})(\.\w+)$/.exec(name);
  if (sequence) return { family: dir + sequence[1]! + "#" + sequence[3]!, age: -Number(sequence[2]) };
  return { family: path, age: 0 };
}
