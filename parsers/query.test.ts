import { describe, expect, it } from "vitest";
import { compileQuery, isBadRegex } from "./query.ts";

describe("search", () => {
  it("matches text case-insensitively", () => {
    expect(compileQuery("AUTHORIZE")!("GET authorize")).toBe(true);
    expect(compileQuery("")).toBeNull();
  });

  it("matches /regex/ and falls back to text when it does not compile", () => {
    expect(compileQuery("/^POST (a|b)$/")!("POST b")).toBe(true);
    expect(compileQuery("/^POST (a|b)$/")!("xPOST b")).toBe(false);
    expect(isBadRegex("/(/")).toBe(true);
    expect(compileQuery("/(/")!("a /(/ b")).toBe(true);
  });
});
