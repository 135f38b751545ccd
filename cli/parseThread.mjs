// A parse thread of the CLI (parallel.ts): parses the files it is given, one at a time, each into
// a store of its own, and hands back their columns. Plain JavaScript so that it can register
// tsx before it loads the TypeScript, as bin.mjs does for the main thread.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { parseAlone } = await import("./load.ts");
const { transferablesOf } = await import("../parsers/model/snapshot.ts");
// Loaded: from now on a thread that dies died on a file, not on its start.
parentPort.postMessage({ ready: true });
parentPort.on("message", ({ path, name, chunkSize }) => {
  let parsed;
  try {
    parsed = parseAlone({ path, name }, chunkSize);
  } catch (err) {
    parentPort.postMessage({ failed: String(err?.message ?? err) });
    return;
  }
  parentPort.postMessage(parsed, parsed ? transferablesOf(parsed.snapshot) : []);
});
