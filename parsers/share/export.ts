import type { ModelJson } from "../model/json.ts";
import { isCanonicalLane, LANE_TITLES } from "../model/lanes.ts";
import { markBidiControls } from "./bidi.ts";
import { redactModel, type RedactOptions } from "./redact.ts";

/**
 * The ladder as text other tools draw: Mermaid and PlantUML sequence diagrams, and the table as
 * CSV. Each takes the messages the view shows (a set of ids or a predicate) and is redacted
 * unless told otherwise. Log text is data here too: every label is escaped for its syntax, so
 * a line of a log can never become a directive of the diagram or a formula of a spreadsheet,
 * and bidirectional controls are shown as markers (`⟨U+202E⟩`) as the page shows them.
 */

type Message = ModelJson["messages"][number];

export interface ExportOptions extends RedactOptions {
  /** The messages to export: ids, or a test on the (unredacted) message. All when absent. */
  filter?: ReadonlySet<number> | ((message: Message) => boolean);
}

export type ExportFormat = "mermaid" | "plantuml" | "csv";

/** The lane's title on the ladder: the product name for the canonical lanes, else its id. */
export function laneTitle(lane: string): string {
  return isCanonicalLane(lane) ? LANE_TITLES[lane] : lane;
}

/** The chosen messages of the (redacted) model, and the lanes they touch in ladder order. */
function prepare(json: ModelJson, options: ExportOptions): { model: ModelJson; messages: Message[] } {
  const f = options.filter;
  const keep = new Set(
    json.messages
      .filter((m) => (f === undefined ? true : typeof f === "function" ? f(m) : f.has(m.id)))
      .map((m) => m.id),
  );
  const model = options.redact === false && !options.pseudonyms ? json : redactModel(json, options);
  return { model, messages: model.messages.filter((m) => keep.has(m.id)) };
}

function usedLanes(model: ModelJson, messages: Message[]): string[] {
  if (messages.length === 0) return model.lanes;
  const used = new Set(messages.flatMap((m) => [m.from, m.to]));
  return [...model.lanes.filter((l) => used.has(l)), ...[...used].filter((l) => !model.lanes.includes(l))];
}

/** Participant ids each syntax accepts: canonical lanes as they are, others made safe and unique. */
function participantIds(lanes: string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const lane of lanes) {
    let id = isCanonicalLane(lane) ? lane : `lane_${lane.replace(/[^A-Za-z0-9]/g, "_")}`;
    while (taken.has(id)) id += "_";
    taken.add(id);
    ids.set(lane, id);
  }
  return ids;
}

const timeOfDay = (iso: string | null) => (iso ? iso.slice(11, 23) : null);
const oneSideOnly = (m: Message) => m.from !== m.to && m.seenBy.length === 1;

function dateRange(messages: Message[]): string {
  const days = [...new Set(messages.map((m) => m.time?.slice(0, 10)).filter((d): d is string => !!d))];
  if (days.length === 0) return "no timestamps";
  return `${days[0]}${days.length > 1 ? ` to ${days[days.length - 1]}` : ""}, times UTC`;
}

function messageText(m: Message): string {
  const time = timeOfDay(m.time);
  const seen = oneSideOnly(m) ? ` (seen by ${m.seenBy[0]} only)` : "";
  return `${time ? `${time} ` : ""}${m.label}${m.failed ? " (failed)" : ""}${seen}`;
}

/**
 * Mermaid: `#name;` entities for everything its parser or its HTML labels would read as syntax
 * (`;` ends a statement, `#` starts an entity, `%%` a comment, `<br>` a line break).
 */
export function escapeMermaid(text: string): string {
  return markBidiControls(text)
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[#;<>&"%{}]/g, (c) => `#${c.charCodeAt(0)};`);
}

export function toMermaid(json: ModelJson, options: ExportOptions = {}): string {
  const { model, messages } = prepare(json, options);
  const lanes = usedLanes(model, messages);
  const ids = participantIds(lanes);
  const out = ["sequenceDiagram", `  %% ucsnoop ladder: ${escapeMermaid(dateRange(messages))}`];
  for (const lane of lanes) out.push(`  participant ${ids.get(lane)} as ${escapeMermaid(laneTitle(lane))}`);
  for (const m of messages) {
    const dashed = oneSideOnly(m);
    // Solid/dotted line; a cross instead of an arrowhead when the message failed.
    const arrow = m.failed ? (dashed ? "--x" : "-x") : dashed ? "-->>" : "->>";
    out.push(`  ${ids.get(m.from)}${arrow}${ids.get(m.to)}: ${escapeMermaid(messageText(m))}`);
  }
  return out.join("\n") + "\n";
}

/**
 * PlantUML: numeric entities for `\` (its `\n`), `<` `>` (HTML-like tags), `~` (its escape),
 * `"` and `&`, and for the first character of doubled creole markers (`**`, `//`, `--`, `__`,
 * `""`, `~~`, `==`) and of link brackets (`[[javascript:...]]`), so a URL in a label does not
 * turn into italics and a label cannot become a link.
 */
export function escapePlantUml(text: string): string {
  return markBidiControls(text)
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[\\<>~"&]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/([*/_=[\]-])(?=\1)/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function toPlantUml(json: ModelJson, options: ExportOptions = {}): string {
  const { model, messages } = prepare(json, options);
  const lanes = usedLanes(model, messages);
  const ids = participantIds(lanes);
  const out = ["@startuml", `' ucsnoop ladder: ${dateRange(messages).replace(/[\r\n]/g, " ")}`];
  for (const lane of lanes) out.push(`participant "${escapePlantUml(laneTitle(lane))}" as ${ids.get(lane)}`);
  for (const m of messages) {
    const line = oneSideOnly(m) ? "--" : "-";
    const arrow = m.failed ? `${line}[#red]>` : `${line}>`;
    out.push(`${ids.get(m.from)} ${arrow} ${ids.get(m.to)} : ${escapePlantUml(messageText(m))}`);
  }
  out.push("@enduml");
  return out.join("\n") + "\n";
}

export const CSV_COLUMNS = ["time", "from", "to", "label", "status", "dialog", "user", "file:line"] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell that a
 * spreadsheet would run as a formula (= + - @, tab, carriage return: OWASP's rule) is prefixed
 * with `'`; bidirectional controls become markers.
 */
export function csvCell(value: string | number | null | undefined): string {
  let v = value === null || value === undefined ? "" : markBidiControls(String(value));
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(json: ModelJson, options: ExportOptions = {}): string {
  const { messages } = prepare(json, options);
  const rows = [CSV_COLUMNS.join(",")];
  for (const m of messages)
    rows.push(
      [
        m.time,
        m.from,
        m.to,
        m.label,
        m.status,
        m.dialog,
        m.user,
        m.evidence.map((e) => `${e.file}:${e.line}`).join(" "),
      ]
        .map(csvCell)
        .join(","),
    );
  return rows.join("\r\n") + "\r\n";
}

export function exportLadder(json: ModelJson, format: ExportFormat, options: ExportOptions = {}): string {
  if (format === "mermaid") return toMermaid(json, options);
  if (format === "plantuml") return toPlantUml(json, options);
  return toCsv(json, options);
}
