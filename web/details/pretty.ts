/**
 * Pretty-printers for the bodies found in log records: XML/SOAP, JSON, HTTP and SIP messages,
 * URL query strings, base64 payloads and JWTs. Log text is hostile input: these return tokens
 * (kind + text) that the page renders as text nodes, never markup.
 */
export type TokenKind =
  | "plain"
  | "punct"
  | "tag"
  | "attr"
  | "value"
  | "key"
  | "string"
  | "number"
  | "keyword"
  | "method"
  | "status"
  | "header"
  | "comment";

export interface Token {
  kind: TokenKind;
  text: string;
}

/** One line of pretty output: tokens after an indentation depth. */
export type PrettyLine = Token[];

export interface PrettySection {
  title: string;
  lines: PrettyLine[];
}

const t = (kind: TokenKind, text: string): Token => ({ kind, text });

export function sectionText(section: PrettySection): string {
  return section.lines.map((l) => l.map((tk) => tk.text).join("")).join("\n");
}

// ---------- XML ----------

const XML_PIECE = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<\/?[A-Za-z_][^<>]*>|[^<]+|</g;
const ATTR = /(?<!\s)(\s+)([^\s=/>]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+))?/g;

function tagTokens(tag: string): Token[] {
  if (tag.startsWith("<!--")) return [t("comment", tag)];
  if (tag.startsWith("<![CDATA[")) return [t("string", tag)];
  const m = /^(<\/?|<\?)([^\s/>?]+)(?![^\s/>?])([\s\S]*?)(\/?>|\?>)$/.exec(tag);
  if (!m) return [t("plain", tag)];
  const out: Token[] = [t("punct", m[1] ?? ""), t("tag", m[2] ?? "")];
  const attrs = m[3] ?? "";
  let last = 0;
  for (const a of attrs.matchAll(ATTR)) {
    if ((a.index ?? 0) > last) out.push(t("plain", attrs.slice(last, a.index)));
    out.push(t("plain", " "), t("attr", a[2] ?? ""));
    if (a[3] !== undefined) out.push(t("punct", "="), t("value", a[4] ?? ""));
    last = (a.index ?? 0) + a[0].length;
  }
  if (last < attrs.length && attrs.slice(last).trim()) out.push(t("plain", attrs.slice(last)));
  out.push(t("punct", m[4] ?? ">"));
  return out;
}

/** Indents XML: one element a line, short text content kept inline with its element. */
export function prettyXml(xml: string): PrettyLine[] {
  const pieces = [...xml.matchAll(XML_PIECE)].map((m) => m[0]);
  const lines: PrettyLine[] = [];
  let depth = 0;
  const indent = () => t("plain", "  ".repeat(Math.max(0, depth)));
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] ?? "";
    if (!p.startsWith("<") || p === "<") {
      const text = p.trim();
      if (text) lines.push([indent(), t("string", text)]);
      continue;
    }
    const closing = p.startsWith("</");
    const selfClosing = p.endsWith("/>") || p.startsWith("<?") || p.startsWith("<!");
    if (closing) {
      depth--;
      lines.push([indent(), ...tagTokens(p)]);
      continue;
    }
    // <a>text</a> on one line
    const next = pieces[i + 1];
    const after = pieces[i + 2];
    if (!selfClosing && next !== undefined && !next.startsWith("<") && after?.startsWith("</")) {
      lines.push([indent(), ...tagTokens(p), t("string", next.trim()), ...tagTokens(after)]);
      i += 2;
      continue;
    }
    if (!selfClosing && after === undefined && next?.startsWith("</")) {
      lines.push([indent(), ...tagTokens(p), ...tagTokens(next)]);
      i += 1;
      continue;
    }
    lines.push([indent(), ...tagTokens(p)]);
    if (!selfClosing) depth++;
  }
  return lines;
}

/** The XML document embedded in a record, if any: from its first tag to its last '>'. */
export function findXml(text: string): string | null {
  const start = text.search(/<(\?xml|[A-Za-z][\w:.-]*[\s>/])/);
  if (start < 0) return null;
  const end = text.lastIndexOf(">");
  if (end <= start) return null;
  const xml = text.slice(start, end + 1);
  // A lone placeholder such as <CONCEALED> is not a document.
  return /<\/[A-Za-z]|\/>/.test(xml) ? xml : null;
}

// ---------- JSON ----------

export function prettyJson(value: unknown): PrettyLine[] {
  const text = JSON.stringify(value, null, 2) ?? "";
  return text.split("\n").map((line) => {
    const out: Token[] = [];
    const re =
      /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],])|(\s+)/g;
    let last = 0;
    for (const m of line.matchAll(re)) {
      if ((m.index ?? 0) > last) out.push(t("plain", line.slice(last, m.index)));
      if (m[1]) {
        if (m[2]) out.push(t("key", m[1]), t("punct", m[2]));
        else out.push(t("string", m[1]));
      } else if (m[3]) out.push(t("number", m[3]));
      else if (m[4]) out.push(t("keyword", m[4]));
      else if (m[5]) out.push(t("punct", m[5]));
      else out.push(t("plain", m[0]));
      last = (m.index ?? 0) + m[0].length;
    }
    if (last < line.length) out.push(t("plain", line.slice(last)));
    return out;
  });
}

/** The first JSON object or array embedded in the text that parses. */
export function findJson(text: string): unknown {
  const end = Math.max(text.lastIndexOf("}"), text.lastIndexOf("]"));
  if (end < 0) return undefined;
  let from = 0;
  for (let tries = 0; tries < 8; tries++) {
    const start = text.slice(from).search(/[{[]/);
    if (start < 0) return undefined;
    const at = from + start;
    if (at >= end) return undefined;
    try {
      const value: unknown = JSON.parse(text.slice(at, end + 1));
      // An object, or an array of objects or strings: not "[16087]" after a process name.
      if (
        value &&
        typeof value === "object" &&
        (!Array.isArray(value) || typeof value[0] === "object" || typeof value[0] === "string")
      )
        return value;
    } catch {
      // not here: try the next brace
    }
    from = at + 1;
  }
  return undefined;
}

// ---------- HTTP and SIP ----------

const HTTP_REQUEST = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT) (\S+) (HTTP\/\d(?:\.\d)?)$/;
const HTTP_RESPONSE = /^(HTTP\/\d(?:\.\d)?) (\d{3})(.*)$/;
const SIP_REQUEST =
  /^(INVITE|REGISTER|SUBSCRIBE|NOTIFY|ACK|BYE|CANCEL|OPTIONS|INFO|UPDATE|PRACK|REFER|MESSAGE|PUBLISH|SERVICE) (\S+) (SIP\/2\.0)$/;
const SIP_RESPONSE = /^(SIP\/2\.0) (\d{3})(.*)$/;
const HEADER = /^([A-Za-z][\w-]*):\s?(.*)$/;

/** Expressway writes HTTP messages with '|' at the start of the first and end of the last line. */
function unframe(line: string): string {
  return line.replace(/^\|/, "").replace(/\|$/, "");
}

/** An HTTP or SIP message in the record's lines: its start line, headers and body. */
export function prettyMessage(lines: string[]): PrettySection | null {
  const clean = lines.map(unframe);
  for (let i = 0; i < clean.length; i++) {
    const line = (clean[i] ?? "").trim();
    const req = HTTP_REQUEST.exec(line) ?? SIP_REQUEST.exec(line);
    const res = req ? null : (HTTP_RESPONSE.exec(line) ?? SIP_RESPONSE.exec(line));
    if (!req && !res) continue;
    const sip = /SIP\//.test(line);
    const out: PrettyLine[] = [];
    if (req)
      out.push([
        t("method", req[1] ?? ""),
        t("plain", " "),
        t("string", req[2] ?? ""),
        t("plain", ` ${req[3]}`),
      ]);
    else if (res) out.push([t("plain", `${res[1]} `), t("status", res[2] ?? ""), t("plain", res[3] ?? "")]);
    let j = i + 1;
    for (; j < clean.length; j++) {
      const h = HEADER.exec(clean[j] ?? "");
      if (!h) break;
      out.push([t("header", h[1] ?? ""), t("punct", ": "), t("plain", h[2] ?? "")]);
    }
    const body = clean.slice(j).join("\n").trim();
    if (body) {
      out.push([]);
      for (const b of body.split("\n")) out.push([t("plain", b)]);
    }
    return { title: sip ? "SIP message" : "HTTP message", lines: out };
  }
  return null;
}

// ---------- URL query ----------

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** The parameters of the first URL with a query string (OAuth state, client_id, ...). */
export function prettyQuery(text: string): PrettySection | null {
  const m = /(?:https?:\/\/\S*|\s\/\S*)\?([^\s"'<>]+)/.exec(text);
  if (!m) return null;
  const params = (m[1] ?? "").split("&").filter(Boolean);
  if (params.length < 2) return null;
  return {
    title: "URL query",
    lines: params.map((p) => {
      const eq = p.indexOf("=");
      const key = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? "" : p.slice(eq + 1);
      return [t("key", safeDecode(key)), t("punct", " = "), t("string", safeDecode(value))];
    }),
  };
}

// ---------- base64 and JWT ----------

function base64Bytes(b64: string): Uint8Array | null {
  try {
    const norm = b64.replace(/-/g, "+").replace(/_/g, "/");
    const padded = norm + "=".repeat((4 - (norm.length % 4)) % 4);
    const bin = atob(padded);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Decoded text if the bytes are UTF-8 and (mostly) printable; NULs shown as \0. */
export function decodeBase64Text(b64: string): string | null {
  const bytes = base64Bytes(b64);
  if (!bytes || bytes.length < 4) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  let printable = 0;
  for (const ch of text) if (ch === "\0" || ch === "\n" || ch === "\t" || ch >= " ") printable++;
  const control = [...text].filter((ch) => ch < " " && ch !== "\0" && ch !== "\n" && ch !== "\t").length;
  if (control > 0 || printable < text.length * 0.95) return null;
  return text.replace(/\0/g, "\\0");
}

const JWT = /\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const B64URL_JSON = /\beyJ[A-Za-z0-9_-]{8,}/g;
const BASE64 = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;

function jsonLinesOrText(decoded: string): PrettyLine[] {
  try {
    return prettyJson(JSON.parse(decoded));
  } catch {
    return decoded.split("\n").map((l) => [t("string", l)]);
  }
}

/** Every JWT and base64 payload found in the text, decoded. */
export function decodePayloads(text: string): PrettySection[] {
  const out: PrettySection[] = [];
  const taken: [number, number][] = [];
  for (const m of text.matchAll(JWT)) {
    const [header, payload] = m[0].split(".");
    const h = header ? decodeBase64Text(header) : null;
    const p = payload ? decodeBase64Text(payload) : null;
    if (!h || !p) continue;
    taken.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    out.push({
      title: "JWT (decoded, signature not checked)",
      lines: [...jsonLinesOrText(h), [t("punct", ".")], ...jsonLinesOrText(p)],
    });
  }
  const inside = (at: number) => taken.some(([a, b]) => at >= a && at < b);
  for (const m of text.matchAll(B64URL_JSON)) {
    if (inside(m.index ?? 0)) continue;
    // A token cut short in the log (as Expressway conceals them): decode what is there.
    const usable = m[0].slice(0, m[0].length - (m[0].length % 4));
    const decoded = decodeBase64Text(usable);
    if (!decoded) continue;
    taken.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    out.push({ title: "JWT fragment (truncated in the log)", lines: [[t("string", decoded)]] });
  }
  for (const m of text.matchAll(BASE64)) {
    if (inside(m.index ?? 0) || m[0].length % 4 !== 0) continue;
    if (/^[0-9a-fA-F]+$/.test(m[0]) || /^[A-Za-z]+$/.test(m[0])) continue;
    const decoded = decodeBase64Text(m[0]);
    if (!decoded) continue;
    out.push({
      title: `base64 ${m[0].length > 24 ? `${m[0].slice(0, 20)}…` : m[0]}`,
      lines: decoded.split("\n").map((l) => [t("string", l)]),
    });
  }
  return out;
}

/** Everything worth showing about one raw record besides its lines. */
export function prettySections(lines: string[]): PrettySection[] {
  const text = lines.join("\n");
  const out: PrettySection[] = [];
  const message = prettyMessage(lines);
  if (message) out.push(message);
  const query = prettyQuery(text);
  if (query) out.push(query);
  const xml = findXml(text);
  if (xml) out.push({ title: /Envelope/.test(xml) ? "SOAP / XML" : "XML", lines: prettyXml(xml) });
  const json = findJson(text);
  if (json !== undefined) out.push({ title: "JSON", lines: prettyJson(json) });
  out.push(...decodePayloads(text));
  return out;
}
