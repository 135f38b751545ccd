import { describe, expect, it } from "vitest";
import type { ModelJson } from "../model/json.ts";
import { loadBundle } from "../testing/bundles.ts";
import { csvCell, escapeMermaid, escapePlantUml, toCsv, toMermaid, toPlantUml } from "./export.ts";

const { json } = loadBundle("mra-oauth");

/** A small model whose labels hold every character the syntaxes care about. */
function hostile(): ModelJson {
  const base = structuredClone(json);
  const m = (
    id: number,
    from: string,
    to: string,
    label: string,
    extra: Partial<ModelJson["messages"][0]> = {},
  ) => ({
    ...base.messages[0]!,
    id,
    from,
    to,
    label,
    seenBy: [from, to],
    failed: false,
    ...extra,
  });
  base.lanes = ["jabber", "imp", "sip.partner.example"];
  base.messages = [
    m(0, "jabber", "imp", 'POST //x;y #1 <b>"q"</b> %% a\\nb'),
    m(1, "imp", "sip.partner.example", '=HYPERLINK("http://x"),1', { failed: true, status: "503" }),
    m(2, "imp", "imp", "-1+1 @SUM local", { seenBy: ["imp"] }),
    m(3, "jabber", "imp", "password=hunter2 sent", { seenBy: ["imp"], user: "@evil" }),
  ];
  return base;
}

describe("Mermaid and PlantUML", () => {
  it("draw the MRA OAuth ladder (golden)", async () => {
    await expect(toMermaid(json)).toMatchFileSnapshot("./golden/mra-oauth.mmd");
    await expect(toPlantUml(json)).toMatchFileSnapshot("./golden/mra-oauth.puml");
  });

  it("name the participants after the products, in lane order", () => {
    const mmd = toMermaid(json).split("\n");
    expect(mmd.slice(2, 6)).toEqual([
      "  participant jabber as Jabber",
      "  participant expe as Expressway-E",
      "  participant expc as Expressway-C",
      "  participant cucm as CUCM",
    ]);
    expect(toPlantUml(hostile())).toContain('participant "IM&#38;P" as imp');
    expect(toMermaid(hostile())).toContain("participant imp as IM#38;P");
  });

  it("dash one-side-only messages, mark failures, draw self-arrows, escape log text", () => {
    const mmd = toMermaid(hostile());
    expect(mmd).toContain("participant lane_sip_partner_example as sip.partner.example");
    expect(mmd).toContain(
      "  jabber->>imp: 22:31:00.962 POST //x#59;y #35;1 #60;b#62;#34;q#34;#60;/b#62; #37;#37; a\\nb\n",
    );
    expect(mmd).toContain(
      "  imp-xlane_sip_partner_example: 22:31:00.962 =HYPERLINK(#34;http://x#34;),1 (failed)\n",
    );
    expect(mmd).toContain("  imp->>imp: 22:31:00.962 -1+1 @SUM local\n");
    expect(mmd).toContain("  jabber-->>imp: 22:31:00.962 password=[redacted] sent (seen by imp only)\n");
    const puml = toPlantUml(hostile());
    expect(puml).toContain(
      "jabber -> imp : 22:31:00.962 POST &#47;/x;y #1 &#60;b&#62;&#34;q&#34;&#60;/b&#62; %% a&#92;nb\n",
    );
    expect(puml).toContain("imp -[#red]> lane_sip_partner_example : 22:31:00.962 =HYPERLINK(");
    expect(puml).toContain("(failed)");
    expect(puml).toContain("imp -> imp : ");
    expect(puml).toContain("jabber --> imp : 22:31:00.962 password=[redacted] sent (seen by imp only)");
    // No label can end its line and start a directive of its own.
    for (const text of [mmd, puml])
      expect(text.split("\n").filter((l) => /participant/.test(l))).toHaveLength(3);
  });

  it("escape each syntax's special characters", () => {
    expect(escapeMermaid("a;b#c<d>&e\nf")).toBe("a#59;b#35;c#60;d#62;#38;e f");
    expect(escapePlantUml("C:\\path\\n **bold** //it// --s-- __u__")).toBe(
      "C:&#92;path&#92;n &#42;*bold&#42;* &#47;/it&#47;/ &#45;-s&#45;- &#95;_u&#95;_",
    );
  });

  it("honour a filter of ids or a predicate, and redaction", () => {
    const ids = new Set([0, 1]);
    const mmd = toMermaid(json, { filter: ids });
    expect(mmd.split("\n").filter((l) => /^ {2}\w+(->>|-->>|-x|--x)\w+: /.test(l))).toHaveLength(2);
    expect(mmd).not.toContain("participant expc"); // lanes no exported message touches are left out
    const onlyFailed = toPlantUml(hostile(), { filter: (m) => m.failed });
    expect(onlyFailed.split("\n").filter((l) => l.includes(" : "))).toHaveLength(1);
    expect(toMermaid(hostile(), { redact: false })).toContain("password=hunter2");
    const pseudo = toMermaid(hostile(), { pseudonyms: true });
    expect(pseudo).not.toContain("sip.partner.example");
    expect(pseudo).toMatch(/participant lane_host\d+_domain\d+_example as host\d+\.domain\d+\.example/);
  });
});

describe("the hostile-text bundle (payloads in labels, users, dialogs)", () => {
  const hostileText = loadBundle("hostile-text").json;
  const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
  const bidiLabel = hostileText.messages.find((m) => m.label.startsWith("GET nirmal"))!.label;
  const messageLines = (text: string, arrow: RegExp) => text.split("\n").filter((l) => arrow.test(l));

  it("keeps one message a line, markup escaped, bidi controls marked", () => {
    expect(bidiLabel).toContain("\u202E");
    const mmd = toMermaid(hostileText);
    const mmdLines = messageLines(mmd, /^ {2}\w+(?:->>|-->>|-x|--x)\w+: /);
    expect(mmdLines).toHaveLength(hostileText.messages.length);
    for (const l of mmdLines) expect(l.slice(l.indexOf(": ") + 2)).not.toMatch(/[<>{}"]/);
    expect(mmd).toContain("403 #60;script#62;window.__pwned=1#60;/script#62; javascript:window.__pwned=3");
    expect(mmd).toContain("GET nirmal⟨U+202E⟩gpj.exe⟨U+2066⟩lri⟨U+2067⟩rli⟨U+2068⟩fsi⟨U+2069⟩pdi⟨U+200E⟩lrm");
    expect(mmd).not.toMatch(BIDI);
    const puml = toPlantUml(hostileText);
    const pumlLines = messageLines(puml, /^\w+ --?(?:\[#red\])?> \w+ : /);
    expect(pumlLines).toHaveLength(hostileText.messages.length);
    for (const l of pumlLines) expect(l.slice(l.indexOf(" : ") + 3)).not.toMatch(/[<>"\\]/);
    expect(puml).toContain("403 Forbidden &#60;svg onload=&#34;window.&#95;_pwned=4&#34;&#62; REGISTER");
    expect(puml).not.toMatch(BIDI);
  });

  it("CSV: the formula user is neutralised, bidi controls marked, markup left as text", () => {
    const rows = toCsv(hostileText).split("\r\n");
    const at = (label: string) => rows.find((r) => r.includes(label))!;
    expect(at("GET nirmal")).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(at("GET nirmal")).toContain("nirmal⟨U+202E⟩gpj.exe");
    expect(at("GET javascript:")).toContain(`,"<img src=x onerror=""window.__pwned=2"">",`);
    expect(toCsv(hostileText)).not.toMatch(BIDI);
  });

  it("PlantUML links and Mermaid entities in log text stay text", () => {
    expect(escapePlantUml("see [[javascript:alert(1)]] now")).toBe("see &#91;[javascript:alert(1)&#93;] now");
    expect(escapeMermaid("{{constructor}}")).toBe("#123;#123;constructor#125;#125;");
    expect(escapeMermaid("a\u202Eb")).toBe("a⟨U+202E⟩b");
    expect(escapePlantUml("a\u2067b")).toBe("a⟨U+2067⟩b");
  });
});

describe("CSV", () => {
  it("quotes as RFC 4180 says and guards against formulas", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell('=HYPERLINK("x"),1')).toBe('"\'=HYPERLINK(""x""),1"');
    expect(csvCell(null)).toBe("");
    expect(csvCell("GET authorize")).toBe("GET authorize");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("a=1+2")).toBe("a=1+2"); // only a leading character starts a formula
    expect(csvCell("\u202E=1+1")).toBe("⟨U+202E⟩=1+1");
  });

  it("writes the table: time, from, to, label, status, dialog, user, file:line", () => {
    const csv = toCsv(json);
    const rows = csv.split("\r\n");
    expect(rows[0]).toBe("time,from,to,label,status,dialog,user,file:line");
    expect(rows[1]).toBe(
      "2020-03-24T22:31:00.962Z,jabber,expe,GET get_edge_sso,,expe:txn:2004,aokanlawon,expressway-e.log:1 expressway-e.log:4",
    );
    expect(rows).toHaveLength(json.messages.length + 2); // header, rows, final CRLF
    const bad = toCsv(hostile()).split("\r\n");
    expect(bad[2]).toContain(`"'=HYPERLINK(""http://x""),1",503`);
    expect(bad[3]).toContain(",'-1+1 @SUM local,");
    expect(bad[4]).toContain("password=[redacted] sent");
    expect(bad[4]).toContain(",'@evil,");
  });

  it("honours the filter and the redaction setting", () => {
    expect(toCsv(json, { filter: new Set([3]) }).split("\r\n")).toHaveLength(3);
    expect(toCsv(hostile(), { redact: false })).toContain("password=hunter2");
    expect(toCsv(json, { pseudonyms: true })).not.toContain("aokanlawon");
  });
});
