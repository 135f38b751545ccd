/// <reference lib="webworker" />
import { serveParser } from "./workerHost.ts";

/** The parsing worker as the served page starts it; its pool's workers are files beside it. */
serveParser(() => new Worker(new URL("./parseWorker.ts", import.meta.url), { type: "module" }));
