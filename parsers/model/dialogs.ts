import type { Message } from "./messages.ts";

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

export interface Dialog {
  key: string;
  messages: number[];
}

/**
 * Snooper's highlight: messages that share a correlation key (or belong to one exchange chain)
 * form one dialog. Union-find over messages; the dialog is named after its strongest key.
 */
export function groupDialogs(messages: Message[], links: [Message, Message][]): Dialog[] {
  const parent = messages.map((_, i) => i);
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
  const index = new Map<Message, number>(messages.map((m, i) => [m, i]));
  const keyOwner = new Map<string, number>();
  const names: string[][] = messages.map(() => []);
  messages.forEach((m, i) => {
    for (const o of [m.sent, m.received]) {
      if (!o) continue;
      for (const [field, prefix, scoped] of DIALOG_KEYS) {
        const v = o.keys[field];
        if (!v) continue;
        const name = scoped ? `${o.lane}:${prefix}:${v}` : `${prefix}:${v}`;
        names[i]!.push(name);
        const owner = keyOwner.get(name);
        if (owner === undefined) keyOwner.set(name, i);
        else union(owner, i);
      }
      if (o.exchange && !names[i]!.length) names[i]!.push(`${o.lane}:${o.exchange}`);
    }
  });
  for (const [a, b] of links) union(index.get(a)!, index.get(b)!);

  const groups = new Map<number, number[]>();
  messages.forEach((_, i) => {
    const r = find(i);
    (groups.get(r) ?? groups.set(r, []).get(r)!).push(i);
  });
  const dialogs: Dialog[] = [];
  const rank = (name: string) => {
    const prefix = name.split(":").find((part) => DIALOG_KEYS.some(([, p]) => p === part)) ?? "";
    const i = DIALOG_KEYS.findIndex(([, p]) => p === prefix);
    return i < 0 ? DIALOG_KEYS.length : i;
  };
  for (const members of groups.values()) {
    const all = members.flatMap((i) => names[i]!);
    if (all.length === 0 && members.length === 1) continue;
    const key =
      all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0] ?? `m${messages[members[0]!]!.id}`;
    const ids = members.map((i) => messages[i]!.id).sort((a, b) => a - b);
    for (const i of members) messages[i]!.dialog = key;
    dialogs.push({ key, messages: ids });
  }
  return dialogs.sort((a, b) => a.messages[0]! - b.messages[0]!);
}
