/**
 * The Unicode bidirectional controls reorder the characters around them without being seen
 * (`invoice\u202Egpj.exe` reads "invoiceexe.jpg"). Wherever log text is shown to a person (the
 * page's views, the diagram and table exports) each one is replaced by a visible marker,
 * `⟨U+202E⟩`: the reader sees the characters in the order they are stored, and that something
 * in the log tried to change it. Pure, so the page, the worker and the CLI share it.
 */

/** LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM: the characters that steer bidi order. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

function marker(c: string): string {
  return `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}⟩`;
}

/** The text with each bidirectional control replaced by its visible marker. */
export function markBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, marker);
}
