/// <reference lib="webworker" />
import { expose, proxy, wrap } from "comlink";
import type { ParseWorkerApi } from "../../parsers/parseWorker.ts";
import ParseWorker from "../../parsers/parseWorker.ts?worker&inline";
import { ParserApi, type ParsePool } from "../../parsers/workerApi.ts";

/**
 * The single-file viewer's worker: `parsers/worker.ts` with its pool's workers inlined too (a
 * worker started from a blob: URL cannot resolve a sibling file). Should a nested worker not
 * start, files are parsed in this worker alone.
 */
function createPool(): ParsePool | undefined {
  const size = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1));
  if (size < 2 || typeof Worker === "undefined") return undefined;
  try {
    const workers = Array.from({ length: size }, () => wrap<ParseWorkerApi>(new ParseWorker()));
    let turn = 0;
    return {
      size,
      parse: (name, blob, options, onProgress) =>
        workers[turn++ % size]!.parse(name, blob, options, onProgress ? proxy(onProgress) : undefined),
    };
  } catch {
    return undefined;
  }
}

expose(new ParserApi(createPool()));
