import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { main } from "./ucsnoop.ts";

const run = async (...args: string[]) => {
  const out: string[] = [];
  const code = await main(
    args,
    (s) => out.push(s),
    {},
    (s) => out.push(s),
  );
  return { code, out: out.join("\n") };
};

describe("ucsnoop CLI", () => {
  it("prints the ladder as text, one message a line", async () => {
    const { code, out } = await run("ladder", "public/samples/mra-oauth");
    expect(code).toBe(0);
    const lines = out.split("\n").filter((l) => !l.startsWith("#"));
    expect(lines[0]).toBe(
      "2020-03-24 22:31:00.962  jabber -> expe    GET get_edge_sso (seen by expe only)  [expe:txn:2004]",
    );
    expect(out).toContain(
      "expe   -> expc    POST localauthentication (seen by expc only)  [oauth:1771145038]",
    );
    expect(out).toContain("# clock: expc +9 ms against expe");
  });

  it("prints the model as JSON in the documented schema", async () => {
    const { code, out } = await run("ladder", "public/samples/mra-sasl-failure", "--json");
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["files", "lanes", "messages", "dialogs", "sessions", "findings"]),
    );
    expect(Object.keys(json.files[0])).toEqual(
      expect.arrayContaining(["name", "source", "lane", "host", "records", "unparsedLines", "warnings"]),
    );
    expect(Object.keys(json.messages[0])).toEqual(
      expect.arrayContaining([
        "id",
        "time",
        "from",
        "to",
        "label",
        "kind",
        "status",
        "dialog",
        "seenBy",
        "evidence",
      ]),
    );
    expect(json.messages[0].time).toBe("2020-03-31T11:13:03.271Z");
    expect(json.messages[0].evidence).toEqual([{ file: "expressway-c.log", line: 1 }]);
    // The bundle's README is not a log: listed as unknown, its lines unparsed.
    expect(json.files.find((f: { name: string }) => f.name === "README.md")).toMatchObject({
      source: "unknown",
    });
  });

  it("prints stats as one JSON object", async () => {
    const { out } = await run("stats", "public/samples/onprem-login");
    const stats = JSON.parse(out);
    expect(stats).toMatchObject({ files: 8, threads: 1 });
    expect(stats.messages).toBeGreaterThan(15);
    expect(stats.peakRssMB).toBeGreaterThan(0);
  });

  it("explains its usage and fails on bad arguments", async () => {
    expect((await run("ladder")).code).toBe(2);
    expect((await run("frobnicate", "x")).code).toBe(2);
    expect((await run("help")).out).toContain("ucsnoop ladder PATH");
    expect((await run("ladder", "/no/such/path")).code).toBe(3);
    expect((await run("stats", "public/samples/mra-oauth", "--threads", "0")).code).toBe(2);
    expect((await run("stats", "public/samples/mra-oauth", "--threads=two")).out).toContain(
      '--threads needs a whole number from 1 to 64, not "two"',
    );
  });

  it("runs as npx ucsnoop with no build step", () => {
    const out = execFileSync("node", ["cli/bin.mjs", "ladder", "public/samples/ims-failures"], {
      encoding: "utf8",
    });
    expect(out).toContain("IMS result 5");
  });
});
