import { describe, expect, it } from "vitest";
import {
  decodePayloads,
  findJson,
  findXml,
  prettyMessage,
  prettySections,
  prettyXml,
  sectionText,
} from "./pretty.ts";

const text = (lines: { text: string }[][]) => lines.map((l) => l.map((t) => t.text).join("")).join("\n");

describe("pretty-printers", () => {
  it("indents XML and keeps short text inline", () => {
    const xml = findXml(
      "Got Buffer (249) <xdb id='jtx_56'><auth mechanism='PLAIN'>abc</auth></xdb> trailing",
    );
    expect(xml).toBe("<xdb id='jtx_56'><auth mechanism='PLAIN'>abc</auth></xdb>");
    expect(text(prettyXml(xml!))).toBe("<xdb id='jtx_56'>\n  <auth mechanism='PLAIN'>abc</auth>\n</xdb>");
  });

  it("returns tokens, so markup in a log stays text", () => {
    const lines = prettyXml("<a onclick='x()'><script>alert(1)</script></a>");
    expect(lines.flat().every((t) => typeof t.text === "string" && typeof t.kind === "string")).toBe(true);
  });

  it("finds JSON objects but not a process id in brackets", () => {
    expect(findJson('traffic_server[16087]: {"token": "x"}')).toEqual({ token: "x" });
    expect(findJson("traffic_server[16087]: nothing")).toBeUndefined();
  });

  it("reads an Expressway HTTPMSG as an HTTP message", () => {
    const s = prettyMessage([
      "HTTPMSG:",
      "|POST https:///x/localauthentication HTTP/1.1",
      "Accept: */*",
      "Host: e|",
    ]);
    expect(s?.title).toBe("HTTP message");
    expect(sectionText(s!)).toBe("POST https:///x/localauthentication HTTP/1.1\nAccept: */*\nHost: e");
  });

  it("reads SIP", () => {
    const s = prettyMessage(["SIP/2.0 401 Unauthorized", "Via: SIP/2.0/TLS 10.0.0.1", "Call-ID: abc"]);
    expect(s?.title).toBe("SIP message");
  });

  it("decodes SASL base64 with its NUL separators", () => {
    const found = decodePayloads(
      "<auth mechanism='CISCO-VTG-TOKEN'>dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=</auth>",
    );
    expect(found.map(sectionText)).toEqual(["userid=nirmal@ccie.com\\0token=911215"]);
  });

  it("decodes a JWT's header and claims", () => {
    const b64 = (o: object) =>
      btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const jwt = `${b64({ alg: "RS256" })}.${b64({ sub: "alice", exp: 1 })}.c2ln`;
    const found = decodePayloads(`"access_token":"${jwt}"`);
    expect(found[0]?.title).toMatch(/^JWT/);
    expect(sectionText(found[0]!)).toContain('"sub": "alice"');
  });

  it("shows URL query parameters", () => {
    const s = prettySections(["url = https://e:8443/x/authorize?response_type=code&state=1771145038"]);
    expect(s.map((x) => x.title)).toContain("URL query");
  });
});
