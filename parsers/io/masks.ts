/**
 * What logs do to private values. Jabber wraps them as `PII_CED_Exception{value}`; servers mask
 * them as `<CONCEALED>`, `****`, `xxx` or `---`. Sources read the value inside a wrapper and
 * never take a masked value for a user, a key or a token.
 */

const PII = /PII_CED_Exception\{([^{}]*)\}/g;

export function unwrapPii(line: string): string {
  return line.includes("PII_CED_Exception{") ? line.replace(PII, "$1") : line;
}

const MASKED = /^(?:<?concealed>?|hidden|\*+|x{3,}|-{2,}|<redacted>|redacted)$/i;

export function isMasked(value: string | undefined): boolean {
  return value === undefined || MASKED.test(value.trim()) || /<CONCEALED/i.test(value);
}
