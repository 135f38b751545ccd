import { describe, expect, it } from "vitest";
import { clip, logText } from "./logText.ts";

describe("logText", () => {
  it("shows every bidirectional control as a visible marker, in place", () => {
    expect(logText("invoice\u202Egpj.exe")).toBe("invoice⟨U+202E⟩gpj.exe");
    const controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
    expect(logText(controls)).toBe(
      [..."202A 202B 202C 202D 202E 2066 2067 2068 2069 200E 200F 061C".split(" ")]
        .map((c) => `⟨U+${c}⟩`)
        .join(""),
    );
  });

  it("leaves right-to-left text, joiners and markup as they are", () => {
    for (const text of ["שלום עולם", "مرحبا", "👩‍💻 a\u200Db", '<script>alert("x")</script>', "a\tb"])
      expect(logText(text)).toBe(text);
  });

  it("reads a missing value as empty", () => {
    expect(logText(null)).toBe("");
    expect(logText(undefined)).toBe("");
  });
});

describe("clip", () => {
  it("cuts long text to the length asked, the last character an ellipsis", () => {
    const token = "0123456789abcdef".repeat(625);
    expect(clip(token, 40)).toBe(`${token.slice(0, 39)}…`);
    expect(clip(token, 40)).toHaveLength(40);
    expect(clip("GET authorize", 40)).toBe("GET authorize");
    expect(clip("x".repeat(40), 40)).toBe("x".repeat(40));
  });
});
