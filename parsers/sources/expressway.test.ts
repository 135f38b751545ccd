import { describe, expect, it } from "vitest";
import { CHUNK_SIZES, digest, eventLines, parse, readSample } from "../testing/sourceHarness.ts";
import { expressway, roleFromHost } from "./expressway.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const E = "mra-oauth/expressway-e.log";
const C = "mra-oauth/expressway-c.log";
const SASL_C = "mra-sasl-failure/expressway-c.log";
const SASL_E = "mra-sasl-failure/expressway-e.log";

const SAMPLES = import.meta.glob<string>("../../public/samples/**/*.{log,txt}", {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("expressway", () => {
  it("golden: Expressway-E of the MRA OAuth login (seed 001, 2020-03-24)", () => {
    const p = parse(readSample(E), "expressway-e.log");
    expect(p.info).toMatchObject({
      source: "expressway",
      lane: "expe",
      host: "labucexpye01",
      unparsedLines: 0,
    });
    // Each request is logged twice (INFO with Msg=, DEBUG with the HTTPMSG block): both are events.
    expect(eventLines(p)).toEqual([
      "1 <- jabber http.request GET get_edge_sso",
      "4 <- jabber http.request GET get_edge_sso",
      "8 -> jabber http.response 200 [200]",
      "19 <- jabber http.request GET authorize",
      "20 <- jabber http.request ", // Txn-id 2005's DEBUG record: its HTTPMSG block is empty in the seed
      "22 <- jabber http.request POST localauthentication",
      "25 <- jabber http.request POST localauthentication",
      "30 -> jabber http.response 302 Found [302]",
      "34 <- jabber http.request GET OAuthcb",
      "37 -> jabber http.response 200 [200]",
    ]);
    const [sso, , , authorize, , local] = p.events;
    expect(sso).toMatchObject({ exchange: "txn:2004", keys: { txn: "2004" }, user: "aokanlawon" });
    expect(authorize!.keys).toMatchObject({
      oauthState: "1771145038",
      clientId: expect.stringMatching(/^C1b4b988/),
    });
    // The form post's Referer names the authorize page, and with it the OAuth state.
    expect(p.events[6]!.keys).toMatchObject({ txn: "2007", oauthState: "1771145038" });
    expect(local!.match).toBe("POST localauthentication");
    // UTCTime wins over the local ISO time: 16:31:00.962-06:00 is 22:31:00.962 UTC either way.
    expect(p.store.records.rawTime.get(0)).toBe(Date.UTC(2020, 2, 24, 22, 31, 0, 962));
    expect(p.store.records.kindOf(0)).toBe("utc");
  });

  it("golden: Expressway-C of the MRA OAuth login", () => {
    const p = parse(readSample(C), "expressway-c.log");
    expect(p.info).toMatchObject({ lane: "expc", host: "labucexpyc01", unparsedLines: 0 });
    expect(eventLines(p)).toEqual([
      "1 <- expe http.request POST localauthentication", // Src-ip 127.0.0.1 + Last-via-addr: the E->C tunnel
      "2 -> cucm http.request GET clusterUser",
      "7 <- cucm http.response 200 OK [200]",
      "14 -> cucm http.request POST authorize_proxy",
      "24 <- cucm http.response 200 OK [200]",
      "27 local note Edge OAuth/SSO: Successful authorization",
      "28 local note Edge SSO: Redirected client",
      "31 -> expe http.response 302 Found [302]",
      "33 -> cucm http.request POST access_token",
      "40 <- cucm http.response 200 OK [200]", // quoted by the seed inside the Send record
      "45 local token.validate POST OAuthvalidator", // 127.0.0.1:9998: C to itself
      "51 local token.validate Access Token accepted",
      "52 local token.validate token validation: Access Token Matched AuthZ key (cucm.lab.com)",
      "53 local token.validate token validation: Access Token Matched AuthZ key (a-cucm.lab.com)",
    ]);
    // authorize_proxy's Url says cucm.lab.com, its Received says av-cucm.lab.com: paired by path.
    expect(p.events[3]!.exchange).toBe("url:/ssosp/token/authorize_proxy");
    expect(p.events[4]!.exchange).toBe("url:/ssosp/token/authorize_proxy");
    expect(p.events[3]!.keys).toMatchObject({ oauthState: "1771145038" });
    expect(p.events[4]!.keys).toMatchObject({ oauthState: "1771145038" });
    expect(p.events[11]!.user).toBe("aokanlawon");
  });

  it("golden: XCP_JABBERD SASL packets of the failing login (seed 001, 2020-03-31)", () => {
    const c = parse(readSample(SASL_C), "expressway-c.log");
    expect(c.info).toMatchObject({ lane: "expc", host: "labucexpwyc01", records: 3, unparsedLines: 0 });
    expect(eventLines(c)).toEqual([
      "1 -> imp xmpp.sasl SASL mechanisms?",
      "2 <- imp xmpp.sasl SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER",
      "10 -> imp xmpp.sasl SASL auth CISCO-VTG-TOKEN",
    ]);
    for (const e of c.events) expect(e.keys?.xdb).toBe("jtx_10392");
    expect(c.events[0]!.user).toBe("ntanborgeson");
    const e = parse(readSample(SASL_E), "expressway-e.log");
    expect(e.info).toMatchObject({ lane: "expe", host: "labucexpwye01" });
    expect(eventLines(e)).toEqual(["1 local xmpp.sasl SASL auth CISCO-VTG-TOKEN"]);
  });

  it("decides E or C from the host, else from what the node logs, and can be overridden", () => {
    expect(roleFromHost("labucexpye01")).toBe("expe");
    expect(roleFromHost("labucexpyc01")).toBe("expc");
    expect(roleFromHost("labucexpwyc01")).toBe("expc");
    expect(roleFromHost("edge01")).toBe("expe");
    expect(roleFromHost("ucm1")).toBeUndefined();
    const renamed = new TextDecoder().decode(readSample(C)).replaceAll("labucexpyc01", "node7");
    expect(parse(renamed, "log.txt").info.lane).toBe("expc");
    expect(parse(readSample(C), "log.txt", { lane: "expe" }).info.lane).toBe("expe");
  });

  it("detects its files under a generic name", () => {
    for (const f of [E, C, SASL_C, SASL_E]) {
      const head = new TextDecoder().decode(readSample(f));
      expect(detectSource(head)?.source.id).toBe("expressway");
      expect(parse(readSample(f), "log.txt").info.source).toBe("expressway");
    }
  });

  it("does not claim other formats or prose", () => {
    const others = Object.entries(SAMPLES).filter(([path]) => !/expressway-[ec]\.log$/.test(path));
    expect(others.length).toBeGreaterThan(5);
    for (const [path, text] of others) expect([path, expressway.sniff(text)]).toEqual([path, 0]);
    const prose = "++ Expressway-E receives the request ++\nNext Expressway-C sends POST request to CUCM";
    expect(expressway.sniff(prose)).toBeLessThan(MIN_CONFIDENCE);
  });

  it("gives the same result for every chunk size", () => {
    for (const f of [E, C, SASL_C]) {
      const reference = digest(parse(readSample(f), "x.log", {}, 1 << 20));
      for (const size of CHUNK_SIZES)
        expect(digest(parse(readSample(f), "x.log", {}, size))).toEqual(reference);
    }
  });

  it("reads CRLF and UTF-16 copies the same", () => {
    const text = new TextDecoder().decode(readSample(C));
    const reference = eventLines(parse(text));
    expect(eventLines(parse(text.replaceAll("\n", "\r\n")))).toEqual(reference);
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16[0] = 0xff;
    utf16[1] = 0xfe;
    for (let i = 0; i < text.length; i++) {
      utf16[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      utf16[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    expect(eventLines(parse(utf16, "x.log", {}, 7))).toEqual(reference);
  });
});
