import { describe, expect, test } from "vitest";
import {
  eventLines,
  expectCrlfParsesTheSame,
  expectSameDigestAtEveryChunkSize,
  parse,
  readSample,
} from "../testing/sourceHarness.ts";
import { cucmLog4j } from "./cucm-log4j.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const SECURITY = "onprem-login/cucm-security.log";
const SSOSP = "extra/cucm-ssosp-tokens.log";

const text = (rel: string): string => new TextDecoder().decode(readSample(rel));

describe("cucm-log4j", () => {
  test("golden: CUCM Tomcat security log authenticates nirmal against LDAP (seed 000)", () => {
    const p = parse(readSample(SECURITY), "log.txt", { source: "cucm-log4j" });
    // Seed 000: CUCM looks the user up (connect, search with the user filter), finds the DN,
    // binds as that DN and the bind succeeds; all on thread http-bio-443-exec-47.
    expect(eventLines(p)).toEqual([
      "1 local note authenticate user nirmal",
      "3 -> ldap ldap.connect LDAP connect ldap://10.106.89.210:389",
      "4 -> ldap ldap.search LDAP search (sAMAccountName=nirmal)",
      "5 <- ldap ldap.result search result CN=Nirmal Issac, CN=users, DC=ccie, DC=com",
      "5 -> ldap ldap.bind LDAP bind CN=Nirmal Issac, CN=users, DC=ccie, DC=com",
      "6 <- ldap ldap.result bind success [success]",
    ]);
    const thread = "http-bio-443-exec-47";
    expect(p.events.every((e) => e.user === "nirmal")).toBe(true);
    expect(p.events.every((e) => e.keys?.thread === thread)).toBe(true);
    expect(p.events.map((e) => [e.phase, e.exchange])).toEqual([
      [undefined, `thread:${thread}`],
      [undefined, `thread:${thread}`],
      ["request", `ldap-search:${thread}`],
      ["response", `ldap-search:${thread}`],
      ["request", `ldap-bind:${thread}`],
      ["response", `ldap-bind:${thread}`],
    ]);
    expect(p.events[1]!.peerHost).toBe("10.106.89.210");
    expect(p.events.some((e) => e.failed)).toBe(false);

    const r = p.store.records;
    expect(r.length).toBe(6);
    expect(r.rawTime.get(0)).toBe(Date.UTC(2014, 10, 5, 11, 59, 7, 716));
    expect(r.rawTime.get(5)).toBe(Date.UTC(2014, 10, 5, 11, 59, 7, 938));
    expect(r.kindOf(0)).toBe("local");
    expect(p.info.lane).toBe("cucm");
    expect(p.info.unparsedLines).toBe(0);
  });

  test("golden: SSOSP issues a refresh token (seed 001)", () => {
    const p = parse(readSample(SSOSP), "log.txt", { source: "cucm-log4j" });
    expect(eventLines(p)).toEqual([
      "1 local token.issue issue refresh token",
      "2 local note JWT claims ctyp=refresh",
    ]);
    expect(p.events[0]!.exchange).toBe("thread:http-bio-8443-exec-89");
    expect(p.store.records.rawTime.get(2)).toBe(Date.UTC(2020, 4, 1, 11, 36, 18, 132));
  });

  test("a failed bind is red and closes the bind exchange", () => {
    const lines = [
      "2014-11-05 11:59:07,921 DEBUG [http-bio-443-exec-9] impl.AuthenticationLDAP - authenticateUserWithPassword: calling auth as dn search is successful for user jdoe and the dn is CN=John Doe, CN=users, DC=ccie, DC=com",
      "2014-11-05 11:59:07,938 DEBUG [http-bio-443-exec-9] impl.AuthenticationLDAP - auth: failed for dn CN=John Doe, CN=users, DC=ccie, DC=com",
      "javax.naming.AuthenticationException: [LDAP: error code 49 - 80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1 ]",
    ];
    const p = parse(lines.join("\n") + "\n", "log.txt", { source: "cucm-log4j" });
    expect(eventLines(p)).toEqual([
      "1 <- ldap ldap.result search result CN=John Doe, CN=users, DC=ccie, DC=com",
      "1 -> ldap ldap.bind LDAP bind CN=John Doe, CN=users, DC=ccie, DC=com",
      "2 <- ldap ldap.result bind failed [failed]",
    ]);
    expect(p.events[2]).toMatchObject({
      failed: true,
      user: "jdoe",
      exchange: "ldap-bind:http-bio-443-exec-9",
    });
  });

  test("detection: both fixtures under a generic name", () => {
    for (const rel of [SECURITY, SSOSP]) {
      expect(detectSource(text(rel))?.source.id).toBe("cucm-log4j");
      expect(cucmLog4j.sniff(text(rel))).toBeGreaterThanOrEqual(0.8);
      expect(parse(readSample(rel), "log.txt").info.source).toBe("cucm-log4j");
    }
  });

  test("not mine: IM&P EPASSoap, Jabber, Expressway, XCP, SDL and prose", () => {
    const notMine = {
      // IM&P Client Profile Agent: the same log4j layout, other classes (seed 000).
      epassoap: [
        "2014-11-12 10:26:44,155 INFO [http-bio-443-exec-23] handlers.LoginHandlerNonSSO - doLogin:IMS login result is success for nirmal| IMS result code:0",
        "2014-11-12 10:26:44,159 DEBUG [http-bio-443-exec-23] imdb.ImdbLoginAccessorUtil - Insert session succeeded for userid:nirmal",
        "2014-11-12 10:26:44,159 INFO [http-bio-443-exec-23] handlers.LoginHandlerAbstract - SOAP Login was successful",
        "2014-11-12 10:26:44,279 INFO [http-bio-443-exec-23] soap.SoapServlet - SOAP request for: get-onetime-password, version: v80",
        "2014-11-12 10:26:44,285 INFO [http-bio-443-exec-23] handlers.GetOneTimePasswordHandler - GetOneTimePasswordHandler: successful",
      ],
      epassoapOld: [
        "2011-04-26 10:05:51,513 INFO http-8443-3 soap.LoginHandler - Created Authentication instance=com.cisco.security.ims.authentication.AuthenticationImpl@b492e9",
        "2011-04-26 10:05:51,826 INFO http-8443-3 soap.LoginHandler - IMS result code is :1",
      ],
      jabber: [
        "2020-03-24 22:31:00,442 INFO [0x00002b04] [rvices\\impl\\system\\SingleSignOn.cpp(206)] [Single-Sign-On-Logger] [CSFUnified::SingleSignOn::Impl::isAuthenticatorTokenReuseEnabled] - TokenReuse enabled for 1001",
        "2020-03-24 22:31:00,442 DEBUG [0x00002b04] [vices\\impl\\system\\SingleSignOn.cpp(2044)] [Single-Sign-On-Logger] [CSFUnified::SingleSignOn::Impl::currentServiceNeedsAuthorization] - creds->getSecureOAuthToken().empty() for service: 1001",
      ],
      expressway: [
        '2020-03-24T16:31:00.962-06:00 labucexpye01 traffic_server[16087]: UTCTime="2020-03-24 22:31:00,962" Module="network.http.trafficserver" Level="INFO": Detail="Receive Request" Txn-id="2004" Src-ip="81.157.160.37" Src-port="59252" Msg="GET https:///Ym91bGRlcm1lZGljYWxjZW50ZXIuY29t/get_edge_sso?email=aokanlawon@lab.com HTTP/1.1"',
      ],
      xcp: [
        "10:26:46.981 |076a1b70| debug| SASLManager.cpp:426 SASLManager::stepSession sending: <auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=</auth>",
        "10:26:46.986 | debug| SXComponent::authenticateVTGToken(): Authentication success for userid: [nirmal@ccie.com]",
      ],
      sdl: text("cti-deskphone/ctimanager-sdl.txt").split("\n"),
      prose: [
        "Below shows Tomcat security logs from CUCM, how CUCM checks in LDAP and authenticates this user.",
        "We can track this request from JC in logs with number 47 (impl.AuthenticationLDAP - auth: successful).",
      ],
    };
    for (const [name, lines] of Object.entries(notMine)) {
      expect(cucmLog4j.sniff(lines.join("\n")), name).toBeLessThan(MIN_CONFIDENCE);
    }
    expect(cucmLog4j.sniff("")).toBe(0);
  });

  test("chunk sizes give the same digest", () => {
    for (const rel of [SECURITY, SSOSP]) expectSameDigestAtEveryChunkSize(rel);
  });

  test("CRLF line endings parse the same", () => {
    expectCrlfParsesTheSame(SECURITY, "cucm-log4j");
  });
});
