import { describe, expect, it } from "vitest";
import { stepIn } from "./actions.ts";
import { fromHash, toHash } from "../hash.ts";

describe("keyboard and links", () => {
  it("steps along the table order", () => {
    expect(stepIn([3, 1, 2], null, 1)).toBe(3);
    expect(stepIn([3, 1, 2], 3, 1)).toBe(1);
    expect(stepIn([3, 1, 2], 2, 1)).toBe(2);
    expect(stepIn([3, 1, 2], 3, -1)).toBe(3);
  });

  it("round-trips the URL hash", () => {
    const state = {
      selected: 12,
      query: "authorize",
      columnFilters: { status: "302" },
      mode: "time" as const,
      walk: null,
      presenter: false,
    };
    expect(toHash(state)).toBe("#m=12&q=authorize&f.status=302&mode=time");
    expect(fromHash(toHash(state))).toEqual(state);
  });

  it("keeps the walkthrough step and presenter mode in the hash", () => {
    const state = {
      selected: 5,
      query: "",
      columnFilters: {},
      mode: "sequence" as const,
      walk: { session: 0, step: 5 },
      presenter: true,
    };
    expect(toHash(state)).toBe("#m=5&w=0&step=5&present=1");
    expect(fromHash(toHash(state))).toEqual(state);
    expect(fromHash("#present=1").presenter).toBe(false);
  });
});
