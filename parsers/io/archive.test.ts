import { gzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parse, readSample } from "../testing/sourceHarness.ts";
import {
  DEFAULT_ARCHIVE_LIMITS,
  expandAll,
  expandArchive,
  isArchive,
  type ArchiveResult,
} from "./archive.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const MIB = 1024 * 1024;

const JABBER = readSample("mra-oauth/jabber.log");
const EXPE = readSample("mra-oauth/expressway-e.log");
const EXPC = readSample("mra-oauth/expressway-c.log");
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

// ---- a tar writer (ustar, with GNU long names or PAX paths for names over 100 bytes) --------

interface TarEntry {
  name: string;
  data?: Uint8Array;
  type?: string;
  longNames?: "gnu" | "pax" | "prefix";
}

function octal(h: Uint8Array, at: number, width: number, value: number): void {
  h.set(enc.encode(value.toString(8).padStart(width - 1, "0") + "\0"), at);
}

function tarHeader(name: string, size: number, type: string, prefix = ""): Uint8Array {
  const h = new Uint8Array(512);
  h.set(enc.encode(name).subarray(0, 100), 0);
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 1622625243);
  h[156] = type.charCodeAt(0);
  h.set(enc.encode("ustar\u000000"), 257);
  h.set(enc.encode(prefix), 345);
  h.fill(32, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  h.set(enc.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

function tar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = e.data ?? new Uint8Array(0);
    let name = e.name;
    let prefix = "";
    if (enc.encode(name).length > 100) {
      if (e.longNames === "prefix") {
        const cut = name.lastIndexOf("/", 155);
        prefix = name.slice(0, cut);
        name = name.slice(cut + 1);
      } else if (e.longNames === "pax") {
        const body = ` path=${name}\n`;
        let len = body.length;
        len += String(len + String(len).length).length;
        const record = enc.encode(`${len}${body}`);
        parts.push(tarHeader("PaxHeader/x", record.length, "x"), padded(record));
      } else {
        const long = enc.encode(name + "\0");
        parts.push(tarHeader("././@LongLink", long.length, "L"), padded(long));
      }
    }
    parts.push(tarHeader(name, data.length, e.type ?? "0", prefix), padded(data));
  }
  parts.push(new Uint8Array(1024));
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const names = (r: ArchiveResult) => r.members.map((m) => m.name);
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe("isArchive", () => {
  it("knows archives by their magic bytes, whatever their name", () => {
    expect(isArchive("bundle.bin", zipSync({ "a.log": JABBER }))).toBe(true);
    expect(isArchive("x", gzipSync(JABBER))).toBe(true);
    expect(isArchive("logs", tar([{ name: "a.log", data: JABBER }]))).toBe(true);
    expect(isArchive("jabber.log", JABBER)).toBe(false);
  });

  it("falls back on the name, but not for text (a .gz a browser inflated on download)", () => {
    expect(isArchive("prt.zip", new Uint8Array([1, 2, 0, 0, 9]))).toBe(true);
    expect(isArchive("expressway.log.gz", JABBER)).toBe(false);
    expect(isArchive("notes.tar", enc.encode("just some notes\n"))).toBe(false);
  });
});

describe("expandArchive", () => {
  it("zip (a Jabber problem report): members by path, images and binaries skipped", () => {
    const prt = zipSync({
      "jabber.log": JABBER,
      "jabber.log.1": [JABBER, { level: 0 }], // stored, not deflated
      "config/jabber-config.xml": enc.encode("<config/>\n"),
      "screenshots/screen.png": PNG,
      "bin/CiscoJabber.exe": EXE,
      "crash/core": new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0]),
      photo: PNG, // no extension: by its magic bytes
      "blob.dat": new Uint8Array([1, 2, 3, 0, 0, 0, 7, 8]),
      "__MACOSX/._jabber.log": new Uint8Array([0, 5, 22, 7]),
      "empty/": {},
    });
    const r = expandArchive("prt.zip", prt);
    expect(r.errors).toEqual([]);
    expect(names(r)).toEqual([
      "prt.zip/jabber.log",
      "prt.zip/jabber.log.1",
      "prt.zip/config/jabber-config.xml",
    ]);
    expect(same(r.members[0]!.bytes, JABBER)).toBe(true);
    expect(same(r.members[1]!.bytes, JABBER)).toBe(true);
    expect(r.skipped).toEqual([
      { name: "prt.zip/screenshots/screen.png", reason: "image (.png)" },
      { name: "prt.zip/bin/CiscoJabber.exe", reason: "binary (.exe)" },
      { name: "prt.zip/crash/core", reason: "binary (ELF)" },
      { name: "prt.zip/photo", reason: "image (png)" },
      { name: "prt.zip/blob.dat", reason: "binary content" },
      { name: "prt.zip/__MACOSX/._jabber.log", reason: "macOS metadata" },
    ]);
    // What comes out parses like the file itself.
    expect(parse(r.members[0]!.bytes, r.members[0]!.name).info.source).toBe("jabber");
  });

  it("gz: one member, named without .gz", () => {
    const r = expandArchive("expressway-e.log.gz", gzipSync(EXPE));
    expect(r.errors).toEqual([]);
    expect(names(r)).toEqual(["expressway-e.log.gz/expressway-e.log"]);
    expect(same(r.members[0]!.bytes, EXPE)).toBe(true);
    expect(r.expandedBytes).toBe(EXPE.length);
    // Multi-member gzip (cat a.gz b.gz) and zero padding after the stream.
    const twice = concat([gzipSync(EXPE), gzipSync(EXPC), new Uint8Array(512)]);
    const r2 = expandArchive("both.gz", twice);
    expect(r2.errors).toEqual([]);
    expect(same(r2.members[0]!.bytes, concat([EXPE, EXPC]))).toBe(true);
    // Without the padding, the trailer's size (the last member's) is too small a guess: still whole.
    const r3 = expandArchive("both.gz", concat([gzipSync(EXPE), gzipSync(EXPC)]));
    expect(r3.errors).toEqual([]);
    expect(same(r3.members[0]!.bytes, concat([EXPE, EXPC]))).toBe(true);
    // A name without .gz: the name the gzip header stored.
    expect(names(expandArchive("download", gzipSync(EXPE, { filename: "tvcs.log" })))).toEqual([
      "download/tvcs.log",
    ]);
  });

  it("tar: ustar names, prefixes, GNU long names, PAX paths; links and directories", () => {
    const long = "var/log/" + "very-long-directory-name/".repeat(5) + "network.log";
    const bundle = tar([
      { name: "tmp/", type: "5" },
      { name: "./tmp/expressway-e.log", data: EXPE },
      { name: long, data: EXPC, longNames: "gnu" },
      { name: long.replace("network", "pax"), data: EXPC, longNames: "pax" },
      { name: long.replace("network", "prefixed"), data: EXPC, longNames: "prefix" },
      { name: "tmp/current.log", type: "2" },
      { name: "tmp/image.jpg", data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) },
    ]);
    const r = expandArchive("diag.tar", bundle);
    expect(r.errors).toEqual([]);
    expect(names(r)).toEqual([
      "diag.tar/tmp/expressway-e.log",
      `diag.tar/${long}`,
      `diag.tar/${long.replace("network", "pax")}`,
      `diag.tar/${long.replace("network", "prefixed")}`,
    ]);
    expect(same(r.members[1]!.bytes, EXPC)).toBe(true);
    expect(r.skipped).toEqual([
      { name: "diag.tar/tmp/current.log", reason: "symbolic link, not a file" },
      { name: "diag.tar/tmp/image.jpg", reason: "image (.jpg)" },
    ]);
    expect(r.expandedBytes).toBe(0); // members are views of the tar's bytes, not copies
  });

  it("tgz (Expressway diagnostic logs): the tar inside is flattened", () => {
    const tgz = gzipSync(tar([{ name: "loggingsnapshot/expressway-e.log", data: EXPE }]));
    for (const name of ["diagnostic.tar.gz", "diagnostic.tgz"]) {
      const r = expandArchive(name, tgz);
      expect(r.errors).toEqual([]);
      expect(names(r)).toEqual([`${name}/loggingsnapshot/expressway-e.log`]);
      expect(parse(r.members[0]!.bytes, "log.txt").info.source).toBe("expressway");
    }
  });

  it("nested: a zip inside a tgz inside a zip, a gz inside a tar", () => {
    const prt = zipSync({ "jabber.log": JABBER, "logo.png": PNG });
    const tgz = gzipSync(
      tar([
        { name: "a/prt.zip", data: prt },
        { name: "a/expressway-c.log.gz", data: gzipSync(EXPC) },
      ]),
    );
    const outer = zipSync({ "case/diag.tgz": tgz, "readme.txt": enc.encode("case notes\n") });
    const r = expandArchive("case.zip", outer);
    expect(r.errors).toEqual([]);
    expect(names(r)).toEqual([
      "case.zip/case/diag.tgz/a/prt.zip/jabber.log",
      "case.zip/case/diag.tgz/a/expressway-c.log.gz/expressway-c.log",
      "case.zip/readme.txt",
    ]);
    expect(r.skipped).toEqual([
      { name: "case.zip/case/diag.tgz/a/prt.zip/logo.png", reason: "image (.png)" },
    ]);
    expect(same(r.members[0]!.bytes, JABBER)).toBe(true);
    expect(same(r.members[1]!.bytes, EXPC)).toBe(true);
  });

  it("stops at the nesting depth limit", () => {
    let bytes: Uint8Array = JABBER;
    let name = "jabber.log";
    for (let i = 1; i <= 5; i++) {
      bytes = zipSync({ [name]: bytes });
      name = `level${i}.zip`;
    }
    const r = expandArchive("level5.zip", bytes);
    expect(r.members).toEqual([]);
    expect(r.errors).toEqual([
      "level5.zip/level4.zip/level3.zip/level2.zip/level1.zip: archive nested deeper than 4 levels: not expanded",
    ]);
    expect(names(expandArchive("level5.zip", bytes, { maxDepth: 5 }))).toEqual([
      "level5.zip/level4.zip/level3.zip/level2.zip/level1.zip/jabber.log",
    ]);
  });

  describe("zip bombs and limits", () => {
    const zeros = new Uint8Array(200 * MIB);
    // Built once: 200 MiB of zeros deflate to ~200 KiB.
    const gzBomb = gzipSync(zeros, { level: 1 });
    const zipBomb = zipSync({ "zeros.log": [zeros, { level: 1 }], "jabber.log": JABBER });

    it("a gz bomb is cut off by the ratio guard, with the default limits", () => {
      expect(gzBomb.length).toBeLessThan(2 * MIB);
      // That the guard stops it is checked here; how soon is the benchmark's to measure.
      const r = expandArchive("bomb.log.gz", gzBomb);
      expect(r.members).toEqual([]);
      expect(r.errors).toEqual(["bomb.log.gz: compresses more than 200:1 (a zip bomb?): not expanded"]);
      expect(r.expandedBytes).toBe(0);
    });

    it("a gz stream stops past the member limit, a low one in this test", () => {
      const r = expandArchive("bomb.log.gz", gzBomb, { maxMemberBytes: 10 * MIB, maxRatio: Infinity });
      expect(r.errors).toEqual(["bomb.log.gz: expands past the 10 MiB member limit: not expanded"]);
      const total = expandArchive("bomb.log.gz", gzBomb, { maxTotalBytes: 20 * MIB, maxRatio: Infinity });
      expect(total.errors).toEqual(["bomb.log.gz: expands past the 20 MiB total limit: not expanded"]);
    });

    it("a zip bomb is refused from its declared size, before inflating", () => {
      const r = expandArchive("bomb.zip", zipBomb);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(
        /^bomb\.zip\/zeros\.log: declares 200 MiB from \d+(\.\d)? KiB, more than 200:1 \(a zip bomb\?\): skipped$/,
      );
      expect(names(r)).toEqual(["bomb.zip/jabber.log"]); // the rest of the archive still comes out
      const low = expandArchive("bomb.zip", zipBomb, { maxMemberBytes: 50 * MIB });
      expect(low.errors).toEqual([
        "bomb.zip/zeros.log: declares 200 MiB, over the 50 MiB member limit: skipped",
      ]);
      expect(low.expandedBytes).toBe(JABBER.length);
      const total = expandArchive("bomb.zip", zipBomb, { maxTotalBytes: 100 * MIB, maxRatio: Infinity });
      expect(total.errors).toEqual([
        "bomb.zip/zeros.log: declares 200 MiB, past the 100 MiB total limit: the rest is not expanded",
      ]);
    });

    it("a zip that lies about its sizes is stopped at the declared size", () => {
      const lying = zipBomb.slice();
      // Rewrite the central directory's uncompressed size of zeros.log to 1 MiB.
      const view = new DataView(lying.buffer);
      for (let i = lying.length - 22; i > 0; i--)
        if (
          view.getUint32(i, true) === 0x02014b50 &&
          dec.decode(lying.subarray(i + 46, i + 55)) === "zeros.log"
        ) {
          view.setUint32(i + 24, MIB, true);
          break;
        }
      const r = expandArchive("bomb.zip", lying);
      expect(r.errors).toEqual([
        "bomb.zip/zeros.log: expands past its declared size of 1 MiB (corrupt, or a zip bomb): skipped",
      ]);
      expect(r.skipped.map((s) => s.name)).toEqual(["bomb.zip/zeros.log"]);
      expect(names(r)).toEqual(["bomb.zip/jabber.log"]);
    });

    it("counts members against the limit", () => {
      const many = tar(
        Array.from({ length: 30 }, (_, i) => ({ name: `log${i}.txt`, data: enc.encode(`line ${i}\n`) })),
      );
      const r = expandArchive("many.tar", many, { maxMembers: 10 });
      expect(r.members.length).toBe(10);
      expect(r.errors).toEqual([
        "many.tar: more than 10 members in all: the rest is not expanded (member count limit)",
      ]);
    });

    it("has the documented defaults", () => {
      expect(DEFAULT_ARCHIVE_LIMITS).toEqual({
        maxTotalBytes: 2 * 1024 * MIB,
        maxMemberBytes: 1024 * MIB,
        maxMembers: 100_000,
        maxDepth: 4,
        maxRatio: 200,
        ratioFloorBytes: 32 * MIB,
      });
    });
  });

  describe("damage", () => {
    const tgz = gzipSync(
      tar([
        { name: "a/expressway-e.log", data: EXPE },
        { name: "a/expressway-c.log", data: EXPC },
      ]),
    );

    it("a truncated tgz keeps what came before the cut", () => {
      const r = expandArchive("diag.tgz", tgz.subarray(0, Math.floor(tgz.length * 0.6)));
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors[0]).toMatch(/^diag\.tgz: truncated: kept the \d+ bytes before it$/);
      expect(names(r)[0]).toBe("diag.tgz/a/expressway-e.log");
      expect(same(r.members[0]!.bytes, EXPE)).toBe(true);
    });

    it("a truncated tar says which member was cut", () => {
      const t = tar([{ name: "a.log", data: EXPE }]);
      const r = expandArchive("x.tar", t.subarray(0, 512 + 1000));
      expect(r.errors).toEqual([
        `x.tar: truncated: a.log declares ${EXPE.length} bytes, 1000 are there: kept those`,
      ]);
      expect(r.members[0]!.bytes.length).toBe(1000);
    });

    it("a zip cut before its central directory is read from its local headers", () => {
      const prt = zipSync({ "jabber.log": JABBER, "jabber.log.1": JABBER, "zz.log": EXPE });
      const cut = prt.subarray(0, prt.length - 200);
      const r = expandArchive("prt.zip", cut);
      expect(r.errors[0]).toMatch(/^prt\.zip: no central directory \(truncated\?\): read \d member\(s\)/);
      expect(names(r).slice(0, 2)).toEqual(["prt.zip/jabber.log", "prt.zip/jabber.log.1"]);
      expect(same(r.members[0]!.bytes, JABBER)).toBe(true);
    });

    it("garbage and cut archives give messages, never an exception", () => {
      expect(expandArchive("prt.zip", enc.encode("PK\u0003\u0004 not really")).errors).toEqual([
        "prt.zip: not a readable zip (no central directory): truncated or corrupt",
      ]);
      expect(expandArchive("x.gz", new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]))).toMatchObject({
        members: [],
        errors: ["x.gz: truncated (no complete gzip stream): not expanded"],
      });
      const named = gzipSync(EXPE, { filename: "expressway-e.log" });
      expect(expandArchive("x.gz", named.subarray(0, 14)).errors).toEqual([
        "x.gz: truncated (no complete gzip stream): not expanded",
      ]);
      expect(expandArchive("notes.txt", JABBER).errors).toEqual([
        "notes.txt: not a zip, gzip or tar archive",
      ]);
      const zip = zipSync({ "a/jabber.log": JABBER, "b.tgz": tgz });
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (const archive of [zip, tgz, tar([{ name: "a.log", data: EXPE }])]) {
        for (let i = 0; i < 40; i++) {
          const bytes = archive.slice(0, Math.floor(random() * archive.length) + 1);
          if (i % 2)
            for (let k = 0; k < 8; k++)
              bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
          expect(() => expandArchive("fuzz.zip", bytes)).not.toThrow();
        }
      }
    });
  });
});

describe("expandAll", () => {
  it("expands archives among dropped files, passes the others through, shares the limits", () => {
    const r = expandAll([
      { name: "jabber.log", bytes: JABBER },
      { name: "prt.zip", bytes: zipSync({ "jabber.log.1": JABBER }) },
      { name: "diag.tgz", bytes: gzipSync(tar([{ name: "expressway-e.log", data: EXPE }])) },
    ]);
    expect(r.errors).toEqual([]);
    expect(names(r)).toEqual(["jabber.log", "prt.zip/jabber.log.1", "diag.tgz/expressway-e.log"]);
    expect(r.members[0]!.bytes).toBe(JABBER);
    const limited = expandAll(
      [
        {
          name: "a.tar",
          bytes: tar([
            { name: "1.log", data: JABBER },
            { name: "2.log", data: JABBER },
          ]),
        },
        { name: "b.tar", bytes: tar([{ name: "3.log", data: JABBER }]) },
      ],
      { maxMembers: 2 },
    );
    expect(names(limited)).toEqual(["a.tar/1.log", "a.tar/2.log"]);
    expect(limited.errors).toEqual([
      "b.tar: more than 2 members in all: the rest is not expanded (member count limit)",
    ]);
  });
});

// Inputs that parsers/io/fuzz.test.ts found, shrunk by hand to the least that shows each bug.
describe("regressions found by fuzzing", () => {
  it("a gzip cut mid-stream that fflate ends quietly is reported as truncated", () => {
    // fflate inflates this cut stream to 796 of the 1113 bytes without an error.
    const text = enc.encode("x".repeat(278) + "\n" + "y".repeat(834));
    const r = expandArchive("a.log.gz", gzipSync(text).subarray(0, 20));
    expect(r.errors).toEqual([
      "a.log.gz: truncated (no trailer matches the inflated size): kept the 796 bytes before it",
    ]);
    expect(names(r)).toEqual(["a.log.gz/a.log"]);
    expect(same(r.members[0]!.bytes, text.subarray(0, 796))).toBe(true);
    // Whole, or with up to 3 bytes after the trailer (which fflate passes over): no error.
    expect(expandArchive("a.log.gz", gzipSync(text)).errors).toEqual([]);
    expect(expandArchive("a.log.gz", concat([gzipSync(text), new Uint8Array(3)])).errors).toEqual([]);
  });

  it("a tgz cut inside the tar's first header gives no member (not the header's bytes as a log)", () => {
    const header = new Uint8Array(3072);
    header.set(enc.encode("a/jabber.log"));
    // Inflates, quietly, to the single byte "a".
    const r = expandArchive("diag.tgz", gzipSync(header).subarray(0, 32));
    expect(r.members).toEqual([]);
    expect(r.errors).toEqual([
      "diag.tgz: truncated (no trailer matches the inflated size): kept the 1 bytes before it",
    ]);
  });

  it("a gzip trailer claiming a GiB does not get a GiB buffer", () => {
    const g = gzipSync(enc.encode("2020-03-24 22:31:00,442 INFO one line\n"));
    new DataView(g.buffer).setUint32(g.length - 4, 0x3fffffff, true);
    const r = expandArchive("a.log.gz", g);
    expect(r.members[0]!.bytes.length).toBe(38);
    expect(r.members[0]!.bytes.buffer.byteLength).toBeLessThan(MIB);
  });
});
