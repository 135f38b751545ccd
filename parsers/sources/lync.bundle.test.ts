import { describe, expect, it } from "vitest";
import { arrows, loadBundle } from "../testing/bundles.ts";

const REGISTER_CALL = "9c1e5a8f27b44d6f8e2c3b1a0d4e7f60";
const SERVICE_CALL = "4d7b2e9a1c3f4e8b9a6d5c2b1e0f3a7d";

describe("lync-signin bundle (seed 004, composed)", () => {
  const { json } = loadBundle("lync-signin");

  it("recognises both files", () => {
    expect(json.files.map((f) => [f.name, f.source, f.lane])).toEqual([
      ["client.uccapilog", "lync-client", "lync-client"],
      ["frontend-sipstack.log", "lync-server", "lync-server"],
    ]);
  });

  it("merges the client's and the Front End's sightings into one arrow each", () => {
    expect(arrows(json)).toEqual([
      "lync-client->lync-server REGISTER",
      "lync-server->lync-client 401 Unauthorized REGISTER",
      "lync-client->lync-server REGISTER",
      "lync-server->lync-client 401 Unauthorized REGISTER",
      "lync-client->lync-server REGISTER",
      "lync-server->lync-client 401 Unauthorized REGISTER",
      "lync-client->lync-server REGISTER",
      "lync-server->lync-client 200 OK REGISTER",
      "lync-client->lync-server SERVICE",
      "lync-server->lync-server ms-diagnostics 12008 User is not UC enabled: a location profile is only available to UC enabled users",
      "lync-server->lync-client 403 Forbidden SERVICE",
      "lync-client->lync-server SUBSCRIBE",
      "lync-client->lync-server SUBSCRIBE",
      "lync-server->lync-client 200 OK SUBSCRIBE",
      "lync-server->lync-client 200 OK SUBSCRIBE",
    ]);
    for (const m of json.messages) {
      if (m.from === m.to) continue;
      expect([...m.seenBy].sort(), m.label).toEqual(["lync-client", "lync-server"]);
    }
  });

  it("reads the client's zone from the merged messages", () => {
    const client = json.files.find((f) => f.name === "client.uccapilog")!;
    expect(client.timeBase).toMatchObject({ kind: "local", zoneAssumed: true, zone: "-05:00" });
    const first = json.messages[0]!;
    // Sent at 03:11:02.700 local (UTC-5), received by the Front End at 08:11:02.703 UTC.
    expect(first.time).toBe(new Date(Date.UTC(2019, 2, 14, 8, 11, 2, 700)).toISOString());
    expect(json.lanes).toEqual(["lync-client", "lync-server"]);
  });

  it("one dialog per Call-ID: REGISTER x4 with its 401s and 200, SERVICE apart", () => {
    const register = json.dialogs.find((d) => d.key === `call:${REGISTER_CALL}`)!;
    expect(register.messages).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const service = json.dialogs.find((d) => d.key === `call:${SERVICE_CALL}`)!;
    expect(service.messages).toEqual([8, 9, 10]);
    expect(json.dialogs).toHaveLength(4);
    expect(json.messages.filter((m) => m.failed).map((m) => m.label)).toEqual([
      "ms-diagnostics 12008 User is not UC enabled: a location profile is only available to UC enabled users",
      "403 Forbidden SERVICE",
    ]);
  });
});
