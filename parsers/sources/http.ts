import { regexPerName } from "./regexes.ts";
import { isMasked } from "../io/masks.ts";

/** HTTP words shared by the sources: request lines, status lines, path tails. */

export interface RequestLine {
  method: string;
  url: string;
  host: string;
  path: string;
  query: string;
  /** Last path segment without the query: what a person calls the request ("get_edge_sso"). */
  tail: string;
}

const METHODS = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT)\s+(\S+)/;

export function parseRequestLine(text: string): RequestLine | null {
  const m = METHODS.exec(text.replace(/^\|/, "").trim());
  if (!m) return null;
  return { method: m[1]!, ...parseUrl(m[2]!.replace(/\|$/, "")) };
}

export function parseUrl(url: string): Omit<RequestLine, "method"> {
  // Expressway writes "https:///<domain>/..." (empty host) and "//host:8443/..." (no scheme).
  const m = /^(?:[a-z]+:)?\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  const host = m ? m[1]! : "";
  const path = m ? m[2]! || "/" : (url.split("?")[0] ?? url);
  const query = m ? (m[3] ?? "") : (url.split("?")[1] ?? "");
  return { url, host, path, query, tail: pathTail(path) };
}

export function pathTail(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  return parts[parts.length - 1] ?? "/";
}

/** "HTTP/1.1 302 Found" -> { code: 302, reason: "Found" } */
export function parseStatusLine(text: string): { code: number; reason: string } | null {
  const m = /^\|?HTTP\/\d(?:\.\d)?\s+(\d{3})\s*([^|]*)/.exec(text.trim());
  if (!m) return null;
  return { code: Number(m[1]), reason: m[2]!.trim() };
}

const paramRegex = regexPerName((name) => `(?:^|[?&\\s])${name}=([^&\\s|"]*)`);

/** A query-string or form parameter, undecoded beyond %XX. */
export function param(query: string, name: string): string | undefined {
  const m = paramRegex(name).exec(query);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

/** "aokanlawon@lab.com" -> "aokanlawon"; masked values are not users. */
export function userFrom(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (v === "" || isMasked(v)) return undefined;
  return v.split("@")[0]!.toLowerCase();
}
