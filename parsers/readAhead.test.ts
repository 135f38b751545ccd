import { describe, expect, it } from "vitest";
import { Promised, ReadAhead } from "./readAhead.ts";

describe("ReadAhead", () => {
  it("gives a free worker the biggest file left, first in drop order on a tie", () => {
    // The generated 203 MiB bundle's files, in drop order, in MiB: four SDL traces, the CUCM
    // security log, Expressway-C, Expressway-E, then IM&P; the first SDL is read by the owner.
    const ahead = new ReadAhead([null, 8.5, 8.5, 5.8, 6, 76.8, 60.4, 8.2, null, 3.8], 2);
    expect([ahead.next(), ahead.next()]).toEqual([5, 6]);
    expect(ahead.next()).toBeNull(); // both workers busy
    ahead.done();
    expect(ahead.next()).toBe(1);
    ahead.done();
    ahead.done();
    expect([ahead.next(), ahead.next(), ahead.next()]).toEqual([2, 7, null]);
    for (let k = 0; k < 2; k++) ahead.done();
    expect([ahead.next(), ahead.next()]).toEqual([4, 3]);
    ahead.done();
    expect(ahead.next()).toBe(9);
    ahead.done();
    ahead.done();
    expect(ahead.next()).toBeNull(); // none left
  });

  it("with no pool, gives nothing", () => {
    expect(new ReadAhead([10, 20], 0).next()).toBeNull();
    expect(new ReadAhead([null, null], 2).next()).toBeNull();
  });
});

describe("Promised", () => {
  it("settles each wanted item once, whoever settles it first, and the rest together", async () => {
    const p = new Promised<string | null>(4, (i) => i !== 2);
    p.settle(1, "parsed here");
    p.settle(1, "a late pool answer");
    expect(p.settled(1)).toBe(true);
    expect(p.settled(0)).toBe(false);
    expect(await p.of(1)).toBe("parsed here");
    p.settleAll(null);
    expect(await Promise.all([p.of(0), p.of(3)])).toEqual([null, null]);
    expect(p.of(2)).toBeUndefined();
    expect(p.settled(2)).toBe(false);
  });
});
