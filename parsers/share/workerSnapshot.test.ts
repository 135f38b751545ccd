import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParserApi } from "../workerApi.ts";

const dir = new URL("../../public/samples/mra-oauth/", import.meta.url);
const files = ["expressway-c.log", "expressway-e.log", "jabber.log"].map((name) => ({
  name,
  blob: new Blob([readFileSync(new URL(name, dir))]),
}));

describe("ParserApi snapshots", () => {
  it("exports a snapshot that another worker serves model, rows, raw lines and queries from", async () => {
    const api = new ParserApi();
    const model = await api.addFiles(files);
    const encoded = await api.exportSnapshot({ selected: 3 }, { redact: true });
    const other = new ParserApi();
    const { summary, view, redacted } = await other.loadEncodedSnapshot(encoded);
    expect(redacted).toBe(true);
    expect(view).toEqual({ selected: 3 });
    expect(summary.messageCount).toBe(model.messages.length);
    expect(other.rows(0, 3).map((m) => m.label)).toEqual(model.messages.slice(0, 3).map((m) => m.label));
    const raw = await other.raw(0);
    expect(raw.length).toBeGreaterThan(0);
    expect(raw[0]!.lines.join("\n")).toBe((await api.raw(0))[0]!.lines.join("\n"));
    const q = other.query({ requestId: 1, sort: null, filters: {}, search: "authorize" });
    expect(q.count).toBe(api.query({ requestId: 1, sort: null, filters: {}, search: "authorize" }).count);
    expect(JSON.stringify(await other.rawAll())).not.toContain("38oMy0ldmfJRSVRa8r8iuJJbDxA");
    expect(other.exportText("mermaid", [0, 1], {})).toContain("sequenceDiagram");
    // Files dropped on a snapshot replace it.
    const again = await other.replaceFiles(files.slice(0, 1));
    expect(again.files).toHaveLength(1);
    expect((await other.raw(0))[0]?.file).toBe("expressway-c.log");
  });
});
