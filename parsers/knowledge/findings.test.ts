import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import { detectFindings, SIGNATURES } from "./findings.ts";
import { LabelUnion, PatternList } from "./match.ts";
import { syntheticModel } from "./testModel.ts";

const samples: string[] = JSON.parse(readFileSync("public/samples/index.json", "utf8")).bundles.map(
  (b: { id: string }) => b.id,
);

/** What fires on each built-in sample: the seed failures, and nothing on a successful login. */
const EXPECTED: Record<string, string[]> = {
  "mra-oauth": [],
  "cti-deskphone": [],
  "onprem-login": ["jabber-lerr-14"],
  "ims-failures": ["ims-1", "ims-2", "ims-3", "ims-4", "ims-5"],
  "mra-sasl-failure": ["sasl-oauthlocal-off"],
  "lync-signin": [],
  "onprem-complete": [],
  "mra-oauth-complete": [],
  "cti-complete": [],
  "lerr14-failure": ["jabber-lerr-14"],
};

const ids = (model: Parameters<typeof detectFindings>[0]) => detectFindings(model).map((f) => f.id);

describe("the signature table", () => {
  it("has unique ids and a title, a plain explanation and a fix for each", () => {
    expect(new Set(SIGNATURES.map((s) => s.id)).size).toBe(SIGNATURES.length);
    for (const s of SIGNATURES) {
      expect(s.title.length, s.id).toBeGreaterThan(10);
      expect(s.explanation.length, s.id).toBeGreaterThan(60);
      expect(s.fix.length, s.id).toBeGreaterThan(20);
    }
  });

  it("gives the seed's meaning and action for IMS result codes 1 to 5", () => {
    const by = Object.fromEntries(SIGNATURES.map((s) => [s.id, s]));
    expect(by["ims-1"]!.title).toContain("Wrong credentials");
    expect(by["ims-1"]!.fix).toContain("$TOMCAT_HOME/logs/security/log4j/security*.log");
    // Seed 000 lists "2) Account hack locked" with code 3 and "3) Admin has locked account" with code 2.
    expect(by["ims-2"]!.title).toContain("Admin has locked account");
    expect(by["ims-3"]!.title).toContain("Account hack locked");
    expect(by["ims-4"]!.title).toContain("Account locked due to inactivity");
    expect(by["ims-5"]!.title).toContain("Account LDAP inactive");
    for (const code of [2, 3, 4]) expect(by[`ims-${code}`]!.fix).toMatch(/Reset .*user account/);
    expect(by["ims-5"]!.fix).toMatch(/Reprovision the user on LDAP, then re-sync/);
  });
});

describe("detectFindings on the samples", () => {
  it("covers every built-in sample", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...samples].sort());
  });

  for (const id of Object.keys(EXPECTED))
    it(`${id} fires ${EXPECTED[id]!.length ? EXPECTED[id]!.join(", ") : "nothing"}`, () => {
      expect(ids(loadBundle(id).json).sort()).toEqual([...EXPECTED[id]!].sort());
    });

  it("ims-failures: each IMS finding on exactly its result line", () => {
    const { json } = loadBundle("ims-failures");
    const findings = detectFindings(json);
    for (const code of [1, 2, 3, 4, 5]) {
      const message = json.messages.find((m) => m.label === `IMS result ${code}`)!;
      const f = findings.find((x) => x.id === `ims-${code}`)!;
      expect(f.evidence).toEqual([message.id]);
      expect(f.lines).toEqual(message.evidence);
      expect(f.severity).toBe("error");
    }
  });

  it("onprem-login: lerr 14 on the Jabber line", () => {
    const { json } = loadBundle("onprem-login");
    const [f] = detectFindings(json);
    const lerr = json.messages.find((m) => m.label === "login error lerr 14")!;
    expect(f).toMatchObject({
      id: "jabber-lerr-14",
      evidence: [lerr.id],
      lines: [{ file: "jabber.log", line: 1 }],
    });
    expect(f!.fix).toContain("System > Cluster Topology");
  });

  it("mra-sasl-failure: the cross-node cause, citing IM&P's mechanisms, Expressway's CISCO-VTG-TOKEN and Jabber's error", () => {
    const { json } = loadBundle("mra-sasl-failure");
    const [f] = detectFindings(json);
    const id = (label: string) => json.messages.find((m) => m.label === label)!.id;
    expect(f!.id).toBe("sasl-oauthlocal-off");
    expect(f!.evidence).toContain(id("SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER"));
    expect(f!.evidence).toContain(id("stream:features SASL [CISCO-VTG-TOKEN]"));
    expect(f!.evidence).toContain(id("SASL: no common mechanism"));
    const vtg = json.messages.filter((m) => m.label === "SASL auth CISCO-VTG-TOKEN").map((m) => m.id);
    for (const v of vtg) expect(f!.evidence).toContain(v);
    expect(f!.evidence).not.toContain(id("SASL mechanisms?"));
    expect(f!.fix).toContain("xConfiguration CollaborationEdge OAuthLocal: On");
    expect(new Set(f!.lines.map((l) => l.file))).toEqual(
      new Set(["expressway-c.log", "expressway-e.log", "jabber.log"]),
    );
  });
});

describe("detectFindings on synthetic models (checks no sample covers)", () => {
  it("SASL with only Jabber's side: the symptom, without the cross-node cause", () => {
    const jabberOnly = syntheticModel([
      { from: "expe", to: "jabber", kind: "xmpp.stanza", label: "stream:features SASL [PLAIN]" },
      { from: "jabber", to: "jabber", kind: "error", label: "SASL: no common mechanism", failed: true },
    ]);
    expect(detectFindings(jabberOnly)).toMatchObject([{ id: "sasl-no-mechanism", evidence: [1] }]);
    const working = syntheticModel([
      {
        from: "imp",
        to: "expc",
        kind: "xmpp.sasl",
        label: "SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER",
      },
      { from: "expc", to: "imp", kind: "xmpp.sasl", label: "SASL auth CISCO-VTG-TOKEN" },
      { from: "imp", to: "expc", kind: "xmpp.sasl", label: "SASL success" },
    ]);
    expect(ids(working)).toEqual([]); // a credentials login through the edge: VTG-TOKEN is right
  });

  it("DNS SRV records missing: every discovery look-up failed", () => {
    const answer = (name: string, failed: boolean) =>
      ({ from: "dns", to: "jabber", kind: "dns.answer", label: `SRV ${name}.corp.example`, failed }) as const;
    const none = syntheticModel([
      answer("_cisco-uds._tcp", true),
      answer("_cuplogin._tcp", true),
      answer("_collab-edge._tls", true),
    ]);
    expect(detectFindings(none)).toMatchObject([{ id: "dns-srv-missing", evidence: [0, 1, 2] }]);
    // Jabber stops at the first service that answers: a missing _cuplogin after _cisco-uds is fine.
    const uds = syntheticModel([answer("_cisco-uds._tcp", false), answer("_cuplogin._tcp", true)]);
    expect(ids(uds)).toEqual([]);
  });

  it("UDS 401/403/5xx, not a 401 challenge answered by a 200", () => {
    const refused = syntheticModel([
      { from: "jabber", to: "cucm", kind: "http.request", label: "GET jdoe", dialog: "jabber:req:4" },
      {
        from: "cucm",
        to: "jabber",
        kind: "http.response",
        label: "401 Unauthorized jdoe",
        status: "401",
        failed: true,
        dialog: "jabber:req:4",
      },
      {
        from: "expc",
        to: "expe",
        kind: "http.response",
        label: "503 Service Unavailable get_edge_config",
        status: "503",
        failed: true,
      },
    ]);
    expect(detectFindings(refused)).toMatchObject([{ id: "uds-edge-http-refused", evidence: [1, 2] }]);
    const challenge = syntheticModel([
      {
        from: "cucm",
        to: "jabber",
        kind: "http.response",
        label: "401 Unauthorized jdoe",
        status: "401",
        failed: true,
      },
      { from: "cucm", to: "jabber", kind: "http.response", label: "200 OK jdoe", status: "200" },
      { from: "cucm", to: "expc", kind: "http.response", label: "200 OK clusterUser", status: "200" },
    ]);
    expect(ids(challenge)).toEqual([]);
  });

  it("LDAP bind failure", () => {
    const failed = syntheticModel([
      { from: "cucm", to: "ldap", kind: "ldap.bind", label: "LDAP bind CN=Jane Doe,DC=corp,DC=example" },
      {
        from: "ldap",
        to: "cucm",
        kind: "ldap.result",
        label: "bind failed",
        status: "error code 49",
        failed: true,
      },
    ]);
    const [f] = detectFindings(failed);
    expect(f).toMatchObject({ id: "ldap-failure", evidence: [1] });
    expect(f!.explanation).toContain("error code 49");
    const ok = syntheticModel([
      { from: "cucm", to: "ldap", kind: "ldap.bind", label: "LDAP bind CN=Jane Doe,DC=corp,DC=example" },
      { from: "ldap", to: "cucm", kind: "ldap.result", label: "bind success", status: "success" },
    ]);
    expect(ids(ok)).toEqual([]);
  });

  it("SIP 503 on REGISTER, not the 401 challenge", () => {
    const rejected = syntheticModel([
      { from: "jabber", to: "cucm", kind: "sip.request", label: "REGISTER" },
      {
        from: "cucm",
        to: "jabber",
        kind: "sip.response",
        label: "503 Service Unavailable REGISTER",
        status: "503",
        failed: true,
      },
    ]);
    expect(detectFindings(rejected)).toMatchObject([{ id: "sip-register-rejected", evidence: [1] }]);
    const challenged = syntheticModel([
      { from: "jabber", to: "cucm", kind: "sip.request", label: "REGISTER" },
      { from: "cucm", to: "jabber", kind: "sip.response", label: "401 Unauthorized REGISTER", status: "401" },
      {
        from: "cucm",
        to: "jabber",
        kind: "sip.response",
        label: "407 Proxy Authentication Required REGISTER",
        status: "407",
      },
      { from: "cucm", to: "jabber", kind: "sip.response", label: "200 OK REGISTER", status: "200" },
      {
        from: "cucm",
        to: "jabber",
        kind: "sip.response",
        label: "403 Forbidden SERVICE",
        status: "403",
        failed: true,
      },
    ]);
    expect(ids(challenged)).toEqual([]);
  });

  it("an HTTP proxy lane, not authorize_proxy", () => {
    const proxied = syntheticModel([
      { from: "jabber", to: "127.0.0.1:3128", kind: "http.request", label: "CONNECT expe.corp.example:8443" },
      { from: "jabber", to: "expe", kind: "http.request", label: "GET get_edge_sso" },
    ]);
    expect(detectFindings(proxied)).toMatchObject([{ id: "http-proxy", severity: "warning", evidence: [0] }]);
    const direct = syntheticModel([
      { from: "expc", to: "cucm", kind: "http.request", label: "POST authorize_proxy" },
      { from: "cucm", to: "expc", kind: "http.response", label: "200 OK authorize_proxy", status: "200" },
    ]);
    expect(ids(direct)).toEqual([]);
  });

  it("certificate validation, CTI provider open and OAuth refresh failures", () => {
    const model = syntheticModel([
      {
        from: "jabber",
        to: "jabber",
        kind: "error",
        label: "TLS handshake failed: certificate untrusted",
        failed: true,
      },
      {
        from: "cucm",
        to: "jabber",
        kind: "cti.event",
        label: "CTI ProviderOpenCompletedEvent",
        status: "0x8CCC00D1",
        failed: true,
      },
      {
        from: "cucm",
        to: "expc",
        kind: "http.response",
        label: "400 Bad Request access_token",
        status: "400",
        failed: true,
      },
    ]);
    const found = detectFindings(model);
    expect(found.map((f) => [f.id, f.evidence])).toEqual([
      ["certificate-failure", [0]],
      ["cti-provider-open-failed", [1]],
      ["oauth-token-failure", [2]],
    ]);
    expect(found[1]!.explanation).toContain("0x8CCC00D1");
    const fine = syntheticModel([
      {
        from: "cucm",
        to: "cucm",
        kind: "cti.event",
        label: "CtiLoginCheckReq Login=jdoe 3rd Party Certificate=0",
      },
      { from: "cucm", to: "jabber", kind: "cti.response", label: "CTI ProviderOpenResponse" },
      { from: "cucm", to: "expc", kind: "http.response", label: "200 OK access_token", status: "200" },
    ]);
    expect(ids(fine)).toEqual([]);
  });
});

describe("LabelUnion, the findings' prefilter", () => {
  // Every label expression of the signatures, as detectFindings joins them.
  const labels = SIGNATURES.flatMap((s) =>
    Array.isArray(s.detect) ? (new PatternList(s.detect).labels() ?? []) : [],
  );

  it("joins the signatures' label expressions, and a label fails it only if it fails each", () => {
    const union = LabelUnion.of(labels)!;
    expect(labels.length).toBeGreaterThan(5);
    expect(union).not.toBeNull();
    // Every label of every built-in sample, those some signature matches and the rest.
    const all = samples.flatMap((id) => loadBundle(id).json.messages.map((m) => m.label));
    let matched = 0;
    for (const label of all) {
      const each = labels.some((r) => r.test(label));
      if (union.test(label) !== each)
        expect({ label, union: union.test(label) }).toEqual({ label, union: each });
      if (each) matched++;
    }
    expect(all.length).toBeGreaterThan(200);
    expect(matched).toBeGreaterThan(3);
  });

  it("keeps each expression's flags", () => {
    const union = LabelUnion.of([/^abc/i, /xyz$/])!;
    expect(union.test("ABCdef")).toBe(true);
    expect(union.test("..XYZ")).toBe(false);
    expect(union.test("..xyz")).toBe(true);
  });

  it("refuses what joining would change: g or y flags, backreferences", () => {
    expect(LabelUnion.of([/a/g])).toBeNull();
    expect(LabelUnion.of([/a/y])).toBeNull();
    expect(LabelUnion.of([/(a)\1/])).toBeNull();
    expect(LabelUnion.of([/(?<x>a)\k<x>/])).toBeNull();
  });
});
