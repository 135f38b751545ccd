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
  id: number;
  file: number;
  lane: LaneId;
  dir: Direction;
  peer: LaneId | undefined;
  peerHost: string | undefined;
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

export function collectObservations(store: Store, times: Float64Array): Observation[] {
  const out: Observation[] = [];
  const resolvePeer = peerResolver(store.files);
  const byExchange = new Map<string, Observation>();
  const r = store.records;
  const events = store.events;
  for (let i = 0; i < events.length; i++) {
    const e = events.get(i);
    const file = r.file.get(e.record);
    const lane = store.files[file]!.lane ?? "unknown";
    const evidence = { file, line: r.firstLine.get(e.record) + (e.lineOffset ?? 0), record: e.record };
    // Only the halves of an exchange are deduplicated: a local note is its own sighting.
    const dedupeKey =
      e.exchange !== undefined && e.phase !== undefined
        ? `${file}|${e.exchange}|${e.phase}|${e.dir}`
        : undefined;
    const seen = dedupeKey ? byExchange.get(dedupeKey) : undefined;
    if (seen && (!seen.match || !e.match || seen.match === e.match)) {
      // The same request or response logged twice by one node: one sighting, more evidence.
      seen.evidence.push(evidence);
      if (e.label.length > seen.label.length) seen.label = e.label;
      if (!seen.match && e.match) seen.match = e.match;
      if (!seen.user && e.user) seen.user = e.user;
      if (!seen.status && e.status) seen.status = e.status;
      seen.failed ||= e.failed === true;
      Object.assign(seen.keys, e.keys);
      continue;
    }
    // A response closes its exchange, and a new request opens a new one: the next sighting with
    // the same key (a reused thread, Txn-id or URL) belongs to another exchange.
    if (dedupeKey) {
      const other = e.phase === "response" ? "request" : "response";
      for (const dir of ["send", "recv", "local"]) byExchange.delete(`${file}|${e.exchange}|${other}|${dir}`);
    }
    const peer = e.dir === "local" ? lane : resolvePeer(e.peer, e.peerHost);
    const o: Observation = {
      id: out.length,
      file,
      lane,
      dir: e.dir,
      peer,
      peerHost: e.peerHost,
      kind: e.kind,
      label: e.label,
      status: e.status,
      failed: e.failed === true,
      phase: e.phase,
      exchange: e.exchange,
      match: e.match,
      keys: { ...e.keys },
      user: e.user,
      time: times[e.record]!,
      evidence: [evidence],
    };
    out.push(o);
    if (dedupeKey) byExchange.set(dedupeKey, o);
  }
  return out;
}
