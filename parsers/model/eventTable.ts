import { int32, uint8, RepeatInterner, type StringTable } from "./columns.ts";
import type { CorrelationKeys, Direction, EventInput, EventKind } from "./events.ts";

const DIRECTIONS: Direction[] = ["send", "recv", "local"];
const PHASES = [undefined, "request", "response"] as const;
const NONE = -1;

/** Whether the object has a property, without making the array of them that Object.keys does. */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** A read view of one event; built on demand, never stored per line. */
export interface EventView extends EventInput {
  index: number;
  record: number;
}

/** Events of all files, one column per field; strings are interned. */
export class EventTable {
  readonly record = int32();
  readonly kind = int32();
  readonly dir = uint8();
  readonly peer = int32();
  readonly peerHost = int32();
  readonly label = int32();
  readonly status = int32();
  readonly failed = uint8();
  readonly phase = uint8();
  readonly exchange = int32();
  readonly match = int32();
  readonly user = int32();
  readonly lineOffset = int32();
  /** Sparse: only events that carry correlation keys have an entry. */
  readonly keys = new Map<number, CorrelationKeys>();

  // A file's events mostly repeat the kind and the peer of the one before.
  private readonly kinds: RepeatInterner;
  private readonly peers: RepeatInterner;

  constructor(private readonly strings: StringTable) {
    this.kinds = new RepeatInterner(strings);
    this.peers = new RepeatInterner(strings);
  }

  get length(): number {
    return this.record.length;
  }

  add(record: number, e: EventInput): number {
    // No closures here: this runs once per event.
    const s = this.strings;
    this.kind.push(this.kinds.intern(e.kind));
    this.dir.push(DIRECTIONS.indexOf(e.dir));
    this.peer.push(this.peers.optional(e.peer));
    this.peerHost.push(s.optional(e.peerHost));
    this.label.push(s.intern(e.label));
    this.status.push(s.optional(e.status));
    this.failed.push(e.failed ? 1 : 0);
    this.phase.push(e.phase === "request" ? 1 : e.phase === "response" ? 2 : 0);
    this.exchange.push(s.optional(e.exchange));
    this.match.push(s.optional(e.match));
    this.user.push(s.optional(e.user));
    this.lineOffset.push(e.lineOffset ?? 0);
    const i = this.record.push(record);
    if (e.keys && hasKeys(e.keys)) this.keys.set(i, e.keys);
    return i;
  }

  /** Every column without its room to grow (Column.trim). */
  trim(): void {
    for (const c of [
      this.record,
      this.kind,
      this.dir,
      this.peer,
      this.peerHost,
      this.label,
      this.status,
      this.failed,
      this.phase,
      this.exchange,
      this.match,
      this.user,
      this.lineOffset,
    ])
      c.trim();
  }

  get(i: number): EventView {
    const s = this.strings;
    const opt = (id: number) => (id === NONE ? undefined : s.get(id));
    const view: EventView = {
      index: i,
      record: this.record.get(i),
      kind: s.get(this.kind.get(i)) as EventKind,
      dir: DIRECTIONS[this.dir.get(i)]!,
      label: s.get(this.label.get(i)),
      failed: this.failed.get(i) === 1,
      lineOffset: this.lineOffset.get(i),
    };
    const peer = opt(this.peer.get(i));
    if (peer !== undefined) view.peer = peer;
    const peerHost = opt(this.peerHost.get(i));
    if (peerHost !== undefined) view.peerHost = peerHost;
    const status = opt(this.status.get(i));
    if (status !== undefined) view.status = status;
    const phase = PHASES[this.phase.get(i)];
    if (phase !== undefined) view.phase = phase;
    const exchange = opt(this.exchange.get(i));
    if (exchange !== undefined) view.exchange = exchange;
    const match = opt(this.match.get(i));
    if (match !== undefined) view.match = match;
    const user = opt(this.user.get(i));
    if (user !== undefined) view.user = user;
    const keys = this.keys.get(i);
    if (keys) view.keys = keys;
    return view;
  }
}
