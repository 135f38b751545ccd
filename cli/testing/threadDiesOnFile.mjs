// A parse thread that starts, then dies on the first file it is given (as when a parse runs out
// of memory): for cli/parallel.test.ts.
import { parentPort } from "node:worker_threads";

parentPort.postMessage({ ready: true });
parentPort.on("message", () => process.exit(70));
