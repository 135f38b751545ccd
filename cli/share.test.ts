import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSnapshot, extractSnapshot } from "../parsers/share/snapshot.ts";
import { loadPaths, readRawLines } from "./load.ts";
import { main, type CliEnv } from "./ucsnoop.ts";

const run = async (args: string[], env: CliEnv = {}) => {
  const out: string[] = [];
  const code = await main(
    args,
    (s) => out.push(s),
    env,
    (s) => out.push(s),
  );
  return { code, out: out.join("\n") };
};
const tmp = () => mkdtempSync(join(tmpdir(), "ucsnoop-"));

describe("ucsnoop export", () => {
  it("prints the ladder as Mermaid, PlantUML and CSV", async () => {
    const mmd = await run(["export", "public/samples/mra-oauth", "--format", "mermaid"]);
    expect(mmd.code).toBe(0);
    expect(mmd.out + "\n").toBe(readFileSync("parsers/share/golden/mra-oauth.mmd", "utf8"));
    const puml = await run(["export", "public/samples/mra-oauth", "--format=plantuml"]);
    expect(puml.out).toMatch(/^@startuml\n[\s\S]*@enduml$/);
    const csv = await run(["export", "public/samples/mra-oauth", "--format", "csv"]);
    expect(csv.out.split("\r\n")[0]).toBe("time,from,to,label,status,dialog,user,file:line");
  });

  it("writes to -o, redacts unless --no-redact, pseudonymizes with --pseudonyms", async () => {
    const dir = tmp();
    const file = join(dir, "ladder.csv");
    expect((await run(["export", "public/samples/onprem-login", "--format", "csv", "-o", file])).code).toBe(
      0,
    );
    const csv = readFileSync(file, "utf8");
    expect(csv).toContain("nirmal");
    const pseudo = (await run(["export", "public/samples/onprem-login", "--format", "csv", "--pseudonyms"]))
      .out;
    expect(pseudo).not.toMatch(/nirmal|ccie/i);
    expect(pseudo.split("\r\n")).toHaveLength(csv.split("\r\n").length - 1); // out() drops the last CRLF
  });

  it("explains a missing or unknown format", async () => {
    expect((await run(["export", "public/samples/mra-oauth"])).code).toBe(2);
    expect((await run(["export", "public/samples/mra-oauth", "--format", "svg"])).out).toContain(
      "mermaid|plantuml|csv",
    );
    expect((await run(["export", "--format", "csv"])).code).toBe(2);
    expect((await run(["export", "public/samples/mra-oauth", "--format"])).code).toBe(2);
  });
});

describe("ucsnoop snapshot", () => {
  it("asks for npm run build when the single-file viewer is missing", async () => {
    const dir = tmp();
    const r = await run(["snapshot", "public/samples/mra-oauth", "-o", join(dir, "out.html")], {
      viewerPath: join(dir, "no-such-ucsnoop.html"),
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain("npm run build");
    expect((await run(["snapshot", "public/samples/mra-oauth"])).code).toBe(2); // no -o
  });

  it("writes the viewer with the redacted data in it", async () => {
    const dir = tmp();
    const viewer = join(dir, "ucsnoop.html");
    writeFileSync(viewer, "<!doctype html><html><head></head><body><div id=root></div></body></html>");
    const out = join(dir, "out.html");
    const r = await run(["snapshot", "public/samples/onprem-login", "-o", out], { viewerPath: viewer });
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(
      /<script type="application\/x-ucsnoop-snapshot" id="ucsnoop-data">[A-Za-z0-9+/=]+<\/script>\n<\/body>/,
    );
    const snap = decodeSnapshot(extractSnapshot(html)!);
    expect(snap.redacted).toBe(true);
    expect(snap.model.messages.length).toBeGreaterThan(15);
    const all = JSON.stringify(snap);
    expect(all).not.toContain("dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=");
    expect(all).toContain(
      "<auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[redacted]</auth>",
    );
    // Every message has its raw records.
    expect(Object.keys(snap.raw)).toHaveLength(snap.model.messages.length);
    const plain = await run(["snapshot", "public/samples/onprem-login", "-o", out, "--no-redact"], {
      viewerPath: viewer,
    });
    expect(plain.out).toContain("NOT redacted");
    expect(JSON.stringify(decodeSnapshot(extractSnapshot(readFileSync(out, "utf8"))!))).toContain(
      "dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=",
    );
  });
});

describe("readRawLines", () => {
  it("reads each message's records back from the files, as the worker does", () => {
    const loaded = loadPaths(["public/samples/mra-oauth"]);
    const raw = readRawLines(loaded, [0]);
    // One entry per record; a record of several lines holds the evidence line it is cited by.
    const evidence = loaded.model.messages[0]!.evidence.map((e) => e.line);
    expect(raw[0]!.map((r) => r.file)).toEqual(["expressway-e.log", "expressway-e.log"]);
    for (const [i, r] of raw[0]!.entries()) {
      expect(r.line).toBeLessThanOrEqual(evidence[i]!);
      expect(r.line + r.lines.length).toBeGreaterThan(evidence[i]!);
    }
    const lines = readFileSync("public/samples/mra-oauth/expressway-e.log", "utf8").split("\n");
    expect(raw[0]![0]!.lines[0]).toBe(lines[0]);
  });
});
