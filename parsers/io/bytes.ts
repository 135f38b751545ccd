/**
 * Byte arrays joined into one. One part is returned as it is (no copy); `length` saves a pass
 * when the caller counted the bytes already.
 */
export function concatBytes(parts: readonly Uint8Array[], length?: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = length ?? 0;
  if (length === undefined) for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
