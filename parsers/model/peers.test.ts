import { describe, expect, it } from "vitest";
import { buildModel } from "./build.ts";
import { toJson } from "./json.ts";
import { ingestBytes } from "./parseBytes.ts";
import { Store } from "./store.ts";
import { readSample } from "../testing/sourceHarness.ts";

const line = (n: number, time: string, url: string) =>
  `2021-06-02 ${time} INFO  [0x00001a2c] [etutils\\src\\http\\CurlHttpUtils.cpp(1088)] [csf.httpclient] [csf::http::CurlHttpUtils::configureEasyRequest] - *-----* Configuring request #${n} GET ${url}\n`;

describe("lanes of unknown peers", () => {
  it("gives a host no dropped file belongs to a lane of its own, named by the host", () => {
    const store = new Store();
    // FORMATS.md's Jabber request line, to a proxy and to a web server no file belongs to.
    const jabber =
      line(7, "09:14:03,540", "http://127.0.0.1:3128/proxy.pac") +
      line(8, "09:14:03,541", "https://intranet.corp.example/status");
    ingestBytes(store, "jabber.log", new TextEncoder().encode(jabber));
    const json = toJson(buildModel(store));
    expect(json.messages.map((m) => `${m.from}->${m.to} ${m.label}`)).toEqual([
      "jabber->127.0.0.1:3128 GET proxy.pac",
      "jabber->intranet.corp.example GET status",
    ]);
    expect(json.lanes).toEqual(["jabber", "127.0.0.1:3128", "intranet.corp.example"]);
    expect(json.findings.map((f) => f.id)).toContain("http-proxy");
  });

  it("puts a host a dropped file belongs to on that file's lane", () => {
    const store = new Store();
    // Expressway-C's log names the CUCM it asks; a CUCM log whose host is that name joins it.
    ingestBytes(store, "expressway-c.log", readSample("mra-oauth/expressway-c.log"));
    const hostCucm = store.addFile("cucm-node.log", 0);
    hostCucm.lane = "ucm-pub";
    hostCucm.host = "av-cucm.lab.com";
    const json = toJson(buildModel(store));
    const clusterUser = json.messages.find((m) => m.label === "GET clusterUser")!;
    expect(clusterUser.to).toBe("ucm-pub");
  });
});
