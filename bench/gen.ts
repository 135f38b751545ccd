/**
 * Synthetic multi-node bundle generator for ucsnoop's benchmark and scale tests.
 *
 *   npm run gen -- --out DIR --sessions N [--seed S] [--mb M]
 *
 * Writes the logs of N login sessions (one user each, user0001...) in the exact formats of the
 * seed samples in public/samples/: a Jabber client's jabber.log (rotated: jabber.log.1 .. is
 * older), Expressway-E and -C diagnostic logs, CUCM's Tomcat security log (log4j) and CTI
 * Manager SDL traces (rotated, numbered), IM&P's Client Profile Agent (EPASSoap) and XCP
 * Connection Manager / Authentication Service / Router logs. About 70% of the lines are
 * unrelated noise in each format. Each node's clock is off the Expressway-E's by a few hundred
 * ms. DIR/truth.json lists, per session, the messages a correct ladder shows (from, to, label)
 * and the failure it must show. Deterministic from --seed: same arguments, same bytes.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// ---- options, random --------------------------------------------------------------------------

export type Flow = "mra-oauth" | "onprem" | "cti";
export type FailureKind =
  | "sasl-mismatch"
  | "ims-1"
  | "ims-2"
  | "ims-3"
  | "ims-4"
  | "ims-5"
  | "lerr-14"
  | "ldap-bind-log4j"
  | "ldap-bind-sdl";

export interface GenOptions {
  out: string;
  sessions: number;
  seed: number;
  /** Share of failing sessions (0..1). */
  failureRate?: number;
  /** Share of noise lines in every file (0..1). */
  noise?: number;
}

export interface TruthMessage {
  from: string;
  to: string;
  label: string;
}

export interface TruthSession {
  index: number;
  user: string;
  flow: Flow;
  failure: FailureKind | null;
  /** Reference (Expressway-E, i.e. true) time window of the session, ISO. */
  start: string;
  end: string;
  messages: TruthMessage[];
  /** The failed message the ladder must show for a failing session. */
  expectedFailure: TruthMessage | null;
}

export interface Truth {
  seed: number;
  sessions: TruthSession[];
  /** Generated clock offsets per lane, ms (node clock minus Expressway-E's). */
  clockOffsetsMs: Record<string, number>;
  reference: "expe";
  files: { path: string; bytes: number; lines: number; noiseLines: number }[];
  bytes: number;
  lines: number;
  noiseLines: number;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- time formats ----------------------------------------------------------------------------

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function parts(ms: number) {
  const d = new Date(Math.round(ms));
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    tod: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    ms: pad(d.getUTCMilliseconds(), 3),
  };
}
/** `2020-03-24 22:31:00,962` (Jabber, log4j, Expressway UTCTime). */
function commaTime(ms: number): string {
  const p = parts(ms);
  return `${p.date} ${p.tod},${p.ms}`;
}
/** `08:59:16.944` (SDL, XCP). */
function todTime(ms: number): string {
  const p = parts(ms);
  return `${p.tod}.${p.ms}`;
}
/** Expressway's syslog prefix, local time at UTC-06:00: `2020-03-24T16:31:00.962-06:00`. */
function expPrefix(ms: number): string {
  const p = parts(ms - 6 * 3600000);
  return `${p.date}T${p.tod}.${p.ms}-06:00`;
}

// ---- output files ----------------------------------------------------------------------------

type FileId = "jabber" | "expe" | "expc" | "cucmSec" | "sdl" | "epas" | "xcpCm" | "xcpAuth" | "xcpRouter";
const LANE_OF: Record<FileId, string> = {
  jabber: "jabber",
  expe: "expe",
  expc: "expc",
  cucmSec: "cucm",
  sdl: "cucm",
  epas: "imp",
  xcpCm: "imp",
  xcpAuth: "imp",
  xcpRouter: "imp",
};
const FILE_IDS = Object.keys(LANE_OF) as FileId[];

/** A log file written in pieces; `rotate` starts the next one (jabber.log.N, SDL numbered). */
class Output {
  private fd = -1;
  private buffer: string[] = [];
  private buffered = 0;
  private current = 0;
  private parts: string[] = [];
  bytes = 0;
  lines = 0;
  noiseLines = 0;
  files: { path: string; bytes: number; lines: number; noiseLines: number }[] = [];
  private fileBytes = 0;
  private fileLines = 0;
  private fileNoise = 0;

  constructor(
    private readonly dir: string,
    private readonly partName: (n: number) => string,
    private readonly rotateBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.open();
  }

  private open(): void {
    const name = this.partName(this.parts.length);
    this.parts.push(name);
    this.fd = openSync(join(this.dir, name), "w");
    this.fileBytes = 0;
    this.fileLines = 0;
    this.fileNoise = 0;
  }

  write(text: string, noise: boolean): void {
    const n = Buffer.byteLength(text) + 1;
    const physical = countLines(text);
    if (this.fileBytes > 0 && this.fileBytes + n > this.rotateBytes) {
      this.closePart();
      this.open();
    }
    this.buffer.push(text, "\n");
    this.buffered += n;
    this.fileBytes += n;
    this.bytes += n;
    this.fileLines += physical;
    this.lines += physical;
    if (noise) {
      this.fileNoise += physical;
      this.noiseLines += physical;
    }
    if (this.buffered > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.buffered = 0;
  }

  private closePart(): void {
    this.flush();
    closeSync(this.fd);
    this.files.push({
      path: this.parts[this.current]!,
      bytes: this.fileBytes,
      lines: this.fileLines,
      noiseLines: this.fileNoise,
    });
    this.current++;
  }

  /** Close, then rename the parts to their final names (`final(i, count)`). */
  close(
    final: (i: number, count: number) => string,
  ): { path: string; bytes: number; lines: number; noiseLines: number }[] {
    this.closePart();
    const count = this.parts.length;
    const base = this.dir.split("/").pop()!;
    return this.files.map((f, i) => {
      const name = final(i, count);
      if (name !== f.path) renameSync(join(this.dir, f.path), join(this.dir, name));
      return { ...f, path: `${base}/${name}` };
    });
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

// ---- one session's lines ----------------------------------------------------------------------

interface Entry {
  file: FileId;
  /** True time, ms (the reference clock); the file's own clock adds its node's offset. */
  t: number;
  text: (local: number) => string;
  noise: boolean;
}

/** Per-node counters that keep ids consistent and unique across the whole bundle. */
interface Counters {
  expeTxn: number;
  expcTxn: number;
  expePort: number;
  expcPort: number;
  xdb: number;
  sdlSeq: number;
  ctiProvider: number;
  ctiConn: number;
}

const E_HOST = "labucexpye01";
const C_HOST = "labucexpyc01";
const DOMAIN_SEGMENT = "Ym91bGRlcm1lZGljYWxjZW50ZXIuY29t";
const CLIENT_ID = "C1b4b988f3efa1c3fc97d0d0a36f6b97f244b4fafe55e8d9d78774e305bae9ab1";
const IMP_NODE = "10-106-89-222";
const E_PID = 16087;
const C_PID = 14358;
const XCP_E_PID = 16268;
const XCP_C_PID = 28071;

class SessionWriter {
  entries: Entry[] = [];
  truth: TruthMessage[] = [];
  constructor(readonly r: () => number) {}
  add(file: FileId, t: number, text: (local: number) => string, noise = false): void {
    this.entries.push({ file, t, text, noise });
  }
  expect(from: string, to: string, label: string): void {
    this.truth.push({ from, to, label });
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(this.r() * 16)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
}

function jabberLine(level: string, thread: string, file: string, logger: string, fn: string, msg: string) {
  return (l: number) => `${commaTime(l)} ${level} [${thread}] [${file}] [${logger}] [${fn}] - ${msg}`;
}

/** MRA OAuth login through Expressway-E and -C to CUCM (seed 001, 2020-03-24), optionally failing at SASL. */
function mraSession(
  w: SessionWriter,
  c: Counters,
  user: string,
  t0: number,
  failure: FailureKind | null,
): number {
  const email = `${user}@lab.com`;
  const state = String(1000000000 + w.int(0, 999999999));
  const device = w.uuid();
  const thread = `0x0000${w.hex(4)}`;
  const ip = `81.157.${w.int(1, 254)}.${w.int(1, 254)}`;
  const txn = c.expeTxn;
  c.expeTxn += 4;
  const ctxn = c.expcTxn++;
  const port = (c.expePort = 49152 + ((c.expePort - 49152 + 2) % 16000));
  const cport = (c.expcPort = 32768 + ((c.expcPort - 32768 + 1) % 28000));
  const tsPre = (level: string, rest: string) => (l: number) =>
    `${expPrefix(l)} ${E_HOST} traffic_server[${E_PID}]: UTCTime="${commaTime(l)}" Module="network.http.trafficserver" Level="${level}": ${rest}`;
  const authorizeQuery = `response_type=code&realm=local&client_id=${CLIENT_ID}&device_id=${device}&email=${email}&state=${state}`;
  /** E logs a request it receives twice: INFO with its request line, DEBUG with its HTTPMSG block. */
  const eReceive = (at: number, id: number, srcPort: number, request: string, block: string[]) => {
    const src = `Txn-id="${id}" Src-ip="${ip}" Src-port="${srcPort}"`;
    w.add("expe", at, tsPre("INFO", `Detail="Receive Request" ${src} Msg="${request}"`));
    w.add("expe", at, (l) =>
      [tsPre("DEBUG", `Detail="Receive Request" ${src}`)(l), "HTTPMSG:", ...block].join("\n"),
    );
  };

  // get_edge_sso: Jabber -> E (E logs it), E answers token reuse; Jabber logs the answer.
  let t = t0;
  const l1 = w.int(8, 60);
  const eRecv = t + l1;
  const edgeSso = `GET https:///${DOMAIN_SEGMENT}/get_edge_sso?email=${email} HTTP/1.1`;
  eReceive(eRecv, txn, port, edgeSso, [
    `|${edgeSso}`,
    `Host: ${E_HOST}.lab.com:8443`,
    "Accept: */*",
    "User-Agent: Jabber/12.8.0.51920 (Windows;)",
  ]);
  const eResp = eRecv + w.int(0, 2);
  w.add("expe", eResp, (l) =>
    [
      `${expPrefix(l + 1)} ${E_HOST} traffic_server[${E_PID}]: UTCTime="${commaTime(l)}" Module="network.http.trafficserver" Level="DEBUG": Detail="Sending response" Response-code="200" Txn-id="${txn}" Dst-ip="${ip}" Dst-port="${port}"`,
      "MSGBODY:",
      "|<?xml version='1.0' encoding='UTF-8'?>",
      '<SSOResult version="1.0">',
      "     <Response>",
      "        <SingleSignOn>",
      '            <Status enabled="false"/>',
      '            <Token reuse="true"/>',
      "        </SingleSignOn>",
      "     </Response>",
      "</SSOResult>",
    ].join("\n"),
  );
  w.expect("jabber", "expe", "GET get_edge_sso");
  w.expect("expe", "jabber", "200 get_edge_sso (token reuse)");
  const jRecv = eResp + w.int(8, 60);
  w.add(
    "jabber",
    jRecv,
    jabberLine(
      "INFO",
      thread,
      "rvices\\impl\\system\\SingleSignOn.cpp(206)",
      "Single-Sign-On-Logger",
      "CSFUnified::SingleSignOn::Impl::isAuthenticatorTokenReuseEnabled",
      "TokenReuse enabled for 1001",
    ),
  );
  w.add(
    "jabber",
    jRecv,
    jabberLine(
      "DEBUG",
      thread,
      "rvices\\impl\\system\\SingleSignOn.cpp(329)",
      "Single-Sign-On-Logger",
      "CSFUnified::SingleSignOn::Impl::setCredentialAuthorizationMode",
      "",
    ),
  );
  w.add(
    "jabber",
    jRecv,
    jabberLine(
      "INFO",
      thread,
      "\\impl\\system\\UserProfileManager.cpp(153)",
      "UserProfileManager",
      "CSFUnified::UserProfileManager::Impl::getCredentialsForAuthenticator",
      "for authenticator: 1001",
    ),
  );
  w.add(
    "jabber",
    jRecv,
    jabberLine(
      "DEBUG",
      thread,
      "vices\\impl\\system\\SingleSignOn.cpp(2044)",
      "Single-Sign-On-Logger",
      "CSFUnified::SingleSignOn::Impl::currentServiceNeedsAuthorization",
      "creds->getSecureOAuthToken().empty() for service: 1001",
    ),
  );
  w.add(
    "jabber",
    jRecv,
    jabberLine(
      "DEBUG",
      thread,
      "bwindowplugin\\browsercontroller.cpp(167)",
      "PluginUtils",
      "BrowserController::NavigateTo",
      `Enter - url = https://${E_HOST}.lab.com:8443/${DOMAIN_SEGMENT}/authorize?${authorizeQuery}`,
    ),
  );
  w.expect("jabber", "jabber", "SSO credentials for authenticator 1001");
  w.expect("jabber", "jabber", "SSO service 1001 needs authorization");
  // authorize: E receives it.
  const eAuth = jRecv + w.int(8, 60);
  eReceive(
    eAuth,
    txn + 1,
    port + 2,
    `GET https:///${DOMAIN_SEGMENT}/authorize?${authorizeQuery} HTTP/1.1`,
    [],
  );
  w.expect("jabber", "expe", "GET authorize");

  // The user types the password: localauthentication through E to C.
  t = eAuth + w.int(400, 1500);
  const localAuth = `POST https:///${DOMAIN_SEGMENT}/localauthentication HTTP/1.1`;
  eReceive(t, txn + 2, port + 2, localAuth, [
    `|${localAuth}`,
    "Accept: image/gif, image/jpeg, image/pjpeg, application/x-ms-application, application/xaml+xml, application/x-ms-xbap, */*",
    `Referer: https://${E_HOST}.lab.com:8443/${DOMAIN_SEGMENT}/authorize?${authorizeQuery}`,
  ]);
  w.expect("jabber", "expe", "POST localauthentication");
  w.expect("expe", "expc", "POST localauthentication");
  const cRecv = t + w.int(1, 10);
  w.add(
    "expc",
    cRecv,
    (l) =>
      `${expPrefix(l)} ${C_HOST} traffic_server[${C_PID}]: UTCTime="${commaTime(l)}" Module="network.http.trafficserver" Level="INFO": Detail="Receive Request" Txn-id="${ctxn}" Src-ip="127.0.0.1" Src-port="${cport}" Last-via-addr="10.10.1.44" Msg="POST http://vcs_control.lab.com:8443/${DOMAIN_SEGMENT}/localauthentication HTTP/1.1"`,
  );
  const ecp = (module: string, rest: string, body: string[]) => (l: number) =>
    [
      `${expPrefix(l)} ${C_HOST} edgeconfigprovisioning UTCTime="${commaTime(l)}" Module="${module}" Level="DEBUG" ${rest}`,
      "HTTPMSG:",
      ...body,
    ].join("\n");
  let tc = cRecv + w.int(1, 3);
  w.add(
    "expc",
    tc,
    ecp(
      "network.http.edgeconfigprovisioning",
      `Action="Send" Url="https://av-cucm.lab.com:8443/cucm-uds/clusterUser?username=<CONCEALED>"`,
      ["|GET //av-cucm.lab.com:8443/cucm-uds/clusterUser?username=<CONCEALED>|"],
    ),
  );
  tc += w.int(60, 160);
  w.add(
    "expc",
    tc,
    ecp(
      "network.http.edgeconfigprovisioning",
      `Action="Received" Request-url="https://av-cucm.lab.com:8443/cucm-uds/clusterUser?username=<CONCEALED>"`,
      [
        "|HTTP/1.1 200 OK",
        "-----",
        "X-Content-Type-Options: ['nosniff']",
        "Expires: ['Wed, 31 Dec 1969 17:00:00 MST']",
        "----",
        "Content-Type: ['application/xml']",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><clusterUser version="11.5.1" uri="https://cucm.lab.com:8443/cucm-uds/clusterUser?username=<CONCEALED',
      ],
    ),
  );
  w.expect("expc", "cucm", "GET clusterUser");
  w.expect("cucm", "expc", "200 OK clusterUser");
  tc += 1;
  w.add(
    "expc",
    tc,
    ecp(
      "network.http.sso.server",
      `Action="Send" Url="https://cucm.lab.com:8443/ssosp/token/authorize_proxy"`,
      [
        "|POST //cucm.lab.com:8443/ssosp/token/authorize_proxy HTTP/1.1",
        "X-Credentials: <CONCEALED>",
        "Content-Type: ['application/x-www-form-urlencoded']",
        "Authorization: <CONCEALED>",
        "User-Agent: ['TANDBERG-Video-Communication-Server/X12.5.7']",
        `client_id=${CLIENT_ID}&response_type=code&realm=local&state=${state}`,
      ],
    ),
  );
  tc += w.int(100, 250);
  w.add(
    "expc",
    tc,
    ecp(
      "network.http.sso.server",
      `Action="Received" Request-url="https://av-cucm.lab.com:8443/ssosp/token/authorize_proxy"`,
      [
        "|HTTP/1.1 200 OK",
        `{"redirect_uri":"https://cucm:8443/ssosp/public/OAuthcb#code=<CONCEALED>&expires_in=299&realm=local&state=${state}"}`,
        "|",
      ],
    ),
  );
  w.expect("expc", "cucm", "POST authorize_proxy");
  w.expect("cucm", "expc", "200 OK authorize_proxy");
  const dport = w.int(32768, 60000);
  tc += w.int(2, 5);
  w.add(
    "expc",
    tc,
    (l) =>
      `${expPrefix(l)} ${C_HOST} edgeconfigprovisioning: Level="INFO" Event="Edge OAuth/SSO" Service="OAuth/SSO" Detail="Successful authorization" Dst-ip="127.0.0.1" Dst-port="${dport}" Local-ip="127.0.0.1" Local-port="22111" Server="10.12.1.172" Username="${user}" UTCTime="${commaTime(l)}"`,
  );
  tc += 1;
  w.add(
    "expc",
    tc,
    (l) =>
      `${expPrefix(l)} ${C_HOST} edgeconfigprovisioning: Level="INFO" Event="Edge SSO" Service="OAuth/SSO" Detail="Redirected client" Dst-ip="127.0.0.1" Dst-port="${dport}" Local-ip="127.0.0.1" Local-port="22111" Redirect="/OAuthcb#code=Hidden" Username="${user}" UTCTime="${commaTime(l)}"`,
  );
  w.expect("expc", "expc", "Edge OAuth/SSO: Successful authorization");
  w.expect("expc", "expc", "Edge SSO: Redirected client");
  tc += 1;
  w.add("expc", tc, (l) =>
    [
      `${expPrefix(l)} ${C_HOST} traffic_server[${C_PID}]: UTCTime="${commaTime(l)}" Module="network.http.trafficserver" Level="DEBUG": Detail="Sending Response" Txn-id="${ctxn}" Dst-ip="127.0.0.1" Dst-port="${cport}"`,
      "HTTPMSG:",
      "|HTTP/1.1 302 Found",
      "Location: /OAuthcb#code=<CONCEALED>|",
    ].join("\n"),
  );
  w.expect("expc", "expe", "302 Found localauthentication");
  const e302 = tc + w.int(1, 5);
  w.add("expe", e302, (l) =>
    [
      tsPre(
        "DEBUG",
        `Detail="Sending Response" Txn-id="${txn + 2}" Dst-ip="${ip}" Dst-port="${port + 2}"`,
      )(l),
      "HTTPMSG:",
      "|HTTP/1.1 302 Found",
      "Location: /OAuthcb#code=<CONCEALED>|",
    ].join("\n"),
  );
  w.expect("expe", "jabber", "302 Found localauthentication");
  const eCb = e302 + w.int(60, 200);
  w.add("expe", eCb, (l) =>
    [
      tsPre("DEBUG", `Detail="Receive Request" Txn-id="${txn + 3}" Src-ip="${ip}" Src-port="${port + 2}"`)(l),
      "HTTPMSG:",
      "|GET https:///OAuthcb HTTP/1.1",
      "----",
      `Referer: https://${E_HOST}.lab.com:8443/${DOMAIN_SEGMENT}/authorize?response_type=code&realm=local&client_id=---&email=${email}&state=${state}`,
    ].join("\n"),
  );
  w.add("expe", eCb, (l) =>
    [
      tsPre(
        "DEBUG",
        `Detail="Sending response" Response-code="200" Txn-id="${txn + 3}" Dst-ip="${ip}" Dst-port="${port + 2}"`,
      )(l),
      "MSGBODY:",
      "|<html>",
      "<head>",
      "<Title>Authorization Complete</Title>",
      '<script language="javascript">',
      'document.write("Authorization Complete");',
    ].join("\n"),
  );
  w.expect("jabber", "expe", "GET OAuthcb");
  w.expect("expe", "jabber", "200 OAuthcb");
  tc = eCb + w.int(400, 800);
  w.add(
    "expc",
    tc,
    ecp(
      "network.http.sso.server",
      `Action="Send" Url="https://av-cucm.lab.com:8443/ssosp/token/access_token"`,
      [
        "|POST //av-cucm.lab.com:8443/ssosp/token/access_token HTTP/1.1",
        "Content-Type: ['application/x-www-form-urlencoded']",
        "Authorization: <CONCEALED>",
        "User-Agent: ['TANDBERG-Video-Communication-Server/X12.5.7']",
        `code=<CONCEALED>&client_id=${CLIENT_ID}&grant_type=authorization_code`,
        "|HTTP/1.1 200 OK",
        '{ "expires_in":3600, "token_type":"Bearer",',
        `"refresh_token":"eyJhbGciOiJSUzI1Ni--------${w.hex(24)}",`,
        '"refresh_token_expires_in":5184000,',
        `"access_token":"eyJhbGciOiJSUzI1NiIsI---${w.hex(6)}" }`,
      ],
    ),
  );
  w.expect("expc", "cucm", "POST access_token");
  w.expect("cucm", "expc", "200 OK access_token");
  tc += w.int(80, 180);
  w.add(
    "expc",
    tc,
    ecp(
      "network.http.sso.server",
      `Action="Send" Url="http://127.0.0.1:9998/OAuthvalidator?reqtype=access"`,
      [
        "|POST //127.0.0.1:9998/OAuthvalidator?reqtype=access HTTP/1.1",
        "Content-Type: ['application/json']",
        '{"token": "<concealed>"}',
        "|",
      ],
    ),
  );
  w.expect("expc", "expc", "POST OAuthvalidator");
  const tv = tc + 3;
  w.add(
    "expc",
    tv,
    (l) =>
      `${expPrefix(l)} ${C_HOST} credentialmanager: Level="INFO" Detail="Access Token accepted" User="${user}" UTCTime="${commaTime(l)}"`,
  );
  w.add(
    "expc",
    tv,
    (l) =>
      `${expPrefix(l)} ${C_HOST} credentialmanager: UTCTime="${commaTime(l - 2)}" Module="developer.credentialmanager.OAuthinspector" Level="INFO" CodeLocation="OAuthinspector(331)" Detail="Token validation" Type="Access Token" Reason="Matched AuthZ key" Issuer="cucm.lab.com"`,
  );
  w.add(
    "expc",
    tv,
    (l) =>
      `${expPrefix(l)} ${C_HOST} credentialmanager: UTCTime="${commaTime(l - 1)}" Module="developer.credentialmanager.OAuthinspector" Level="INFO" CodeLocation="OAuthinspector(331)" Detail="Token validation" Type="Access Token" Reason="Matched AuthZ key" Issuer="a-cucm.lab.com"`,
  );
  w.expect("expc", "expc", "token validation: Access Token Matched AuthZ key (cucm.lab.com)");
  w.expect("expc", "expc", "token validation: Access Token Matched AuthZ key (a-cucm.lab.com)");
  w.expect("expc", "expc", "Access Token accepted");
  let end = tv;
  if (failure === "sasl-mismatch") end = saslMismatch(w, c, user, tv + w.int(150, 400), thread);
  return end;
}

/** XMPP over MRA: C offers only CISCO-VTG-TOKEN while IM&P offers OAUTHBEARER (seed 001, 2020-03-31). */
function saslMismatch(w: SessionWriter, c: Counters, user: string, t: number, thread: string): number {
  const jid = `${user}@lab.com`;
  const id = `jtx_${c.xdb++}`;
  const conauth = `conauth${w.int(100000, 999999)}`;
  const xcpC = (tid: string, rest: string) => (l: number) =>
    `${expPrefix(l)} ${C_HOST} XCP_JABBERD[${XCP_C_PID}]: UTCTime="${commaTime(l)}" ThreadID="${tid}" Module="Jabber" Level="VBOSE" CodeLocation="deliver.c:1171" Detail="${rest}"`;
  w.add(
    "expc",
    t,
    xcpC(
      "140493154612992",
      `DELIVER: type:8, host:auth-1.lab2-imp-lab-com, packet:<route type='redirect' to='auth-1.lab2-imp-lab-com' from='sdns_plugin-1.${C_HOST}-lab-com'><xdb from='connect-auth-1.${C_HOST}-lab-com' id='${conauth}-${id}' ns='http://jabber.com/protocol/sasl' to='lab.com' type='get'><jid>${jid}</jid></xdb></route>`,
    ),
  );
  w.expect("expc", "imp", "SASL mechanisms?");
  const t2 = t + w.int(5, 30);
  w.add("expc", t2, (l) =>
    [
      xcpC(
        "140493163005696",
        `DELIVER: type:1, host:connect-auth-1.${C_HOST}-lab-com, packet:<xdb from='lab.com' id='${conauth}-${id}' ns='http://jabber.com/protocol/sasl' to='connect-auth-1.${C_HOST}-lab-com' type='result'><jid>${jid}</jid>`,
      )(l).slice(0, -1),
      "<mechanisms>",
      "    <mechanism>PLAIN</mechanism>",
      "    <mechanism>CISCO-VTG-TOKEN</mechanism>",
      "    <mechanism>OAUTHBEARER</mechanism>",
      "    <hostname xmlns='urn:xmpp:domain-based-name:0'>lab1-imp.lab.com</hostname>",
      "    <hostname xmlns='urn:xmpp:domain-based-name:0'>lab2-imp.lab.com</hostname>",
      '</mechanisms></xdb>"',
    ].join("\n"),
  );
  w.expect("imp", "expc", "SASL mechanisms PLAIN CISCO-VTG-TOKEN OAUTHBEARER");
  w.add(
    "expc",
    t2,
    xcpC(
      "140493146220288",
      `DELIVER: type:8, host:auth-1.lab1-imp-lab-com, packet:<route type='redirect' to='auth-1.lab1-imp-lab-com' from='connect-auth-1.${C_HOST}-lab-com'><xdb from='cm-1_jsmcp-1.${E_HOST}-lab-com' id='${id}' ns='http://jabber.com/protocol/sasl' to='lab.com' type='set'><auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>XXXXXXX</auth></xdb></route>`,
    ),
  );
  w.expect("expc", "imp", "SASL auth CISCO-VTG-TOKEN");
  const t3 = t2 + w.int(20, 60);
  w.add(
    "expe",
    t3,
    (l) =>
      `${expPrefix(l)} ${E_HOST} XCP_JABBERD[${XCP_E_PID}]: UTCTime="${commaTime(l)}" ThreadID="139821024597760" Module="Jabber" Level="DEBUG" CodeLocation="MIOByteSource.cpp:93" Detail="Got Buffer (324) <xdb from='cm-1_jsmcp-1.${E_HOST}-lab-com' id='${id}' ns='http://jabber.com/protocol/sasl' to='lab.com' type='set'><auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>XXXXXXX</auth></xdb>"`,
  );
  w.expect("expe", "expe", "SASL auth CISCO-VTG-TOKEN");
  const tj = t3 + w.int(10, 40);
  const tri = "jwcpp\\xmppcore\\patch\\TriClient.cpp";
  w.add(
    "jabber",
    tj,
    jabberLine(
      "INFO",
      thread,
      `${tri}(1636)`,
      "csf.jwcpp",
      "gloox::CTriClient::HandleXmlTag",
      `@XmppSDK: #0, 187, Recv:<stream:features xmlns:stream="http://etherx.jabber.org/streams"><mechanisms xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><mechanism>CISCO-VTG-TOKEN</mechanism></mechanisms></stream:features>`,
    ),
  );
  w.add(
    "jabber",
    tj,
    jabberLine(
      "INFO",
      thread,
      `${tri}(1110)`,
      "csf.jwcpp",
      "gloox::CTriClient::HandleStreamFeatures",
      "@XmppSDK: #0, SASL token empty:0",
    ),
  );
  w.add(
    "jabber",
    tj,
    jabberLine(
      "INFO",
      thread,
      `${tri}(1111)`,
      "csf.jwcpp",
      "gloox::CTriClient::HandleStreamFeatures",
      "@XmppSDK: #0, SASL mechanism:",
    ),
  );
  w.add(
    "jabber",
    tj,
    jabberLine(
      "ERROR",
      thread,
      "rwerx\\jwcpp\\xmppcore\\src\\client.cpp(192)",
      "csf.jwcpp",
      "gloox::Client::handleNormalNode",
      "@XmppSDK: #0, The server doesn't offer any SASL authentication mechanism that we can support",
    ),
  );
  w.expect("expe", "jabber", "stream:features SASL [CISCO-VTG-TOKEN]");
  w.expect("jabber", "jabber", "SASL token empty:0");
  w.expect("jabber", "jabber", "SASL mechanism: none");
  w.expect("jabber", "jabber", "SASL: no common mechanism");
  return tj;
}

const IMS_FAILURES: Record<string, number> = { "ims-1": 1, "ims-2": 2, "ims-3": 3, "ims-4": 4, "ims-5": 5 };

/** On-premises login: CUCM LDAP (Tomcat security log), IM&P SOAP login + OTP, XCP SASL (seed 000). */
function onpremSession(
  w: SessionWriter,
  c: Counters,
  user: string,
  t0: number,
  failure: FailureKind | null,
): number {
  const name = `User ${user.slice(4)}`;
  const dn = `CN=${name}, CN=users, DC=ccie, DC=com`;
  const ct = `http-bio-443-exec-${w.int(1, 80)}`;
  const sec = (msg: string) => (l: number) =>
    `${commaTime(l)} DEBUG [${ct}] impl.AuthenticationLDAP - ${msg}`;
  let t = t0;
  w.add("cucmSec", t, sec(`authenticateUserWithPassword: userName=${user}`));
  w.add("cucmSec", t, sec(`SearchUserDn for ${user}`));
  w.expect("cucm", "cucm", `authenticate user ${user}`);
  t += w.int(100, 250);
  w.add("cucmSec", t, sec("makeConnection: ldapURL[0]=ldap://10.106.89.210:389"));
  w.expect("cucm", "ldap", "LDAP connect ldap://10.106.89.210:389");
  t += w.int(3, 12);
  w.add(
    "cucmSec",
    t,
    sec(
      `searchUserDn: performing search with userBase=CN=users, DC=ccie, DC=com, filter=(&(&(objectclass=user)(!(objectclass=Computer))(!(UserAccountControl:1.2.840.113556.1.4.803:=2)))(sAMAccountName=${user})), constraints=javax.naming.directory.SearchControls@${w.hex(6)}`,
    ),
  );
  w.expect("cucm", "ldap", `LDAP search (sAMAccountName=${user})`);
  t += w.int(3, 10);
  w.add(
    "cucmSec",
    t,
    sec(
      `authenticateUserWithPassword: calling auth as dn search is successful for user ${user} and the dn is ${dn}`,
    ),
  );
  w.expect("ldap", "cucm", `search result ${dn}`);
  w.expect("cucm", "ldap", `LDAP bind ${dn}`);
  t += w.int(8, 25);
  if (failure === "ldap-bind-log4j") {
    w.add("cucmSec", t, (l) =>
      [
        `${commaTime(l)} DEBUG [${ct}] impl.AuthenticationLDAP - auth: failed for dn ${dn}`,
        "javax.naming.AuthenticationException: [LDAP: error code 49 - 80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839]",
        "\tat com.sun.jndi.ldap.LdapCtx.mapErrorCode(LdapCtx.java:3154)",
      ].join("\n"),
    );
    w.expect("ldap", "cucm", "bind failed");
    return t;
  }
  w.add("cucmSec", t, sec(`auth: successful for dn ${dn}`));
  w.expect("ldap", "cucm", "bind success");

  // IM&P Client Profile Agent: SOAP login.
  const it = `http-bio-443-exec-${w.int(1, 80)}`;
  const epas = (level: string, cls: string, msg: string) => (l: number) =>
    `${commaTime(l)} ${level} [${it}] ${cls} - ${msg}`;
  t += w.int(150, 400);
  w.add(
    "epas",
    t,
    epas(
      "DEBUG",
      "soap.SoapServlet",
      `Incoming Request<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:SOAP-ENC="http://www.w3.org/2003/05/soap-encoding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns1="urn:cisco:epas:soap"><SOAP-ENV:Body><ns1:login client-version="9.7.5.19280" client-type="CUPC" force="true"><ns1:username>${user}</ns1:username><ns1:password>...</ns1:password></ns1:login></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
    ),
  );
  w.expect("jabber", "imp", "SOAP login");
  const ims = failure ? IMS_FAILURES[failure] : undefined;
  if (ims !== undefined) {
    t += w.int(20, 80);
    w.add(
      "epas",
      t,
      epas(
        "INFO",
        "soap.LoginHandler",
        `Created Authentication instance=com.cisco.security.ims.authentication.AuthenticationImpl@${w.hex(6)}`,
      ),
    );
    t += w.int(200, 400);
    // The seed's fifth line lacks the space after the dash: `soap.LoginHandler -IMS result code is :5`.
    w.add(
      "epas",
      t,
      (l) =>
        `${commaTime(l)} INFO [${it}] soap.LoginHandler ${ims === 5 ? "-" : "- "}IMS result code is :${ims}`,
    );
    w.expect("imp", "imp", `IMS result ${ims}`);
    return t;
  }
  const key = w.uuid();
  t += w.int(120, 250);
  w.add(
    "epas",
    t,
    epas(
      "INFO",
      "handlers.LoginHandlerNonSSO",
      `doLogin:IMS login result is success for ${user}| IMS result code:0`,
    ),
  );
  w.expect("imp", "imp", "IMS result 0 (success)");
  t += w.int(2, 6);
  w.add(
    "epas",
    t,
    epas("DEBUG", "imdb.ImdbLoginAccessorUtil", `Insert session succeeded for userid:${user}`),
  );
  w.add("epas", t, epas("INFO", "handlers.LoginHandlerAbstract", "SOAP Login was successful"));
  w.add(
    "epas",
    t,
    epas(
      "INFO",
      "handlers.LoginHandlerAbstract",
      `doLogin:IMDB check completed & session created for user:${user}. SessionKey is: ${key}`,
    ),
  );
  w.expect("imp", "imp", "SOAP login successful");
  w.expect("imp", "jabber", "SOAP login: success");
  t += 2;
  w.add("epas", t, epas("INFO", "soap.SoapServlet", "SOAP request URI: /EPASSoap/service/v80"));
  w.add("epas", t + 1, epas("DEBUG", "soap.SoapServlet", "Service version requested: v80"));
  t += w.int(80, 160);
  w.add(
    "epas",
    t,
    epas("DEBUG", "ext.SoapRequestParserExt", "Parsing SOAP request securely with a SecurityManager set"),
  );
  w.add(
    "epas",
    t + 1,
    epas("INFO", "soap.SoapServlet", "SOAP request for: get-onetime-password, version: v80"),
  );
  w.expect("jabber", "imp", "SOAP get-onetime-password");
  t += w.int(4, 10);
  w.add(
    "epas",
    t,
    epas("INFO", "handlers.GetOneTimePasswordHandler", "GetOneTimePasswordHandler: successful"),
  );
  w.add(
    "epas",
    t,
    epas(
      "INFO",
      "handlers.GetOneTimePasswordHandler",
      "GetOneTimePasswordHandler: Returning response for get-onetime-password",
    ),
  );
  w.expect("imp", "imp", "get-onetime-password successful");
  w.expect("imp", "jabber", "SOAP get-onetime-password: token");
  const jthread = `0x0000${w.hex(4)}`;
  if (failure === "lerr-14") {
    t += w.int(300, 900);
    w.add(
      "jabber",
      t,
      jabberLine(
        "ERROR",
        jthread,
        "jabberwerx\\src\\IMPStackCap.cpp(88)",
        "JabberWerx",
        "IMPStackCap::Log::log",
        "[JabberWerxCPP.DLL]: JWLoginSink::OnError, lerr:14",
      ),
    );
    w.expect("jabber", "jabber", "login error lerr 14");
    return t;
  }
  // XCP: Connection Manager, Router, Authentication Service.
  const id = `jtx_${c.xdb++}`;
  const token = Buffer.from(`userid=${user}@ccie.com\u0000token=${w.int(100000, 999999)}`).toString("base64");
  const cmA = w.hex(8);
  const cmB = w.hex(8);
  const xcp = (th: string, msg: string) => (l: number) => `${todTime(l)} |${th}| debug| ${msg}`;
  t += w.int(1500, 3000);
  w.add(
    "xcpCm",
    t,
    xcp(
      cmA,
      `SASLManager.cpp:426 SASLManager::stepSession sending: <auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${token}</auth>`,
    ),
  );
  w.expect("jabber", "imp", "SASL auth CISCO-VTG-TOKEN");
  t += 1;
  w.add(
    "xcpRouter",
    t,
    xcp(
      w.hex(8),
      `MIOByteSource.cpp:96 Got Buffer (249) <xdb from='cm-1_jsmcp-1.${IMP_NODE}' id='${id}' ns='http://jabber.com/protocol/sasl' to='ccie.com' type='set'><auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${token}</auth></xdb>`,
    ),
  );
  w.add("xcpAuth", t, xcp("00000000", `auth-1.${IMP_NODE} AuthXCPComponent::onPacket()`));
  w.add(
    "xcpAuth",
    t,
    xcp(
      "00000000",
      `AuthXCPComponent.cpp:211 AuthXCPComponent::onPacket(): <xdb from='cm-1_jsmcp-1.${IMP_NODE}' id='${id}' ns='http://jabber.com/protocol/sasl' to='ccie.com' type='set'><auth mechanism='CISCO-VTG-TOKEN'`,
    ),
  );
  w.expect("imp", "imp", `xdb ${id} set: auth CISCO-VTG-TOKEN`);
  w.expect("imp", "imp", `route xdb ${id} set`);
  t += w.int(2, 6);
  const tod = (l: number, msg: string) => `${todTime(l)} | debug| ${msg}`;
  w.add("xcpAuth", t, (l) =>
    tod(l, `SXComponent::authenticateVTGToken(): Authentication success for userid: [${user}@ccie.com]`),
  );
  w.add("xcpAuth", t, (l) => tod(l, `SXComponent::_sendAuthSuccess(): JID: [${user}@ccie.com]`));
  w.add("xcpAuth", t, (l) =>
    tod(
      l,
      `SXComponent::_sendAuthSuccess(): [PACKET_OUT]: <xdb from='ccie.com' id='${id}' ns='http://jabber.com/protocol/sasl' to='cm-1_jsmcp-1.${IMP_NODE}' type='result'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><x><field var='FORM_TYPE'><value>http://www.jabber.com/schemas/saslprops.xsd</value></field><field type='text-single' var='sasl-service'><value>ccie.com</value></field><field type='text-single' var='sasl-mechname'><value>CISCO-VTG-TOKEN</value></field><field type='text-single'`,
    ),
  );
  w.expect("imp", "imp", `token valid for ${user}`);
  w.expect("imp", "imp", `xdb ${id} result: success`);
  t += 1;
  w.add("xcpCm", t, xcp(cmB, `SASLManager.cpp:259 xdbSessionCB: id=${id}`));
  w.add(
    "xcpCm",
    t,
    xcp(
      cmA,
      `SASLManager.cpp:272 _xdbSessionCB: <xdb from='ccie.com' id='${id}' ns='http://jabber.com/protocol/sasl' to='cm-1_jsmcp-1.${IMP_NODE}' type='result'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><x><field var='FORM_TYPE'><value>http://www.jabber.com/schemas/saslprops.xsd</value></field><field type='text-single' var='sasl-service'><value>ccie.com</value></field><field type='text-single' var='sasl-mechname'><value>CISCO-VTG-TOKEN</value></field><field type='text-single' var='JID'><value>${user}@ccie.com</value></field></x></xdb>`,
    ),
  );
  w.expect("imp", "imp", `xdb session ${id}`);
  w.expect("imp", "jabber", "SASL success");
  return t;
}

/** CTI deskphone control: Jabber opens a CTI provider on the CTI Manager (seed 003). */
function ctiSession(
  w: SessionWriter,
  c: Counters,
  user: string,
  t0: number,
  failure: FailureKind | null,
): number {
  const seq = w.int(2, 9);
  const provider = c.ctiProvider++;
  const conn = c.ctiConn++;
  const h = `CTIHandler(1,200,22,${conn})`;
  const device = `SEP${w.hex(12).toUpperCase()}`;
  const dn = `CN=User ${user.slice(4)},OU=Breaking Bad,DC=joshlab,DC=net`;
  const appId = w.int(1000, 9999);
  const tcp = `1,200,13,${conn}`;
  let major = c.sdlSeq;
  c.sdlSeq += 90;
  let minor = 0;
  const num = (sub: number) => `${pad(major, 8)}.${pad(sub, 3)}`;
  const sdl = (t: number, kind: string, rest: string, next = false) => {
    if (next) {
      major++;
      minor = 0;
    }
    const n = num(minor++);
    w.add("sdl", t, (l) => `${n} |${todTime(l)} |${kind} |${rest}`);
  };
  const info = (t: number, rest: string, next = false) => sdl(t, "AppInfo", rest, next);
  const jthread = `0x0000${w.hex(4)}`;
  const cti = "l\\deskphone\\cti\\CtiConnection.cpp";
  // Jabber sends the ProviderOpenRequest.
  let t = t0;
  w.add(
    "jabber",
    t,
    jabberLine(
      "DEBUG",
      jthread,
      `${cti}(655)`,
      "csf.ecc.cti",
      "csf::ecc::cti::CtiConnection::sendProviderOpenRequest",
      `Sending ProviderOpenRequest seq#=${seq} provider=UCProvider login=${user} heartbeat=60 timer=10 to ucm1.lab.com:2748`,
    ),
  );
  t += w.int(5, 40);
  minor = 2;
  info(
    t,
    `[CTI-APP] [CTIHandler::processIncomingMessage] CTI ProviderOpenRequest ( seq#=${seq} provider=UCProvider login=${user} heartbeat=60 timer=10 priority=0 lightWeightProviderOpen=0 AuthType=0 RequestOldFetch=0 EncryptedSSODataSize=0)`,
  );
  w.expect("jabber", "cucm", "CTI ProviderOpenRequest");
  sdl(
    t,
    "SdlSig",
    `CtiProviderOpenReq |init_complete_await_provopen |${h} |${h} |${tcp}.3^*^* | [R:N-H:0,N:0,L:0,V:0,Z:0,D:0] Async Response=${seq} ProviderName=UCProvider ClientVersion=UCProvider LoginId=${user} ApplName=Shibui ServerHeartbeat=60 CMAssignedAppId=${appId} PluginName=Cisco JTAPl LightWeightProviderOpen=0 Auth Style=0 RequestOldFetch=0`,
    true,
  );
  w.expect("cucm", "cucm", `CtiProviderOpenReq LoginId=${user}`);
  info(t, "SSOTOKEN =");
  info(t, `CQBEBUILDER::BuildQbeMessage(): objectID=${seq}`);
  info(
    t,
    `CTIHandler::OutputQbeMessage: TcpHand=[1:200:13:${conn}] QbePref={0x0xf74b346c,0x70} pQbeMsg=0x0xf74b3474 qbeMsgSize=0x70 tmpLen=0x78 msgSize_=0x78`,
  );
  info(
    t,
    `[CTI-APP] [CTIHandler::OutputCtiMessage ] CTI ProviderOpenResponse (seq#=${seq}) provider id=${provider} FIPMode = 0`,
  );
  w.expect("cucm", "jabber", "CTI ProviderOpenResponse");
  const tjr = t + w.int(5, 40);
  w.add(
    "jabber",
    tjr,
    jabberLine(
      "DEBUG",
      jthread,
      `${cti}(812)`,
      "csf.ecc.cti",
      "csf::ecc::cti::CtiConnection::onMessage",
      `Received ProviderOpenResponse seq#=${seq} provider id=${provider}`,
    ),
  );
  major += 3;
  t += w.int(80, 140);
  sdl(
    t,
    "SdlSig",
    `CtiProceedWithAppLogin |init_complete_await_auth |${h} |CtiManager(1,200,21,1) |${tcp}.3^*^* | [R:L-H:0,N:0,L:0,V:0,Z:0,D:0]`,
    true,
  );
  w.expect("cucm", "cucm", "CtiProceedWithAppLogin");
  t += 1;
  sdl(
    t,
    "SdlSig",
    `CtiLoginCheckReq |ready |Directory(1,200,23,1) |${h} |${tcp}.3^*^* | [T:N-H:0,N:0,L:0,V:0,Z:0,D:0] Login=${user} Seq#=${seq} Auth Style=0 3rd Party Certificate=0 mOcsUrl= mIssuerName= EncryptedSingleSignOnData Size=0`,
    true,
  );
  w.expect("cucm", "cucm", `CtiLoginCheckReq Login=${user}`);
  info(t, "CtiLoginCheckReq:authenticateByUserName");
  info(t, "CCMASymmetricEncryption::DecryptText Enter");
  t += w.int(5, 12);
  for (const s of [
    "CCMASymmetricEncryption::DecryptText Exit",
    "Decrypted Key Status success - [52]",
    `Nonce =${w.uuid()}`,
    "Nonce validation success",
    "CCMSymmetricEncryption::DecryptText:enter",
    "CCMEncryption::DecryptText (Exit) (Success)",
    "Decrypted Password Status success - [8]",
    "AuthenticationImpl::login:enter",
    "AuthenticationImpl::retrieveCredential:enter",
    `userid is ${user}`,
    "AuthenticationImpl::login - no encryptedpassword Credential, look for password",
    "AuthenticationImpl::login (Auth with password. Calling authenticateUserWithPassword)",
    "authenticationDB:authenticateUserWithPassword():enter",
    "Credential Length is: 8",
  ])
    info(t, s);
  minor += 17;
  t += w.int(60, 100);
  for (const s of [
    "authenticationDB::login (Authenticating using LDAP)",
    "authenticationLDAP.cpp::authenticateUserWithPassword():enter",
    `LDAP userid is '${user}'`,
    "authenticationUtils::escapeLDAPSpecialCharsForFilter():enter",
  ])
    info(t, s);
  info(t, `\nAfter Escaping for LDAP special Characters for Filter = ${user}`);
  minor++;
  for (const s of [
    "LDAP not initialized...connecting...",
    "authenticationLDAP::connect():enter",
    "authenticationLDAP::Authenticate():enter",
    "Authenticating with SSL not enabled (ldap://10.10.10.10:3268)",
  ])
    info(t, s);
  w.expect("cucm", "ldap", "LDAP connect ldap://10.10.10.10:3268");
  minor += 7;
  t += w.int(5, 12);
  info(t, "LDAP authentication bind SUCCESS for Administrator@joshlab.net");
  w.expect("ldap", "cucm", "bind success Administrator@joshlab.net");
  for (const s of [
    "Connection # (0): sucessful",
    "Details ::",
    "10.10.10.10 3268",
    "-----\n-----",
    "Available Servers (1)",
    "authenticationLDAP::Authenticate():exit(0)",
    "Authentication of LDAP administrator successful.",
  ])
    info(t, s);
  minor += 13;
  t += w.int(3, 8);
  info(
    t,
    `Retrieve the specified user entry: (&(&(objectclass=user)!(objectclass=Computer)!(UserAccountControl:1.2.840.113556.1.4.803:=2)) )(sAMAccountName=${user})`,
  );
  info(t, "LDAP Search for User base: 'OU=Breaking Bad,DC=joshlab,DC=net'");
  w.expect("cucm", "ldap", `LDAP search (sAMAccountName=${user})`);
  t += 1;
  info(t, "LDAP Search complete. Code: 0");
  w.expect("ldap", "cucm", "search complete code 0");
  info(t, "Get DN of entry.");
  info(t, `Got DN: ${dn}`);
  info(t, `Attempt to authenticate DN: ${dn}`);
  w.expect("cucm", "ldap", `LDAP bind ${dn}`);
  info(t, "authenticationLDAP::Authenticate():enter");
  info(t, "Authenticating with SSL not enabled (ldap://10.10.10.10:3268)");
  minor += 7;
  t += w.int(4, 10);
  const tj = t + w.int(5, 40);
  if (failure === "ldap-bind-sdl") {
    info(t, `LDAP authentication bind FAILED for ${dn}`);
    w.expect("ldap", "cucm", `bind failed ${dn}`);
    info(t, "authenticationLDAP::Authenticate():exit(49)");
    info(t, "authenticationLDAP::authenticateUserWithPassword():Exit(49)");
    sdl(
      t,
      "SdlSig",
      `CtiLoginCheckRes |authenticating |${h} |Directory(1,200,23,1) |${tcp}.3^*^* | [R:N-H:0,N:0,L:0,V:0,Z:0,D:0] Seq#=${seq} result=Failure LoginUserID= Expire days=4294967295`,
      true,
    );
    w.add(
      "jabber",
      tj,
      jabberLine(
        "INFO",
        jthread,
        "trol\\deskphone\\cti\\CtiProvider.cpp(377)",
        "csf.ecc.cti",
        "csf::ecc::cti::CtiProvider::onProviderOpenCompletedEvent",
        "PROVIDER_OPEN_COMPLETED_EVENT received, reason=0x8CCC0075",
      ),
    );
    w.add(
      "jabber",
      tj + 1,
      jabberLine(
        "ERROR",
        jthread,
        "l\\src\\deskphone\\DeskPhoneProvider.cpp(241)",
        "csf.ecc",
        "csf::ecc::DeskPhoneProvider::onProviderOpenFailed",
        `ProviderOpenFailed for login=${user}, reason=0x8CCC0075`,
      ),
    );
    return tj + 1;
  }
  info(t, `LDAP authentication bind SUCCESS for ${dn}`);
  w.expect("ldap", "cucm", `bind success ${dn}`);
  for (const s of [
    "Connection # (0): sucessful",
    "Details ::",
    "10.10.10.10 3268",
    "-----\n-----",
    "Available Servers (1)",
    "authenticationLDAP::Authenticate():exit(0)",
    "authenticationLDAP::authenticateUserWithPassword():Exit(0)",
    `Successfully authenticated user: ${user}`,
  ])
    info(t, s);
  w.expect("cucm", "cucm", `authenticated user ${user}`);
  sdl(
    t,
    "SdlSig",
    `CtiLoginCheckRes |authenticating |${h} |Directory(1,200,23,1) |${tcp}.3^*^* | [R:N-H:0,N:0,L:0,V:0,Z:0,D:0] Seq#=${seq} result=Success LoginUserID= Expire days=4294967295`,
    true,
  );
  w.expect("cucm", "cucm", "CtiLoginCheckRes result=Success");
  t += 1;
  sdl(
    t,
    "SdlSig",
    `CtiUserSettingsReq |ready |CTIDbAccess(1,200,26,1) |${h} |${tcp}.3^*^* | [T:H-H:0,N:0,L:0,V:0,Z:0,D:0] mUserId=${user}`,
    true,
  );
  info(t, "DbAccess::ReadCtiUserSettingsReq");
  sdl(
    t,
    "SdlSig",
    `CtiUserSettingsRes |verifying |${h} |CTIDbAccess(1,200,26,1) |${tcp}.3^*^* | [R:N-H:0,N:0,L:0,V:0,Z:0,D:0] SuperProvider = Disabled CallParkRetrievalAllowed = Disabled ModifyCallingNumber = Disabled CTI Enabled = Enabled CallMonitor=Disabled CallRecord=Disabled Userid = ${user} result=0`,
    true,
  );
  w.expect("cucm", "cucm", `CtiUserSettingsReq mUserId=${user}`);
  w.expect("cucm", "cucm", `CtiUserSettingsRes Userid=${user} result=0`);
  info(t, "[CTI-INFO] [CTIHandler::verifying_CtiUserSettingsRes] mCtiUserSettings.mbSecurityEnabled=0");
  info(t, "[CTI-INFO] [CTIHandler::verifying_CtiUserSettingsRes] mListenPort=2748");
  info(
    t,
    `[CTI-INFO] [CTIHandler::verifying_CtiUserSettingsRes] sent providerSubscriptionRegNotify for user ${user}`,
  );
  // DeviceOpen.
  const dseq = seq + 2;
  t += w.int(120, 220);
  major += 61;
  minor = 2;
  info(
    t,
    `[CTI-APP] [CTIHandler::processIncomingMessage] CTI DeviceOpenRequest ( seq#=${dseq} device name=${device} softkeys AppID=${appId})`,
  );
  w.expect("jabber", "cucm", "CTI DeviceOpenRequest");
  sdl(
    t,
    "SdlSig",
    `CtiDeviceOpenDeviceReq |ready |${h} |${h} |${tcp}.5^14.48.68.203^${device} | [R:N-H:0,N:0,L:0,V:0,Z:0,D:0] AsyncResponse=${dseq} DH=0|0 Name=${device} Type=0 RisClass=0 TerminateMedia=5 RequestType=0 RtpDestination1|1 ApplnIpAddrMode=3 Filter Bitmap=000100000000000000000000100000001001 AppLoginUserId=${user} AppIPAddr= ipAddrType=0 ipv4=10.10.10.100 ApplicationIDListCount = 1 ApplicationIds are ${appId}, mSoftKeyApplicationID = ${appId} ProviderIDListCount = 1 ProviderIds are ${provider}, IsCTIConnectionTLS = F`,
    true,
  );
  w.expect("cucm", "cucm", `CtiDeviceOpenDeviceReq Name=${device}`);
  t += w.int(2, 6);
  major += 1;
  sdl(
    t,
    "SdlSig",
    `CtiDeviceOpenDeviceRes |ready |${h} |CTIDeviceLineMgr(1,200,25,1) |${tcp}.5^10.10.10.100^${device} | [R:N-H:0,N:3,L:0,V:0,Z:0,D:0] mAsyncResponse = ${dseq} DH=1|38 Name=${device} Type=7 StationPid=(0,0,0,0) mOpenResult=0x0 mEncodingType=3 mRequestType=0 mDSSDeviceState = 0`,
    true,
  );
  w.expect("cucm", "cucm", `CtiDeviceOpenDeviceRes Name=${device} mOpenResult=0x0`);
  info(t, "CQBEBUILDER::BuildQbeMessage(): objectID=27");
  t += 1;
  info(
    t,
    `CTIHandler::OutputQbeMessage: TcpHand=[1:200:13:${conn}] QbePref={0x0xf74b346c,0x98} pQbeMsg=0x0xf74b3474 qbeMsgSize=0x98 tmpLen=0xa0 msgSize_=0xa0`,
  );
  info(
    t,
    `[CTI-APP] [CTIHandler::OutputCtiMessage ] CTI DeviceOpenResponse ( seq#=${dseq} result=0 DH=1|38 deviceName=${device} deviceType=7 deviceId=38 registrationAllowed=0 deviceLocale=1 protocol=1 deviceRestricted=0 altScript= Rollover=0 BIB=0 DNDOption=0 IpAddrMode=0 supportsFeat=0 Visiting=0)`,
  );
  w.expect("cucm", "jabber", "CTI DeviceOpenResponse");
  info(t, "-->RisCTIManagerAccess::DeviceOpenActivity(...)", true);
  info(
    t,
    `DeviceOpenActivity(): activity: 1, connID: ${conn}, deviceName: ${device}, appID: ${user}-10.10.10.100-${w.int(50000, 60000)}, rtpaddr: , assocIpAddr: , mediaControl: 0, deviceType: 7, reason: 0`,
    true,
  );
  info(t, "<--RisCTIManagerAccess::DeviceOpenActivity(...)", true);
  t += w.int(2, 5);
  major += 3;
  minor = 3;
  info(
    t,
    `[CTI-APP] [CTIHandler::OutputCtiMessage ] CTI DeviceInServiceEvent ( DH=1|38 ) Encoding Type=3 Device locale=1 Alt Script= DNDDStatus=0 DNDOption=0)`,
    true,
  );
  w.expect("cucm", "jabber", "CTI DeviceInServiceEvent");
  c.sdlSeq = Math.max(c.sdlSeq, major + 1);
  return Math.max(t, tjr);
}

// ---- noise -----------------------------------------------------------------------------------

const JABBER_NOISE: [string, string, string, string][] = [
  [
    "INFO",
    "services\\impl\\presence\\PresenceServiceImpl.cpp(612)",
    "csf.presence",
    "csf::presence::PresenceServiceImpl::onPresenceChanged",
  ],
  [
    "DEBUG",
    "ecc\\src\\ecc\\ECCTelephonyService.cpp(1201)",
    "csf.ecc",
    "csf::ecc::ECCTelephonyService::updateLineState",
  ],
  [
    "DEBUG",
    "config\\src\\ConfigStoreManager.cpp(344)",
    "csf.config",
    "csf::config::ConfigStoreManager::getValue",
  ],
  [
    "INFO",
    "common\\src\\NetworkMonitor.cpp(221)",
    "csf.netutils",
    "csf::netutils::NetworkMonitor::heartbeat",
  ],
  ["DEBUG", "ui\\src\\ContactListModel.cpp(908)", "csf.ui", "CSFUnified::ContactListModel::refresh"],
  ["TRACE", "jwcpp\\xmppcore\\src\\ConnectionTCP.cpp(415)", "csf.jwcpp", "gloox::ConnectionTCP::keepAlive"],
];
const JABBER_NOISE_MSG = [
  "Presence for contact %c changed to Available",
  "line state for DN 4%n is Idle",
  "key [%k] value [true] source [jabber-config.xml]",
  "network heartbeat ok, interfaces=2 reachable=1",
  "refresh of %n contacts done in %m ms",
  "keepalive whitespace ping sent, %n bytes",
];
const EXP_NOISE: ((host: string) => string)[] = [
  (h) =>
    `${h} tvcs: UTCTime="%u" Module="network.tcp" Level="DEBUG":  Src-ip="10.10.%a" Src-port="%p" Dst-ip="10.10.1.44" Dst-port="7400" Detail="TCP Connecting"`,
  (h) =>
    `${h} tvcs: UTCTime="%u" Module="network.tcp" Level="DEBUG":  Src-ip="10.10.%a" Src-port="%p" Dst-ip="10.10.1.44" Dst-port="7400" Detail="TCP Connection Closed" Reason="Got EOF on socket"`,
  (h) =>
    `${h} tvcs: UTCTime="%u" Module="network.ldap" Level="INFO":  Detail="LDAP Query" Query="(objectclass=*)" Result="Success" Elapsed="%m ms"`,
  (h) =>
    `${h} XCP_JABBERD[%d]: UTCTime="%u" ThreadID="1404931%n" Module="Jabber" Level="VBOSE" CodeLocation="session.c:%n" Detail="session heartbeat for cm-1_jsmcp-1 ok"`,
  (h) =>
    `${h} licensemanager: Level="INFO" Detail="License usage" Rich-media-sessions="%n" Room-system-registrations="0" UTCTime="%u"`,
  (h) =>
    `${h} management: Level="INFO" Src-ip="10.10.%a" Detail="Heartbeat" Module="developer.clusterdb" UTCTime="%u"`,
];
const LOG4J_NOISE: [string, string][] = [
  ["DEBUG", "impl.AuthenticationDB - getCredentialPolicy: policy id %n resolved"],
  ["INFO", "filters.AuthenticationFilter - request to /cucm-uds/version served in %m ms"],
  ["DEBUG", "impl.AuthenticationImpl - cache hit for credential policy %k"],
  ["DEBUG", "security.CertificateCache - trust store check passed for alias tomcat-trust-%n"],
];
const EPAS_NOISE: [string, string][] = [
  ["DEBUG", "cache.PresenceCache - presence cache size %n"],
  ["INFO", "imdb.ImdbHeartbeat - IMDB heartbeat ok in %m ms"],
  ["DEBUG", "soap.SoapServlet - keepalive from client %k"],
  ["DEBUG", "handlers.GetContactListHandler - contact list of %n entries returned"],
];
const SDL_NOISE = [
  "SdlSig |SdlTimerInd |wait |CtiManager(1,200,21,1) |SdlTimerService(1,200,3,1) |1,200,13,1.%n^*^* |*TraceFlagOverrode",
  "AppInfo |CtiManager::heartbeatTimer: connections=%n",
  "AppInfo |[CTI-INFO] [CTIHandler::ready_CtiHeartbeat] heartbeat from application %n",
  "AppInfo |RisCTIManagerAccess::updateCounters(...) open providers=%n",
  "SdlSig |DbChangeNotify |ready |CTIDbAccess(1,200,26,1) |DbMon(1,200,4,1) |1,200,13,1.%n^*^* |table=device",
];
const XCP_NOISE = [
  "|%h| debug| MIOByteSource.cpp:96 Got Buffer (%n) <presence from='user%n@ccie.com/jabber_%n' to='ccie.com'/>",
  "|%h| debug| ConnectionManager.cpp:512 heartbeat from cm-1_jsmcp-1.10-106-89-222 ok",
  "|%h| debug| Router.cpp:288 routing packet to jsm-1.10-106-89-222",
  "|%h| info| PresenceEngine.cpp:1043 subscriptions=%n",
];

function fill(s: string, w: SessionWriter): string {
  return s.replace(/%([a-z])/g, (_, k: string) => {
    switch (k) {
      case "n":
        return String(w.int(1, 9999));
      case "m":
        return String(w.int(1, 400));
      case "p":
        return String(w.int(1024, 65000));
      case "a":
        return `${w.int(1, 254)}.${w.int(1, 254)}`;
      case "h":
        return w.hex(8);
      case "k":
        return w.hex(10);
      case "c":
        return `contact${w.int(1, 999)}@lab.com`;
      case "d":
        return String(w.int(1000, 30000));
      default:
        // Left for the caller: %u is the record's own UTCTime, known only when it is written.
        return `%${k}`;
    }
  });
}

function noiseEntry(w: SessionWriter, file: FileId, t: number): void {
  let text: (l: number) => string;
  switch (file) {
    case "jabber": {
      const i = w.int(0, JABBER_NOISE.length - 1);
      const [lvl, src, logger, fn] = JABBER_NOISE[i]!;
      const msg = fill(JABBER_NOISE_MSG[i]!, w);
      const th = `0x0000${w.hex(4)}`;
      text = (l) => `${commaTime(l)} ${lvl} [${th}] [${src}] [${logger}] [${fn}] - ${msg}`;
      break;
    }
    case "expe":
    case "expc": {
      const host = file === "expe" ? E_HOST : C_HOST;
      const s = fill(w.pick(EXP_NOISE)(host), w);
      text = (l) => `${expPrefix(l)} ${s.replace("%u", commaTime(l))}`;
      break;
    }
    case "cucmSec":
    case "epas": {
      const [lvl, msg] = w.pick(file === "cucmSec" ? LOG4J_NOISE : EPAS_NOISE);
      const m = fill(msg, w);
      const th = `http-bio-443-exec-${w.int(1, 80)}`;
      text = (l) => `${commaTime(l)} ${lvl} [${th}] ${m}`;
      break;
    }
    case "sdl": {
      const m = fill(w.pick(SDL_NOISE), w);
      const n = `${pad(w.int(10000000, 99999999), 8)}.000`;
      text = (l) => `${n} |${todTime(l)} |${m}`;
      break;
    }
    default: {
      const m = fill(w.pick(XCP_NOISE), w);
      text = (l) => `${todTime(l)} ${m}`;
    }
  }
  w.add(file, t, text, true);
}

// ---- the bundle ------------------------------------------------------------------------------

const FLOWS: Flow[] = ["mra-oauth", "onprem", "cti"];
const FAILURES: Record<Flow, FailureKind[]> = {
  "mra-oauth": ["sasl-mismatch"],
  onprem: ["ims-1", "ims-2", "ims-3", "ims-4", "ims-5", "lerr-14", "ldap-bind-log4j"],
  cti: ["ldap-bind-sdl"],
};
const FAILURE_LABEL: Record<FailureKind, TruthMessage> = {
  "sasl-mismatch": { from: "jabber", to: "jabber", label: "SASL: no common mechanism" },
  "ims-1": { from: "imp", to: "imp", label: "IMS result 1" },
  "ims-2": { from: "imp", to: "imp", label: "IMS result 2" },
  "ims-3": { from: "imp", to: "imp", label: "IMS result 3" },
  "ims-4": { from: "imp", to: "imp", label: "IMS result 4" },
  "ims-5": { from: "imp", to: "imp", label: "IMS result 5" },
  "lerr-14": { from: "jabber", to: "jabber", label: "login error lerr 14" },
  "ldap-bind-log4j": { from: "ldap", to: "cucm", label: "bind failed" },
  "ldap-bind-sdl": { from: "ldap", to: "cucm", label: "bind failed" },
};

/** The first sessions cover every flow and every failure kind; the rest are drawn at random. */
function plan(i: number, r: () => number, failureRate: number): { flow: Flow; failure: FailureKind | null } {
  const fixed: { flow: Flow; failure: FailureKind | null }[] = [
    { flow: "mra-oauth", failure: null },
    { flow: "onprem", failure: null },
    { flow: "cti", failure: null },
    ...FLOWS.flatMap((flow) => FAILURES[flow].map((failure) => ({ flow, failure }))),
  ];
  if (i < fixed.length) return fixed[i]!;
  const x = r();
  const flow: Flow = x < 0.45 ? "mra-oauth" : x < 0.8 ? "onprem" : "cti";
  const failure = r() < failureRate ? FAILURES[flow][Math.floor(r() * FAILURES[flow].length)]! : null;
  return { flow, failure };
}

export function generate(options: GenOptions): Truth {
  const { out, sessions, seed } = options;
  const failureRate = options.failureRate ?? 0.2;
  const noiseShare = options.noise ?? 0.7;
  const r = rng(seed);
  const offsets: Record<string, number> = {
    expe: 0,
    expc: Math.round(120 + r() * 300),
    jabber: -Math.round(150 + r() * 400),
    cucm: Math.round(100 + r() * 350),
    imp: -Math.round(100 + r() * 350),
  };
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Rotate jabber.log and the SDL traces in a few pieces at this size, at least 16 KiB each.
  const rotate = Math.max(16 << 10, Math.min(20 << 20, sessions * 400));
  const outputs: Record<FileId, Output> = {
    jabber: new Output(join(out, "jabber"), (n) => `part${n}`, rotate),
    expe: new Output(join(out, "expressway-e"), () => "expressway-e.log", Infinity),
    expc: new Output(join(out, "expressway-c"), () => "expressway-c.log", Infinity),
    cucmSec: new Output(join(out, "cucm"), () => "cucm-security.log", Infinity),
    sdl: new Output(join(out, "cucm"), (n) => `sdlpart${n}`, rotate * 4),
    epas: new Output(join(out, "imp"), () => "imp-epassoap.log", Infinity),
    xcpCm: new Output(join(out, "imp"), () => "imp-xcp-connection-manager.log", Infinity),
    xcpAuth: new Output(join(out, "imp"), () => "imp-xcp-auth.log", Infinity),
    xcpRouter: new Output(join(out, "imp"), () => "imp-xcp-router.log", Infinity),
  };
  const counters: Counters = {
    expeTxn: 2004,
    expcTxn: 6114,
    expePort: 59252,
    expcPort: 33688,
    xdb: 56,
    sdlSeq: 895255,
    ctiProvider: 16777223,
    ctiConn: 7,
  };
  const truths: TruthSession[] = [];
  let t = Date.UTC(2024, 4, 14, 6, 0, 0, 0);
  const width = Math.max(4, String(sessions).length);
  for (let i = 0; i < sessions; i++) {
    const user = `user${String(i + 1).padStart(width, "0")}`;
    const { flow, failure } = plan(i, r, failureRate);
    const w = new SessionWriter(r);
    const start = t;
    const end =
      flow === "mra-oauth"
        ? mraSession(w, counters, user, start, failure)
        : flow === "onprem"
          ? onpremSession(w, counters, user, start, failure)
          : ctiSession(w, counters, user, start, failure);
    const span = end - start + w.int(600, 1600);
    // Noise: per file, enough lines that signal is (1 - noise) of the file's lines.
    const signalLines = new Map<FileId, number>();
    for (const e of w.entries)
      signalLines.set(e.file, (signalLines.get(e.file) ?? 0) + countLines(e.text(e.t)));
    for (const file of FILE_IDS) {
      const s = signalLines.get(file) ?? 0;
      // Files with no signal in this session still get their background chatter.
      const n = s > 0 ? Math.round((s * noiseShare) / (1 - noiseShare)) : w.int(0, 3);
      for (let k = 0; k < n; k++) noiseEntry(w, file, start + w.r() * span);
    }
    // Write in each file's own time order (stable for equal times).
    const order = w.entries.map((e, k) => ({ e, k }));
    order.sort((a, b) => a.e.t - b.e.t || a.k - b.k);
    for (const { e } of order) {
      const local = Math.round(e.t + offsets[LANE_OF[e.file]]!);
      outputs[e.file].write(e.text(local), e.noise);
    }
    truths.push({
      index: i,
      user,
      flow,
      failure,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      messages: w.truth,
      expectedFailure: failure ? FAILURE_LABEL[failure] : null,
    });
    t = start + span;
  }
  const files = [
    // jabber.log is the newest, jabber.log.1 the one before, and so on.
    ...outputs.jabber.close((i, n) => (i === n - 1 ? "jabber.log" : `jabber.log.${n - 1 - i}`)),
    ...outputs.expe.close(() => "expressway-e.log"),
    ...outputs.expc.close(() => "expressway-c.log"),
    ...outputs.cucmSec.close(() => "cucm-security.log"),
    // CUCM's SDL trace files are numbered, a bigger number is newer.
    ...outputs.sdl.close((i) => `SDL001_200_${String(i + 1).padStart(6, "0")}.txt`),
    ...outputs.epas.close(() => "imp-epassoap.log"),
    ...outputs.xcpCm.close(() => "imp-xcp-connection-manager.log"),
    ...outputs.xcpAuth.close(() => "imp-xcp-auth.log"),
    ...outputs.xcpRouter.close(() => "imp-xcp-router.log"),
  ];
  const truth: Truth = {
    seed,
    sessions: truths,
    clockOffsetsMs: offsets,
    reference: "expe",
    files,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    lines: files.reduce((n, f) => n + f.lines, 0),
    noiseLines: files.reduce((n, f) => n + f.noiseLines, 0),
  };
  const fd = openSync(join(out, "truth.json"), "w");
  writeSync(fd, JSON.stringify(truth, null, 1) + "\n");
  closeSync(fd);
  return truth;
}

/** The log folders of a generated bundle (everything but truth.json). */
export function bundlePaths(dir: string): string[] {
  return ["jabber", "expressway-e", "expressway-c", "cucm", "imp"].map((d) => join(dir, d));
}

/** Bytes per session, measured on a small sample: what --mb uses to choose the session count. */
export function sessionsForBytes(bytes: number, seed: number, tmp: string): number {
  const probe = generate({ out: tmp, sessions: 200, seed });
  rmSync(tmp, { recursive: true, force: true });
  return Math.max(1, Math.round((bytes / probe.bytes) * 200));
}

function parseArgs(argv: string[]): { out: string; sessions?: number; mb?: number; seed: number } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = get("out");
  if (!out) throw new Error("usage: gen --out DIR (--sessions N | --mb M) [--seed S]");
  const sessions = get("sessions");
  const mb = get("mb");
  return {
    out,
    sessions: sessions !== undefined ? Number(sessions) : undefined,
    mb: mb !== undefined ? Number(mb) : undefined,
    seed: Number(get("seed") ?? 1),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  let sessions = args.sessions;
  if (sessions === undefined) {
    if (args.mb === undefined) throw new Error("give --sessions N or --mb M");
    sessions = sessionsForBytes(args.mb * 1024 * 1024, args.seed, `${args.out}.probe`);
  }
  const truth = generate({ out: args.out, sessions, seed: args.seed });
  const failing = truth.sessions.filter((s) => s.failure).length;
  process.stdout.write(
    `${args.out}: ${sessions} sessions (${failing} failing), ${truth.files.length} files, ` +
      `${(truth.bytes / 1048576).toFixed(1)} MiB, ${truth.lines} lines ` +
      `(${Math.round((100 * truth.noiseLines) / truth.lines)}% noise), ${Math.round(performance.now() - started)} ms\n`,
  );
}
