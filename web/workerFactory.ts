/**
 * The parsing worker of the served page: a module worker loaded from this origin, which runs
 * its own pool of parse workers. The single-file build (`dist/ucsnoop.html`) swaps this module
 * for `single/workerFactory.ts`, whose workers are blob: URLs made from inlined code.
 */
export function createParserWorker(name: string): Worker {
  return new Worker(new URL("../parsers/worker.ts", import.meta.url), { type: "module", name });
}
