import { describe, expect, it } from "vitest";
import { param } from "./http.ts";
import { regexPerName } from "./regexes.ts";

describe("regexPerName", () => {
  it("compiles a name's regex once and keeps names apart", () => {
    const attr = regexPerName((name) => `\\b${name}='([^']*)'`);
    const xdb = "<xdb id='jtx_56' type='set'>";
    expect(attr("id")).toBe(attr("id"));
    expect(attr("id").exec(xdb)?.[1]).toBe("jtx_56");
    expect(attr("type").exec(xdb)?.[1]).toBe("set");
  });

  it("serves http.param across calls with other names (the authorize URL of seed 001)", () => {
    const url =
      "https://labucexpwye01.bouldermedicalcenter.com:8443/Ym91bGRlcm1lZGljYWxjZW50ZXIuY29t/authorize?response_type=code&realm=local&client_id=C1b4b988f3efa1c3fc97d0d0a36f6b97f244b4fafe55e8d9d7";
    expect(param(url, "client_id")).toBe("C1b4b988f3efa1c3fc97d0d0a36f6b97f244b4fafe55e8d9d7");
    expect(param(url, "realm")).toBe("local");
    expect(param(url, "client_id")).toBe("C1b4b988f3efa1c3fc97d0d0a36f6b97f244b4fafe55e8d9d7");
    expect(param(url, "state")).toBeUndefined();
  });
});
