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

function kindMatches(kinds: string[], kind: string): boolean {
  return kinds.some((k) => (k.endsWith(".*") ? kind.startsWith(k.slice(0, -1)) : k === kind));
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
  return patterns.some((p) => matches(p, m));
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
export function messageIndex(model: ModelJson): Map<number, MessageJson> {
  return new Map(model.messages.map((m) => [m.id, m]));
}
