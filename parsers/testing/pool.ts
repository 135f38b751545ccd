import { parseWorkerApi } from "../parseWorker.ts";
import type { ParsePool } from "../workerApi.ts";

/** A parse pool (of two) that parses in this thread, as a pool worker does, and lists what it got. */
export function recordingPool(size = 2): { pool: ParsePool; sent: string[] } {
  const sent: string[] = [];
  const pool: ParsePool = {
    size,
    parse: (name, blob, options, onProgress) => {
      sent.push(name);
      return parseWorkerApi.parse(name, blob, options, onProgress);
    },
  };
  return { pool, sent };
}
