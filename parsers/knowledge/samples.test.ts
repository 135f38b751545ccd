import { describe, expect, it } from "vitest";
import { arrows, inOrder, loadBundle } from "../testing/bundles.ts";
import { detectFindings } from "./findings.ts";
import { analyzeSessions, FLOW_BY_ID } from "./phases.ts";

/**
 * The complete sample bundles (issue 5, item 4): each success bundle reaches every phase of its
 * flow and fires no finding; the failure bundle stops where the seed says and fires its finding.
 */

function load(id: string) {
  const { json } = loadBundle(id);
  return { json, sessions: analyzeSessions(json), arrows: arrows(json), findings: detectFindings(json) };
}

const allPhases = (flow: string) => FLOW_BY_ID.get(flow)!.phases.map((p) => p.id);

describe("onprem-complete", () => {
  const { json, sessions, arrows: a, findings } = load("onprem-complete");

  it("is one login of nirmal that reaches every on-premises phase and stops nowhere", () => {
    expect(sessions).toHaveLength(1);
    const [s] = sessions;
    expect(s).toMatchObject({ user: "nirmal", flow: "onprem", outcome: "success", stoppedAt: null });
    expect(s!.reached).toEqual(allPhases("onprem"));
    expect(json.sessions[0]!.messages).toHaveLength(json.messages.length);
  });

  it("fires no finding", () => {
    expect(findings).toEqual([]);
  });

  it("shows DNS SRV, UDS with LDAP, configuration, SOAP and OTP, XMPP SASL and SIP registration in order", () => {
    inOrder(a, [
      "jabber->dns SRV _cisco-uds._tcp.ccie.com",
      "dns->jabber SRV _cisco-uds._tcp.ccie.com",
      "jabber->cucm GET version",
      "cucm->jabber 200 version",
      "jabber->cucm GET nirmal",
      "cucm->ldap LDAP search (sAMAccountName=nirmal)",
      "cucm->ldap LDAP bind CN=Nirmal Issac, CN=users, DC=ccie, DC=com",
      "ldap->cucm bind success",
      "cucm->jabber 200 nirmal",
      "jabber->cucm GET jabber-config.xml", // TFTP (6970) is CUCM
      "jabber->imp SOAP login",
      "imp->imp IMS result 0 (success)",
      "imp->jabber SOAP login: success",
      "jabber->imp SOAP get-onetime-password",
      "imp->jabber SOAP get-onetime-password: token",
      "imp->jabber stream:features SASL [PLAIN, CISCO-VTG-TOKEN]",
      "jabber->imp SASL auth CISCO-VTG-TOKEN",
      "imp->imp token valid for nirmal",
      "imp->jabber SASL success",
      "jabber->cucm REGISTER",
      "cucm->jabber 401 Unauthorized REGISTER",
      "jabber->cucm REGISTER",
      "cucm->jabber 200 OK REGISTER",
    ]);
  });

  it("dates the re-timed CUCM LDAP lines on the login's day", () => {
    const ldap = json.messages.filter((m) => m.from === "ldap" || m.to === "ldap");
    expect(ldap.length).toBeGreaterThan(0);
    for (const m of ldap) expect(m.time).toMatch(/^2014-11-12T10:26:39\./);
  });
});

describe("mra-oauth-complete", () => {
  const { json, sessions, arrows: a, findings } = load("mra-oauth-complete");

  it("is one OAuth login of aokanlawon that reaches every MRA OAuth phase and stops nowhere", () => {
    expect(sessions).toHaveLength(1);
    const [s] = sessions;
    expect(s).toMatchObject({ user: "aokanlawon", flow: "mra-oauth", outcome: "success", stoppedAt: null });
    expect(s!.reached).toEqual(allPhases("mra-oauth"));
  });

  it("fires no finding: the edge passes OAUTHBEARER on", () => {
    expect(findings).toEqual([]);
  });

  it("shows edge discovery, get_edge_sso, authorize, the code, the tokens, validation, get_edge_config and XMPP in order", () => {
    inOrder(a, [
      "jabber->dns SRV _collab-edge._tls.lab.com",
      "jabber->expe GET get_edge_sso",
      "expe->jabber 200 get_edge_sso",
      "jabber->expe GET authorize",
      "jabber->expe POST localauthentication",
      "expc->cucm POST authorize_proxy",
      "expe->jabber 302 Found localauthentication",
      "jabber->expe GET OAuthcb",
      "jabber->expe POST access_token",
      "expc->cucm POST access_token",
      "cucm->expc 200 OK access_token",
      "expe->jabber 200 access_token",
      "jabber->expe GET get_edge_config",
      "expc->expc POST OAuthvalidator",
      "expc->expc Access Token accepted",
      "expe->jabber 200 get_edge_config",
      "imp->expc SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER",
      "expe->jabber stream:features SASL [OAUTHBEARER, CISCO-VTG-TOKEN]",
      "jabber->expe SASL auth OAUTHBEARER",
      "expc->imp SASL auth OAUTHBEARER",
      "expe->jabber SASL success",
    ]);
  });

  it("joins Jabber's own requests with Expressway-E's sightings of them", () => {
    for (const label of ["GET get_edge_sso", "POST access_token", "GET get_edge_config"]) {
      const m = json.messages.find((x) => x.label === label && x.from === "jabber")!;
      expect(m.seenBy.sort(), label).toEqual(["expe", "jabber"]);
    }
  });
});

describe("cti-complete", () => {
  const { json, sessions, arrows: a, findings } = load("cti-complete");

  it("is one deskphone login of wwhite that reaches every CTI phase, dated by Jabber's log", () => {
    expect(sessions).toHaveLength(1);
    const [s] = sessions;
    expect(s).toMatchObject({ user: "wwhite", flow: "cti", outcome: "success", stoppedAt: null });
    expect(s!.reached).toEqual(allPhases("cti"));
    const sdl = json.files.find((f) => f.name === "ctimanager-sdl.txt")!;
    expect(sdl.timeBase).toMatchObject({ kind: "tod", date: "2016-05-10", dateFrom: "sibling" });
    expect(sdl.warnings).toEqual([]);
    for (const m of json.messages) expect(m.time).toMatch(/^2016-05-10T08:59:1[67]\./);
  });

  it("fires no finding", () => {
    expect(findings).toEqual([]);
  });

  it("shows provider open (both sides), LDAP, user settings, device open and in service in order", () => {
    inOrder(a, [
      "jabber->cucm CTI ProviderOpenRequest",
      "cucm->jabber CTI ProviderOpenResponse",
      "cucm->cucm CtiLoginCheckReq Login=wwhite",
      "ldap->cucm bind success CN=Walter White,OU=Breaking Bad,DC=joshlab,DC=net",
      "cucm->cucm CtiLoginCheckRes result=Success",
      "cucm->cucm CtiUserSettingsRes Userid=wwhite result=0",
      "cucm->jabber CTI ProviderOpenCompletedEvent",
      "jabber->cucm CTI DeviceOpenRequest",
      "cucm->jabber CTI DeviceOpenResponse",
      "cucm->jabber CTI DeviceInServiceEvent",
    ]);
    const open = json.messages.find((m) => m.label === "CTI ProviderOpenRequest")!;
    expect(open.seenBy.sort()).toEqual(["cucm", "jabber"]);
  });
});

describe("lerr14-failure", () => {
  const { json, sessions, arrows: a, findings } = load("lerr14-failure");

  it("stops at the IM&P SOAP login after discovery and UDS", () => {
    expect(sessions).toHaveLength(1);
    const [s] = sessions;
    expect(s).toMatchObject({ flow: "onprem", outcome: "failure", stoppedAt: "soap" });
    expect(s!.reached).toEqual(["discovery", "uds-ldap", "soap"]);
  });

  it("fires jabber-lerr-14 on the seed's JWLoginSink::OnError line, and nothing else", () => {
    const lerr = json.messages.find((m) => m.label === "login error lerr 14")!;
    expect(findings.map((f) => f.id)).toEqual(["jabber-lerr-14"]);
    expect(findings[0]).toMatchObject({ evidence: [lerr.id], lines: [{ file: "jabber.log", line: 11 }] });
  });

  it("shows discovery, UDS, then the login error", () => {
    inOrder(a, [
      "jabber->dns SRV _cisco-uds._tcp.ccie.com",
      "jabber->cucm GET version",
      "jabber->cucm GET nirmal",
      "cucm->jabber 200 nirmal",
      "jabber->jabber login error lerr 14",
    ]);
  });
});

describe("Jabber's and the servers' sightings of one message are one arrow", () => {
  it("merges Jabber's SASL auth and success with the IM&P Connection Manager's", () => {
    const { json } = loadBundle("onprem-complete");
    const auth = json.messages.find((m) => m.label === "SASL auth CISCO-VTG-TOKEN")!;
    const success = json.messages.find((m) => m.label === "SASL success")!;
    expect(auth.seenBy.sort()).toEqual(["imp", "jabber"]);
    expect(success.seenBy.sort()).toEqual(["imp", "jabber"]);
  });

  it("merges Jabber's device open with the CTI Manager's", () => {
    const { json } = loadBundle("cti-complete");
    for (const label of ["CTI DeviceOpenRequest", "CTI DeviceOpenResponse", "CTI DeviceInServiceEvent"])
      expect([label, json.messages.find((m) => m.label === label)!.seenBy.sort()]).toEqual([
        label,
        ["cucm", "jabber"],
      ]);
  });
});
