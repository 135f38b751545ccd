import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath, readSample } from "../testing/sourceHarness.ts";
import { buildModel } from "./build.ts";
import { ingestBytes } from "./parseBytes.ts";
import { MessageEvidence } from "./raw.ts";
import { Store } from "./store.ts";

describe("MessageEvidence", () => {
  it("keeps each message's records, each once, in evidence order, apart from the model", () => {
    const manifest: { files: string[] } = JSON.parse(
      readFileSync(samplePath("mra-oauth-complete/bundle.json"), "utf8"),
    );
    const store = new Store();
    for (const name of manifest.files) ingestBytes(store, name, readSample(`mra-oauth-complete/${name}`));
    const model = buildModel(store);
    const evidence = new MessageEvidence(model);
    expect(evidence.count).toBe(model.messages.length);
    let bothSides = 0;
    for (const m of model.messages) {
      const unique = m.evidence.filter((e, i) => m.evidence.findIndex((o) => o.record === e.record) === i);
      expect(evidence.records(m.id)).toEqual(unique.map((e) => [e.file, e.record]));
      if (new Set(unique.map((e) => e.file)).size > 1) bothSides++;
    }
    // Jabber and Expressway-E both log seven of the login's exchanges (get_edge_sso request
    // #1 in jabber.log line 4 is Txn-id 2004 in expressway-e.log line 1; authorize, access_token,
    // get_edge_config and the 200s), each a record in each file.
    expect(bothSides).toBe(7);
    expect(evidence.records(-1)).toEqual([]);
    expect(evidence.records(model.messages.length)).toEqual([]);
    expect(evidence.files.map((f) => f.name)).toEqual(model.files.map((f) => f.name));
  });
});
