import type { Message } from "../store/index.ts";

/** The colour class of an arrow: failures and 4xx/5xx red, 3xx blue, 2xx green, else neutral. */
export type StatusClass = "failed" | "ok" | "redirect" | "neutral";

export function statusClass(m: Pick<Message, "failed" | "status">): StatusClass {
  if (m.failed) return "failed";
  const code = m.status ? Number.parseInt(m.status, 10) : NaN;
  if (code >= 400) return "failed";
  if (code >= 300) return "redirect";
  if (code >= 200) return "ok";
  if (m.status && /success|ok/i.test(m.status)) return "ok";
  return "neutral";
}

/** FNV-1a: the same dialog key gets the same colour on every load and machine. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A dialog's colour: a hue from its key's hash, at a saturation legible on both themes. */
export function dialogColor(key: string | null): string {
  if (!key) return "transparent";
  const hue = (hashKey(key) * 137.508) % 360;
  return `hsl(${hue.toFixed(0)} 70% 50%)`;
}
