import { describe, expect, it } from "vitest";
import { LineSplitter, MAX_LINE_BYTES, cleanLine, type Line } from "./lines.ts";
import { RecordAssembler, type RawRecord } from "./records.ts";
import { guessEncoding } from "./encoding.ts";

function split(bytes: Uint8Array, chunk: number): Line[] {
  const out: Line[] = [];
  const s = new LineSplitter((l) => out.push(l));
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
  s.end();
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function utf16le(s: string, bom = true): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  let at = 0;
  if (bom) {
    out[0] = 0xff;
    out[1] = 0xfe;
    at = 2;
  }
  for (let i = 0; i < s.length; i++) {
    out[at + i * 2] = s.charCodeAt(i) & 0xff;
    out[at + i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

function utf16be(s: string): Uint8Array {
  const le = utf16le(s, true);
  const out = new Uint8Array(le.length);
  for (let i = 0; i < le.length; i += 2) {
    out[i] = le[i + 1]!;
    out[i + 1] = le[i]!;
  }
  return out;
}

// Real lines from seed 001 (Expressway-E), with a multi-byte character added to check offsets.
const TEXT =
  '2020-03-24T16:31:00.962-06:00 labucexpye01 traffic_server[16087]: UTCTime="2020-03-24 22:31:00,962" Module="network.http.trafficserver" Level="DEBUG": Detail="Receive Request" Txn-id="2004"\n' +
  "HTTPMSG:\n" +
  "|GET https:///Ym91bGRlcm1lZGljYWxjZW50ZXIuY29t/get_edge_sso?email=aokanlawon@lab.com HTTP/1.1\n" +
  "Host: labucexpye01.lab.com:8443 – é\n" +
  "User-Agent: Jabber/12.8.0.51920 (Windows;)";

describe("LineSplitter", () => {
  it("gives the same lines and byte offsets for every chunk size", () => {
    const bytes = utf8(TEXT);
    const reference = split(bytes, 1 << 20);
    expect(reference.map((l) => l.text)).toEqual(TEXT.split("\n"));
    for (const chunk of [1, 2, 3, 7, 64, 4096]) expect(split(bytes, chunk)).toEqual(reference);
    // Byte ranges slice back to the exact line text.
    for (const l of reference)
      expect(new TextDecoder().decode(bytes.subarray(l.byteStart, l.byteEnd))).toBe(l.text);
  });

  it("strips CRLF, stray CR and a literal ^M at line ends", () => {
    const lines = split(utf8("a\r\nb\rx\r\nc^M\nd\r\r\n"), 1).map((l) => l.text);
    // A CR inside a line (and LS, PS) is a space: a regular expression's `.` stops at them.
    expect(lines).toEqual(["a", "b x", "c", "d"]);
    expect(cleanLine("SASL mechanism:\u2028PLAIN\u2029")).toBe("SASL mechanism: PLAIN ");
    expect(cleanLine("SIP/2.0 200 OK^M")).toBe("SIP/2.0 200 OK");
    // Seed 001 line 236: a no-break space before the Jabber timestamp.
    expect(cleanLine("\u00a02020-03-24 22:31:00,442 DEBUG")).toBe("2020-03-24 22:31:00,442 DEBUG");
  });

  it("reads UTF-16 LE and BE with a BOM, and LE without one", () => {
    const expected = TEXT.split("\n");
    for (const bytes of [utf16le(TEXT), utf16be(TEXT), utf16le(TEXT, false)]) {
      for (const chunk of [1, 7, 4096]) expect(split(bytes, chunk).map((l) => l.text)).toEqual(expected);
    }
    expect(guessEncoding(utf16le(TEXT)).encoding).toBe("utf-16le");
    expect(guessEncoding(utf16be(TEXT)).encoding).toBe("utf-16be");
    expect(guessEncoding(utf16le(TEXT, false)).encoding).toBe("utf-16le");
  });

  it("skips a UTF-8 BOM and counts byte offsets after it", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("ab\ncd")]);
    const lines = split(bytes, 1);
    expect(lines.map((l) => [l.text, l.byteStart, l.byteEnd])).toEqual([
      ["ab", 3, 5],
      ["cd", 6, 8],
    ]);
  });

  it("flags binary input instead of producing lines", () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const s = new LineSplitter(() => {
      throw new Error("no line expected");
    });
    s.push(bytes);
    s.end();
    expect(s.binary).toBe(true);
  });
});

describe("LineSplitter with a LineReceiver", () => {
  it("gives the lines a LineSink gets, and marks those that contain the marker, whatever the slicing", () => {
    const text = `${TEXT}\nemail=PII_CED_Exception{a@b.c}\r\nplain é\u2028x\nend PII_CED_Exception{`;
    const bytes = utf8(text);
    const reference = split(bytes, bytes.length);
    for (const chunk of [1, 3, 64, 4096, bytes.length]) {
      const got: (Line & { marked: boolean })[] = [];
      const s = new LineSplitter(
        {
          take: (text, number, byteStart, byteEnd, marked) =>
            got.push({ text, number, byteStart, byteEnd, marked }),
        },
        "PII_CED_Exception{",
      );
      for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
      s.end();
      expect(
        got.map(({ marked: _, ...line }) => line),
        `chunk ${chunk}`,
      ).toEqual(reference);
      expect(
        got.map((l) => l.marked),
        `chunk ${chunk}`,
      ).toEqual(reference.map((l) => l.text.includes("PII_CED_Exception{")));
    }
  });

  it("marks a record that has a marked line", () => {
    const records: RawRecord[] = [];
    const asm = new RecordAssembler({ isRecordStart: (l) => /^\d{4}-/.test(l) }, (r) => records.push(r));
    const s = new LineSplitter(asm, "PII_CED_Exception{");
    s.push(utf8("2020-03-24 one\nPII_CED_Exception{x}\n2020-03-24 two\nplain\n"));
    s.end();
    asm.end();
    expect(records.map((r) => r.marked)).toEqual([true, false]);
  });
});

describe("RecordAssembler", () => {
  it("puts every line in exactly one record or in the unparsed count", () => {
    const records: RawRecord[] = [];
    const asm = new RecordAssembler({ isRecordStart: (l) => /^\d{4}-/.test(l) }, (r) => records.push(r));
    const lines = ["prose before", "", ...TEXT.split("\n"), "2020-03-24 next record"];
    split(utf8(lines.join("\n")), 5).forEach((l) => asm.line(l));
    asm.end();
    expect(asm.unparsedLines).toBe(2);
    expect(records.map((r) => [r.firstLine, r.lines.length])).toEqual([
      [3, 5],
      [8, 1],
    ]);
    const inRecords = records.reduce((n, r) => n + r.lines.length, 0);
    expect(inRecords + asm.unparsedLines).toBe(lines.length);
  });

  it("gives the same records when it reuses one record object, read during the sink's call", () => {
    // A block record, then shorter ones (the lines array must shrink back), a marked one, and
    // prose before the first start.
    const text = [
      "prose before",
      "2020-03-24 sip",
      "SIPMSG:",
      "|REGISTER sip:lab.com SIP/2.0",
      "Via: SIP/2.0/TLS 10.1.1.20:5061",
      "2020-03-24 one line",
      "2020-03-24 two PII_CED_Exception{x}",
      "second",
      "2020-03-24 last",
    ].join("\n");
    const run = (reuse: boolean): [RawRecord[], RawRecord[]] => {
      const seen: RawRecord[] = [];
      const copies: RawRecord[] = [];
      const asm = new RecordAssembler(
        { isRecordStart: (l) => /^\d{4}-/.test(l) },
        (r) => {
          seen.push(r);
          copies.push({ ...r, lines: [...r.lines] });
        },
        reuse,
      );
      const s = new LineSplitter(asm, "PII_CED_Exception{");
      s.push(utf8(text));
      s.end();
      asm.end();
      return [seen, copies];
    };
    const [fresh, freshCopies] = run(false);
    const [reused, reusedCopies] = run(true);
    expect(reusedCopies).toEqual(freshCopies);
    expect(freshCopies.map((r) => [r.firstLine, r.lines.length, r.marked])).toEqual([
      [2, 4, false],
      [6, 1, false],
      [7, 2, true],
      [9, 1, false],
    ]);
    expect(new Set(fresh).size).toBe(4);
    expect(new Set(reused).size).toBe(1);
  });
});

describe("overlong lines", () => {
  const long = "x".repeat(3 * MAX_LINE_BYTES + 5);
  const text = `2020-03-24 first\n${long}\n2020-03-24 after\nlast`;

  it("cuts a line past the limit to its first MAX_LINE_BYTES, whatever the slicing, and keeps its byte range", () => {
    const bytes = utf8(text);
    const expected = [
      { text: "2020-03-24 first", number: 1, byteStart: 0, byteEnd: 16 },
      { text: "x".repeat(MAX_LINE_BYTES), number: 2, byteStart: 17, byteEnd: 17 + long.length },
      { text: "2020-03-24 after", number: 3, byteStart: 18 + long.length, byteEnd: 34 + long.length },
      { text: "last", number: 4, byteStart: 35 + long.length, byteEnd: 39 + long.length },
    ];
    for (const chunk of [7, 4096, 1 << 20, 3 << 20, bytes.length]) {
      const out: Line[] = [];
      const s = new LineSplitter((l) => out.push(l));
      for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
      s.end();
      expect(out, `chunk ${chunk}`).toEqual(expected);
      expect(s.overlongLines, `chunk ${chunk}`).toBe(1);
    }
  });

  it("a 100 MiB file with no newline is one line of 1 MiB of text, read in constant memory", () => {
    const mib = new Uint8Array(1 << 20).fill(0x41);
    const out: Line[] = [];
    const s = new LineSplitter((l) => out.push(l));
    for (let i = 0; i < 100; i++) s.push(mib);
    s.end();
    expect(out).toHaveLength(1);
    expect(out[0]!.text.length).toBe(MAX_LINE_BYTES);
    expect(out[0]!.byteEnd).toBe(100 << 20);
    expect(s.overlongLines).toBe(1);
  });

  it("cuts UTF-16 lines at half as many code units", () => {
    const bytes = utf16le(`a\n${"y".repeat(MAX_LINE_BYTES)}\nb`);
    for (const chunk of [4096, 1 << 20, bytes.length]) {
      const out = split(bytes, chunk);
      expect(out.map((l) => l.text.length)).toEqual([1, MAX_LINE_BYTES / 2, 1]);
      expect(out[1]!.byteEnd - out[1]!.byteStart).toBe(2 * MAX_LINE_BYTES);
    }
  });
});

describe("regressions found by fuzzing (parsers/io/fuzz.test.ts)", () => {
  it("the encoding guess does not depend on where the head is cut", () => {
    const bytes = utf8("a".repeat(64) + "\0\n");
    const whole = new LineSplitter(() => undefined);
    whole.push(bytes);
    whole.end();
    const cut = new LineSplitter(() => undefined);
    cut.push(bytes.subarray(0, 64));
    cut.push(bytes.subarray(64));
    cut.end();
    expect([whole.binary, cut.binary]).toEqual([true, true]);
  });

  it("a second U+FEFF after a UTF-16 BOM is text: the line's bytes start after the BOM", () => {
    const out = split(new Uint8Array([0xff, 0xfe, 0xff, 0xfe, 0x23, 0x00]), 1);
    expect(out).toEqual([{ text: "#", number: 1, byteStart: 2, byteEnd: 6 }]);
  });

  it("what the UTF-16 decoder flushes at the end (a lone surrogate, an odd byte) ends at the file's end", () => {
    expect(split(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x01, 0xd8]), 7)).toEqual([
      { text: "A\ufffd", number: 1, byteStart: 2, byteEnd: 6 },
    ]);
    expect(split(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x42]), 7)).toEqual([
      { text: "A\ufffd", number: 1, byteStart: 2, byteEnd: 5 },
    ]);
  });
});
