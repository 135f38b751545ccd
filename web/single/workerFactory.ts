import ParserWorker from "./worker.ts?worker&inline";

/** The single-file viewer's parsing worker: inlined code, started from a blob: URL. */
export function createParserWorker(name: string): Worker {
  return new ParserWorker({ name });
}
