import { describe, expect, it } from "vitest";
import { float64, int32, StringTable, uint8 } from "./columns.ts";

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
});
