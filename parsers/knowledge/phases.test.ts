import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import { analyzeSessions, FLOWS, narrate, type SessionAnalysis } from "./phases.ts";
import { syntheticModel } from "./testModel.ts";

const samples: string[] = JSON.parse(readFileSync("public/samples/index.json", "utf8")).bundles.map(
  (b: { id: string }) => b.id,
);

function analyze(id: string) {
  const { json } = loadBundle(id);
  return { json, sessions: analyzeSessions(json) };
}

function phaseOfLabel(
  json: ReturnType<typeof loadBundle>["json"],
  sessions: SessionAnalysis[],
  label: string,
) {
  const m = json.messages.find((x) => x.label === label);
  if (!m) throw new Error(`no message "${label}"`);
  return sessions.flatMap((s) => s.phases).find((p) => p.messages.includes(m.id))?.id;
}

describe("the phase tables", () => {
  it("list the flows of the issue, their phases in order, each with a narration and patterns", () => {
    const ids = Object.fromEntries(FLOWS.map((f) => [f.id, f.phases.map((p) => p.id)]));
    expect(ids.onprem).toEqual(["discovery", "uds-ldap", "config", "soap", "xmpp", "phone"]);
    expect(ids["mra-oauth"]).toEqual([
      "edge-discovery",
      "get-edge-sso",
      "authorize",
      "authorization-code",
      "tokens",
      "token-validation",
      "get-edge-config",
      "xmpp",
    ]);
    expect(ids.cti).toEqual(["provider-open", "ldap-auth", "user-settings", "device-open", "in-service"]);
    expect(ids.lync).toEqual(["discovery", "register", "provisioning", "presence", "conferencing"]);
    for (const f of FLOWS)
      for (const p of f.phases) {
        expect(p.narration.length, `${f.id}/${p.id}`).toBeGreaterThan(80);
        expect(p.matches.length, `${f.id}/${p.id}`).toBeGreaterThan(0);
      }
  });
});

describe("analyzeSessions on the samples", () => {
  it("gives one analysis per session, in the model's order, and a phase to every message of a known flow", () => {
    for (const id of samples) {
      const { json, sessions } = analyze(id);
      expect(sessions.map((s) => [s.user, s.outcome])).toEqual(json.sessions.map((s) => [s.user, s.outcome]));
      sessions.forEach((a, i) => {
        expect(a.flow, `${id} session ${i}`).not.toBe("unknown");
        const phased = a.phases.flatMap((p) => p.messages).sort((x, y) => x - y);
        expect(phased, `${id} session ${i}`).toEqual(json.sessions[i]!.messages);
      });
    }
  });

  it("mra-oauth: get_edge_sso, authorize and local authentication, the code, the tokens, their validation", () => {
    const { json, sessions } = analyze("mra-oauth");
    expect(sessions).toHaveLength(1);
    const s = sessions[0]!;
    expect(s.flow).toBe("mra-oauth");
    expect(s.outcome).toBe("success");
    expect(s.reached).toEqual([
      "get-edge-sso",
      "authorize",
      "authorization-code",
      "tokens",
      "token-validation",
    ]);
    // The logs end with the token accepted: get_edge_config is the next step they do not show.
    expect(s.stoppedAt).toBe("get-edge-config");
    expect(phaseOfLabel(json, sessions, "GET get_edge_sso")).toBe("get-edge-sso");
    expect(phaseOfLabel(json, sessions, "GET authorize")).toBe("authorize");
    expect(phaseOfLabel(json, sessions, "POST authorize_proxy")).toBe("authorize");
    expect(phaseOfLabel(json, sessions, "200 OK authorize_proxy")).toBe("authorization-code");
    expect(phaseOfLabel(json, sessions, "GET OAuthcb")).toBe("authorization-code");
    expect(phaseOfLabel(json, sessions, "200 OK access_token")).toBe("tokens");
    expect(phaseOfLabel(json, sessions, "Access Token accepted")).toBe("token-validation");
    const redirects = json.messages.filter((m) => m.label === "302 Found localauthentication");
    for (const r of redirects)
      expect(sessions[0]!.phases.find((p) => p.messages.includes(r.id))?.id).toBe("authorization-code");
  });

  it("cti-deskphone reaches all five phases", () => {
    const { json, sessions } = analyze("cti-deskphone");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      flow: "cti",
      reached: ["provider-open", "ldap-auth", "user-settings", "device-open", "in-service"],
      stoppedAt: null,
      outcome: "success",
    });
    expect(phaseOfLabel(json, sessions, "CtiLoginCheckRes result=Success")).toBe("ldap-auth");
    expect(phaseOfLabel(json, sessions, "CtiUserSettingsRes Userid=wwhite result=0")).toBe("user-settings");
    expect(phaseOfLabel(json, sessions, "CTI DeviceInServiceEvent")).toBe("in-service");
  });

  it("mra-sasl-failure is an OAuth MRA login that stops at XMPP", () => {
    const { sessions } = analyze("mra-sasl-failure");
    expect(sessions.map((s) => s.flow)).toEqual(["mra-oauth", "mra-oauth"]);
    for (const s of sessions) expect(s.reached).toEqual(["xmpp"]);
    const failed = sessions.find((s) => s.outcome === "failure")!;
    expect(failed.stoppedAt).toBe("xmpp");
  });

  it("onprem-login: LDAP through CUCM, then SOAP and XMPP; the lerr 14 line stops at the IM&P login", () => {
    const { sessions } = analyze("onprem-login");
    expect(sessions.every((s) => s.flow === "onprem")).toBe(true);
    const imp = sessions.find((s) => s.reached.includes("xmpp"))!;
    expect(imp).toMatchObject({ reached: ["soap", "xmpp"], stoppedAt: null, outcome: "success" });
    const cucm = sessions.find((s) => s.reached.includes("uds-ldap"))!;
    expect(cucm.reached).toEqual(["uds-ldap"]);
    // The model cannot tell the flow of the lone lerr 14 line: the knowledge does.
    const lerr = sessions.find((s) => s.outcome === "failure")!;
    expect(lerr).toMatchObject({ flow: "onprem", reached: ["soap"], stoppedAt: "soap" });
  });

  it("ims-failures stops at the SOAP login", () => {
    const { sessions } = analyze("ims-failures");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      flow: "onprem",
      reached: ["soap"],
      stoppedAt: "soap",
      outcome: "failure",
    });
  });

  it("lync-signin registers, then stops at in-band provisioning (SERVICE 403)", () => {
    const { json, sessions } = analyze("lync-signin");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      flow: "lync",
      reached: ["register", "provisioning"],
      stoppedAt: "provisioning",
      outcome: "failure",
    });
    // The diagnostic names no method: it joins its dialog's phase.
    expect(phaseOfLabel(json, sessions, json.messages.find((m) => m.kind === "error")!.label)).toBe(
      "provisioning",
    );
  });
});

describe("analyzeSessions on synthetic models", () => {
  it("decides the flow from the messages when the model's is unknown", () => {
    const model = syntheticModel([
      { from: "jabber", to: "dns", kind: "dns.query", label: "SRV _cisco-uds._tcp.corp.example" },
      { from: "dns", to: "jabber", kind: "dns.answer", label: "SRV _cisco-uds._tcp.corp.example" },
      { from: "jabber", to: "cucm", kind: "http.request", label: "GET jdoe" },
      {
        from: "cucm",
        to: "jabber",
        kind: "http.response",
        label: "503 Service Unavailable jdoe",
        failed: true,
      },
    ]);
    expect(analyzeSessions(model)[0]).toMatchObject({
      flow: "onprem",
      reached: ["discovery", "uds-ldap"],
      stoppedAt: "uds-ldap",
    });
  });

  it("a failure the login got past is not where it stopped", () => {
    const model = syntheticModel([
      {
        from: "dns",
        to: "jabber",
        kind: "dns.answer",
        label: "SRV _cuplogin._tcp.corp.example",
        failed: true,
      },
      { from: "jabber", to: "imp", kind: "soap.request", label: "SOAP login" },
      { from: "imp", to: "imp", kind: "auth.result", label: "IMS result 0 (success)" },
    ]);
    expect(analyzeSessions(model)[0]).toMatchObject({ reached: ["discovery", "soap"], stoppedAt: "xmpp" });
  });

  it("a session the model calls on-premises but that crosses Expressway is MRA", () => {
    const model = syntheticModel(
      [
        { from: "jabber", to: "expe", kind: "http.request", label: "GET get_edge_config" },
        { from: "expe", to: "jabber", kind: "http.response", label: "200 get_edge_config" },
        { from: "expe", to: "jabber", kind: "xmpp.sasl", label: "SASL success" },
      ],
      [{ flow: "onprem" }],
    );
    expect(analyzeSessions(model)[0]).toMatchObject({
      flow: "mra",
      reached: ["get-edge-config", "xmpp"],
      stoppedAt: null,
    });
  });
});

describe("narrate", () => {
  it("gives the phase's narration and the message's specifics", () => {
    const { json } = loadBundle("mra-oauth");
    const code = json.messages.find((m) => m.label === "200 OK authorize_proxy")!;
    const text = narrate(json, code.id);
    expect(text).toMatch(/^Authorization code\. /);
    expect(text).toContain("CUCM to Expressway-C");
    expect(text).toContain('"200 OK authorize_proxy"');
    expect(text).toContain("only Expressway-C logged it");
    expect(text).toContain("authorization code in its redirect URI");
  });

  it("says a failure is one, and handles an unknown id", () => {
    const { json } = loadBundle("mra-sasl-failure");
    const err = json.messages.find((m) => m.label === "SASL: no common mechanism")!;
    const text = narrate(json, err.id);
    expect(text).toMatch(/^XMPP through the edge\. /);
    expect(text).toContain('Jabber logs "SASL: no common mechanism"; this is a failure.');
    expect(narrate(json, 9999)).toBe("No message 9999 in this model.");
  });
});
