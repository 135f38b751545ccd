import { describe, expect, it } from "vitest";
import { isMasked, unwrapPii } from "./masks.ts";
import { parse } from "../testing/sourceHarness.ts";

describe("masks", () => {
  it("unwraps Jabber's PII wrappers", () => {
    expect(unwrapPii("email=PII_CED_Exception{aokanlawon@lab.com}&state=1")).toBe(
      "email=aokanlawon@lab.com&state=1",
    );
    expect(unwrapPii("no wrapper")).toBe("no wrapper");
  });

  it("knows masked values", () => {
    for (const v of ["<CONCEALED>", "****", "xxx", "XXXXXXX", "---", "Hidden", "<CONCEALED"])
      expect([v, isMasked(v)]).toEqual([v, true]);
    for (const v of ["aokanlawon", "1771145038", "x"]) expect([v, isMasked(v)]).toEqual([v, false]);
  });

  it("lets a source read a wrapped value: the seed's BrowserController line with PII wrappers", () => {
    const line =
      "2020-03-24 22:31:00,442 DEBUG [0x00002b04] [bwindowplugin\\browsercontroller.cpp(167)] [PluginUtils] [BrowserController::NavigateTo] - Enter - url = https://labucexpwye01.bouldermedicalcenter.com:8443/Ym91bGRlcm1lZGljYWxjZW50ZXIuY29t/authorize?response_type=code&realm=local&email=PII_CED_Exception{aokanlawon@lab.com}&state=1771145038";
    const p = parse(line + "\n", "log.txt");
    expect(p.events[0]).toMatchObject({ label: "GET authorize", user: "aokanlawon" });
  });
});
