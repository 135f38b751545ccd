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

/**
 * A pattern made ready to test many messages: every field present, so that all of them have one
 * shape (the patterns themselves come in a dozen shapes, and reading their fields in the loop
 * over messages was a slow, megamorphic lookup), kinds split once into exact ones and family
 * prefixes, and the cheap tests (failed, kind, lanes) before the label's expressions. The tests
 * are pure (label expressions have no g or y flag), so their order does not change the answer.
 */
class CompiledPattern {
  private readonly failed: boolean | null;
  private readonly kinds: KindSet | null;
  private readonly notKinds: KindSet | null;
  private readonly from: string[] | null;
  private readonly to: string[] | null;
  private readonly lane: string[] | null;
  private readonly laneLike: RegExp | null;
  /** The expression the label must match, if any (read by PatternList.labels). */
  readonly label: RegExp | null;
  private readonly notLabel: RegExp | null;

  constructor(p: MessagePattern) {
    this.failed = p.failed ?? null;
    this.kinds = p.kind ? new KindSet(p.kind) : null;
    this.notKinds = p.notKind ? new KindSet(p.notKind) : null;
    this.from = p.from ?? null;
    this.to = p.to ?? null;
    this.lane = p.lane ?? null;
    this.laneLike = p.laneLike ?? null;
    this.label = p.label ?? null;
    this.notLabel = p.notLabel ?? null;
  }

  test(m: MessageJson): boolean {
    if (this.failed !== null && this.failed !== m.failed) return false;
    if (this.kinds !== null && !this.kinds.has(m.kind)) return false;
    if (this.notKinds !== null && this.notKinds.has(m.kind)) return false;
    if (this.from !== null && !this.from.includes(m.from)) return false;
    if (this.to !== null && !this.to.includes(m.to)) return false;
    if (this.lane !== null && !this.lane.includes(m.from) && !this.lane.includes(m.to)) return false;
    if (this.laneLike !== null && !this.laneLike.test(m.from) && !this.laneLike.test(m.to)) return false;
    if (this.label !== null && !this.label.test(m.label)) return false;
    if (this.notLabel !== null && this.notLabel.test(m.label)) return false;
    return true;
  }
}

/** Pattern kinds: exact ones, and families ("cti.*") by their prefix ("cti."). */
class KindSet {
  private readonly exact: string[] = [];
  private readonly families: string[] = [];

  constructor(kinds: string[]) {
    for (const k of kinds) {
      if (k.endsWith(".*")) this.families.push(k.slice(0, -1));
      else this.exact.push(k);
    }
  }

  has(kind: string): boolean {
    if (this.exact.includes(kind)) return true;
    for (let i = 0; i < this.families.length; i++) if (kind.startsWith(this.families[i]!)) return true;
    return false;
  }
}

/**
 * A list of patterns, compiled once: matches a message when any of them does. Loops over the
 * messages compile their patterns before the loop; `matches` and `matchesAny` compile each call.
 */
export class PatternList {
  private readonly patterns: CompiledPattern[];

  constructor(patterns: readonly MessagePattern[]) {
    this.patterns = patterns.map((p) => new CompiledPattern(p));
  }

  test(m: MessageJson): boolean {
    const patterns = this.patterns;
    for (let i = 0; i < patterns.length; i++) if (patterns[i]!.test(m)) return true;
    return false;
  }

  /**
   * The label expression of each pattern, when every pattern has one: a message whose label none
   * of them matches matches none of the patterns. Null when some pattern does not look at the
   * label.
   */
  labels(): RegExp[] | null {
    const out: RegExp[] = [];
    for (const p of this.patterns) {
      if (p.label === null) return null;
      out.push(p.label);
    }
    return out;
  }
}

/**
 * Any of many label expressions in one test: joined, each in a group of its own, one expression
 * per set of flags, so that a label that fails the union fails every one of them (a prefilter
 * for the loop over all messages, whose labels seldom match). Null when they cannot be joined
 * without changing what they match: a g or y flag (test() would keep state), a backreference
 * (its number would change), or a joined source that does not compile (say, a group name used
 * twice).
 */
export class LabelUnion {
  private constructor(private readonly unions: RegExp[]) {}

  static of(regexes: readonly RegExp[]): LabelUnion | null {
    const byFlags = new Map<string, string[]>();
    for (const r of regexes) {
      if (r.global || r.sticky || /\\[1-9]|\\k</.test(r.source)) return null;
      const list = byFlags.get(r.flags) ?? byFlags.set(r.flags, []).get(r.flags)!;
      list.push(`(?:${r.source})`);
    }
    try {
      return new LabelUnion([...byFlags].map(([flags, sources]) => new RegExp(sources.join("|"), flags)));
    } catch {
      return null;
    }
  }

  test(label: string): boolean {
    const unions = this.unions;
    for (let i = 0; i < unions.length; i++) if (unions[i]!.test(label)) return true;
    return false;
  }
}

export function matches(p: MessagePattern, m: MessageJson): boolean {
  return new CompiledPattern(p).test(m);
}

export function matchesAny(patterns: MessagePattern[], m: MessageJson): boolean {
  return new PatternList(patterns).test(m);
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
