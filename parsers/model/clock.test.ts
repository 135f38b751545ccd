import { describe, expect, it } from "vitest";
import { estimateClocks, type Precedence } from "./clock.ts";

const p = (a: string, ta: number, b: string, tb: number): Precedence => ({
  before: { lane: a, time: ta },
  after: { lane: b, time: tb },
});

describe("estimateClocks", () => {
  it("keeps clocks that causality does not contradict", () => {
    const clocks = estimateClocks(
      ["expe", "expc"],
      [p("expe", 100, "expc", 110), p("expc", 200, "expe", 215)],
      "expe",
    );
    expect(clocks.get("expc")).toMatchObject({ offsetMs: 0, lowerMs: -15, upperMs: 10 });
  });

  it("takes the middle of the interval when both directions bound it", () => {
    // A request reaches C 10 ms after E saw it; C's answer leaves 8 ms after E relayed it.
    const clocks = estimateClocks(
      ["expe", "expc"],
      [p("expe", 729, "expc", 739), p("expc", 1031, "expe", 1023)],
      "expe",
    );
    expect(clocks.get("expc")).toMatchObject({ offsetMs: 9, lowerMs: 8, upperMs: 10, inconsistent: false });
  });

  it("moves a clock just far enough when only one direction is known", () => {
    const clocks = estimateClocks(["expe", "jabber"], [p("expe", 962, "jabber", 442)], "expe");
    expect(clocks.get("jabber")!.offsetMs).toBe(-520);
  });

  it("chains offsets from the reference and reports contradictions", () => {
    const clocks = estimateClocks(
      ["expe", "expc", "cucm"],
      [p("expe", 0, "expc", -50), p("expc", 0, "cucm", -20), p("cucm", 30, "expc", 0)],
      "expe",
    );
    expect(clocks.get("expc")!.offsetMs).toBe(-50);
    // cucm against expc: upper -20, lower 30: contradictory; the middle, 5, is kept and flagged.
    expect(clocks.get("cucm")).toMatchObject({ offsetMs: -45, inconsistent: true, against: "expc" });
  });

  it("uses an offset the user set instead of the estimate", () => {
    const clocks = estimateClocks(
      ["expe", "expc"],
      [p("expe", 729, "expc", 739)],
      "expe",
      new Map([["expc", 42]]),
    );
    expect(clocks.get("expc")).toMatchObject({ offsetMs: 42, source: "user" });
  });
});
