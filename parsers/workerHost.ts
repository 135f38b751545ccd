/// <reference lib="webworker" />
import { expose, proxy, transfer, wrap } from "comlink";
import type { ParseWorkerApi } from "./parseWorker.ts";
import { wireTransfer, type MessageWire } from "./model/wire.ts";
import { ParserApi, type ParsePool } from "./workerApi.ts";
import { onFreeWorker } from "./pool.ts";

/**
 * The Web Worker the page talks to. It owns the model and parses files itself; the others are
 * parsed by a pool of nested workers, one per core but this one's, whose columns it merges in
 * drop order (see readAhead.ts). `newParseWorker` starts one of those (null: no pool).
 */
export function serveParser(newParseWorker: (() => Worker) | null): void {
  expose(new WorkerParserApi(newParseWorker ? createPool(newParseWorker) : undefined));
}

function createPool(newParseWorker: () => Worker): ParsePool | undefined {
  // The page may ask for a number of parsing workers in all (`?workers=N`, named in the
  // worker's name); else one per core. This worker is one of them: a pool of one per core
  // beside it had three threads parse on two cores, each with a heap of its own to collect.
  const asked = /^workers=([1-8])$/.exec(self.name)?.[1];
  const all = asked ? Number(asked) : Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1));
  const size = all - 1;
  if (size < 1 || typeof Worker === "undefined") return undefined;
  // Started with this worker, so that the first drop does not wait for them to load.
  const run = onFreeWorker(Array.from({ length: size }, () => wrap<ParseWorkerApi>(newParseWorker())));
  return {
    size,
    parse: (name, blob, options, onProgress) =>
      run((w) => w.parse(name, blob, options, onProgress ? proxy(onProgress) : undefined)),
  };
}

/** The parser, with its message windows moved to the page instead of copied. */
class WorkerParserApi extends ParserApi {
  override messageWindow(start: number, end: number, version?: number): MessageWire | null {
    const wire = super.messageWindow(start, end, version);
    return wire && transfer(wire, wireTransfer(wire));
  }
}
