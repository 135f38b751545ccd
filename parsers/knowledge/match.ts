import type { ModelJson } from "../model/json.ts";
import { isCanonicalLane, LANE_TITLES } from "../model/lanes.ts";

/** One arrow of the model as the CLI's --json gives it. */
export type MessageJson = ModelJson["messages"][number];
export type SessionJson = ModelJson["sessions"][number];

/**
 * A pattern over one message, as data: every field given must hold (an empty pattern matches
 * everything). Phases and flow rules are lists of these; a list matches when any entry does.
 */
export interface MessagePattern {
  /** Event kinds (`http.response`, `ldap.result`, ...); a trailing `.*` matches the family. */
  kind?: string[];
  notKind?: string[];
  /** The label must match. */
  label?: RegExp;
  /** ...and must not match (keeps e.g. a 302 redirect out of the request's phase). */
  notLabel?: RegExp;
  from?: string[];
  to?: string[];
  /** Either end of the arrow is one of these lanes. */
  lane?: string[];
  /** Either end of the arrow is a lane whose id matches (e.g. /^lync-/). */
  laneLike?: RegExp;
  failed?: boolean;
}

/*
 * These run for every message against every pattern of every phase and finding (millions of
 * times on a large bundle): plain loops, and a family's prefix cut once, not at each test.
 */

/** "cti.*" -> "cti.", by pattern kind; undefined for an exact kind. */
const FAMILY = new Map<string, string | undefined>();

function familyOf(k: string): string | undefined {
  let prefix = FAMILY.get(k);
  if (prefix === undefined && !FAMILY.has(k)) {
    prefix = k.endsWith(".*") ? k.slice(0, -1) : undefined;
    FAMILY.set(k, prefix);
  }
  return prefix;
}

function kindMatches(kinds: string[], kind: string): boolean {
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]!;
    const family = familyOf(k);
    if (family === undefined ? k === kind : kind.startsWith(family)) return true;
  }
  return false;
}

export function matches(p: MessagePattern, m: MessageJson): boolean {
  if (p.kind && !kindMatches(p.kind, m.kind)) return false;
  if (p.notKind && kindMatches(p.notKind, m.kind)) return false;
  if (p.label && !p.label.test(m.label)) return false;
  if (p.notLabel && p.notLabel.test(m.label)) return false;
  if (p.from && !p.from.includes(m.from)) return false;
  if (p.to && !p.to.includes(m.to)) return false;
  if (p.lane && !p.lane.includes(m.from) && !p.lane.includes(m.to)) return false;
  if (p.laneLike && !p.laneLike.test(m.from) && !p.laneLike.test(m.to)) return false;
  if (p.failed !== undefined && p.failed !== m.failed) return false;
  return true;
}

export function matchesAny(patterns: MessagePattern[], m: MessageJson): boolean {
  for (let i = 0; i < patterns.length; i++) if (matches(patterns[i]!, m)) return true;
  return false;
}

const OTHER_TITLES: Record<string, string> = {
  "lync-client": "the Lync client",
  "lync-server": "the Lync Front End",
  "lync-edge": "the Lync Edge",
};

/** The product behind a lane, as a sentence names it ("Expressway-C", "the Lync Front End"). */
export function productName(lane: string): string {
  if (isCanonicalLane(lane)) return lane === "dns" ? "the DNS server" : LANE_TITLES[lane];
  return OTHER_TITLES[lane] ?? lane;
}

/** An index of the model's messages by id (ids are not promised to be positions). */
export function messageIndex(model: ModelJson): MessageIndex {
  const messages = model.messages;
  // Built models number their messages by position: a copy of the list is the index (a Map of
  // 400k entries, made for each analysis, was a tenth of toJson).
  if (messages.every((m, i) => m.id === i)) {
    const list = messages.slice();
    return {
      get: (id) => (typeof id === "number" && Number.isInteger(id) && id >= 0 ? list[id] : undefined),
    };
  }
  const byId = new Map<number, MessageJson>();
  for (const m of messages) byId.set(m.id, m);
  return byId;
}

/** Messages by id (a Map is one). */
export interface MessageIndex {
  get(id: number): MessageJson | undefined;
}
