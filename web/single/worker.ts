/// <reference lib="webworker" />
import { serveParser } from "../../parsers/workerHost.ts";

/**
 * The single-file viewer's worker: `parsers/worker.ts` with no pool, parsing every file itself.
 * Its pool's workers would be started from blob: URLs (a worker started from one cannot
 * resolve a sibling file), and Firefox ESR sometimes never answered through such a nested
 * worker: the page's first call, when they started with this worker (1 load in 10 to 20, none in
 * 25 without them), or a big drop's parse, when they started on demand (2 drops in 12).
 */
serveParser(null);
