import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { loadPaths } from "./load.ts";
import { ladderText, toJson } from "../parsers/model/json.ts";
import { ParserApi } from "../parsers/workerApi.ts";

const BUNDLE = "public/samples/mra-oauth";
const logs = readdirSync(BUNDLE).filter((f) => f.endsWith(".log"));
const bytes = (name: string) => new Uint8Array(readFileSync(join(BUNDLE, name)));

/** A ustar archive of the given files (the tar shape Expressway diagnostic bundles use). */
function tar(files: [string, Uint8Array][]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of files) {
    const h = new Uint8Array(512);
    const put = (s: string, at: number) => h.set(new TextEncoder().encode(s), at);
    put(name, 0);
    put("0000644\0", 100);
    put("0000000\0", 108);
    put("0000000\0", 116);
    put(data.length.toString(8).padStart(11, "0") + "\0", 124);
    put("00000000000\0", 136);
    put("        ", 148);
    put("0", 156);
    put("ustar\u000000", 257);
    const sum = h.reduce((a, b) => a + b, 0);
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const plain = ladderText(toJson(loadPaths(logs.map((f) => join(BUNDLE, f))).model));

describe("archives", () => {
  it("reads a Jabber problem-report zip and an Expressway tar.gz as their members", () => {
    const dir = mkdtempSync(join(tmpdir(), "ucsnoop-"));
    const jabber = logs.filter((f) => f.startsWith("jabber"));
    const expressway = logs.filter((f) => f.startsWith("expressway"));
    writeFileSync(join(dir, "prt.zip"), zipSync(Object.fromEntries(jabber.map((f) => [f, bytes(f)]))));
    writeFileSync(join(dir, "diag.tar.gz"), gzipSync(tar(expressway.map((f) => [`var/log/${f}`, bytes(f)]))));
    const { model } = loadPaths([dir]);
    const json = toJson(model);
    expect(json.files.map((f) => f.name).sort()).toEqual([
      "diag.tar.gz/var/log/expressway-c.log",
      "diag.tar.gz/var/log/expressway-e.log",
      "prt.zip/jabber.log",
    ]);
    expect(ladderText(json)).toEqual(plain);
  });

  it("lists non-log members and a zip bomb instead of parsing them", () => {
    const dir = mkdtempSync(join(tmpdir(), "ucsnoop-"));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(64)]);
    const zeros = new Uint8Array(64 * 1024 * 1024);
    writeFileSync(
      join(dir, "prt.zip"),
      zipSync({ "jabber.log": bytes("jabber.log"), "screenshot.png": png, "bomb.log": zeros }, { level: 9 }),
    );
    const json = toJson(loadPaths([dir]).model);
    const byName = new Map(json.files.map((f) => [f.name, f]));
    expect(byName.get("prt.zip/jabber.log")!.source).toBe("jabber");
    expect(byName.get("prt.zip/screenshot.png")!.warnings.join()).toMatch(/skipped/);
    // 64 MiB of zeros in 64 KiB: listed, not expanded, with the reason on it and on the archive.
    expect(byName.get("prt.zip/bomb.log")).toMatchObject({
      records: 0,
      warnings: ["skipped: compression ratio over the limit"],
    });
    expect(byName.get("prt.zip")!.errors.join()).toMatch(/zip bomb/);
  });

  it("expands a dropped zip in the worker, members named by their path inside", async () => {
    const zip = zipSync(Object.fromEntries(logs.map((f) => [`prt/${f}`, bytes(f)])));
    const json = await new ParserApi().replaceFiles([{ name: "case.zip", blob: new Blob([zip]) }]);
    expect(json.files.map((f) => f.name)).toEqual(logs.map((f) => `case.zip/prt/${f}`));
    expect(ladderText(json)).toEqual(plain);
  });
});
