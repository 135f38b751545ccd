import type { CorrelationKeys, Direction, EventKind } from "./events.ts";
import { isCanonicalLane, type LaneId } from "./lanes.ts";
import type { FileInfo } from "./files.ts";
import type { Store } from "./store.ts";

/** One place in the logs (file and 1-based line) that shows a message. */
export interface Evidence {
  file: number;
  line: number;
  record: number;
}

/**
 * One node's sighting of a message: an event, or several events of one node that describe
 * the same thing (Expressway writes an INFO and a DEBUG record for each request).
 */
export interface Observation {
  file: number;
  lane: LaneId;
  dir: Direction;
  peer: LaneId | undefined;
  kind: EventKind;
  label: string;
  status: string | undefined;
  failed: boolean;
  phase: "request" | "response" | undefined;
  exchange: string | undefined;
  match: string | undefined;
  keys: CorrelationKeys;
  user: string | undefined;
  /** Base UTC time (time base applied, clock offset not yet). */
  time: number;
  /** Lines of `file` (only one node's records of one file make a sighting). */
  evidence: Evidence[];
}

/**
 * The lane of a message's other end. A host that a dropped file belongs to is that file's lane,
 * whatever the source guessed; a named peer that is no lane of ours gets a lane of its own,
 * named by the host (an HTTP proxy on 127.0.0.1:3128, a Skype Edge server).
 */
export function peerResolver(
  files: FileInfo[],
): (peer: LaneId | undefined, host: string | undefined) => LaneId | undefined {
  const byHost = new Map<string, LaneId>();
  // "labucexpye01.lab.com" and "labucexpye01" are one host; "10.1.1.20" and "10.1.1.21" are not.
  const short = (h: string) => (/^[\d.]+$|:/.test(h) ? h : h.split(".")[0]!);
  for (const f of files) {
    if (!f.host || !f.lane) continue;
    const h = f.host.toLowerCase();
    byHost.set(h, f.lane);
    byHost.set(short(h), f.lane);
  }
  const lookup = (host: string | undefined) => {
    if (!host) return undefined;
    const h = host
      .toLowerCase()
      .replace(/:\d+$/, "")
      .replace(/^\[|\]$/g, "");
    return byHost.get(h) ?? byHost.get(short(h));
  };
  return (peer, host) => {
    const known = lookup(host);
    if (known) return known;
    if (peer && !isCanonicalLane(peer)) return lookup(peer) ?? peer;
    return peer;
  };
}

/**
 * The events of the store as sightings, reading the event columns directly: no event view object
 * per event, and the exchange of a half is found by numbers (file, interned exchange, phase,
 * direction) rather than a key string built for each event.
 */
export function collectObservations(store: Store, times: Float64Array): Observation[] {
  const out: Observation[] = [];
  const resolvePeer = peerResolver(store.files);
  const files = store.files;
  const nFiles = files.length;
  const strings = store.strings.strings;
  const str = (id: number): string | undefined => (id < 0 ? undefined : (strings[id] ?? ""));
  /**
   * Open halves of each exchange of a file, by (exchange id, file): eight places, one per
   * direction (send, recv, local, any other) and phase, at 2 * direction + phase - 1. One lookup
   * per event, where a map keyed by file|exchange|phase|dir took a lookup, three deletes and a set.
   */
  const byExchange = new Map<number, (Observation | undefined)[]>();
  /** The peer lane of each (peer, host) pair of string ids met, resolved once: by peer, then host. */
  const resolved = new Map<number, Map<number, LaneId | undefined>>();
  const r = store.records;
  const ev = store.events;
  const recordOf = ev.record.data;
  const kindOf = ev.kind.data;
  const dirOf = ev.dir.data;
  const peerOf = ev.peer.data;
  const peerHostOf = ev.peerHost.data;
  const labelOf = ev.label.data;
  const statusOf = ev.status.data;
  const failedOf = ev.failed.data;
  const phaseOf = ev.phase.data;
  const exchangeOf = ev.exchange.data;
  const matchOf = ev.match.data;
  const userOf = ev.user.data;
  const lineOffsetOf = ev.lineOffset.data;
  const fileOf = r.file.data;
  const firstLineOf = r.firstLine.data;
  const keysOf = ev.keys;
  // Most events carry no keys: the ones that do are walked in order, not looked up for each event.
  const keyed = keyedEvents(keysOf);
  let nextKeyed = 0;
  for (let i = 0; i < ev.length; i++) {
    const record = recordOf[i]!;
    const file = fileOf[record]!;
    const lane = files[file]!.lane ?? "unknown";
    const evidence: Evidence = { file, line: firstLineOf[record]! + lineOffsetOf[i]!, record };
    const dirCode = dirOf[i]!;
    const dir = DIRECTIONS[dirCode]!;
    const phaseCode = phaseOf[i]!;
    const phase = PHASES[phaseCode];
    const exchangeId = exchangeOf[i]!;
    const label = strings[labelOf[i]!] ?? "";
    const match = str(matchOf[i]!);
    const user = str(userOf[i]!);
    const status = str(statusOf[i]!);
    const failed = failedOf[i] === 1;
    const keys = keyed[nextKeyed] === i ? keysOf.get(keyed[nextKeyed++]!) : undefined;
    // Only the halves of an exchange are deduplicated: a local note is its own sighting. The key
    // stands for file|exchange|phase|dir (an unknown direction code counts as a fourth one).
    const dedupe = exchangeId >= 0 && phase !== undefined;
    const dirSlot = dirCode < 3 ? dirCode : 3;
    const halves = dedupe ? byExchange.get(exchangeId * nFiles + file) : undefined;
    const seen = halves?.[2 * dirSlot + phaseCode - 1];
    if (seen && (!seen.match || !match || seen.match === match)) {
      // The same request or response logged twice by one node: one sighting, more evidence.
      seen.evidence.push(evidence);
      if (label.length > seen.label.length) seen.label = label;
      if (!seen.match && match) seen.match = match;
      if (!seen.user && user) seen.user = user;
      if (!seen.status && status) seen.status = status;
      seen.failed ||= failed;
      // A new object: a sighting's keys may be the event's own (see below).
      if (keys) seen.keys = { ...seen.keys, ...keys };
      continue;
    }
    const peerId = peerOf[i]!;
    const peerHostId = peerHostOf[i]!;
    let peer: LaneId | undefined;
    if (dir === "local") peer = lane;
    else {
      const byHost = resolved.get(peerId) ?? resolved.set(peerId, new Map()).get(peerId)!;
      if (byHost.has(peerHostId)) peer = byHost.get(peerHostId);
      else {
        peer = resolvePeer(str(peerId), str(peerHostId));
        byHost.set(peerHostId, peer);
      }
    }
    const o: Observation = {
      file,
      lane,
      dir,
      peer,
      kind: (strings[kindOf[i]!] ?? "") as EventKind,
      label,
      status,
      failed,
      phase,
      exchange: str(exchangeId),
      match,
      // The event's keys as they are (never changed: a merge above makes a new object).
      keys: keys ?? NO_KEYS,
      user,
      time: times[record]!,
      evidence: [evidence],
    };
    out.push(o);
    if (dedupe) {
      // A response closes its exchange, and a new request opens a new one: the next sighting
      // with the same key (a reused thread, Txn-id or URL) belongs to another exchange.
      let open = halves;
      if (open === undefined) {
        open = new Array<Observation | undefined>(8);
        byExchange.set(exchangeId * nFiles + file, open);
      } else {
        const other = phaseCode === 2 ? 0 : 1;
        for (let d = 0; d < 3; d++) open[2 * d + other] = undefined;
      }
      open[2 * dirSlot + phaseCode - 1] = o;
    }
  }
  return out;
}

/** The events that have an entry in the (sparse) keys map, in event order. */
function keyedEvents(keys: Map<number, CorrelationKeys>): number[] {
  const events = [...keys.keys()];
  // Filled in event order (EventTable.add, and a merge appends): sorted already, but checked.
  for (let i = 1; i < events.length; i++)
    if (events[i - 1]! > events[i]!) return events.sort((a, b) => a - b);
  return events;
}

/** The keys of a sighting whose events carry none: shared, and frozen since it is. */
export const NO_KEYS: CorrelationKeys = Object.freeze({});

const DIRECTIONS: Direction[] = ["send", "recv", "local"];
const PHASES = [undefined, "request", "response"] as const;
