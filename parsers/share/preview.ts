import type { ModelJson } from "../model/json.ts";
import type { RawLines } from "../workerApi.ts";
import { createPseudonymizer, REDACTION_RULES } from "./redact.ts";

/** What redaction will do to a snapshot or an export, for the dialog that asks before it. */
export interface RedactionPreview {
  /** Every rule, with the number of values it would hide (0 for those that match nothing). */
  rules: { name: string; description: string; count: number }[];
  /** How many distinct users, hosts and addresses pseudonyms would replace. */
  aliases: { users: number; hosts: number; ips: number };
}

/** The texts redaction reads: labels, dialog keys, finding text, file names and raw records. */
function* texts(model: ModelJson, raw: Record<number, RawLines[]>): Generator<string> {
  for (const m of model.messages) {
    yield m.label;
    if (m.dialog) yield m.dialog;
    if (m.status) yield m.status;
  }
  for (const d of model.dialogs) yield d.key;
  for (const f of model.findings) {
    yield f.title;
    yield f.explanation;
    yield f.fix;
  }
  for (const f of model.files) yield f.name;
  for (const records of Object.values(raw)) for (const r of records) yield r.lines.join("\n");
}

/** Counts, per rule, the values it changes (a value already masked in the log is not counted). */
export function redactionPreview(model: ModelJson, raw: Record<number, RawLines[]>): RedactionPreview {
  const counts = new Map(REDACTION_RULES.map((r) => [r.name, 0]));
  const pseudonymizer = createPseudonymizer();
  pseudonymizer.learnModel(model);
  const seen = new Set<string>();
  for (const text of texts(model, raw)) {
    // The same record text (both sides of a message) counts once.
    if (seen.has(text)) continue;
    seen.add(text);
    pseudonymizer.learn(text);
    for (const rule of REDACTION_RULES) {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(text)) continue;
      rule.pattern.lastIndex = 0;
      let n = 0;
      text.replace(rule.pattern, (...args: string[]) => {
        const out = (rule.replace as (...a: string[]) => string)(...args);
        if (out !== args[0]) n++;
        return out;
      });
      counts.set(rule.name, (counts.get(rule.name) ?? 0) + n);
    }
  }
  // Aliases are made on use: apply the pseudonymizer to what it learned so that it names them.
  for (const text of seen) pseudonymizer.apply(text);
  const a = pseudonymizer.aliases();
  return {
    rules: REDACTION_RULES.map((r) => ({
      name: r.name,
      description: r.description,
      count: counts.get(r.name) ?? 0,
    })),
    aliases: { users: a.users.length, hosts: a.hosts.length, ips: a.ips.length },
  };
}
