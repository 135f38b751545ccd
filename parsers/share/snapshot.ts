import { gunzipSync, gzipSync, strFromU8, strToU8 } from "fflate";
import type { ModelJson } from "../model/json.ts";
import type { RawLines } from "../workerApi.ts";
import { createPseudonymizer, redactModel, redactRawLines, type RedactOptions } from "./redact.ts";

/**
 * The data of an offline snapshot: the (redacted) model, the raw lines behind each message and
 * the view it was exported from, as gzip-compressed JSON in base64. The single-file viewer
 * reads it from `<script type="application/x-ucsnoop-snapshot" id="ucsnoop-data">`: a data
 * block the browser never runs, so the page's Content-Security-Policy stays closed.
 */

export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_SCRIPT_TYPE = "application/x-ucsnoop-snapshot";
export const SNAPSHOT_SCRIPT_ID = "ucsnoop-data";

/** Where the viewer was: selection, filters, walkthrough step. The page owns its shape. */
export type SnapshotView = Record<string, unknown>;

export interface SnapshotPayload {
  model: ModelJson;
  /** The raw records of each message, by message id, as the details pane shows them. */
  raw: Record<number, RawLines[]>;
  view: SnapshotView;
  /** Whether secrets were redacted and names pseudonymized (shown by the viewer). */
  redacted?: boolean;
  pseudonyms?: boolean;
}

interface Envelope extends SnapshotPayload {
  ucsnoopSnapshot: number;
}

/**
 * The payload of a model and its raw lines, redacted as the options say (on by default). One
 * pseudonymizer serves both, after reading both, so a name gets the same alias in the ladder
 * and in the raw lines.
 */
export function snapshotPayload(
  model: ModelJson,
  raw: Record<number, RawLines[]>,
  view: SnapshotView = {},
  options: RedactOptions = {},
): SnapshotPayload {
  const redact = options.redact !== false;
  const pseudonymizer = options.pseudonyms === true ? createPseudonymizer() : options.pseudonyms || undefined;
  if (!redact && !pseudonymizer) return { model, raw, view, redacted: false, pseudonyms: false };
  if (pseudonymizer) {
    pseudonymizer.learnModel(model);
    for (const records of Object.values(raw))
      for (const r of records) pseudonymizer.learn(r.lines.join("\n"));
  }
  const opts: RedactOptions = { redact, ...(pseudonymizer ? { pseudonyms: pseudonymizer } : {}) };
  const out: Record<number, RawLines[]> = {};
  for (const [id, records] of Object.entries(raw))
    out[Number(id)] = redactRawLines(records, opts, pseudonymizer);
  return { model: redactModel(model, opts), raw: out, view, redacted: redact, pseudonyms: !!pseudonymizer };
}

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, Math.min(i + CHUNK, bytes.length)));
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeSnapshot(payload: SnapshotPayload): string {
  const envelope: Envelope = { ucsnoopSnapshot: SNAPSHOT_VERSION, ...payload };
  return bytesToBase64(gzipSync(strToU8(JSON.stringify(envelope)), { level: 9, mem: 8 }));
}

/** The payload back; throws an Error that says what is wrong with a damaged or foreign block. */
export function decodeSnapshot(encoded: string): SnapshotPayload {
  let json: string;
  try {
    json = strFromU8(gunzipSync(base64ToBytes(encoded)));
  } catch (err) {
    throw new Error(`not a ucsnoop snapshot (cannot decompress: ${(err as Error).message})`);
  }
  let envelope: Partial<Envelope>;
  try {
    envelope = JSON.parse(json) as Partial<Envelope>;
  } catch {
    throw new Error("not a ucsnoop snapshot (the data is not JSON)");
  }
  if (typeof envelope?.ucsnoopSnapshot !== "number") throw new Error("not a ucsnoop snapshot");
  if (envelope.ucsnoopSnapshot > SNAPSHOT_VERSION)
    throw new Error(
      `snapshot version ${envelope.ucsnoopSnapshot} is newer than this viewer (${SNAPSHOT_VERSION})`,
    );
  if (!envelope.model || !Array.isArray(envelope.model.messages) || !Array.isArray(envelope.model.lanes))
    throw new Error("the snapshot holds no ladder");
  const { ucsnoopSnapshot: _version, ...payload } = envelope as Envelope;
  return { ...payload, raw: payload.raw ?? {}, view: payload.view ?? {} };
}

const SCRIPT_RE = new RegExp(
  `<script\\b[^>]*\\bid=["']?${SNAPSHOT_SCRIPT_ID}["']?[^>]*>[\\s\\S]*?</script>`,
  "i",
);

/**
 * The viewer page with the snapshot in it, before `</body>` (or in place of the one it already
 * holds: a snapshot can export a snapshot). Base64 has no `<`, so the block cannot end early.
 */
export function embedSnapshot(html: string, encoded: string): string {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(encoded)) throw new Error("snapshot data must be base64");
  const tag = `<script type="${SNAPSHOT_SCRIPT_TYPE}" id="${SNAPSHOT_SCRIPT_ID}">${encoded}</script>`;
  if (SCRIPT_RE.test(html)) return html.replace(SCRIPT_RE, () => tag);
  const at = html.toLowerCase().lastIndexOf("</body>");
  return at < 0 ? `${html}\n${tag}\n` : `${html.slice(0, at)}${tag}\n${html.slice(at)}`;
}

/** The base64 block of a snapshot page, or null for a page without data. */
export function extractSnapshot(html: string): string | null {
  const m = SCRIPT_RE.exec(html);
  if (!m) return null;
  return m[0].replace(/^<script\b[^>]*>/i, "").replace(/<\/script>$/i, "");
}
