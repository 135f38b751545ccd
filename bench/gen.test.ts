import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPaths } from "../cli/load.ts";
import type { Model } from "../parsers/model/build.ts";
import { bundlePaths, generate, type Truth } from "./gen.ts";
import { score, type Score } from "./score.ts";

const root = mkdtempSync(join(tmpdir(), "ucsnoop-gen-"));
let truth: Truth;
let model: Model;
let result: Score;

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

beforeAll(() => {
  truth = generate({ out: join(root, "a"), sessions: 20, seed: 7 });
  model = loadPaths(bundlePaths(join(root, "a"))).model;
  result = score(model, truth);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("bench/gen: a generated bundle", () => {
  it("has every flow, every failure kind, rotated logs and about 70% noise", () => {
    const flows = new Set(truth.sessions.map((s) => s.flow));
    expect([...flows].sort()).toEqual(["cti", "mra-oauth", "onprem"]);
    const kinds = new Set(truth.sessions.map((s) => s.failure).filter(Boolean));
    expect(kinds.size).toBe(9);
    expect(truth.files.some((f) => f.path === "jabber/jabber.log.1")).toBe(true);
    expect(truth.noiseLines / truth.lines).toBeGreaterThan(0.6);
    expect(truth.noiseLines / truth.lines).toBeLessThan(0.8);
  });

  it("is read by the intended source, with no unparsed line", () => {
    for (const f of model.files) {
      expect(f.unparsedLines, f.name).toBe(0);
      expect(f.source, f.name).not.toBe("unknown");
    }
    expect(model.files.map((f) => f.lane).sort()).toEqual(
      truth.files
        .map((f) =>
          f.path.startsWith("expressway-e")
            ? "expe"
            : f.path.startsWith("expressway-c")
              ? "expc"
              : f.path.split("/")[0],
        )
        .sort(),
    );
  });

  it.each(["mra-oauth", "onprem", "cti"] as const)(
    "recalls at least 95 percent of the truth's %s messages",
    (flow) => {
      const r = result.recall[flow];
      const missed = result.missed.filter((m) => m.flow === flow).slice(0, 5);
      expect(r.recall, `${r.found}/${r.expected}, e.g. ${JSON.stringify(missed)}`).toBeGreaterThanOrEqual(
        0.95,
      );
    },
  );

  it("shows every failing session's failure", () => {
    expect(result.failures).toBeGreaterThanOrEqual(9);
    expect(result.missingFailures).toEqual([]);
  });

  it("estimates the clock offsets within 50 ms of the generated ones", () => {
    const estimated = result.clocks.filter((c) => c.estimated !== null);
    // Expressway-C and Jabber (MRA) and CUCM (CTI, seen by Jabber and CUCM) can be estimated;
    // IM&P shares no message that both sides log, so its clock stays unknown.
    expect(estimated.map((c) => c.lane).sort()).toEqual(
      expect.arrayContaining(["cucm", "expc", "expe", "jabber"]),
    );
    for (const c of estimated) expect(c.errorMs, c.lane).toBeLessThanOrEqual(50);
  });

  it("is deterministic: the same seed gives the same bytes", () => {
    generate({ out: join(root, "b"), sessions: 20, seed: 7 });
    const a = filesOf(join(root, "a"));
    expect(filesOf(join(root, "b"))).toEqual(a);
    for (const f of a)
      expect(readFileSync(join(root, "b", f)).equals(readFileSync(join(root, "a", f))), f).toBe(true);
    generate({ out: join(root, "c"), sessions: 20, seed: 8 });
    expect(
      readFileSync(join(root, "c", "truth.json")).equals(readFileSync(join(root, "a", "truth.json"))),
    ).toBe(false);
  });
});
