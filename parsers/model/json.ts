import { detectFindings, type DetectedFinding } from "../knowledge/findings.ts";
import { analyzeSessions, type PhaseProgress } from "../knowledge/phases.ts";
import type { Model } from "./build.ts";
import { formatZone } from "./build.ts";

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

/**
 * The second of the last isoTime call and its "YYYY-MM-DDTHH:MM:SS.": messages come in time
 * order, a few dozen to the second, so most calls only add the milliseconds.
 */
let isoSecond = NaN;
let isoSecondPrefix = "";
/** "000Z" to "999Z": a time's text is its second's prefix and one of these, both shared. */
const MILLIS_Z = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, "0")}Z`);

/**
 * A time as Date.prototype.toISOString writes it (UTC, milliseconds, "Z"), null for none.
 *
 * Every message on the page and in the worker holds one, so its shape is what the garbage
 * collector walks a million times over: one string made of two shared parts, where a template
 * of the parts left three to four strings a message (1.2 million objects of the worker's heap at
 * 100 000 messages were 270 000 such strings) and was twice as slow to build.
 */
export function isoTime(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const t = Math.floor(ms);
  const second = Math.floor(t / 1000);
  if (second !== isoSecond) {
    const iso = new Date(second * 1000).toISOString();
    // Years 0-9999 only: others are written with a sign and six digits.
    if (iso.length !== 24) return new Date(t).toISOString();
    isoSecond = second;
    isoSecondPrefix = iso.slice(0, 20);
  }
  return isoSecondPrefix + MILLIS_Z[t - second * 1000]!;
}

export function toJson(model: Model): ModelJson {
  return explain(correlated(model));
}

/** What the knowledge tables make of the model: each session's flow and phases, and findings. */
function explain(json: ModelJson): ModelJson {
  analyzeSessions(json).forEach((a, i) => {
    const s = json.sessions[i]!;
    Object.assign(s, {
      flow: a.flow,
      outcome: a.outcome,
      phases: a.phases,
      reached: a.reached,
      stoppedAt: a.stoppedAt,
    });
    for (const p of a.phases) for (const id of p.messages) json.messages[id]!.phase = p.id;
  });
  json.findings = detectFindings(json);
  return json;
}

function correlated(model: Model): ModelJson {
  const names = model.files.map((f) => f.name);
  const fileName = (i: number) => names[i] ?? "?";
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
    messages: model.messages.map((m) => ({
      id: m.id,
      time: isoTime(m.time),
      from: m.from,
      to: m.to,
      label: m.label,
      kind: m.kind,
      status: m.status ?? null,
      failed: m.failed,
      dialog: m.dialog,
      user: m.user ?? null,
      seenBy: m.seenBy,
      evidence: m.evidence.map((e) => ({ file: fileName(e.file), line: e.line })),
      phase: null,
    })),
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
