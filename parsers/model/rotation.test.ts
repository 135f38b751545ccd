import { describe, expect, it } from "vitest";
import { rotationKey } from "./rotation.ts";
import { buildModel } from "./build.ts";
import { ingestBytes } from "./parseBytes.ts";
import { Store } from "./store.ts";
import { toJson } from "./json.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("rotation", () => {
  it("names families and ages", () => {
    expect(rotationKey("jabber.log")).toEqual({ family: "jabber.log", age: 0 });
    expect(rotationKey("prt/jabber.log.3")).toEqual({ family: "prt/jabber.log", age: 3 });
    expect(rotationKey("SDL001_100_000124.txt").family).toBe(rotationKey("SDL001_100_000123.txt").family);
    expect(rotationKey("SDL001_100_000124.txt").age).toBeLessThan(rotationKey("SDL001_100_000123.txt").age);
  });

  it("carries a day rollover across an SDL sequence, in sequence order whatever the drop order", () => {
    // CTI Manager lines (seed 003's shape); the second file starts after midnight.
    const sdl = (seq: string, time: string, text: string) => `${seq} |${time} |AppInfo |${text}\n`;
    const store = new Store();
    ingestBytes(
      store,
      "SDL002_200_000002.txt",
      enc(sdl("00000010.000", "00:00:02.100", "CtiManager second file")),
    );
    ingestBytes(
      store,
      "SDL002_200_000001.txt",
      enc(
        sdl("00000001.000", "23:59:58.000", "CtiManager first file") +
          sdl("00000002.000", "23:59:59.900", "more"),
      ),
    );
    ingestBytes(
      store,
      "cucm-security.log",
      enc(
        "2014-11-05 11:59:07,716 DEBUG [http-bio-443-exec-47] impl.AuthenticationLDAP - authenticateUserWithPassword: userName=nirmal\n",
      ),
    );
    const model = buildModel(store, { dates: new Map([[1, "2014-11-05"]]) });
    const json = toJson(model);
    expect(json.files[1]!.timeBase).toMatchObject({ date: "2014-11-05", dateFrom: "user" });
    const r = store.records;
    // File 0 (…000002) follows file 1 (…000001): 00:00:02.100 is on the next day.
    expect(new Date(r.time.get(0)).toISOString()).toBe("2014-11-06T00:00:02.100Z");
    expect(new Date(r.time.get(1)).toISOString()).toBe("2014-11-05T23:59:58.000Z");
  });
});
