import type { ModelJson } from "../model/json.ts";
import type { MessageJson } from "./match.ts";

/**
 * A hand-written model for tests: messages from a few fields each (ids, times and evidence
 * filled in), one session holding them all unless sessions are given.
 */
export function syntheticModel(
  messages: (Partial<MessageJson> & Pick<MessageJson, "from" | "to" | "label">)[],
  sessions?: Partial<ModelJson["sessions"][number]>[],
): ModelJson {
  const full: MessageJson[] = messages.map((m, i) => ({
    id: i,
    time: new Date(Date.UTC(2024, 0, 1, 12, 0, i)).toISOString(),
    kind: "note",
    status: null,
    failed: false,
    dialog: null,
    user: null,
    seenBy: [m.from],
    evidence: [{ file: `${m.from}.log`, line: i + 1 }],
    phase: null,
    ...m,
  }));
  const lanes = [...new Set(full.flatMap((m) => [m.from, m.to]))];
  return {
    files: [],
    lanes,
    messages: full,
    dialogs: [],
    sessions: (sessions ?? [{}]).map((s) => ({
      user: null,
      flow: "unknown",
      outcome: "incomplete",
      start: full[0]?.time ?? null,
      end: full[full.length - 1]?.time ?? null,
      messages: full.map((m) => m.id),
      phases: [],
      reached: [],
      stoppedAt: null,
      ...s,
    })) as ModelJson["sessions"],
    findings: [],
    clocks: [],
    reference: null,
  };
}
