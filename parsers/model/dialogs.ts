import type { Message } from "./messages.ts";
import { NO_KEYS } from "./observations.ts";

/** Keys that name a dialog, strongest first. Scoped keys are prefixed by the lane that logged them. */
const DIALOG_KEYS: [keyof NonNullable<Message["sent"]>["keys"], string, boolean][] = [
  ["oauthState", "oauth", false],
  ["callId", "call", false],
  ["xdb", "xdb", false],
  ["sessionKey", "soap-session", false],
  ["provider", "cti-provider", true],
  ["ctiSeq", "cti", true],
  ["txn", "txn", true],
  ["httpRequest", "req", true],
];

/** The place of each key field in DIALOG_KEYS. */
const KEY_INDEX = new Map<string, number>(DIALOG_KEYS.map(([field], i) => [field, i]));

export interface Dialog {
  key: string;
  messages: number[];
}

/**
 * Snooper's highlight: messages that share a correlation key (or belong to one exchange chain)
 * form one dialog. Union-find over messages; the dialog is named after its strongest key.
 *
 * Written for large bundles (400k messages): indexed loops rather than destructuring iteration,
 * and each message keeps only its best name (the first smallest by rank, then localeCompare):
 * the first smallest of a dialog's names is the first smallest of its members' bests, so no
 * list of every name is made and sorted (with the rank recomputed at each comparison) per dialog.
 *
 * `made`: the same messages in the order they were made, if not `messages`, each with its place
 * in `messages` as id. The passes over the message objects go in that order, their order in
 * memory (sorted, they are scattered); nothing in the grouping depends on the order of visits.
 */
export function groupDialogs(
  messages: Message[],
  links: [Message, Message][],
  made: readonly Message[] = messages,
): Dialog[] {
  const n = messages.length;
  const inPlace = made === messages;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const keyOwner = new Map<string, number>();
  const best: (string | undefined)[] = new Array<string | undefined>(n);
  const bestRank = new Int32Array(n);
  const offer = (i: number, name: string) => {
    const current = best[i];
    if (current === undefined) {
      best[i] = name;
      bestRank[i] = rank(name);
      return;
    }
    if (current === name) return;
    const r = rank(name);
    if (r < bestRank[i]! || (r === bestRank[i] && name.localeCompare(current) < 0)) {
      best[i] = name;
      bestRank[i] = r;
    }
  };
  for (let visit = 0; visit < n; visit++) {
    const m = made[visit]!;
    const i = inPlace ? visit : m.id;
    for (let side = 0; side < 2; side++) {
      const o = side === 0 ? m.sent : m.received;
      if (!o) continue;
      const keys = o.keys;
      // Which dialog keys the sighting has, from the few it carries: keys objects come in many
      // shapes, and reading every one of the eight fields of each was a slow (megamorphic) lookup.
      // Most sightings carry none (and share one empty object).
      let present = 0;
      if (keys !== NO_KEYS)
        for (const field in keys) {
          const k = KEY_INDEX.get(field);
          if (k !== undefined) present |= 1 << k;
        }
      for (let k = 0; present !== 0 && k < DIALOG_KEYS.length; k++) {
        if ((present & (1 << k)) === 0) continue;
        const spec = DIALOG_KEYS[k]!;
        const v = keys[spec[0]];
        if (!v) continue;
        const name = spec[2] ? `${o.lane}:${spec[1]}:${v}` : `${spec[1]}:${v}`;
        offer(i, name);
        const owner = keyOwner.get(name);
        if (owner === undefined) keyOwner.set(name, i);
        else union(owner, i);
      }
      if (o.exchange && best[i] === undefined) offer(i, `${o.lane}:${o.exchange}`);
    }
  }
  let index: Map<Message, number> | undefined;
  const indexOf = (m: Message): number => {
    // Built messages carry their index as id; a caller's may not.
    if (messages[m.id] === m) return m.id;
    index ??= new Map<Message, number>(messages.map((x, i) => [x, i]));
    return index.get(m)!;
  };
  for (const [a, b] of links) union(indexOf(a), indexOf(b));

  // Members of each dialog in index order; dialogs in the order of their first member (a root
  // is its dialog's smallest index), as a map filled in index order would list them.
  const root = new Int32Array(n);
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) count[(root[i] = find(i))]!++;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + count[i]!;
  const fill = start.slice(0, n);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[root[i]!]!++] = i;

  // A message's id: its place, unless the messages are a caller's (then read from the object).
  const idOf = (place: number) => (inPlace ? messages[place]!.id : place);
  const dialogs: Dialog[] = [];
  /** Each dialog's place in `dialogs`, by its root (-1: none). */
  const dialogAt = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    if (root[r] !== r) continue;
    const from = start[r]!;
    const to = start[r + 1]!;
    let key: string | undefined;
    let keyRank = 0;
    for (let j = from; j < to; j++) {
      const name = best[members[j]!];
      if (name === undefined || name === key) continue;
      const rk = bestRank[members[j]!]!;
      if (key === undefined || rk < keyRank || (rk === keyRank && name.localeCompare(key) < 0)) {
        key = name;
        keyRank = rk;
      }
    }
    if (key === undefined && to - from === 1) continue;
    key ??= `m${idOf(members[from]!)}`;
    dialogAt[r] = dialogs.length;
    const ids: number[] = [];
    for (let j = from; j < to; j++) ids.push(idOf(members[j]!));
    dialogs.push({ key, messages: isSorted(ids) ? ids : ids.sort((a, b) => a - b) });
  }
  for (let visit = 0; visit < n; visit++) {
    const m = made[visit]!;
    const at = dialogAt[root[inPlace ? visit : m.id]!]!;
    if (at >= 0) m.dialog = dialogs[at]!.key;
  }
  return dialogs.sort((a, b) => a.messages[0]! - b.messages[0]!);
}

function isSorted(ids: number[]): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! > ids[i]!) return false;
  return true;
}

/**
 * The index in DIALOG_KEYS of the first ":"-separated part of the name that is one of its
 * prefixes (DIALOG_KEYS.length when none is): `name.split(":")` searched, without the array.
 */
function rank(name: string): number {
  let from = 0;
  for (;;) {
    const end = name.indexOf(":", from);
    const len = (end < 0 ? name.length : end) - from;
    for (let k = 0; k < DIALOG_KEYS.length; k++) {
      const prefix = DIALOG_KEYS[k]![1];
      if (prefix.length === len && name.startsWith(prefix, from)) return k;
    }
    if (end < 0) return DIALOG_KEYS.length;
    from = end + 1;
  }
}
