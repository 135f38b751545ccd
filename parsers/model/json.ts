import { detectFindings, type DetectedFinding } from "../knowledge/findings.ts";
import { analyzeSessions, type PhaseProgress } from "../knowledge/phases.ts";
import type { Model } from "./build.ts";
import { formatZone } from "./build.ts";
import { isoTime } from "./isoTime.ts";
import { encodeBuilt, MessageColumns, messageTimes } from "./wire.ts";

/**
 * The model as the CLI's --json prints it and `window.ucsnoop.model()` returns it. Other tools
 * read this: add fields, never rename or remove them.
 */
export interface ModelJson {
  files: {
    name: string;
    source: string;
    lane: string | null;
    host: string | null;
    records: number;
    unparsedLines: number;
    lines: number;
    size: number;
    encoding: string | null;
    timeBase: {
      kind: string;
      date: string | null;
      dateFrom: string | null;
      zone: string;
      zoneAssumed: boolean;
    };
    clockOffsetMs: number;
    warnings: string[];
    errors: string[];
  }[];
  lanes: string[];
  messages: {
    id: number;
    time: string | null;
    from: string;
    to: string;
    label: string;
    kind: string;
    status: string | null;
    failed: boolean;
    dialog: string | null;
    user: string | null;
    seenBy: string[];
    evidence: { file: string; line: number }[];
    /** The login phase this message belongs to (parsers/knowledge), or null. */
    phase: string | null;
  }[];
  dialogs: { key: string; messages: number[] }[];
  sessions: {
    user: string | null;
    flow: string;
    outcome: string;
    start: string | null;
    end: string | null;
    messages: number[];
    /** The flow's phases in order, which of them the session reached, and where it stopped. */
    phases: PhaseProgress[];
    reached: string[];
    stoppedAt: string | null;
  }[];
  findings: DetectedFinding[];
  clocks: {
    lane: string;
    offsetMs: number;
    against: string | null;
    lowerMs: number | null;
    upperMs: number | null;
    samples: number;
    source: string;
    inconsistent: boolean;
  }[];
  reference: string | null;
}

export function toJson(model: Model): ModelJson {
  const { json, messages } = toColumns(model);
  return { ...json, messages: messages.messages(0, messages.count) };
}

/**
 * The model's JSON with its messages apart, in columns (`messages` of the JSON is empty): what
 * the worker keeps. The messages are encoded one at a time, and the knowledge pass reads views
 * over the columns (an object of two fields a message, dropped after it), so the model's messages
 * are never all held as objects with their strings and lists, here or in the worker.
 */
export function toColumns(model: Model): { json: ModelJson; messages: MessageColumns } {
  const json = correlated(model);
  const messages = new MessageColumns(
    encodeBuilt(
      model.messages,
      model.files.map((f) => f.name),
      messageTimes(model.messages),
    ),
  );
  const views: ModelJson["messages"] = [];
  for (let k = 0; k < messages.count; k++) views.push(messages.view(k));
  json.findings = explain({ ...json, messages: views }, messages);
  return { json, messages };
}

/**
 * What the knowledge tables make of the model: each session's flow and phases (set on its
 * sessions, and named on the messages in `columns`), and its findings, returned. `json`'s
 * messages are views over the columns.
 */
function explain(json: ModelJson, columns: MessageColumns): ModelJson["findings"] {
  analyzeSessions(json).forEach((a, i) => {
    const s = json.sessions[i]!;
    Object.assign(s, {
      flow: a.flow,
      outcome: a.outcome,
      phases: a.phases,
      reached: a.reached,
      stoppedAt: a.stoppedAt,
    });
    for (const p of a.phases) for (const id of p.messages) columns.setPhase(id, p.id);
  });
  return detectFindings(json);
}

function correlated(model: Model): ModelJson {
  return {
    files: model.files.map((f) => ({
      name: f.name,
      source: f.source,
      lane: f.lane,
      host: f.host ?? null,
      records: f.records,
      unparsedLines: f.unparsedLines,
      lines: f.lines,
      size: f.size,
      encoding: f.encoding,
      timeBase: {
        kind: f.timeBase.kind,
        date: f.timeBase.date ?? null,
        dateFrom: f.timeBase.dateFrom ?? null,
        zone: formatZone(f.timeBase.zoneMinutes),
        zoneAssumed: f.timeBase.zoneAssumed,
      },
      clockOffsetMs: round(f.clockOffsetMs),
      warnings: f.warnings,
      errors: f.errors,
    })),
    lanes: model.lanes,
    messages: [],
    dialogs: model.dialogs,
    sessions: model.sessions.map((s) => ({
      user: s.user,
      flow: s.flow,
      outcome: s.outcome,
      start: isoTime(s.start),
      end: isoTime(s.end),
      messages: s.messages,
      phases: [],
      reached: [],
      stoppedAt: null,
    })),
    findings: [],
    clocks: model.clocks.map((c) => ({
      lane: c.lane,
      offsetMs: round(c.offsetMs),
      against: c.against,
      lowerMs: c.lowerMs === null ? null : round(c.lowerMs),
      upperMs: c.upperMs === null ? null : round(c.upperMs),
      samples: c.samples,
      source: c.source,
      inconsistent: c.inconsistent,
    })),
    reference: model.reference,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The ladder as text: one message a line, UTC time, from -> to, label, dialog. */
export function ladderText(json: ModelJson): string[] {
  const width = Math.max(4, ...json.lanes.map((l) => l.length));
  return json.messages.map((m) => {
    const time = m.time ? m.time.replace("T", " ").replace("Z", "") : "(no time)              ";
    const arrow =
      m.from === m.to
        ? `${m.from.padEnd(width)} (self)${" ".repeat(Math.max(0, width - 3))}`
        : `${m.from.padEnd(width)} -> ${m.to.padEnd(width)}`;
    const seen = m.seenBy.length === 1 && m.from !== m.to ? ` (seen by ${m.seenBy[0]} only)` : "";
    return `${time}  ${arrow}  ${m.label}${m.failed ? "  !" : ""}${seen}  [${m.dialog ?? "-"}]`;
  });
}
