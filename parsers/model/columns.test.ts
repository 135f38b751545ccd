import { describe, expect, it } from "vitest";
import { float64, hashOf, int32, RepeatInterner, StringTable, uint8 } from "./columns.ts";

describe("StringTable", () => {
  it("gives one id per distinct string, in order of first sight, across growth", () => {
    const table = new StringTable();
    const ids = new Map<string, number>();
    const words: string[] = [];
    for (let i = 0; i < 20000; i++) words.push(`w${(i * 7919) % 5003}`, `${i % 97}`, "", "TCP Connecting");
    for (const w of words) {
      // A fresh copy each time: equal strings, different objects.
      const id = table.intern((" " + w).slice(1));
      if (!ids.has(w)) ids.set(w, ids.size);
      expect(id).toBe(ids.get(w));
    }
    expect(table.strings).toEqual([...ids.keys()]);
    expect(table.get(ids.get("")!)).toBe("");
    expect(table.get(-1)).toBe("");
    expect(table.optional(undefined)).toBe(-1);
    expect(table.optional("")).toBe(-1);
    expect(table.optional("TCP Connecting")).toBe(ids.get("TCP Connecting"));
  });

  it("takes another table's strings with their hashes as it takes them without", () => {
    const worker = new StringTable();
    for (let i = 0; i < 5000; i++) worker.intern(`label ${i % 3001} of ${i % 7}`);
    // FNV-1a of "a" (0x61): (0x811c9dc5 ^ 0x61) * 0x01000193, as 32 bits.
    expect(hashOf("a") >>> 0).toBe(0xe40c292c);
    expect(Array.from(worker.hashesView())).toEqual(worker.strings.map(hashOf));
    const merged = new StringTable();
    const plain = new StringTable();
    for (const t of [merged, plain]) for (let i = 0; i < 2000; i++) t.intern(`label ${i} of ${i % 5}`);
    const hashes = worker.hashesView();
    const ids = worker.strings.map((s, i) => merged.internHashed(s, hashes[i]!));
    expect(ids).toEqual(worker.strings.map((s) => plain.intern(s)));
    expect(merged.strings).toEqual(plain.strings);
  });
});

describe("Column", () => {
  it("keeps what was pushed across growth, for each element type", () => {
    for (const column of [int32(2), float64(2), uint8(2)]) {
      for (let i = 0; i < 100; i++) expect(column.push(i)).toBe(i);
      expect(column.length).toBe(100);
      expect([...column.view()]).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(column.get(42)).toBe(42);
    }
  });

  it("lets go of its room to grow and grows again after", () => {
    for (const column of [int32(2), float64(2), uint8(2)]) {
      for (let i = 0; i < 100; i++) column.push(i);
      // Grown by doubling from 2: 128 places for 100 values.
      expect(column.data.length).toBe(128);
      column.trim();
      expect(column.data.length).toBe(100);
      expect([...column.view()]).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(column.push(100)).toBe(100);
      expect([...column.view()]).toEqual(Array.from({ length: 101 }, (_, i) => i));
    }
    const empty = int32(16);
    empty.trim();
    expect(empty.data.length).toBe(0);
    expect(empty.push(7)).toBe(0);
    expect([...empty.view()]).toEqual([7]);
  });
});

describe("StringTable.trim", () => {
  it("keeps every id and hash, and takes new strings after", () => {
    for (const count of [0, 1, 3000]) {
      const table = new StringTable();
      for (let i = 0; i < count; i++) table.intern(`s${i}`);
      table.trim();
      expect(Array.from(table.hashesView())).toEqual(table.strings.map(hashOf));
      for (let i = 0; i < count; i++) expect(table.intern(`s${i}`)).toBe(i);
      expect(table.intern("new")).toBe(count);
      expect(table.intern(`s${count + 1}`)).toBe(count + 1);
      expect(Array.from(table.hashesView())).toEqual(table.strings.map(hashOf));
    }
  });
});

describe("RepeatInterner", () => {
  it("gives the table's id for every string, repeated or not, and -1 for an absent or empty value", () => {
    const table = new StringTable();
    const repeat = new RepeatInterner(table);
    // Runs of one level, equal copies, a change and back, as a file's records go.
    const levels = ["INFO", "INFO", ("xINFO" as string).slice(1), "DEBUG", "INFO", "DEBUG", "DEBUG", "ERROR"];
    const got = levels.map((l) => repeat.intern(l));
    expect(got).toEqual(levels.map((l) => table.intern(l)));
    expect(got).toEqual([0, 0, 0, 1, 0, 1, 1, 2]);
    expect(table.strings).toEqual(["INFO", "DEBUG", "ERROR"]);
    expect([repeat.optional(undefined), repeat.optional(""), repeat.optional("DEBUG")]).toEqual([-1, -1, 1]);
  });
});
