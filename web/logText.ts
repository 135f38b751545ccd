import { markBidiControls } from "../parsers/share/bidi.ts";

/**
 * Log text as the page prints it. React makes every log string a text node, so markup in a log
 * stays text; what escaping cannot stop is text that misleads the reader. Bidirectional controls
 * are shown as visible markers (`⟨U+202E⟩`, see parsers/share/bidi.ts), so a reader sees the
 * characters in the order they are stored. Every view that prints log text (diagram, table,
 * details, findings, walkthrough, and through them snapshots and the SVG export) goes through
 * `logText`; layout (ellipsis, wrapping of 10 000-character tokens) is app.css's.
 */
export function logText(text: string | null | undefined): string {
  return text ? markBidiControls(text) : "";
}

/** At most `max` characters, the last an ellipsis when cut: a 10 000-character token stays a label. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
