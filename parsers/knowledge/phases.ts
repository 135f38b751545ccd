import type { ModelJson } from "../model/json.ts";
import {
  LabelUnion,
  messageIndex,
  PatternList,
  type MessageIndex,
  productName,
  type MessageJson,
  type MessagePattern,
  type SessionJson,
} from "./match.ts";

/**
 * The phases of each login flow, in order, as data: what happens in each and why (in the seeds'
 * words: which service, which credential, which token), and which messages belong to it.
 * A message belongs to the first phase of its flow whose patterns match it; a message no
 * pattern names (a local error, a diagnostic) takes the phase of its dialog.
 */

export type FlowId = "onprem" | "mra-oauth" | "mra" | "cti" | "lync" | "unknown";

export interface Phase {
  id: string;
  title: string;
  narration: string;
  matches: MessagePattern[];
  /** A login can do without it (or its logs seldom show it): never where a login "stopped". */
  optional?: boolean;
}

export interface Flow {
  id: Exclude<FlowId, "unknown">;
  title: string;
  phases: Phase[];
}

const DNS: MessagePattern = { kind: ["dns.*"] };
const LDAP: MessagePattern = { kind: ["ldap.*"] };
const XMPP: MessagePattern = { kind: ["xmpp.*"] };

const SERVICE_DISCOVERY: Phase = {
  id: "discovery",
  title: "Service discovery (DNS SRV)",
  narration:
    "Jabber takes the domain of the user's address (userid@example.com) and asks DNS for service records, in order: " +
    "_cisco-uds._tcp to find CUCM's User Data Service, then _cuplogin._tcp to find the IM and Presence server, then " +
    "_collab-edge._tls, which means Jabber believes it is outside the network and must go through Expressway. " +
    "Each SRV answer gives a host, a port, a priority and a weight; the first service that answers is the one Jabber " +
    "contacts. If none answers, the user has to set the servers by hand (manual login, Advanced settings).",
  matches: [DNS, { label: /_cisco-uds|_cuplogin|_collab-edge/ }],
};

const EDGE_DISCOVERY: Phase = {
  id: "edge-discovery",
  title: "Edge discovery (_collab-edge SRV)",
  narration:
    "Outside the corporate network the internal records (_cisco-uds, _cuplogin) do not resolve, so Jabber asks public " +
    "DNS for _collab-edge._tls.<domain>: the answer names Expressway-E, the edge of Mobile and Remote Access, and its " +
    "port (8443). Everything that follows goes to Expressway-E, which relays it through Expressway-C to CUCM and IM&P.",
  matches: [DNS, { label: /_collab-edge/ }],
};

const GET_EDGE_CONFIG_MRA: Phase = {
  id: "get-edge-config",
  title: "get_edge_config",
  narration:
    "Jabber asks Expressway-E for get_edge_config?service_name=_cisco-uds&service_name=_cuplogin: the internal " +
    "services (UDS, IM&P, TFTP, voicemail) it may reach through the edge, rewritten to go through Expressway. " +
    "With OAuth the request carries an Authorization header with the access token instead of the user's password; " +
    "Expressway-C validates it and answers with the edge configuration.",
  matches: [{ label: /get_edge_config/ }],
};

const XMPP_EDGE: Phase = {
  id: "xmpp",
  title: "XMPP through the edge",
  narration:
    "Jabber opens its XMPP stream to Expressway-E (port 5222), which relays it through Expressway-C to IM&P. " +
    "Expressway-C asks IM&P which SASL mechanisms it supports (PLAIN, CISCO-VTG-TOKEN, OAUTHBEARER) and advertises " +
    "to Jabber, in the stream features, the ones the edge allows. An OAuth login needs OAUTHBEARER: Jabber presents " +
    "its access token. If the features list only CISCO-VTG-TOKEN, Jabber finds no mechanism it can use and stops.",
  matches: [XMPP, { label: /SASL|stream:features|xdb /i }],
};

const PHONE_EDGE: Phase = {
  id: "phone",
  title: "Phone services through the edge (SIP)",
  narration:
    "Jabber registers its softphone (CSF device) over SIP/TLS to Expressway-E, which proxies the REGISTER through " +
    "Expressway-C to CUCM. CUCM challenges it (401 or 407) and accepts the second REGISTER with credentials: " +
    "a challenge is normal, a 4xx or 5xx after it is not.",
  matches: [{ kind: ["sip.*"] }, { label: /\bREGISTER\b/ }],
  optional: true,
};

export const FLOWS: Flow[] = [
  {
    id: "onprem",
    title: "On-premises Jabber login",
    phases: [
      SERVICE_DISCOVERY,
      {
        id: "uds-ldap",
        title: "UDS and LDAP authentication",
        narration:
          "Jabber sends HTTPS requests to CUCM's User Data Service (cucm-uds) with the user's credentials. CUCM's " +
          "Tomcat security service checks them against the directory: it connects to LDAP, searches the user " +
          "(sAMAccountName=<userid>) under the user search base with its service account, then binds as the " +
          "user's DN with the password the user typed. A successful bind is a successful authentication.",
        matches: [
          LDAP,
          { lane: ["ldap"] },
          { label: /cucm-uds|clusterUser|\bUDS\b|authenticat(?:e|ed|ion failed) user/ },
          {
            kind: ["http.request", "http.response"],
            lane: ["cucm"],
            notLabel: /ssosp|access_token|authorize_proxy|refresh|jabber-config|\.xml\b|tftp/i,
          },
        ],
      },
      {
        id: "config",
        title: "Configuration download",
        narration:
          "With the user authenticated, Jabber downloads its configuration: the service profile assigned to the " +
          "end user in CUCM (IM and Presence profile, voicemail profile, directory profile) and the " +
          "jabber-config.xml file from the TFTP server.",
        matches: [
          { label: /jabber-config|\.xml\b|tftp|service ?profile|config(?:uration)? (?:file|download)/i },
        ],
        optional: true,
      },
      {
        id: "soap",
        title: "IM&P SOAP login and one-time password",
        narration:
          "Jabber sends a SOAP login request to the Client Profile Agent on IM&P. The Client Profile Agent has the " +
          "Tomcat security service authenticate the user against the directory (an IMS result code 0 is a success; " +
          "1 to 5 say why it failed) and checks the user is enabled for presence, then creates a session and " +
          "answers with a session key. Jabber then asks for get-onetime-password: the token it will present to the " +
          "XCP services instead of the password.",
        matches: [
          { kind: ["soap.*"] },
          { label: /SOAP |IMS result|onetime|one-time|login error|\blerr\b|LERR_/ },
        ],
      },
      {
        id: "xmpp",
        title: "XMPP SASL",
        narration:
          "Jabber connects to the XCP Connection Manager on IM&P and authenticates the XMPP stream with SASL " +
          "mechanism CISCO-VTG-TOKEN, carrying the one-time password. The Connection Manager passes it, through the " +
          "XCP Router, to the XCP Authentication Service in an xdb packet; the Authentication Service verifies the " +
          "token and answers success, and the Connection Manager tells Jabber: <success/>. Jabber is signed in to IM.",
        matches: [XMPP, { label: /SASL|xdb |stream:features|token (?:valid|invalid)/ }],
      },
      {
        id: "phone",
        title: "Phone services (SIP registration or CTI)",
        narration:
          "Jabber turns on phone services: as a softphone it registers its CSF device to CUCM over SIP (a 401 " +
          "challenge, then a REGISTER with credentials and 200 OK); in deskphone mode it opens a CTI provider on the " +
          "CTI Manager and takes control of the user's desk phone.",
        matches: [
          { kind: ["sip.*", "cti.*"] },
          { label: /^CTI |\bCti[A-Z]|\bREGISTER\b|EndPoint(?:Un)?[Rr]egistered/ },
        ],
        optional: true,
      },
    ],
  },
  {
    id: "mra-oauth",
    title: "MRA login with OAuth",
    phases: [
      EDGE_DISCOVERY,
      {
        id: "get-edge-sso",
        title: "get_edge_sso",
        narration:
          "With OAuth the first request after the _collab-edge lookup is no longer get_edge_config but " +
          "get_edge_sso?email=<user>. Expressway-E relays it to Expressway-C and CUCM, and answers with the " +
          'SSOResult: whether SAML SSO is enabled and whether token reuse is on (Token reuse="true" means OAuth ' +
          "with refresh login: Jabber will ask for an authorization code and keep a refresh token).",
        matches: [{ label: /get_edge_sso|TokenReuse/ }],
      },
      {
        id: "authorize",
        title: "Authorize and local authentication",
        narration:
          "Jabber needs credentials for its authenticator, so its embedded browser opens " +
          "authorize?response_type=code&realm=local&client_id=<Jabber's client id>&state=<n> on Expressway-E, which " +
          "shows the login form. The user's credentials go back in POST localauthentication, relayed to " +
          "Expressway-C. Expressway-C finds the user's UDS server (GET cucm-uds/clusterUser) and, once the user is " +
          "found, sends POST authorize_proxy to CUCM's OAuth server with the credentials and the client id.",
        matches: [
          {
            label:
              /^(?:GET|POST) (?:authorize|localauthentication|clusterUser|authorize_proxy)\b|clusterUser|SSO credentials|needs authorization/,
          },
          { label: /localauthentication/, notLabel: /^302\b/ },
        ],
      },
      {
        id: "authorization-code",
        title: "Authorization code",
        narration:
          "CUCM authenticates the user and answers authorize_proxy with 200 OK and a redirect URI carrying the " +
          "authorization code (valid for 299 seconds) and the same state. Expressway-C logs a successful " +
          "authorization and redirects the client: 302 Found to Expressway-E and on to Jabber, Location " +
          "/OAuthcb#code=.... Jabber follows it (GET OAuthcb) and Expressway-E answers Authorization Complete itself.",
        matches: [
          {
            label:
              /authorize_proxy|Successful authorization|Redirected client|^302\b.*localauthentication|OAuthcb/,
          },
        ],
      },
      {
        id: "tokens",
        title: "Access and refresh tokens",
        narration:
          "The authorization code and the client id are exchanged for tokens: POST ssosp/token/access_token with " +
          "grant_type=authorization_code to CUCM's OAuth server. CUCM answers with an access token (Bearer, 3600 s " +
          "by default), presented to every service from now on, and a refresh token (60 days by default), with which " +
          "Jabber gets new access tokens without signing in again.",
        matches: [
          { kind: ["token.issue"] },
          { label: /access_token|refresh[_ ]token|grant_type|JWT claims|\btoken\b.*\bissue|issue .*token/i },
        ],
      },
      {
        id: "token-validation",
        title: "Token validation",
        narration:
          "Expressway-C validates the access token itself (POST OAuthvalidator?reqtype=access): the credential " +
          "manager checks it against the signing and encryption keys it fetched from the CUCM OAuth server (Matched " +
          "AuthZ key, per issuer) and accepts it. From now on requests carry Authorization: Bearer <access token> " +
          "instead of the user's password.",
        matches: [
          { kind: ["token.validate"] },
          { label: /OAuthvalidator|token validation|Access Token (?:accepted|rejected)/i },
        ],
      },
      GET_EDGE_CONFIG_MRA,
      XMPP_EDGE,
    ],
  },
  {
    id: "mra",
    title: "MRA login (credentials)",
    phases: [EDGE_DISCOVERY, GET_EDGE_CONFIG_MRA, XMPP_EDGE, PHONE_EDGE],
  },
  {
    id: "cti",
    title: "CTI deskphone control",
    phases: [
      {
        id: "provider-open",
        title: "Provider open",
        narration:
          "Jabber, in deskphone mode, connects to the CTI Manager service on CUCM (port 2748) and sends a " +
          "ProviderOpenRequest with the user's login. The CTI Manager answers with a ProviderOpenResponse carrying " +
          "the provider id; the provider is usable only once a ProviderOpenCompletedEvent without a failure reason " +
          "follows the authentication.",
        matches: [{ label: /ProviderOpen|ProviderOutOfService/ }],
      },
      {
        id: "ldap-auth",
        title: "LDAP authentication",
        narration:
          "The CTI Manager starts the end user's authentication (CtiProceedWithAppLogin, CtiLoginCheckReq): it " +
          "decrypts the password, connects to the LDAP server configured for authentication and binds with the " +
          "service account (the LDAP administrator), searches the user's entry (sAMAccountName) under the user " +
          "search base, then binds as the user's DN with the user's password. CtiLoginCheckRes result=Success closes it.",
        matches: [
          LDAP,
          { lane: ["ldap"] },
          { label: /CtiProceedWithAppLogin|CtiLoginCheck|authenticat(?:ed|ion failed) user/ },
        ],
      },
      {
        id: "user-settings",
        title: "User settings",
        narration:
          "The CTI Manager reads the user's CTI settings from the database (CtiUserSettingsReq) and checks the user " +
          "has the permissions to control a phone: CTI Enabled, in the Standard CTI Enabled group (and the " +
          "super-provider, park and monitoring rights).",
        matches: [{ label: /CtiUserSettings/ }],
      },
      {
        id: "device-open",
        title: "Device open",
        narration:
          "Jabber sends a DeviceOpenRequest for the desk phone it is going to control (SEP<MAC>). The CTI Manager " +
          "checks the device is associated with the user and answers DeviceOpenResponse with result 0.",
        matches: [{ label: /DeviceOpen/ }],
      },
      {
        id: "in-service",
        title: "In service",
        narration:
          "The CTI Manager reports DeviceInServiceEvent: the desk phone is registered and under control, and Jabber " +
          "can make and answer calls on it.",
        matches: [{ label: /InService/ }],
      },
    ],
  },
  {
    id: "lync",
    title: "Lync sign-in",
    phases: [
      {
        id: "discovery",
        title: "Discovery",
        narration:
          "The Lync client finds its pool from the SIP address's domain: DNS SRV _sipinternaltls._tcp (inside), " +
          "_sip._tls (outside, the Edge), then the A records sipinternal, sip, sipexternal; newer clients first ask " +
          "lyncdiscover for the autodiscover service.",
        matches: [DNS, { label: /lyncdiscover|autodiscover|_sipinternal|_sip\._tls|_sipfederation/i }],
      },
      {
        id: "register",
        title: "REGISTER and authentication",
        narration:
          "The client REGISTERs with the pool without credentials (CSeq 1) and gets 401 Unauthorized listing the " +
          "security packages the server accepts (NTLM, Kerberos, TLS-DSK) with the target name. The client picks " +
          "one and runs its handshake in further REGISTERs of the same Call-ID (CSeq 2, 3, ...), each answered by a " +
          "401 carrying the server's part in gssapi-data, until the signed REGISTER gets 200 OK with the client's " +
          "GRUU and the events it may subscribe to.",
        matches: [{ label: /\bREGISTER\b|\bNEGOTIATE\b/ }],
      },
      {
        id: "provisioning",
        title: "In-band provisioning",
        narration:
          "Signed in, the client fetches its configuration in band: SUBSCRIBE to vnd-microsoft-provisioning-v2 " +
          "(the server's policies, the meeting and voice settings), SUBSCRIBE to its roaming contacts and groups, and " +
          "SERVICE requests such as the default location profile, which only users enabled for Enterprise Voice (UC " +
          "enabled) have.",
        matches: [
          {
            label: /SUBSCRIBE|NOTIFY|provisioning|locationprofile|\bSERVICE\b/i,
            notLabel: /presence|conferenc|focus/i,
          },
        ],
      },
      {
        id: "presence",
        title: "Presence publication",
        narration:
          "The client publishes its presence (state, note, calendar and device categories) with SERVICE or PUBLISH " +
          "requests, and subscribes to its own categories (roaming self) to learn what other endpoints published.",
        matches: [{ label: /\bPUBLISH\b|presence|roaming-self/i }],
      },
      {
        id: "conferencing",
        title: "Conferencing set-up",
        narration:
          "Finally the client asks the focus factory for its conferencing details with SERVICE requests (C3P " +
          "getAvailableMcuTypes, addConference), so that it can start Meet Now and scheduled meetings.",
        matches: [{ label: /conferenc|focus|C3P|addConference|\bMCU\b/i }],
      },
    ],
  },
];

export const FLOW_BY_ID = new Map<string, Flow>(FLOWS.map((f) => [f.id, f]));

/** How a session's flow is told from its messages, most specific first. */
export const FLOW_RULES: { flow: Exclude<FlowId, "unknown">; matches: MessagePattern[] }[] = [
  { flow: "lync", matches: [{ laneLike: /^lync-/ }] },
  {
    flow: "mra-oauth",
    matches: [
      {
        label:
          /get_edge_sso|localauthentication|authorize_proxy|access_token|OAuthvalidator|OAuthcb|OAUTHBEARER|\bauthorize\b/,
      },
      { kind: ["token.*"] },
    ],
  },
  { flow: "mra", matches: [{ lane: ["expe", "expc"] }, { label: /get_edge_config|_collab-edge/ }] },
  { flow: "cti", matches: [{ kind: ["cti.*"] }, { label: /^CTI |\bCti[A-Z]|ProviderOpen|DeviceOpen/ }] },
  {
    flow: "onprem",
    matches: [
      { kind: ["soap.*", "xmpp.*", "ldap.*", "dns.*"] },
      { label: /SOAP |cucm-uds|_cisco-uds|_cuplogin|LDAP |SASL|IMS result|\blerr\b|LERR_/ },
      // A softphone's registration alone: Jabber's phone services on premises.
      { kind: ["sip.*"], lane: ["jabber", "cucm"] },
      { label: /EndPoint(?:Un)?[Rr]egistered/ },
    ],
  },
];

/**
 * The model's flow wins unless it is unknown, or the messages say more: a session the model
 * calls on-premises whose messages cross Expressway is an MRA login (an XMPP SASL exchange alone
 * looks on-premises to the model), and an MRA login showing OAuth is an OAuth login.
 */
const REFINES: Record<string, FlowId[]> = {
  unknown: ["onprem", "mra-oauth", "mra", "cti", "lync"],
  onprem: ["mra", "mra-oauth"],
  mra: ["mra-oauth"],
};

export function inferFlow(messages: MessageJson[]): FlowId {
  return new FlowTables([]).infer(messages);
}

/**
 * `bundle`: every message of the model. An MRA session in a bundle that shows OAuth elsewhere
 * (IM&P offering OAUTHBEARER, tokens issued) is part of an OAuth login: Jabber's own half of a
 * failed XMPP login names no OAuth step.
 */
export function decideFlow(modelFlow: string, messages: MessageJson[], bundle: MessageJson[] = []): FlowId {
  return new FlowTables(bundle).decide(modelFlow, messages);
}

/**
 * The flow rules and phases compiled for one model (see PatternList), each flow's phases when
 * first needed; and whether the bundle shows OAuth, found once for all its sessions (it was a
 * scan of the whole bundle for every MRA session).
 */
class FlowTables {
  private readonly rules = FLOW_RULES.map((r) => ({ flow: r.flow, patterns: new PatternList(r.matches) }));
  private readonly oauth = this.rules.find((r) => r.flow === "mra-oauth")!.patterns;
  private readonly phases = new Map<Flow, PhaseMatcher>();
  private bundleShowsOAuth: boolean | undefined;

  constructor(private readonly bundle: MessageJson[]) {}

  /** The first rule that any of the messages matches. */
  infer(messages: MessageJson[]): FlowId {
    for (const r of this.rules) for (const m of messages) if (r.patterns.test(m)) return r.flow;
    return "unknown";
  }

  decide(modelFlow: string, messages: MessageJson[]): FlowId {
    let inferred = this.infer(messages);
    if (inferred === "mra" && this.showsOAuth()) inferred = "mra-oauth";
    if (REFINES[modelFlow]?.includes(inferred)) return inferred;
    return FLOW_BY_ID.has(modelFlow) ? (modelFlow as FlowId) : inferred;
  }

  phasesOf(flow: Flow): PhaseMatcher {
    let matcher = this.phases.get(flow);
    if (!matcher)
      this.phases.set(flow, (matcher = new PhaseMatcher(flow.phases.map((p) => new PatternList(p.matches)))));
    return matcher;
  }

  private showsOAuth(): boolean {
    if (this.bundleShowsOAuth === undefined) {
      this.bundleShowsOAuth = false;
      for (const m of this.bundle)
        if (this.oauth.test(m)) {
          this.bundleShowsOAuth = true;
          break;
        }
    }
    return this.bundleShowsOAuth;
  }
}

export interface PhaseProgress {
  id: string;
  title: string;
  messages: number[];
  reached: boolean;
}

export interface SessionAnalysis {
  user: string | null;
  flow: FlowId;
  phases: PhaseProgress[];
  reached: string[];
  stoppedAt: string | null;
  outcome: string;
}

/** The phase id of each of the session's messages (null: none of the flow's phases names it). */
export function assignPhases(flow: Flow | undefined, messages: MessageJson[]): Map<number, string | null> {
  const at = flow
    ? phaseIndexes(new PhaseMatcher(flow.phases.map((p) => new PatternList(p.matches))), messages)
    : undefined;
  const phaseOf = new Map<number, string | null>();
  messages.forEach((m, i) => phaseOf.set(m.id, at && at[i]! >= 0 ? flow!.phases[at[i]!]!.id : null));
  return phaseOf;
}

/**
 * A flow's phases, with a prefilter: the phases whose patterns all name a label are ruled out
 * together when the message's label fails their joined expressions (LabelUnion), and only the
 * others are tried, in order (the first that matches is the same either way).
 */
class PhaseMatcher {
  private readonly union: LabelUnion | null;
  private readonly all: number[];
  private readonly labelFree: number[];

  constructor(private readonly phases: PatternList[]) {
    const labels = phases.map((p) => p.labels());
    this.union = LabelUnion.of(labels.flatMap((l) => l ?? []));
    this.all = phases.map((_, i) => i);
    this.labelFree = this.union ? this.all.filter((i) => labels[i] === null) : this.all;
  }

  /** The place of the first phase that `m` matches, or -1. */
  first(m: MessageJson): number {
    const run = this.union === null || this.union.test(m.label) ? this.all : this.labelFree;
    const phases = this.phases;
    for (let k = 0; k < run.length; k++) if (phases[run[k]!]!.test(m)) return run[k]!;
    return -1;
  }
}

/**
 * The place in the flow's phases of the phase of each message, by its place in `messages` (-1:
 * none). A message belongs to the first phase whose patterns match it; one that no phase names
 * takes the phase of the first message of its dialog that has one. A flow's phase ids are
 * distinct, so a phase is known by its place.
 */
function phaseIndexes(phases: PhaseMatcher, messages: MessageJson[]): Int32Array {
  const at = new Int32Array(messages.length).fill(-1);
  const dialogPhase = new Map<string, number>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const p = phases.first(m);
    if (p >= 0) {
      at[i] = p;
      if (m.dialog && !dialogPhase.has(m.dialog)) dialogPhase.set(m.dialog, p);
    }
  }
  // A diagnostic or a bare response inside a dialog belongs where the dialog's request does.
  if (dialogPhase.size > 0)
    for (let i = 0; i < messages.length; i++) {
      const dialog = messages[i]!.dialog;
      if (at[i] === -1 && dialog) at[i] = dialogPhase.get(dialog) ?? -1;
    }
  return at;
}

export function analyzeSession(
  session: SessionJson,
  byId: MessageIndex,
  bundle: MessageJson[] = [],
): SessionAnalysis {
  return analyzeWith(new FlowTables(bundle), session, byId);
}

function analyzeWith(tables: FlowTables, session: SessionJson, byId: MessageIndex): SessionAnalysis {
  const messages: MessageJson[] = [];
  const ids = session.messages;
  for (let i = 0; i < ids.length; i++) {
    const m = byId.get(ids[i]!);
    if (m !== undefined) messages.push(m);
  }
  const flowId = tables.decide(session.flow, messages);
  const flow = FLOW_BY_ID.get(flowId);
  // Plain loops below, no callbacks: this runs for every session.
  if (!flow) {
    // No phases: any failure fails the session, and nothing says where it stopped.
    let failed = false;
    for (let i = 0; i < messages.length && !failed; i++) failed = messages[i]!.failed;
    const outcome = failed ? "failure" : session.outcome === "failure" ? "success" : session.outcome;
    return { user: session.user, flow: flowId, phases: [], reached: [], stoppedAt: null, outcome };
  }
  const at = phaseIndexes(tables.phasesOf(flow), messages);
  const phases: PhaseProgress[] = [];
  for (const p of flow.phases) phases.push({ id: p.id, title: p.title, messages: [], reached: false });
  // The ids of each phase's messages, in order: one pass over the messages, not one per phase.
  for (let i = 0; i < messages.length; i++) if (at[i]! >= 0) phases[at[i]!]!.messages.push(messages[i]!.id);
  const reached: string[] = [];
  let lastReached = -1;
  for (let p = 0; p < phases.length; p++) {
    const phase = phases[p]!;
    if (phase.messages.length === 0) continue;
    phase.reached = true;
    reached.push(phase.id);
    lastReached = p;
  }
  const stop = stoppedAt(flow, messages, at, lastReached);
  // A failure the login got past (a missing internal SRV record before the edge answered, a
  // challenge later met) does not fail the session; one with no later phase reached does.
  let blocking = false;
  for (let i = 0; i < messages.length && !blocking; i++)
    blocking = messages[i]!.failed && (at[i]! < 0 || !(lastReached > at[i]!));
  const outcome = blocking
    ? "failure"
    : session.outcome === "failure"
      ? stop === null
        ? "success"
        : "incomplete"
      : session.outcome;
  return { user: session.user, flow: flowId, phases, reached, stoppedAt: stop, outcome };
}

/**
 * Where the login stopped: the phase of the first failure the login did not get past (a 401
 * challenge or a missing _cuplogin record followed by a later phase: the login went on), else
 * the first phase it should have reached next, else nowhere. `at`: each message's phase place.
 */
function stoppedAt(flow: Flow, messages: MessageJson[], at: Int32Array, lastReached: number): string | null {
  // The latest phase of the messages after each one, filled once from the end: a failure is got
  // past when a later message reached a later phase.
  let latestAfter: Int32Array | undefined;
  for (let i = 0; i < messages.length; i++) {
    if (!messages[i]!.failed || at[i]! < 0) continue;
    latestAfter ??= latestPhaseAfter(at);
    if (!(latestAfter[i]! > at[i]!)) return flow.phases[at[i]!]!.id;
  }
  // The phases after the last one reached are not reached: the first of them a login needs.
  for (let p = lastReached + 1; p < flow.phases.length; p++)
    if (!flow.phases[p]!.optional) return flow.phases[p]!.id;
  return null;
}

/** For each message, the greatest phase place of the messages after it (-1: none). */
function latestPhaseAfter(at: Int32Array): Int32Array {
  const out = new Int32Array(at.length);
  let latest = -1;
  for (let i = at.length - 1; i >= 0; i--) {
    out[i] = latest;
    if (at[i]! > latest) latest = at[i]!;
  }
  return out;
}

/** Flow, phases reached, where it stopped and the outcome of each session, in the model's order. */
export function analyzeSessions(model: ModelJson): SessionAnalysis[] {
  const byId = messageIndex(model);
  const tables = new FlowTables(model.messages);
  return model.sessions.map((s) => analyzeWith(tables, s, byId));
}

/** Sentences about particular messages, added to their phase's narration in the walkthrough. */
const MESSAGE_NOTES: { label: RegExp; note: string }[] = [
  { label: /token reuse/, note: "Token reuse is on: Jabber will use OAuth with refresh login." },
  {
    label: /^GET authorize\b/,
    note: "This opens the login form; state ties every later step to this grant.",
  },
  { label: /^GET clusterUser/, note: "Expressway-C asks which cluster (UDS server) the user lives on." },
  {
    label: /^200 OK authorize_proxy/,
    note: "The answer carries the authorization code in its redirect URI.",
  },
  {
    label: /^302\b.*localauthentication/,
    note: "The redirect hands the authorization code to Jabber: Location /OAuthcb#code=....",
  },
  {
    label: /^200 OK access_token/,
    note: "The body holds the access token, the refresh token and their lifetimes.",
  },
  { label: /Access Token accepted/, note: "OAuth is complete: the access token is valid for this user." },
  {
    label: /SASL mechanisms .*OAUTHBEARER/,
    note: "IM&P offers OAUTHBEARER: it accepts OAuth access tokens.",
  },
  {
    label: /stream:features SASL \[CISCO-VTG-TOKEN\]/,
    note: "Only CISCO-VTG-TOKEN is offered to Jabber: no OAUTHBEARER.",
  },
  {
    label: /SASL: no common mechanism/,
    note: "Jabber has an access token but the server offers no mechanism that takes it.",
  },
  { label: /^IMS result 0/, note: "IMS result code 0: the directory accepted the user's credentials." },
  {
    label: /^IMS result [1-5]\b/,
    note: "A non-zero IMS result code: the directory refused the login (see the finding).",
  },
  {
    label: /get-onetime-password: token/,
    note: "The one-time password is the token Jabber will give the XCP services.",
  },
  {
    label: /^SASL auth CISCO-VTG-TOKEN/,
    note: "CISCO-VTG-TOKEN carries the user id and the one-time password, base64-encoded.",
  },
  {
    label: /^SASL success/,
    note: "The XMPP stream is authenticated: Jabber is signed in to IM and presence.",
  },
  { label: /^LDAP search/, note: "The search runs as the service account, to find the user's DN." },
  {
    label: /^LDAP bind CN=/,
    note: "This bind uses the user's own DN and password: it is the authentication.",
  },
  { label: /^bind success/, note: "The directory accepted the bind." },
  {
    label: /^401 Unauthorized REGISTER/,
    note: "A challenge, not a failure: the client answers it with credentials.",
  },
  { label: /^200 OK REGISTER/, note: "Registered." },
  { label: /DeviceInService/, note: "Deskphone control works from here on." },
];

/** One paragraph about one message: its phase and why it happens, then what this message says. */
export function narrate(model: ModelJson, messageId: number): string {
  const byId = messageIndex(model);
  const m = byId.get(messageId);
  if (!m) return `No message ${messageId} in this model.`;
  const session = model.sessions.find((s) => s.messages.includes(messageId));
  const messages = session
    ? session.messages.map((id) => byId.get(id)).filter((x): x is MessageJson => x !== undefined)
    : [m];
  const flow = FLOW_BY_ID.get(decideFlow(session?.flow ?? "unknown", messages, model.messages));
  const phaseId = assignPhases(flow, messages).get(messageId) ?? null;
  const phase = flow?.phases.find((p) => p.id === phaseId);
  const parts: string[] = [];
  if (phase) parts.push(`${phase.title}. ${phase.narration}`);
  parts.push(describeMessage(m));
  const note = MESSAGE_NOTES.find((n) => n.label.test(m.label))?.note;
  if (note) parts.push(note);
  return parts.join(" ");
}

function describeMessage(m: MessageJson): string {
  const from = productName(m.from);
  const to = productName(m.to);
  const what =
    m.from === m.to ? `${capital(from)} logs "${m.label}"` : `${capital(from)} to ${to}: "${m.label}"`;
  const status = m.status && !m.label.includes(m.status) ? ` (status ${m.status})` : "";
  const failed = m.failed ? "; this is a failure" : "";
  const seen =
    m.from !== m.to && m.seenBy.length === 1 ? `; only ${productName(m.seenBy[0]!)} logged it` : "";
  return `This message: ${what}${status}${failed}${seen}.`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
