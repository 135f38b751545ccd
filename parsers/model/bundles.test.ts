import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { arrows, inOrder, loadBundle } from "../testing/bundles.ts";
import { CHUNK_SIZES, readSample, samplePath } from "../testing/sourceHarness.ts";
import { buildModel } from "./build.ts";
import { toJson } from "./json.ts";
import { ingestBytes } from "./parseBytes.ts";
import { Store } from "./store.ts";

const BUNDLES = ["mra-oauth", "mra-sasl-failure", "onprem-login", "cti-deskphone", "ims-failures"];

describe("MRA OAuth login (seed 001, 2020-03-24)", () => {
  const { json } = loadBundle("mra-oauth");
  const all = arrows(json);
  const find = (s: string) => json.messages[all.indexOf(s)]!;

  it("shows the seed's request sequence in order", () => {
    // The seed's Request-Sequence 1..8, with the hops it narrates between them.
    inOrder(all, [
      "jabber->expe GET get_edge_sso", // {1: get_edge_sso}
      "expe->jabber 200 get_edge_sso (token reuse)", // 200 OK with Token reuse="true"
      "jabber->expe GET authorize", // {2: authorize?response_type=code&realm=local&client_id=}
      "jabber->expe POST localauthentication", // {3: localauthentication} at E, Txn-id 2007
      "expe->expc POST localauthentication", // E forwards to C (Txn-id 6114)
      "expc->cucm GET clusterUser", // {4: edgeconfigprovision}
      "cucm->expc 200 OK clusterUser",
      "expc->cucm POST authorize_proxy", // {5: authorize_proxy}
      "cucm->expc 200 OK authorize_proxy", // with the authorization code
      "expc->expe 302 Found localauthentication", // C's 302 to E ...
      "expe->jabber 302 Found localauthentication", // ... and E's 302 to Jabber
      "jabber->expe GET OAuthcb", // {6: OAuthcb}
      "expe->jabber 200 OAuthcb", // processed locally by E
      "expc->cucm POST access_token", // {7: access_token}
      "cucm->expc 200 OK access_token", // refresh and access tokens
      "expc->expc POST OAuthvalidator", // {8: OAuthvalidator}, C to itself
      "expc->expc Access Token accepted",
    ]);
    expect(json.lanes.slice(0, 4)).toEqual(["jabber", "expe", "expc", "cucm"]);
  });

  it("merges a message both sides logged, and marks what one side saw", () => {
    // Jabber logs reading get_edge_sso's answer (TokenReuse); Expressway-E logs sending it.
    expect(find("expe->jabber 200 get_edge_sso (token reuse)").seenBy.sort()).toEqual(["expe", "jabber"]);
    // Jabber's BrowserController navigation and E's Txn-id 2005 are one request (same OAuth state).
    const authorize = find("jabber->expe GET authorize");
    expect(authorize.seenBy.sort()).toEqual(["expe", "jabber"]);
    expect(authorize.evidence.map((e) => e.file).sort()).toEqual([
      "expressway-e.log",
      "expressway-e.log",
      "jabber.log",
    ]);
    expect(find("expe->expc POST localauthentication").seenBy).toEqual(["expc"]);
    // INFO and DEBUG records of one request are one arrow with two lines of evidence.
    expect(find("jabber->expe GET get_edge_sso").evidence).toEqual([
      { file: "expressway-e.log", line: 1 },
      { file: "expressway-e.log", line: 4 },
    ]);
  });

  it("estimates Expressway-C's clock from the forwarded request", () => {
    // C received the forward at 22.739 (E got it at 22.729): C is at most 10 ms ahead.
    // C sent its 302 at 23.031 and E relayed it at 23.023: C is at least 8 ms ahead.
    const expc = json.clocks.find((c) => c.lane === "expc")!;
    expect(expc).toMatchObject({
      against: "expe",
      lowerMs: 8,
      upperMs: 10,
      offsetMs: 9,
      source: "estimated",
    });
    expect(find("expc->expe 302 Found localauthentication").time).toBe("2020-03-24T22:31:23.022Z");
    // Jabber read get_edge_sso's answer at 00.442 (E sent it at 00.962) and navigated to
    // authorize at 00.442 (E got it at 01.569): Jabber's clock is 520 to 1127 ms behind.
    const jabber = json.clocks.find((c) => c.lane === "jabber")!;
    expect(jabber).toMatchObject({ lowerMs: -1127, upperMs: -520, offsetMs: -823.5 });
    expect(json.reference).toBe("expe");
  });

  it("groups the authorization-code grant into one dialog by its OAuth state", () => {
    const dialog = json.dialogs.find((d) => d.key === "oauth:1771145038")!;
    const labels = dialog.messages.map((id) => all[id]);
    expect(labels).toEqual(
      expect.arrayContaining([
        "jabber->expe GET authorize",
        "jabber->expe POST localauthentication",
        "expe->expc POST localauthentication",
        "expc->cucm POST authorize_proxy",
        "cucm->expc 200 OK authorize_proxy",
        "expc->expe 302 Found localauthentication",
        "expe->jabber 302 Found localauthentication",
        "jabber->expe GET OAuthcb",
      ]),
    );
    expect(labels).not.toContain("expc->cucm POST access_token");
  });

  it("is one successful MRA OAuth session of aokanlawon", () => {
    expect(json.sessions).toHaveLength(1);
    expect(json.sessions[0]).toMatchObject({ user: "aokanlawon", flow: "mra-oauth", outcome: "success" });
    expect(json.sessions[0]!.messages).toHaveLength(json.messages.length);
  });
});

describe("MRA SASL failure (seed 001, 2020-03-31)", () => {
  const { json } = loadBundle("mra-sasl-failure");
  const all = arrows(json);

  it("shows the seed's five steps, then Jabber's error", () => {
    inOrder(all, [
      "expc->imp SASL mechanisms?", // 1. C asks IM&P for the SASL mechanisms of the user
      "imp->expc SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER", // 2. IM&P offers OAUTHBEARER
      "expc->imp SASL auth CISCO-VTG-TOKEN", // 3. C sets CISCO-VTG-TOKEN only
      "expe->expe SASL auth CISCO-VTG-TOKEN", // 4. E passes CISCO-VTG-TOKEN on
      "expe->jabber stream:features SASL [CISCO-VTG-TOKEN]", // 5. Jabber sees only that
      "jabber->jabber SASL: no common mechanism",
    ]);
    expect(json.messages[all.indexOf("jabber->jabber SASL: no common mechanism")]!.failed).toBe(true);
  });

  it("links the XCP packets of both Expressways by xdb id", () => {
    const dialog = json.dialogs.find((d) => d.key === "xdb:jtx_10392")!;
    expect(dialog.messages.map((id) => json.messages[id]!.from).sort()).toEqual([
      "expc",
      "expc",
      "expe",
      "imp",
    ]);
  });

  it("says that jabber.log has no zone and which one would fit", () => {
    // Jabber wrote 12:12:54 local; the Expressways' UTCTime is 11:13:03.
    const jabber = json.files.find((f) => f.name === "jabber.log")!;
    expect(jabber.timeBase).toMatchObject({ kind: "local", zoneAssumed: true, zone: "+00:00" });
    expect(jabber.warnings.join()).toMatch(/60 min from theirs.*UTC\+01:00/);
  });

  it("ends in failure", () => {
    expect(json.sessions.map((s) => s.outcome)).toContain("failure");
    expect(json.sessions.find((s) => s.user === "ntanborgeson")).toBeDefined();
  });
});

describe("on-premises login (seed 000)", () => {
  const { json } = loadBundle("onprem-login");
  const all = arrows(json);

  it("shows CUCM's LDAP authentication, derived from the Tomcat security log", () => {
    inOrder(all, [
      "cucm->ldap LDAP connect ldap://10.106.89.210:389",
      "cucm->ldap LDAP search (sAMAccountName=nirmal)",
      "ldap->cucm search result CN=Nirmal Issac, CN=users, DC=ccie, DC=com",
      "cucm->ldap LDAP bind CN=Nirmal Issac, CN=users, DC=ccie, DC=com",
      "ldap->cucm bind success",
    ]);
  });

  it("shows the SOAP login, the one-time password and the XMPP SASL with it", () => {
    inOrder(all, [
      "jabber->imp SOAP login",
      "imp->imp IMS result 0 (success)",
      "imp->jabber SOAP login: success",
      "jabber->imp SOAP get-onetime-password",
      "imp->jabber SOAP get-onetime-password: token",
      "jabber->imp SASL auth CISCO-VTG-TOKEN",
      "imp->imp token valid for nirmal",
      "imp->jabber SASL success",
    ]);
    const soap = json.messages[all.indexOf("jabber->imp SOAP login")]!;
    expect(soap.dialog).toBe("soap-session:cfd514ad-49e5-2e97-6a2c-64cdfda98cc8");
    // XCP logs carry time of day only: dated from IM&P's own EPASSoap log (2014-11-12).
    const cm = json.files.find((f) => f.name === "imp-xcp-connection-manager.log")!;
    expect(cm.timeBase).toMatchObject({ kind: "tod", date: "2014-11-12", dateFrom: "sibling" });
  });

  it("keeps the timeless lerr 14 line and marks it failed", () => {
    const lerr = json.messages.find((m) => m.label === "login error lerr 14")!;
    expect(lerr).toMatchObject({ from: "jabber", to: "jabber", failed: true, time: null });
  });

  it("has nirmal's login on two days: LDAP on CUCM, then IM&P", () => {
    const users = json.sessions.filter((s) => s.user === "nirmal");
    expect(users.map((s) => s.start?.slice(0, 10))).toEqual(["2014-11-05", "2014-11-12"]);
    expect(users[1]).toMatchObject({ flow: "onprem", outcome: "success" });
  });
});

describe("CTI deskphone control (seed 003)", () => {
  const { json } = loadBundle("cti-deskphone");
  const all = arrows(json);

  it("follows the seed's steps 1 to 17", () => {
    inOrder(all, [
      "jabber->cucm CTI ProviderOpenRequest", // step 1
      "cucm->jabber CTI ProviderOpenResponse", // step 2
      "cucm->cucm CtiLoginCheckReq Login=wwhite", // step 3
      "cucm->ldap LDAP connect ldap://10.10.10.10:3268", // step 8
      "ldap->cucm bind success Administrator@joshlab.net", // step 10
      "cucm->ldap LDAP search (sAMAccountName=wwhite)", // step 11
      "cucm->ldap LDAP bind CN=Walter White,OU=Breaking Bad,DC=joshlab,DC=net",
      "ldap->cucm bind success CN=Walter White,OU=Breaking Bad,DC=joshlab,DC=net", // step 12
      "cucm->cucm CtiLoginCheckRes result=Success", // step 13
      "cucm->cucm CtiUserSettingsRes Userid=wwhite result=0", // step 14
      "jabber->cucm CTI DeviceOpenRequest", // step 15
      "cucm->jabber CTI DeviceOpenResponse", // step 16
      "cucm->jabber CTI DeviceInServiceEvent", // step 17
    ]);
  });

  it("has no date to go by and says so", () => {
    const sdl = json.files[0]!;
    expect(sdl.timeBase).toMatchObject({ kind: "tod", dateFrom: "unknown" });
    expect(sdl.warnings.join()).toMatch(/no date found/);
    expect(json.sessions[0]).toMatchObject({ user: "wwhite", flow: "cti", outcome: "success" });
  });
});

describe("IMS result codes (seed 000)", () => {
  it("shows each failure with its code", () => {
    const { json } = loadBundle("ims-failures");
    expect(json.messages.map((m) => [m.label, m.status, m.failed])).toEqual([
      ["IMS result 1", "IMS 1", true],
      ["IMS result 3", "IMS 3", true],
      ["IMS result 2", "IMS 2", true],
      ["IMS result 4", "IMS 4", true],
      ["IMS result 5", "IMS 5", true],
    ]);
    expect(json.sessions.every((s) => s.outcome === "failure")).toBe(true);
  });
});

describe("every bundle", () => {
  it("puts every line of every file in exactly one record or the unparsed count", () => {
    for (const id of BUNDLES) {
      const { store, json } = loadBundle(id);
      json.files.forEach((f, i) => {
        const info = store.files[i]!;
        let inRecords = 0;
        for (let r = info.recordStart; r < info.recordEnd; r++) inRecords += store.records.lineCount.get(r);
        expect([f.name, inRecords + f.unparsedLines]).toEqual([f.name, f.lines]);
        expect([f.name, f.source]).not.toEqual([f.name, "unknown"]);
      });
    }
  });

  it("gives the same model whatever the chunk size (each file repeated past the detection head)", () => {
    for (const id of BUNDLES) {
      const reference = JSON.stringify(loadBundle(id, 1 << 20, {}, true).json);
      for (const size of CHUNK_SIZES)
        expect(JSON.stringify(loadBundle(id, size, {}, true).json), `${id} @${size}`).toBe(reference);
    }
  });

  it("gives the same model from a store trimmed between files, built again and again", () => {
    for (const id of BUNDLES) {
      const reference = JSON.stringify(loadBundle(id).json);
      const manifest: { files: string[] } = JSON.parse(readFileSync(samplePath(`${id}/bundle.json`), "utf8"));
      const store = new Store();
      manifest.files.forEach((name, i) => {
        ingestBytes(store, name, readSample(`${id}/${name}`));
        // Trimmed after some files and built (as a partial model is), the rest grow it again.
        if (i % 2 === 0) {
          store.trim();
          buildModel(store);
        }
      });
      store.trim();
      const first = JSON.stringify(toJson(buildModel(store)));
      expect(first, id).toBe(reference);
      // A build lets its sightings go; the next one makes them again from the store.
      expect(JSON.stringify(toJson(buildModel(store))), id).toBe(reference);
    }
  });

  it("applies a clock offset the user sets", () => {
    const { json } = loadBundle("mra-oauth", 1 << 20, { clockOffsets: new Map([["expc", 0]]) });
    expect(json.clocks.find((c) => c.lane === "expc")).toMatchObject({ offsetMs: 0, source: "user" });
    const c302 = json.messages.find((m) => m.from === "expc" && m.label.startsWith("302"))!;
    expect(c302.time).toBe("2020-03-24T22:31:23.031Z");
  });
});
