import { describe, expect, it } from "vitest";
import type { ModelJson } from "../model/json.ts";
import { redactionPreview } from "./preview.ts";

const model = {
  files: [],
  lanes: ["jabber", "imp"],
  messages: [],
  dialogs: [],
  sessions: [],
  findings: [],
  clocks: [],
  reference: null,
} as unknown as ModelJson;

describe("redactionPreview", () => {
  it("counts the values each rule hides, once per record text, and the aliases", () => {
    const soap = "<ns1:username>nirmal</ns1:username><ns1:password>S3cret!pw</ns1:password>";
    const raw = {
      0: [{ file: "imp.log", line: 1, lines: [soap] }],
      1: [{ file: "imp.log", line: 1, lines: [soap] }],
      2: [{ file: "imp.log", line: 9, lines: ["<ns1:password>...</ns1:password> from 10.1.2.3"] }],
    };
    const p = redactionPreview(model, raw);
    const total = p.rules.reduce((n, r) => n + r.count, 0);
    expect(total).toBe(1);
    expect(p.rules.find((r) => r.count === 1)?.name).toMatch(/password|soap|xml/i);
    expect(p.aliases.ips).toBe(1);
    expect(p.aliases.users).toBeGreaterThanOrEqual(1);
  });
});
