import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import { samplePath } from "../testing/sourceHarness.ts";
import {
  createPseudonymizer,
  decodeBase64Text,
  matchingRules,
  redactModel,
  redactRawLines,
  redactText,
  REDACTION_RULES,
} from "./redact.ts";

const sampleLine = (path: string, line: number) =>
  readFileSync(samplePath(path), "utf8").split(/\r?\n/)[line - 1]!;

// A JWT made for this test: header {"alg":"RS256","typ":"JWT"}, claims {"sub":"aokanlawon"}.
const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhb2thbmxhd29uIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

describe("redaction rules, on real lines", () => {
  it("every rule has a name, a description and a global pattern", () => {
    expect(new Set(REDACTION_RULES.map((r) => r.name)).size).toBe(REDACTION_RULES.length);
    for (const r of REDACTION_RULES) {
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.pattern.global).toBe(true);
    }
  });

  it("hides the seed 001 access and refresh tokens (JSON), keeping the keys", () => {
    const refresh = sampleLine("mra-oauth/expressway-c.log", 42);
    const access = sampleLine("mra-oauth/expressway-c.log", 44);
    expect(refresh).toContain("eyJhbGciOiJSUzI1Ni");
    expect(redactText(refresh)).toBe('"refresh_token":"[redacted]",');
    expect(redactText(access)).toBe('"access_token":"[redacted]" }');
    expect(matchingRules(access)).toContain("json-secret");
    // Not a secret: the lifetime next to it.
    const expires = sampleLine("mra-oauth/expressway-c.log", 43);
    expect(redactText(expires)).toBe(expires);
  });

  it("leaves Authorization: <CONCEALED> and code=<CONCEALED> as Expressway masked them", () => {
    for (const n of [17, 19, 25, 28, 32, 37, 39]) {
      const line = sampleLine("mra-oauth/expressway-c.log", n);
      expect(redactText(line)).toBe(line);
    }
    expect(sampleLine("mra-oauth/expressway-c.log", 19)).toBe("Authorization: <CONCEALED>");
  });

  it("hides a real Authorization, Proxy-Authorization and X-Credentials value, keeping the scheme", () => {
    expect(redactText(`Authorization: Bearer ${JWT}`)).toBe("Authorization: Bearer [redacted]");
    expect(redactText("Authorization: Basic YWRtaW46c2VjcmV0")).toBe("Authorization: Basic [redacted]");
    expect(redactText("X-Credentials: 9f8e7d6c5b4a")).toBe("X-Credentials: [redacted]");
    const digest = sampleLine("jabber-sip-register/jabber.log", 37);
    expect(redactText(digest)).toBe(
      'Authorization: Digest username="jdoe",realm="ccmsipline",uri="sip:ucm1.corp.example",response="[redacted]",nonce="wL3rX9bQm1sTn2Y8pZ4cHgAAAAA=",algorithm=MD5',
    );
    const tlsDsk = sampleLine("lync-signin/client.uccapilog", 108);
    expect(redactText(tlsDsk)).toBe(
      'Proxy-Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", opaque="38888888", crand="[redacted]", cnum="1", targetname="fe01.frankwhitepfelab.net", response="[redacted]"',
    );
  });

  it("hides the seed 000 SASL auth payload (it decodes to userid=...\\0token=911215)", () => {
    const payload = "dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=";
    expect(decodeBase64Text(payload)).toBe("userid=nirmal@ccie.com\0token=911215");
    const line = sampleLine("onprem-login/imp-xcp-connection-manager.log", 1);
    expect(line).toContain(payload);
    const out = redactText(line);
    expect(out).not.toContain(payload);
    expect(out).toContain(
      "<auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[redacted]</auth>",
    );
    // Outside an <auth> element (a record cut after the tag), decoding finds the token.
    expect(redactText(`payload ${payload} end`)).toBe("payload [redacted:base64] end");
    // A base64 nonce that decodes to no secret stays.
    expect(redactText("nonce=Qm9ndXNOb25jZTEyMzQ1Njc4OTA=")).toBe("nonce=Qm9ndXNOb25jZTEyMzQ1Njc4OTA=");
    // Expressway's own mask stays as it is.
    const masked = sampleLine("mra-sasl-failure/expressway-e.log", 1);
    expect(redactText(masked)).toBe(masked);
  });

  it("hides a JWT wherever it is", () => {
    expect(redactText(`Location: /cb#access=${JWT}&x=1`)).toBe("Location: /cb#access=[redacted:jwt]&x=1");
    expect(redactText(`token_type Bearer ${JWT}`)).not.toContain(JWT.slice(0, 20));
  });

  it("hides a SOAP password element, keeping the element (seed 000 login, with a password in it)", () => {
    const line = sampleLine("onprem-login/imp-epassoap.log", 1);
    expect(redactText(line)).toBe(line); // the seed already shows `...`
    const withPassword = line.replace(
      "<ns1:password>...</ns1:password>",
      "<ns1:password>Cisco!123</ns1:password>",
    );
    const out = redactText(withPassword);
    expect(out).not.toContain("Cisco!123");
    expect(out).toContain("<ns1:username>nirmal</ns1:username><ns1:password>[redacted]</ns1:password>");
  });

  it("hides passwords, SSO tokens and OAuth codes in key=value form, not the words around them", () => {
    expect(redactText("login?user=jdoe&password=hunter2&x=1")).toBe(
      "login?user=jdoe&password=[redacted]&x=1",
    );
    expect(redactText('{"password":"hunter2"}')).toBe('{"password":"[redacted]"}');
    expect(redactText("SSOTOKEN = 1a2b3c4d5e")).toBe("SSOTOKEN = [redacted]");
    expect(redactText("EncryptedPassword=AbCdEf0123")).toBe("EncryptedPassword=[redacted]");
    expect(redactText("Location: /OAuthcb#code=Zx81kq0a&expires_in=299&state=1771145038")).toBe(
      "Location: /OAuthcb#code=[redacted]&expires_in=299&state=1771145038",
    );
    expect(redactText("code=4Fq1aZ&client_id=C1b4b&grant_type=authorization_code")).toBe(
      "code=[redacted]&client_id=C1b4b&grant_type=authorization_code",
    );
    // Real lines that name passwords and credentials without holding one.
    for (const [file, n] of [
      ["cti-deskphone/ctimanager-sdl.txt", 3], // SSOTOKEN = (empty)
      ["cti-deskphone/ctimanager-sdl.txt", 17], // Decrypted Password Status success
      ["cti-deskphone/ctimanager-sdl.txt", 21], // no encryptedpassword Credential, look for password
      ["cti-deskphone/ctimanager-sdl.txt", 24], // Credential Length is: 8
      ["onprem-login/cucm-security.log", 1], // authenticateUserWithPassword: userName=nirmal
      ["onprem-login/imp-epassoap.log", 9], // get-onetime-password
      ["mra-oauth/expressway-c.log", 28], // Redirect="/OAuthcb#code=Hidden"
      ["mra-oauth/jabber.log", 2],
    ] as const) {
      const line = sampleLine(file, n);
      expect(redactText(line), `${file}:${n}`).toBe(line);
    }
  });

  it("hides Cookie and Set-Cookie values, keeping names and attributes", () => {
    expect(redactText("Cookie: JSESSIONID=8A1F0C2D9E7B; cucm_sso=abc123")).toBe(
      "Cookie: JSESSIONID=[redacted]; cucm_sso=[redacted]",
    );
    expect(redactText("Set-Cookie: JSESSIONIDSSO=5D3C2B1A; Path=/; Secure; HttpOnly")).toBe(
      "Set-Cookie: JSESSIONIDSSO=[redacted]; Path=/; Secure; HttpOnly",
    );
  });

  it("hides Lync gssapi-data, in WWW-Authenticate too", () => {
    const line = sampleLine("lync-signin/client.uccapilog", 84);
    expect(redactText(line)).toBe(
      'WWW-Authenticate: TLS-DSK opaque="38888888", gssapi-data="[redacted]", targetname="fe01.frankwhitepfelab.net", realm="SIP Communications Service", version=4',
    );
  });

  it("can be turned off", () => {
    const line = sampleLine("mra-oauth/expressway-c.log", 44);
    expect(redactText(line, { redact: false })).toBe(line);
  });
});

describe("pseudonyms", () => {
  it("give one alias per value, in labels and raw lines alike", () => {
    const { json } = loadBundle("onprem-login");
    const p = createPseudonymizer();
    const model = redactModel(json, { pseudonyms: p });
    const raw = redactRawLines(
      [{ file: "cucm-security.log", line: 5, lines: [sampleLine("onprem-login/cucm-security.log", 5)] }],
      { pseudonyms: p },
    );
    const alias = p.user("nirmal");
    expect(alias).toMatch(/^user\d+$/);
    expect(model.messages.filter((m) => m.user !== null).every((m) => m.user === alias)).toBe(true);
    expect(model.sessions.map((s) => s.user)).toContain(alias);
    expect(raw[0]!.lines[0]).toContain(`for user ${alias} and the dn is CN=`);
    expect(raw[0]!.lines[0]).toContain("DC=domain");
    expect(JSON.stringify(model) + JSON.stringify(raw)).not.toMatch(/nirmal|ccie/i);
    // The label that names the user says the same alias.
    expect(model.messages.find((m) => m.label.startsWith("authenticate user"))!.label).toBe(
      `authenticate user ${alias}`,
    );
  });

  it("map hosts and IP addresses to documentation names and ranges, consistently", () => {
    const p = createPseudonymizer();
    const a = p.apply('Server="10.12.1.172" Url="https://av-cucm.lab.com:8443/ssosp" host labucexpyc01');
    const b = p.apply('Dst-ip=10.12.1.172 Issuer="av-cucm.lab.com" labucexpyc01-lab-com');
    expect(a).toBe('Server="198.51.100.1" Url="https://host1.domain1.example:8443/ssosp" host labucexpyc01');
    expect(b).toBe('Dst-ip=198.51.100.1 Issuer="host1.domain1.example" labucexpyc01-lab-com');
    // A file's host, once known, is replaced where it stands as a word.
    p.host("labucexpyc01");
    expect(p.apply("labucexpyc01 edgeconfigprovisioning")).toBe("host2 edgeconfigprovisioning");
    // Loopback and XML namespaces stay.
    expect(p.apply("127.0.0.1 ns='http://jabber.com/protocol/sasl'")).toBe(
      "127.0.0.1 ns='http://jabber.com/protocol/sasl'",
    );
    // An alias is never pseudonymized again.
    const again = p.apply('Dst-ip=10.12.1.172 Issuer="av-cucm.lab.com" labucexpyc01-lab-com');
    expect(again).toBe('Dst-ip=198.51.100.1 Issuer="host1.domain1.example" host2-lab-com');
    expect(p.apply(again)).toBe(again);
  });

  it("name lanes that are hosts by their alias everywhere", () => {
    const { json } = loadBundle("imp-sip-federation");
    expect(json.lanes).toContain("sip.partner.example");
    const model = redactModel(json, { pseudonyms: true });
    expect(model.lanes).not.toContain("sip.partner.example");
    const alias = model.lanes.find((l) => l.endsWith(".example"))!;
    expect(model.messages.some((m) => m.from === alias || m.to === alias)).toBe(true);
    expect(JSON.stringify(model)).not.toContain("partner.example");
  });
});

describe("redactModel", () => {
  it("keeps the ladder: ids, times, lanes, kinds, statuses and evidence are unchanged", () => {
    for (const id of ["mra-oauth", "onprem-login", "lync-signin", "mra-sasl-failure", "cti-deskphone"]) {
      const { json } = loadBundle(id);
      const before = JSON.stringify(json);
      const red = redactModel(json);
      expect(JSON.stringify(json)).toBe(before); // a copy: the input is untouched
      const shape = (j: typeof json) =>
        j.messages.map((m) => [m.id, m.time, m.from, m.to, m.kind, m.status, m.failed, m.seenBy, m.evidence]);
      expect(shape(red)).toEqual(shape(json));
      expect(red.lanes).toEqual(json.lanes);
      expect(red.sessions.map((s) => s.messages)).toEqual(json.sessions.map((s) => s.messages));
      expect(red.findings.map((f) => f.id)).toEqual(json.findings.map((f) => f.id));
    }
  });
});
