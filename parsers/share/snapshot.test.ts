import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import {
  decodeSnapshot,
  embedSnapshot,
  encodeSnapshot,
  extractSnapshot,
  snapshotPayload,
  SNAPSHOT_SCRIPT_ID,
} from "./snapshot.ts";

const PAYLOAD = "dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=";

describe("snapshot data", () => {
  const { json } = loadBundle("onprem-login");
  const raw = {
    0: [
      {
        file: "imp-xcp-connection-manager.log",
        line: 1,
        lines: [`sending: <auth mechanism='CISCO-VTG-TOKEN'>${PAYLOAD}</auth>`, "userName=nirmal"],
      },
    ],
  };

  it("round-trips the model, the raw lines and the view", () => {
    const payload = snapshotPayload(json, raw, { selected: 3, step: 2 });
    const encoded = encodeSnapshot(payload);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const back = decodeSnapshot(encoded);
    expect(back.model).toEqual(payload.model);
    expect(back.view).toEqual({ selected: 3, step: 2 });
    expect(back.redacted).toBe(true);
    expect(back.raw[0]![0]!.lines[0]).toBe("sending: <auth mechanism='CISCO-VTG-TOKEN'>[redacted]</auth>");
    // Compressed: smaller than the JSON it holds.
    expect(encoded.length).toBeLessThan(JSON.stringify(payload).length / 2);
  });

  it("redacts by default, pseudonymizes the model and the raw lines alike on request", () => {
    expect(JSON.stringify(snapshotPayload(json, raw))).not.toContain(PAYLOAD);
    expect(JSON.stringify(snapshotPayload(json, raw, {}, { redact: false }))).toContain(PAYLOAD);
    const p = snapshotPayload(json, raw, {}, { pseudonyms: true });
    const user = p.model.messages.find((m) => m.user)!.user!;
    expect(p.raw[0]![0]!.lines[1]).toBe(`userName=${user}`);
    expect(JSON.stringify(p)).not.toMatch(/nirmal/i);
  });

  it("embeds in the viewer before </body>, replacing an earlier snapshot", () => {
    const html = "<!doctype html><html><body><div id=root></div></body></html>";
    const once = embedSnapshot(html, "QUJD");
    expect(once).toBe(
      `<!doctype html><html><body><div id=root></div><script type="application/x-ucsnoop-snapshot" id="${SNAPSHOT_SCRIPT_ID}">QUJD</script>\n</body></html>`,
    );
    const twice = embedSnapshot(once, "REVG");
    expect(twice.match(/ucsnoop-data/g)).toHaveLength(1);
    expect(extractSnapshot(twice)).toBe("REVG");
    expect(extractSnapshot(html)).toBeNull();
    expect(() => embedSnapshot(html, "</script><script>alert(1)")).toThrow(/base64/);
  });

  it("says what is wrong with data that is not a snapshot", () => {
    expect(() => decodeSnapshot("bm90IGd6aXA=")).toThrow(/not a ucsnoop snapshot/);
    expect(() => decodeSnapshot("%%%")).toThrow(/not a ucsnoop snapshot/);
  });
});
