import type { ModelJson } from "../model/json.ts";
import { LabelUnion, messageIndex, PatternList, type MessageJson, type MessagePattern } from "./match.ts";

/**
 * Known failure causes, as data: each signature says what it means in plain words, how to fix
 * it, and how to find its evidence in a model: `detect`, the patterns its evidence matches (any
 * of them), a test of one message, or a function of the whole model returning the ids of the
 * messages that show it (for what no single message shows); none means it does not fire. A
 * signature that a more specific one explains is
 * `supersededBy` it, so a login gets the cause, not the cause and the symptom.
 */

export type Severity = "error" | "warning" | "info";

export interface Signature {
  id: string;
  severity: Severity;
  title: string;
  explanation: string;
  fix: string;
  detect: MessagePattern[] | { message: (m: MessageJson) => boolean } | ((model: ModelJson) => number[]);
  supersededBy?: string[];
  /** What the evidence itself adds to the explanation (the reason codes seen, ...). */
  specifics?: (evidence: MessageJson[]) => string | null;
}

export interface DetectedFinding {
  id: string;
  severity: Severity;
  title: string;
  explanation: string;
  fix: string;
  evidence: number[];
  lines: { file: string; line: number }[];
}

function statusCode(m: MessageJson): number | null {
  const s = /^\d{3}$/.exec(m.status ?? "") ?? /^(\d{3})\b/.exec(m.label);
  return s ? Number(s[1] ?? s[0]) : null;
}

/** The resource of an HTTP response label ("401 Unauthorized jdoe" -> "jdoe"). */
function resource(m: MessageJson): string {
  return withoutParenthesisedTail(m.label).split(/\s+/).pop() ?? "";
}

/**
 * "jdoe (GET /x)" -> "jdoe": from the first "(" of the last line, when the label ends with ")",
 * and the blanks before it (what `/\s*\(.*\)$/` removed, by a scan, not a pattern retried at
 * every "(" that each reads to the end).
 */
function withoutParenthesisedTail(label: string): string {
  if (!label.endsWith(")")) return label;
  const lastLine =
    1 +
    Math.max(
      label.lastIndexOf("\n"),
      label.lastIndexOf("\r"),
      label.lastIndexOf("\u2028"),
      label.lastIndexOf("\u2029"),
    );
  const open = label.indexOf("(", lastLine);
  return open < 0 ? label : label.slice(0, open).trimEnd();
}

/**
 * Where the last success (status below 300) of each server and resource is among the HTTP
 * responses, by position in the model: a 401 the same server answers later with a 2xx for the
 * same resource was a challenge (Basic or Negotiate authentication asked for), not a failure.
 * One pass, where looking through the rest of the model for each 401 was quadratic.
 */
function lastHttpSuccesses(model: ModelJson): Map<string, Map<string, number>> {
  const last = new Map<string, Map<string, number>>();
  model.messages.forEach((n, i) => {
    if (n.kind !== "http.response") return;
    const code = statusCode(n);
    if (code === null || !(code < 300)) return;
    const byResource = last.get(n.from) ?? last.set(n.from, new Map()).get(n.from)!;
    byResource.set(resource(n), i);
  });
  return last;
}

// --- IMS result codes (seed 000: Client Profile Agent, the LDAP authentication step) ---------

const IMS_CODES: { code: number; title: string; explanation: string; fix: string }[] = [
  {
    code: 1,
    title: "Wrong credentials",
    explanation:
      "The directory refused the user name or password Jabber sent: the Tomcat security service on IM&P could " +
      "not authenticate the user against LDAP.",
    fix:
      "Have the user check the credentials; to see why the directory refused them, collect " +
      "$TOMCAT_HOME/logs/security/log4j/security*.log on IM&P.",
  },
  {
    code: 2,
    title: "Admin has locked account",
    explanation: "The account is locked by an administrator, so the directory refuses every login.",
    fix: "Reset (unlock) the user account on the directory server.",
  },
  {
    code: 3,
    title: "Account hack locked",
    explanation:
      "The account is locked because of too many failed login attempts (hack lockout), so the directory refuses " +
      "every login until it is reset.",
    fix: "Reset the user account on the directory server.",
  },
  {
    code: 4,
    title: "Account locked due to inactivity",
    explanation: "The account has not been used for too long and the inactivity policy locked it.",
    fix: "Reset the user account on the directory server.",
  },
  {
    code: 5,
    title: "Account LDAP inactive",
    explanation:
      "The user is inactive in LDAP: CUCM and IM&P still know the user from the last directory sync, but the " +
      "directory no longer has it as an active account.",
    fix: "Reprovision the user on LDAP, then re-sync CUCM from LDAP.",
  },
];

const IMS_SIGNATURES: Signature[] = IMS_CODES.map((c) => ({
  id: `ims-${c.code}`,
  severity: "error",
  title: `IM&P SOAP login refused: IMS result code ${c.code} (${c.title})`,
  explanation:
    `IM&P's Client Profile Agent logged IMS result code ${c.code}: ${c.explanation} ` +
    "These codes come from the LDAP authentication step of the SOAP login, so the action is on the directory (AD) side.",
  fix: c.fix,
  detect: [{ label: new RegExp(`^IMS result ${c.code}\\b`) }],
}));

// --- XMPP SASL: the server offers no mechanism Jabber can use (seed 001) ----------------------

const JABBER_NO_MECHANISM: MessagePattern = { label: /SASL: no common mechanism|doesn't offer any SASL/ };
const IMP_OFFERS_OAUTH: MessagePattern = { from: ["imp"], label: /SASL mechanisms\b.*\bOAUTHBEARER\b/ };
const EDGE_VTG_ONLY: MessagePattern = {
  kind: ["xmpp.*"],
  from: ["expe", "expc"],
  label: /CISCO-VTG-TOKEN/,
  notLabel: /OAUTHBEARER/,
};
const OAUTH_IN_USE: MessagePattern[] = [
  { label: /access_token|Access Token accepted|OAuthvalidator|authorize_proxy|get_edge_sso/ },
  { kind: ["token.*"] },
];
const IMP_OFFERS_OAUTH_LIST = new PatternList([IMP_OFFERS_OAUTH]);
const EDGE_VTG_ONLY_LIST = new PatternList([EDGE_VTG_ONLY]);
const JABBER_NO_MECHANISM_LIST = new PatternList([JABBER_NO_MECHANISM]);
const OAUTH_IN_USE_LIST = new PatternList(OAUTH_IN_USE);

function saslOAuthLocalOff(model: ModelJson): number[] {
  const imp: number[] = [];
  const edge: number[] = [];
  const jabber: number[] = [];
  const messages = model.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (IMP_OFFERS_OAUTH_LIST.test(m)) imp.push(m.id);
    if (EDGE_VTG_ONLY_LIST.test(m)) edge.push(m.id);
    if (JABBER_NO_MECHANISM_LIST.test(m)) jabber.push(m.id);
  }
  if (imp.length === 0 || edge.length === 0) return [];
  // Without Jabber's error, only an OAuth login says the missing OAUTHBEARER matters.
  if (jabber.length === 0 && !model.messages.some((m) => OAUTH_IN_USE_LIST.test(m))) return [];
  return [...imp, ...edge, ...jabber].sort((a, b) => a - b);
}

// --- daily TAC checks ------------------------------------------------------------------------

const DISCOVERY_SRV = /_cisco-uds|_cuplogin|_collab-edge/;

function srvMissing(model: ModelJson): number[] {
  const answers = model.messages.filter((m) => m.kind === "dns.answer" && DISCOVERY_SRV.test(m.label));
  // Jabber tries _cisco-uds, then _cuplogin, then _collab-edge: one answering is enough.
  if (answers.some((m) => !m.failed)) return [];
  return answers.filter((m) => m.failed).map((m) => m.id);
}

const UDS_OR_EDGE = /cucm-uds|clusterUser|get_edge_config|get_edge_sso|\bUDS\b/i;
const OAUTH_PATHS = /ssosp|access_token|authorize_proxy|refresh|OAuth|localauthentication|authorize\b/i;

function udsOrEdgeRefused(model: ModelJson): number[] {
  let successes: Map<string, Map<string, number>> | undefined;
  const ids: number[] = [];
  model.messages.forEach((m, i) => {
    if (m.kind !== "http.response") return;
    const code = statusCode(m);
    if (code === null || !(code === 401 || code === 403 || code >= 500)) return;
    const named = UDS_OR_EDGE.test(m.label) || UDS_OR_EDGE.test(m.dialog ?? "");
    const fromCucm = m.from === "cucm" && !OAUTH_PATHS.test(m.label) && !OAUTH_PATHS.test(m.dialog ?? "");
    if (!named && !fromCucm) return;
    if (code === 401) {
      successes ??= lastHttpSuccesses(model);
      if ((successes.get(m.from)?.get(resource(m)) ?? -1) > i) return;
    }
    ids.push(m.id);
  });
  return ids;
}

const CERTIFICATE =
  /certificat|\b(?:TLS|SSL) handshake|handshake fail|untrusted|not trusted|x\.?509|verify failed|CERT_|self[- ]signed|unknown ca\b/i;
const BAD = /fail|error|untrusted|not trusted|invalid|expired|reject|denied|unknown ca|mismatch/i;

function certificateFailure(m: MessageJson): boolean {
  return CERTIFICATE.test(m.label) && (m.failed || BAD.test(m.label));
}

function sipRegistrationRejected(m: MessageJson): boolean {
  if (m.kind !== "sip.response" || !/\bREGISTER\b/.test(m.label)) return false;
  const code = statusCode(m);
  return code !== null && code >= 400 && code !== 401 && code !== 407;
}

function oauthTokenFailure(m: MessageJson): boolean {
  if (m.kind === "http.response") {
    const code = statusCode(m);
    return code !== null && code >= 400 && code < 500 && /access_token|refresh|\btoken\b/i.test(m.label);
  }
  if (m.kind.startsWith("token.")) return m.failed;
  return (
    m.failed && /refresh[_ ]?token|invalid_grant|Access Token (?:rejected|expired|invalid)/i.test(m.label)
  );
}

/**
 * An end of the arrow is an HTTP proxy: Squid's port 3128, or a host with "proxy" in its name
 * (never one of the canonical lanes, whose ids match neither).
 */
const PROXY_LANE: MessagePattern = { laneLike: /:3128$|proxy/i };

const PROXY_LABEL: MessagePattern[] = [
  { label: /^CONNECT\s/ },
  { kind: ["http.response"], label: /^407\b/ },
  {
    notKind: ["sip.*"],
    label:
      /\b(?:https?|web|forward)[- ]proxy\b|\bproxy (?:server|host|settings?|configured|detected|tunnel)\b|\bPAC file\b|\bvia (?:a |the )?proxy\b/i,
  },
];

function reasonCodes(evidence: MessageJson[]): string | null {
  const codes = [...new Set(evidence.map((m) => m.status).filter((s): s is string => !!s))];
  return codes.length ? `Reason code${codes.length > 1 ? "s" : ""} logged: ${codes.join(", ")}.` : null;
}

function statuses(evidence: MessageJson[]): string | null {
  const seen = [...new Set(evidence.map((m) => m.label))];
  return seen.length ? `Seen: ${seen.slice(0, 5).join("; ")}.` : null;
}

export const SIGNATURES: Signature[] = [
  ...IMS_SIGNATURES,
  {
    id: "jabber-lerr-14",
    severity: "error",
    title: "Jabber login error code 14: the IM&P server is not defined by FQDN or IP address",
    explanation:
      'Jabber reported JWLoginSink::OnError, lerr:14 (the user sees "Cannot communicate with the server"). Error ' +
      "code 14 happens when the IM and Presence server is defined in the cluster topology by a plain host name, " +
      "neither a fully qualified domain name nor an IP address, so Jabber cannot reach the server it is told to use.",
    fix:
      "On IM&P, under System > Cluster Topology, define the IM&P server by its FQDN or its IP address; then sign in " +
      "again.",
    detect: [{ label: /\blerr:? ?14\b/ }],
  },
  {
    id: "sasl-oauthlocal-off",
    severity: "error",
    title: "XMPP SASL: Expressway-C offers only CISCO-VTG-TOKEN while IM&P offers OAUTHBEARER",
    explanation:
      "The OAuth part of the login worked, but the XMPP login through the edge did not: IM&P advertises " +
      "OAUTHBEARER (PLAIN CISCO-VTG-TOKEN OAUTHBEARER), yet Expressway-C passes on only CISCO-VTG-TOKEN, so Jabber, " +
      "which signs in with its OAuth access token, reports that the server doesn't offer any SASL authentication " +
      "mechanism it can support. Expressway-C is not doing OAuth local authorization (OAuthLocal is off), even if " +
      "OAuth was enabled.",
    fix:
      "On Expressway-C set xConfiguration CollaborationEdge OAuthLocal: On (Configuration > Unified Communications > " +
      "Configuration: Authorize by OAuth token with refresh), then refresh the CUCM and IM&P servers on Expressway-C " +
      "(or reboot it if the setting does not take), and check the OAuth keys on all nodes (show key authz encryption, " +
      "show key authz signing).",
    detect: saslOAuthLocalOff,
  },
  {
    id: "sasl-no-mechanism",
    severity: "error",
    title: "XMPP SASL: the server doesn't offer any SASL authentication mechanism Jabber supports",
    explanation:
      "Jabber read the XMPP stream features and found no SASL mechanism it can use, so it cannot authenticate the " +
      "IM session. The mechanisms offered depend on what IM&P advertises and, over MRA, on what Expressway-C lets " +
      "through; an OAuth login needs OAUTHBEARER.",
    fix:
      "Compare the SASL mechanisms IM&P advertises (XCP logs) with the stream features Jabber received; over MRA " +
      "with OAuth, enable OAuth local authorization on Expressway-C (xConfiguration CollaborationEdge OAuthLocal: On).",
    detect: [JABBER_NO_MECHANISM],
    supersededBy: ["sasl-oauthlocal-off"],
  },
  {
    id: "dns-srv-missing",
    severity: "error",
    title: "DNS SRV records missing: Jabber found no service",
    explanation:
      "Jabber looks up _cisco-uds._tcp, then _cuplogin._tcp, then _collab-edge._tls for the user's domain, and uses " +
      "the first that answers. None of the look-ups in these logs found a record, so automatic login cannot find " +
      "CUCM, IM&P or Expressway.",
    fix:
      "Create the SRV records in DNS (_cisco-uds._tcp.<domain> for CUCM inside, _collab-edge._tls.<domain> in public " +
      "DNS for Expressway-E), check the client uses the DNS server that has them, or set the servers by hand " +
      "(manual login, Advanced settings).",
    detect: srvMissing,
  },
  {
    id: "uds-edge-http-refused",
    severity: "error",
    title: "UDS or edge configuration request refused (401/403/5xx)",
    explanation:
      "A request to CUCM's User Data Service or to Expressway's get_edge_sso / get_edge_config was answered with " +
      "401 Unauthorized, 403 Forbidden or a server error: the credentials (or the access token) were refused, the " +
      "user is not allowed the service, or the service is down.",
    fix:
      "For 401: check the user's credentials and, over MRA, the authorization mode on Expressway-C (credentials or " +
      "OAuth token). For 403: check the end user's roles and that the user exists on that cluster (home cluster). " +
      "For 5xx: check the Cisco UDS/Tomcat services on CUCM and that Expressway-C has discovered the CUCM nodes " +
      "(refresh servers).",
    detect: udsOrEdgeRefused,
    specifics: statuses,
  },
  {
    id: "certificate-failure",
    severity: "error",
    title: "Certificate validation failed",
    explanation:
      "A TLS connection failed because a certificate could not be validated: not signed by a trusted CA, expired, " +
      "or not naming the host that was contacted.",
    fix:
      "Check the certificate chain the server presents: upload the CA (and intermediate) certificates to the trust " +
      "store of the side that refused it (tomcat-trust, callmanager-trust, Expressway trusted CA list), and make " +
      "sure the server's certificate names the FQDN clients use (SAN).",
    detect: { message: certificateFailure },
    specifics: statuses,
  },
  {
    id: "ldap-failure",
    severity: "error",
    title: "LDAP bind or search failed",
    explanation:
      "CUCM (or the CTI Manager) could not authenticate the user against the directory: the bind with the user's " +
      "DN and password was refused, or the search for the user's entry failed or found nothing.",
    fix:
      "Check the user's password and account in AD; on CUCM check System > LDAP > LDAP Authentication (service " +
      "account DN and password, user search base, server and port) and that the user is under the search base.",
    detect: [{ kind: ["ldap.*"], failed: true }, { label: /^(?:LDAP )?bind failed|Invalid credentials/ }],
    specifics: reasonCodes,
  },
  {
    id: "cti-provider-open-failed",
    severity: "error",
    title: "CTI provider open failed",
    explanation:
      "The CTI Manager did not open the provider for Jabber's deskphone control (ProviderOpenCompletedEvent with a " +
      "failure reason, ProviderOpenFailed, or the provider went out of service). The reason code says why: most " +
      "often the user's authentication, or the user is not allowed CTI.",
    fix:
      "Look up the reason code; check the user is in the Standard CTI Enabled group (and Standard CTI Allow Control " +
      "of Phones supporting Connected Xfer and conf for those models), the desk phone is associated with the user " +
      "and Allow Control of Device from CTI is checked, the CTI Manager service runs, and the user's LDAP " +
      "authentication succeeds.",
    detect: [{ label: /ProviderOpen|ProviderOutOfService/, failed: true }],
    specifics: reasonCodes,
  },
  {
    id: "sip-register-rejected",
    severity: "error",
    title: "SIP registration rejected (4xx/5xx)",
    explanation:
      "CUCM (or the Expressway on the way) answered Jabber's REGISTER with an error other than the usual 401/407 " +
      "challenge, so the softphone is not registered and phone services are down.",
    fix:
      "By code: 403/404 — the CSF device or its line is not configured for this user (device name, owner, " +
      "primary line); 408/503 — CUCM is unreachable or the CallManager service is down, or Expressway-C has no " +
      "route (check the zone to CUCM and that the CUCM nodes are discovered); 488 — security profile or transport " +
      "(TCP/TLS) mismatch.",
    detect: { message: sipRegistrationRejected },
    specifics: statuses,
  },
  {
    id: "oauth-token-failure",
    severity: "error",
    title: "OAuth access or refresh token refused",
    explanation:
      "The token request or validation failed: an expired or revoked refresh token, a token signed with keys the " +
      "validating node does not have, or OAuth with refresh login disabled on CUCM. Jabber then has to run the full " +
      "authorization code flow again, or cannot sign in at all.",
    fix:
      "Check Enterprise Parameters > SSO and OAuth Configuration on CUCM (OAuth with Refresh Login Flow enabled, " +
      "token lifetimes), that the OAuth keys match on every node (show key authz encryption / signing), and refresh " +
      "the servers on Expressway-C so it has the current keys; sign the user out and in again.",
    detect: { message: oauthTokenFailure },
    specifics: statuses,
  },
  {
    id: "http-proxy",
    severity: "warning",
    title: "An HTTP proxy is in the path",
    explanation:
      "Jabber's HTTP requests go through a proxy. Proxies often break Jabber's login: they intercept TLS (so " +
      "certificates do not validate), require their own authentication (407), or do not let the edge's " +
      "long-lived connections through.",
    fix:
      "Exclude the CUCM, IM&P and Expressway-E addresses from the proxy (PAC file or browser proxy exceptions), or " +
      "make sure the proxy passes them through without TLS inspection.",
    detect: [PROXY_LANE, ...PROXY_LABEL],
  },
];

/** Every signature that fires on the model, with its evidence messages and their log lines. */
export function detectFindings(model: ModelJson): DetectedFinding[] {
  const byId = messageIndex(model);
  // The signatures that look at one message at a time (patterns or a test), all in one pass over
  // the messages: a pass each cost more than their tests do.
  type Test = { test: (m: MessageJson) => boolean; ids: number[]; labels: RegExp[] | null };
  const perMessage = new Map<Signature, Test>();
  for (const s of SIGNATURES) {
    const d = s.detect;
    if (typeof d === "function") continue;
    if (Array.isArray(d)) {
      const patterns = new PatternList(d);
      perMessage.set(s, { test: (m) => patterns.test(m), ids: [], labels: patterns.labels() });
    } else perMessage.set(s, { test: d.message, ids: [], labels: null });
  }
  const tests = [...perMessage.values()];
  // Most signatures' patterns all name a label, and few labels match any: one test of their
  // union per message rules them all out, and only the others run (the union is null when the
  // expressions cannot be joined: then every test runs, as without it).
  const union = LabelUnion.of(tests.flatMap((t) => t.labels ?? []));
  const unlabelled = union ? tests.filter((t) => t.labels === null) : tests;
  // Indexed loops: this runs once per model over every message, much of it before the optimizing
  // compiler has it, where each step of a for...of allocates its iterator's result.
  const messages = model.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const run = union === null || union.test(m.label) ? tests : unlabelled;
    for (let j = 0; j < run.length; j++) if (run[j]!.test(m)) run[j]!.ids.push(m.id);
  }
  const fired = new Map<string, number[]>();
  for (const s of SIGNATURES) {
    const ids = typeof s.detect === "function" ? s.detect(model) : perMessage.get(s)!.ids;
    const evidence = [...new Set(ids)];
    if (evidence.length > 0) fired.set(s.id, evidence);
  }
  const findings: DetectedFinding[] = [];
  for (const s of SIGNATURES) {
    const evidence = fired.get(s.id);
    if (!evidence || s.supersededBy?.some((id) => fired.has(id))) continue;
    const messages = evidence.map((id) => byId.get(id)).filter((m): m is MessageJson => m !== undefined);
    const extra = s.specifics?.(messages) ?? null;
    const lines: { file: string; line: number }[] = [];
    const seen = new Set<string>();
    for (const m of messages)
      for (const e of m.evidence) {
        const key = `${e.file}:${e.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        lines.push({ file: e.file, line: e.line });
      }
    findings.push({
      id: s.id,
      severity: s.severity,
      title: s.title,
      explanation: extra ? `${s.explanation} ${extra}` : s.explanation,
      fix: s.fix,
      evidence,
      lines,
    });
  }
  return findings;
}
