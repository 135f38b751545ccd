/**
 * The search language of the table's global search and column filters: plain text matches
 * case-insensitively anywhere; /pattern/flags is a regular expression. A pattern that does
 * not compile is searched as plain text, so typing never throws.
 */
export type Matcher = (text: string) => boolean;

export function compileQuery(query: string): Matcher | null {
  const q = query.trim();
  if (!q) return null;
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (re) {
    try {
      const regex = new RegExp(re[1] ?? "", (re[2] ?? "").replace(/[gy]/g, "") || "i");
      return (text) => regex.test(text);
    } catch {
      // fall through: search the text as typed
    }
  }
  const needle = q.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

/** True when the regex syntax is used but does not compile (the input shows it). */
export function isBadRegex(query: string): boolean {
  const re = /^\/(.+)\/([a-z]*)$/.exec(query.trim());
  if (!re) return false;
  try {
    new RegExp(re[1] ?? "", re[2]);
    return false;
  } catch {
    return true;
  }
}
