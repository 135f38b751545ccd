import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, main } from "./ucsnoop.ts";
import { loadPaths, openFromDisk, type OpenFile } from "./load.ts";
import * as hostile from "../parsers/testing/hostile.ts";

const dir = mkdtempSync(join(tmpdir(), "ucsnoop-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const goodPath = file(hostile.GOOD_NAME, hostile.good());

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (s) => out.push(s),
    {},
    (s) => err.push(s),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
};

/** The good file's ladder alone: every hostile companion must leave it unchanged. */
const goodLadder = (await run("ladder", goodPath)).out.split("\n").filter((l) => !l.startsWith("#"));
const ladderOf = (out: string) => out.split("\n").filter((l) => !l.startsWith("#"));
/** The "# name: ..." header of one file, with its messages. */
const header = (out: string, name: string) => {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => l.startsWith(`# ${name}:`));
  expect(at, `a header for ${name}`).toBeGreaterThanOrEqual(0);
  const notes = [];
  for (let i = at + 1; i < lines.length && lines[i]!.startsWith("#   ! "); i++) notes.push(lines[i]);
  return [lines[at], ...notes].join("\n");
};

describe("hostile files in the CLI: a message on the file, the others parse", () => {
  it("the good file alone gives the sample's ladder", () => {
    expect(goodLadder.length).toBeGreaterThan(5);
  });

  it("an empty file", async () => {
    const r = await run("ladder", file("empty.log", ""), goodPath);
    expect(r.code).toBe(EXIT.ok);
    expect(header(r.out, "empty.log")).toContain("empty file: nothing to read");
    expect(ladderOf(r.out)).toEqual(goodLadder);
  });

  it("a binary file; alone, it is 'no file in a known format' (exit 4)", async () => {
    const png = file("screenshot.png", hostile.binary());
    const r = await run("ladder", png, goodPath);
    expect(r.code).toBe(EXIT.ok);
    expect(header(r.out, "screenshot.png")).toContain("binary file: not a text log, skipped");
    expect(ladderOf(r.out)).toEqual(goodLadder);
    const alone = await run("ladder", png);
    expect(alone.code).toBe(EXIT.unknownOnly);
    expect(alone.err).toBe("ucsnoop: no file in a known format (1 file read, none recognised)");
  });

  it("a 100 MB file with no newline is one cut line, and the good file still parses", async () => {
    const path = join(dir, "one-line.log");
    const fd = openSync(path, "w");
    const mib = new Uint8Array(1 << 20).fill(0x41);
    for (let i = 0; i < 100; i++) writeSync(fd, mib);
    closeSync(fd);
    const r = await run("ladder", path, goodPath);
    expect(r.code).toBe(EXIT.ok);
    const h = header(r.out, "one-line.log");
    expect(h).toContain("1 line(s) longer than 1 MiB: only their first MiB is read");
    expect(h).toContain("unknown format");
    expect(ladderOf(r.out)).toEqual(goodLadder);
    rmSync(path);
  });

  it("UTF-16 LE and BE, and UTF-8 with stray Windows-1252 bytes, parse as the UTF-8 original does", async () => {
    const lines = hostile.jabberText().split("\n").slice(0, 40).join("\n") + "\n";
    const utf8 = await run("ladder", file("jabber.log", lines));
    const le = await run("ladder", file("jabber-le.log", hostile.utf16(lines, false)));
    const be = await run("ladder", file("jabber-be.log", hostile.utf16(lines, true)));
    const mixed = await run("ladder", file("jabber-mixed.log", hostile.mixedEncoding()));
    expect(ladderOf(utf8.out).length).toBeGreaterThan(0);
    expect(ladderOf(le.out)).toEqual(ladderOf(utf8.out));
    expect(ladderOf(be.out)).toEqual(ladderOf(utf8.out));
    expect(header(le.out, "jabber-le.log")).toContain("jabber");
    expect(ladderOf(mixed.out)).toEqual(ladderOf(utf8.out));
    for (const r of [utf8, le, be, mixed]) expect(r.code).toBe(EXIT.ok);
  });

  it("a truncated gzip and a truncated zip: what is whole is kept, the damage is said (not a limit)", async () => {
    const r = await run(
      "ladder",
      file("cut.log.gz", hostile.truncatedGzip()),
      file("cut.zip", hostile.truncatedZip()),
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain("cut.log.gz: truncated: kept the");
    expect(r.out).toContain("cut.zip: no central directory (truncated?): read");
    // The zip's first member (the good log) was whole before the cut: its ladder is there.
    for (const line of goodLadder) expect(ladderOf(r.out)).toContain(line);
  });

  it("a zip bomb is refused by the ratio limit (exit 5); the good file still parses", async () => {
    const r = await run("ladder", file("bomb.zip", hostile.zipBomb()), goodPath);
    expect(r.code).toBe(EXIT.limit);
    expect(r.out).toContain("bomb.zip/a.log: declares 64 MiB from");
    expect(r.err).toMatch(
      /^ucsnoop: archive limit exceeded: .*bomb\.zip: .*more than 200:1 \(a zip bomb\?\): skipped$/,
    );
    expect(r.err.split("\n")).toHaveLength(1);
    expect(ladderOf(r.out)).toEqual(goodLadder);
  });

  it("an archive bigger than the 2 GiB limit is not read at all (exit 5)", async () => {
    // Sparse: a zip's first bytes, then 3 GiB of nothing on disk.
    const path = file("huge.zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04]));
    truncateSync(path, 3 * 1024 ** 3);
    const r = await run("ladder", path, goodPath);
    rmSync(path);
    expect(r.code).toBe(EXIT.limit);
    expect(header(r.out, "huge.zip")).toContain(
      "huge.zip: an archive of 3221225472 bytes, over the 2147483648-byte total limit: not expanded",
    );
    expect(r.err).toContain("ucsnoop: archive limit exceeded:");
    expect(ladderOf(r.out)).toEqual(goodLadder);
  });

  it("an archive nested ten deep stops at the depth limit (exit 5)", async () => {
    const r = await run("ladder", file("nested.zip", hostile.nestedTenDeep()), goodPath);
    expect(r.code).toBe(EXIT.limit);
    expect(r.out).toContain("archive nested deeper than 4 levels: not expanded");
    expect(r.err).toContain("nested.zip/level1.zip/level2.zip/level3.zip");
    expect(ladderOf(r.out)).toEqual(goodLadder);
  });

  it("10 000 tiny files in one folder are all listed", () => {
    const many = join(dir, "many");
    mkdirSync(many);
    const line = "2020-03-24 22:31:00,442 INFO [0x00002b04] [impl\\x.cpp(1)] [Logger] [X::y] - tiny\n";
    for (let i = 0; i < 10_000; i++) writeFileSync(join(many, `jabber-${i}.log`), line);
    const { model, problems } = loadPaths([many, goodPath]);
    expect(model.files).toHaveLength(10_001);
    expect(model.files.filter((f) => f.source === "jabber" && f.records === 1)).toHaveLength(10_000);
    expect(problems).toEqual({ unreadable: [], limits: [] });
    rmSync(many, { recursive: true });
  });

  it("a missing path and a file whose read fails (the kernel's EIO) give exit 3; the others parse", async () => {
    const r = await run("ladder", join(dir, "gone.log"), "/proc/self/mem", goodPath);
    expect(r.code).toBe(EXIT.unreadable);
    expect(r.err).toMatch(/^ucsnoop: cannot read 2 paths: .*gone\.log: ENOENT.*; \/proc\/self\/mem: EIO/);
    expect(r.err.split("\n")).toHaveLength(1);
    expect(header(r.out, "mem")).toContain("cannot read");
    expect(ladderOf(r.out)).toEqual(goodLadder);
  });

  it("a read that fails midway keeps what was read, says where it stopped, and the others parse", () => {
    const failing: OpenFile = (path) => {
      const real = openFromDisk(path);
      if (!path.endsWith("jabber.log")) return real;
      return {
        ...real,
        read: (into, position) => {
          if (position >= 4096) throw Object.assign(new Error("i/o error, read"), { code: "EIO" });
          return real.read(into, position);
        },
      };
    };
    // 9.7 KB: the first 4 KiB slice reads, the second fails.
    const jabber = file("jabber.log", readFileSync("public/samples/onprem-complete/jabber.log"));
    const { model, problems } = loadPaths([jabber, goodPath], {}, 4096, failing);
    const info = model.files.find((f) => f.name === "jabber.log")!;
    expect(info.errors).toEqual([
      "cannot read past byte 4096: EIO, i/o error, read; only the part before is shown",
    ]);
    expect(info.records).toBeGreaterThan(0);
    expect(problems.unreadable).toEqual([`${jabber}: EIO, i/o error, read at byte 4096`]);
    expect(model.files.find((f) => f.name === hostile.GOOD_NAME)!.records).toBeGreaterThan(0);
  });

  it("a 1 GB log is streamed: peak memory stays far below its size, and the good file parses", () => {
    const path = join(dir, "big.log");
    const fd = openSync(path, "w");
    const mib = hostile.unknownLines(1 << 20);
    for (let i = 0; i < 1024; i++) writeSync(fd, mib);
    closeSync(fd);
    const r = spawnSync("node", ["cli/bin.mjs", "stats", path, goodPath], { encoding: "utf8" });
    rmSync(path);
    expect(r.status, r.stderr).toBe(EXIT.ok);
    const stats = JSON.parse(r.stdout);
    expect(stats.bytes).toBeGreaterThan(1024 ** 3);
    expect(stats.messages).toBeGreaterThan(0);
    // Held whole, the file alone would be 1024 MB; streamed, the process stays under a third of it.
    expect(stats.peakRssMB).toBeLessThan(340);
  }, 120_000);
});
