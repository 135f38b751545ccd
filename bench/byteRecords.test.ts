import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPaths } from "../cli/load.ts";
import { scanExpresswayRecords } from "./byteRecords.ts";
import { generate } from "./gen.ts";

const root = mkdtempSync(join(tmpdir(), "ucsnoop-bytes-"));
beforeAll(() => void generate({ out: root, sessions: 40, seed: 5 }));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Each key maps to one value and each value to one key. */
function bijective(pairs: [number, string][]): boolean {
  const there = new Map<number, string>();
  const back = new Map<string, number>();
  for (const [id, s] of pairs) {
    if ((there.get(id) ?? s) !== s || (back.get(s) ?? id) !== id) return false;
    there.set(id, s);
    back.set(s, id);
  }
  return true;
}

describe("bench/byteRecords: the record columns of an Expressway log from its bytes", () => {
  it.each(["expressway-c/expressway-c.log", "expressway-e/expressway-e.log"])(
    "finds the parser's records, times and levels in %s",
    (name) => {
      const path = join(root, name);
      const scanned = scanExpresswayRecords(new Uint8Array(readFileSync(path)));
      const { store } = loadPaths([path]);
      const r = store.records;
      expect(store.files[0]!.source).toBe("expressway");
      expect(scanned.count).toBe(r.length);
      expect(scanned.count).toBeGreaterThan(1000);
      const times = Array.from(scanned.time.subarray(0, scanned.count));
      expect(times).toEqual(Array.from(r.rawTime.data.subarray(0, r.length)));
      const levels: [number, string][] = [];
      for (let i = 0; i < r.length; i++)
        levels.push([scanned.level[i]!, store.strings.get(r.level.data[i]!)]);
      expect(bijective(levels)).toBe(true);
    },
  );

  it("takes nothing from a file that is not an Expressway log", () => {
    const jabber = new Uint8Array(readFileSync(join(root, "jabber", "jabber.log")));
    expect(scanExpresswayRecords(jabber).count).toBe(0);
  });
});
