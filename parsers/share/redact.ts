import type { ModelJson } from "../model/json.ts";
import { isCanonicalLane } from "../model/lanes.ts";

/**
 * Redaction of what leaves the machine (snapshots, exports): secrets become `[redacted]` with
 * their key kept, so a line still reads as what it was. Rules are data, each tested on real
 * lines from the seeds; pseudonyms (users, hosts, IP addresses) are optional and consistent:
 * one value gets one alias everywhere, in labels and raw lines alike.
 */

export const REDACTED = "[redacted]";

export interface RedactionRule {
  name: string;
  /** What it hides, for the export dialog. */
  description: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

/** A value a log already masked stays as it is (`<CONCEALED>`, `Hidden`, `...`, `***`). */
const MASKED = /^(?:<CONCEALED>|<hidden>|hidden|concealed|\.{3}|\*+|x{3,}|\[redacted(?::\w+)?\]|)$/i;
const keep = (value: string, masked: string) => (MASKED.test(value.trim()) ? value : masked);

/** Keys whose values are secrets, in `key=value`, `key: value`, JSON and XML forms. */
const SECRET_KEYS =
  "password|passwd|pwd|passphrase|secret|client_secret|credentials?|ssotoken|sso_token|token|access_token|refresh_token|id_token|otp|samlresponse|samlart";

/** Auth-params of a challenge/response header that carry key material (the rest stays readable). */
const SECRET_PARAMS = /^(?:response|gssapi-data|crand|cnonce|signature|srand|snum|nextnonce|rspauth)$/i;

/** `Scheme k="v", k2=v2`: keep the scheme and the harmless params, hide the rest. */
function redactAuthValue(value: string): string {
  const trimmed = value.trim();
  if (MASKED.test(trimmed)) return value;
  const scheme = /^([A-Za-z][\w-]*)(\s+)(?!\s)(.*)$/s.exec(trimmed);
  if (!scheme) return REDACTED;
  const [, name, space, rest] = scheme as unknown as [string, string, string, string];
  // Token68 schemes (Basic, Bearer, Negotiate, NTLM): the credential is the whole rest.
  if (!/^[\w-]+\s*=/.test(rest)) return `${name}${space}${keep(rest, REDACTED)}`;
  const params = rest.replace(
    /(?<![\w-])([\w-]+)(\s*=\s*)("(?:[^"\\]|\\.)*"|[^,\s]*)/g,
    (all, key: string, eq: string, v: string) => {
      if (!SECRET_PARAMS.test(key)) return all;
      const quoted = v.startsWith('"');
      return `${key}${eq}${quoted ? `"${REDACTED}"` : REDACTED}`;
    },
  );
  return `${name}${space}${params}`;
}

function redactCookies(value: string, setCookie: boolean): string {
  if (MASKED.test(value.trim())) return value;
  const parts = value.split(";");
  return parts
    .map((part, i) => {
      // Set-Cookie: only the first pair is the cookie; Path, Domain, Secure... are attributes.
      if (setCookie && i > 0) return part;
      const eq = part.indexOf("=");
      return eq < 0 ? part : `${part.slice(0, eq + 1)}${keep(part.slice(eq + 1), REDACTED)}`;
    })
    .join(";");
}

const BASE64_SECRET = /(?:^|[\0&\s,;])(?:token|password|passwd|pwd|secret|otp)\s*[=:]|\0[^\0]+\0[^\0]+$/i;

/** Standard base64 of text: the decoded string, or null when it is not text. */
export function decodeBase64Text(value: string): string | null {
  const clean = value.replace(/(?<!=)=+$/, "");
  if (clean.length % 4 === 1 || !/^[A-Za-z0-9+/]+$/.test(clean)) return null;
  let binary: string;
  try {
    binary = atob(clean + "=".repeat((4 - (clean.length % 4)) % 4));
  } catch {
    return null;
  }
  let printable = 0;
  for (let i = 0; i < binary.length; i++) {
    const c = binary.charCodeAt(i);
    if (c === 0 || c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127)) printable++;
  }
  return printable === binary.length ? binary : null;
}

/**
 * The rules, applied in order to every text. Each keeps the key and hides the value; a value
 * already masked by the product is left alone. Patterns are global; line-anchored ones are
 * multiline so a record of several lines works.
 */
export const REDACTION_RULES: readonly RedactionRule[] = [
  {
    name: "auth-header",
    description: "Authorization, Proxy-Authorization and X-Credentials header values",
    pattern: /(\b(?:Proxy-)?Authorization|\bX-Credentials)([ \t]*:[ \t]*)([^\r\n|]*)/gi,
    replace: (_, key: string, sep: string, value: string) =>
      /^x-credentials$/i.test(key)
        ? `${key}${sep}${keep(value, REDACTED)}`
        : `${key}${sep}${redactAuthValue(value)}`,
  },
  {
    name: "cookie-header",
    description: "Cookie and Set-Cookie values (cookie names kept)",
    pattern: /\b(Set-Cookie|Cookie)([ \t]*:[ \t]*)([^\r\n|]*)/gi,
    replace: (_, key: string, sep: string, value: string) =>
      `${key}${sep}${redactCookies(value, key.toLowerCase() === "set-cookie")}`,
  },
  {
    name: "gssapi-data",
    description: "gssapi-data of Lync/Skype TLS-DSK, NTLM and Kerberos exchanges",
    pattern: /\b(gssapi-data[ \t]*=[ \t]*)("[^"\r\n]*"|[^,\s]+)/gi,
    replace: (_, key: string, v: string) => `${key}${v.startsWith('"') ? `"${REDACTED}"` : REDACTED}`,
  },
  {
    name: "sasl-auth",
    description: "SASL auth and response payloads (<auth mechanism='...'>BASE64</auth>)",
    pattern:
      /(<(?:[\w-]+:)?auth\b[^>]*>|<(?:[\w-]+:)?response\b[^>]*sasl[^>]*>)([A-Za-z0-9+/=\s]+)(<\/(?:[\w-]+:)?(?:auth|response)>)/gi,
    replace: (_, open: string, payload: string, close: string) =>
      payload.trim() === "=" ? `${open}${payload}${close}` : `${open}${keep(payload, REDACTED)}${close}`,
  },
  {
    name: "xml-secret",
    description: "Password, credential and token elements (<ns1:password>...</ns1:password>)",
    pattern: new RegExp(`(<((?:[\\w-]+:)?(?:${SECRET_KEYS}))(?:\\s[^>]*)?>)([^<]*)(</\\2>)`, "gi"),
    replace: (_, open: string, _name: string, value: string, close: string) =>
      `${open}${keep(value, REDACTED)}${close}`,
  },
  {
    name: "json-secret",
    description: 'JSON secrets ("access_token":"...", "refresh_token":"...", "password":"...")',
    pattern: new RegExp(`("(?:${SECRET_KEYS})"[ \\t]*:[ \\t]*)"((?:[^"\\\\]|\\\\.)*)"`, "gi"),
    replace: (_, key: string, value: string) => `${key}"${keep(value, REDACTED)}"`,
  },
  {
    name: "key-value-secret",
    description: "password=..., token=..., SSOTOKEN = ..., secret: ... (key kept)",
    // `=` takes any key ending in a secret word (EncryptedPassword=); `:` only the bare word,
    // so a method name such as `authenticateUserWithPassword: userName=x` is not a password.
    pattern: new RegExp(
      `((?<![\\w-])(?:${SECRET_KEYS})(?![\\w-])(?:[ \\t]*=|:)[ \\t]*|(?<![\\w-])[\\w-]*(?:${SECRET_KEYS})(?![\\w-])[ \\t]*=[ \\t]*)("[^"\\r\\n]*"|'[^'\\r\\n]*'|[^\\s&,;|<>"']+)`,
      "gi",
    ),
    replace: (_, key: string, value: string) => {
      const q = value[0] === '"' || value[0] === "'" ? value[0] : "";
      const inner = q ? value.slice(1, -1) : value;
      return `${key}${q}${keep(inner, REDACTED)}${q}`;
    },
  },
  {
    name: "oauth-code",
    description: "OAuth authorization codes (code=... in URLs, redirects and token requests)",
    pattern: /((?:^|[?&#\s|"'(])code=)([^&\s"'|<>#]+)/gim,
    replace: (_, key: string, value: string) => `${key}${keep(value, REDACTED)}`,
  },
  {
    name: "bearer-token",
    description: "Bearer tokens outside an Authorization header",
    pattern: /\b(Bearer\s+)([A-Za-z0-9._~+/-]{8,}=*)/g,
    replace: (_, key: string, value: string) => `${key}${keep(value, REDACTED)}`,
  },
  {
    name: "jwt",
    description: "JSON Web Tokens (eyJ... base64url parts)",
    pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,4}/g,
    replace: () => "[redacted:jwt]",
  },
  {
    name: "base64-secret",
    description: "base64 payloads that decode to a token or password (SASL PLAIN, userid=...\\0token=...)",
    pattern: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])/g,
    replace: (value: string) => {
      const text = decodeBase64Text(value);
      return text !== null && BASE64_SECRET.test(text) ? "[redacted:base64]" : value;
    },
  },
];

export interface RedactOptions {
  /** Hide secrets (default true). */
  redact?: boolean;
  /** Replace users, hosts and IP addresses with consistent aliases: true, or a shared pseudonymizer. */
  pseudonyms?: boolean | Pseudonymizer;
}

/** Secrets only: every rule in order. */
export function redactSecrets(text: string, rules: readonly RedactionRule[] = REDACTION_RULES): string {
  let out = text;
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  }
  return out;
}

/** The names of the rules that change this text (for tests and the export preview). */
export function matchingRules(text: string): string[] {
  return REDACTION_RULES.filter((r) => redactSecrets(text, [r]) !== text).map((r) => r.name);
}

/** Redact a text (a raw line, a record, a label) as the options say. */
export function redactText(text: string, options: RedactOptions = {}, pseudonymizer?: Pseudonymizer): string {
  let out = options.redact === false ? text : redactSecrets(text);
  const p = pseudonymizer ?? pseudonymizerOf(options);
  if (p) out = p.apply(out);
  return out;
}

function pseudonymizerOf(options: RedactOptions): Pseudonymizer | undefined {
  if (!options.pseudonyms) return undefined;
  return options.pseudonyms === true ? createPseudonymizer() : options.pseudonyms;
}

// ---------------------------------------------------------------------------------------------
// Pseudonyms

/** Top-level domains that make a dotted word a host name (not a file, class or package name). */
const TLDS = new Set(
  (
    "com net org edu gov mil int io co uk de fr nl be ch at it es pl se no dk fi ie pt cz ru cn jp kr in au nz ca us " +
    "mx br za sg hk tw eu info biz local lan corp internal intranet intra home localdomain lab example test invalid"
  ).split(" "),
);

/** Hosts of XML namespaces and standards: public names, kept so the markup stays readable. */
const PUBLIC_HOSTS =
  /(?:^|\.)(?:cisco\.com|w3\.org|xmlsoap\.org|jabber\.org|jabber\.com|xmpp\.org|ietf\.org|microsoft\.com|openxmlformats\.org|oasis-open\.org)$/i;

const KEPT_IPS = /^(?:127\.|0\.0\.0\.0$|255\.255\.255\.255$)/;
const IPV4 =
  /(?<![\w.-])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\w-]|\.\d)/g;
const DOTTED =
  /(?<![\w.-])([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)(?![\w-]|\.[A-Za-z0-9])/g;
/** Where a log names a user: key=value, key: value, XML elements. */
const USER_CONTEXTS = [
  /(?<![\w=:-])(?:user(?:_?name|_?id)?|login(?:_?id)?|sAMAccountName)(?:"|')?[ \t]*[=:][ \t]*["']?([A-Za-z0-9][\w.-]*(?:@[\w.-]+)?)/gi,
  /<(?:[\w-]+:)?(?:user(?:name|id)?|login)>([^<\s]+)<\//gi,
  /\bsips?:([A-Za-z0-9][\w.+-]*)@/gi,
];
const NOT_USERS = new Set(
  (
    "null none true false unknown anonymous n/a na undefined success successful succeeded failed failure " +
    "fail error ok denied rejected accepted started completed complete pending enter exit"
  ).split(" "),
);
const LDAP_CONTAINERS =
  /^(?:users|computers|builtin|system|program data|foreignsecurityprincipals|managed service accounts)$/i;

export interface Pseudonymizer {
  user(value: string): string;
  host(value: string): string;
  ip(value: string): string;
  /** Note the users, hosts and addresses a text names, so that later texts replace them too. */
  learn(text: string): void;
  learnModel(json: ModelJson): void;
  /** Replace every known or recognisable user, host and address. */
  apply(text: string): string;
  /** What became what, for the export preview. */
  aliases(): { users: [string, string][]; hosts: [string, string][]; ips: [string, string][] };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The n-th address (0-based) of the documentation ranges, then of the benchmarking range. */
function documentationIp(n: number): string {
  const ranges = ["198.51.100", "203.0.113", "192.0.2"];
  if (n < 254 * ranges.length) return `${ranges[Math.floor(n / 254)]}.${(n % 254) + 1}`;
  const k = n - 254 * ranges.length;
  return `198.${18 + Math.floor(k / 65024)}.${Math.floor((k % 65024) / 254)}.${(k % 254) + 1}`;
}

export function createPseudonymizer(): Pseudonymizer {
  const users = new Map<string, string>();
  const labels = new Map<string, string>();
  const domains = new Map<string, string>();
  const ips = new Map<string, string>();
  /** Hosts named without a domain (a file's host): replaced wherever they stand as a word. */
  const bare = new Set<string>();
  /** Aliases already given: a text is never pseudonymized twice over. */
  const given = new Set<string>();
  const give = (alias: string) => {
    given.add(alias.toLowerCase());
    known = null;
    return alias;
  };
  let known: RegExp | null = null;

  const isHostName = (s: string) => {
    const parts = s.split(".");
    const tld = parts[parts.length - 1]!.toLowerCase();
    return parts.length > 1 && TLDS.has(tld) && !PUBLIC_HOSTS.test(s) && !/^\d+$/.test(parts[0]!);
  };

  const user = (value: string): string => {
    const at = value.indexOf("@");
    if (at > 0) return `${user(value.slice(0, at))}@${host(value.slice(at + 1))}`;
    const key = value.toLowerCase();
    if (given.has(key)) return value;
    let alias = users.get(key);
    if (!alias) {
      alias = give(`user${users.size + 1}`);
      users.set(key, alias);
    }
    return alias;
  };
  const domain = (value: string): string => {
    const key = value.toLowerCase();
    if (given.has(key)) return value;
    let alias = domains.get(key);
    if (!alias) {
      alias = give(`domain${domains.size + 1}.example`);
      domains.set(key, alias);
    }
    return alias;
  };
  const hostLabel = (value: string): string => {
    const key = value.toLowerCase();
    if (given.has(key)) return value;
    let alias = labels.get(key);
    if (!alias) {
      alias = give(`host${labels.size + 1}`);
      labels.set(key, alias);
    }
    return alias;
  };
  /** host.domain.tld -> hostN.domainM.example; domain.tld -> domainM.example; a bare name -> hostN. */
  const host = (value: string): string => {
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return ip(value);
    if (PUBLIC_HOSTS.test(value)) return value;
    const parts = value.split(".");
    if (parts.length === 1) {
      if (!given.has(value.toLowerCase()) && !bare.has(value.toLowerCase())) {
        bare.add(value.toLowerCase());
        known = null;
      }
      return hostLabel(value);
    }
    if (parts.length === 2) return domain(value);
    return `${hostLabel(parts[0]!)}.${domain(parts.slice(1).join("."))}`.replace(
      /\.example\.example$/,
      ".example",
    );
  };
  const ip = (value: string): string => {
    if (KEPT_IPS.test(value) || given.has(value)) return value;
    let alias = ips.get(value);
    if (!alias) {
      alias = give(documentationIp(ips.size));
      ips.set(value, alias);
    }
    return alias;
  };

  const learnUser = (value: string) => {
    const v = value.replace(/(?<!['.])['.]+$/, "");
    if (v.length < 2 || NOT_USERS.has(v.toLowerCase()) || /^\d+$/.test(v)) return;
    user(v);
  };
  const learn = (text: string) => {
    for (const re of USER_CONTEXTS) for (const m of text.matchAll(re)) learnUser(m[1]!);
    for (const m of text.matchAll(IPV4)) ip(m[1]!);
    for (const m of text.matchAll(DOTTED)) if (isHostName(m[1]!)) host(m[1]!);
  };

  /** Bare known names (a file's host, a user) wherever they stand as a word, and dashed IP forms. */
  const knownPattern = (): RegExp | null => {
    if (known) return known;
    const words = [
      ...[...users.keys()].filter((u) => u.length >= 2),
      ...[...bare].filter((l) => !isCanonicalLane(l) && l.length >= 3),
      ...[...ips.keys()].map((a) => a.replace(/\./g, "-")),
    ].sort((a, b) => b.length - a.length);
    if (words.length === 0) return null;
    // `-` and `.` separate: XCP writes a host into its component names (cm-1.labucexpwye01-lab-com).
    known = new RegExp(`(?<![A-Za-z0-9_])(?:${words.map(escapeRegExp).join("|")})(?![A-Za-z0-9_])`, "gi");
    return known;
  };

  const apply = (text: string): string => {
    learn(text);
    let out = text
      // LDAP DNs: CN=Display Name stays a person; DC=a, DC=b is the domain a.b. The name ends
      // where only blanks stand before the "," or the end; it is not cut after a blank (unless it
      // is that one blank: "CN= ,"), so the lookahead reads a run of blanks once, not per blank.
      .replace(/\b(CN=)([^,=\r\n]+?)(?<![^=]\s)(?=\s*,|\s*$)/g, (all, key: string, name: string) =>
        LDAP_CONTAINERS.test(name.trim()) ? all : `${key}${user(name.trim())}`,
      )
      .replace(/\bDC=[^,\s]+(?:\s*,\s*DC=[^,\s]+)+/gi, (all) => {
        const parts = [...all.matchAll(/DC=([^,\s]+)/gi)].map((m) => m[1]!);
        const sep = /,\s+/.test(all) ? ", " : ",";
        return domain(parts.join("."))
          .split(".")
          .map((p) => `DC=${p}`)
          .join(sep);
      })
      .replace(
        /\b([A-Za-z0-9][\w.+-]*)@([A-Za-z0-9][\w-]*(?:\.[\w-]+)+)/g,
        (_all, u: string, h: string) => `${user(u)}@${host(h)}`,
      )
      .replace(IPV4, (_all, a: string) => ip(a))
      .replace(DOTTED, (all, name: string) => (isHostName(name) ? host(name) : all));
    const words = knownPattern();
    if (words)
      out = out.replace(words, (w) => {
        const k = w.toLowerCase();
        if (users.has(k)) return users.get(k)!;
        if (bare.has(k)) return labels.get(k)!;
        const dotted = k.replace(/-/g, ".");
        return ips.has(dotted) ? ips.get(dotted)!.replace(/\./g, "-") : w;
      });
    return out;
  };

  const learnModel = (json: ModelJson) => {
    for (const f of json.files) if (f.host) host(f.host);
    for (const lane of json.lanes) if (looksLikeHost(lane)) host(lane);
    for (const m of json.messages) if (m.user) learnUser(m.user);
    for (const s of json.sessions) if (s.user) learnUser(s.user);
    for (const m of json.messages) learn(m.label);
  };

  return {
    user,
    host,
    ip,
    learn,
    learnModel,
    apply,
    aliases: () => ({
      users: [...users],
      hosts: [...labels, ...domains],
      ips: [...ips],
    }),
  };
}

/** A lane named after a peer host (not a product lane such as `lync-client`). */
function looksLikeHost(lane: string): boolean {
  return !isCanonicalLane(lane) && (lane.includes(".") || /^[\d.:]+$/.test(lane));
}

/**
 * A redacted copy of the model: labels, users, hosts, file names, dialog keys, findings. The
 * ladder keeps its shape: ids, times, kinds, statuses and (without pseudonyms) lanes are the
 * same. With pseudonyms a lane named after a host becomes its alias, everywhere it appears.
 */
export function redactModel(json: ModelJson, options: RedactOptions = {}): ModelJson {
  const p = pseudonymizerOf(options);
  if (p) p.learnModel(json);
  const text = (s: string) => redactText(s, options, p);
  const opt = (s: string | null) => (s === null ? null : text(s));
  const lane = (l: string) => (p && looksLikeHost(l) ? p.host(l) : l);
  const userOf = (u: string | null) => (u === null || !p ? u : p.user(u));
  const copy: ModelJson = structuredClone(json);
  copy.files = copy.files.map((f) => ({
    ...f,
    name: text(f.name),
    lane: f.lane === null ? null : lane(f.lane),
    host: f.host === null || !p ? f.host : p.host(f.host),
    warnings: f.warnings.map(text),
    errors: f.errors.map(text),
  }));
  copy.lanes = copy.lanes.map(lane);
  copy.messages = copy.messages.map((m) => ({
    ...m,
    from: lane(m.from),
    to: lane(m.to),
    label: text(m.label),
    status: opt(m.status),
    dialog: opt(m.dialog),
    user: userOf(m.user),
    seenBy: m.seenBy.map(lane),
    evidence: m.evidence.map((e) => ({ ...e, file: text(e.file) })),
  }));
  copy.dialogs = copy.dialogs.map((d) => ({ ...d, key: text(d.key) }));
  copy.sessions = copy.sessions.map((s) => ({ ...s, user: userOf(s.user) }));
  copy.findings = copy.findings.map((f) => ({
    ...f,
    title: text(f.title),
    explanation: text(f.explanation),
    fix: text(f.fix),
    lines: f.lines.map((l) => ({ ...l, file: text(l.file) })),
  }));
  copy.clocks = copy.clocks.map((c) => ({
    ...c,
    lane: lane(c.lane),
    against: c.against === null ? null : lane(c.against),
  }));
  copy.reference = copy.reference === null ? null : lane(copy.reference);
  return copy;
}

/** Redact raw lines with the same options (and the same pseudonymizer) as the model. */
export function redactRawLines<T extends { file: string; lines: string[] }>(
  raw: T[],
  options: RedactOptions = {},
  pseudonymizer?: Pseudonymizer,
): T[] {
  const p = pseudonymizer ?? pseudonymizerOf(options);
  return raw.map((r) => ({
    ...r,
    file: redactText(r.file, options, p),
    // A record is redacted as one text: a header value or a SASL payload may span lines.
    lines: redactText(r.lines.join("\n"), options, p).split("\n"),
  }));
}
