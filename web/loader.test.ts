import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParserApi } from "../parsers/workerApi.ts";
import { samplePath } from "../parsers/testing/sourceHarness.ts";
import { carryIds } from "./loader.ts";

const file = (name: string) => ({ name, blob: new Blob([readFileSync(samplePath(`mra-oauth/${name}`))]) });

describe("carryIds: the selection follows its message into the next build", () => {
  it("finds a partial model's messages in the finished one, where their ids moved", async () => {
    const partial = await new ParserApi().replaceFiles([file("jabber.log")]);
    const final = await new ParserApi().replaceFiles([file("jabber.log"), file("expressway-e.log")]);
    const authorize = partial.messages.find((m) => m.label === "GET authorize")!;
    const [carried] = carryIds(partial, final, [authorize.id]);
    // The same line of jabber.log behind it, at another position once Expressway-E's came in.
    expect(final.messages[carried!]!.evidence[0]).toEqual(authorize.evidence[0]);
    expect(final.messages[carried!]!.label).toBe("GET authorize");
    expect(carried).not.toBe(authorize.id);
  });

  it("drops what is not in the next build, and keeps ids meant for a model not yet shown", async () => {
    const a = await new ParserApi().replaceFiles([file("jabber.log")]);
    const b = await new ParserApi().replaceFiles([file("expressway-c.log")]);
    expect(carryIds(a, b, [0, 1])).toEqual([]);
    expect(carryIds(null, b, [2, b.messages.length])).toEqual([2]);
  });
});
