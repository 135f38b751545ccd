import { availableParallelism } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { BuildOptions } from "../parsers/model/build.ts";
import { mergeSnapshot } from "../parsers/model/snapshot.ts";
import { Store } from "../parsers/model/store.ts";
import { onFreeWorker } from "../parsers/pool.ts";
import { POOL_MIN_BYTES, Promised, ReadAhead } from "../parsers/readAhead.ts";
import {
  built,
  listFiles,
  loadFile,
  openFromDisk,
  parseAlone,
  plainLogSize,
  type FileSource,
  type LoadProblems,
  type Loaded,
} from "./load.ts";

/** Threads that parse, the main thread among them: one per core, as the page's workers. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Below this many bytes of logs in all, one thread reads them: a thread's start (about 0.2 s to
 * load the parsers) and its optimizing compiler starting cold cost what it gains. Measured with
 * the generated bundles (fresh processes, alternating, 2 cores): the full model with two
 * threads took 1.01 to 1.05 times one thread's time at 52 MiB, 0.98 to 1.02 at 72 MiB, 0.95 at
 * 102 MiB and 0.87 to 0.89 at 203 MiB.
 */
const THREADS_MIN_TOTAL = 96 * 1024 * 1024;

export interface ThreadOptions {
  /** Threads that parse in all, the main thread among them (1: no other thread). */
  threads?: number;
  /** Bytes per read. */
  chunkSize?: number;
  /** Fewer bytes of logs than this are all read on the main thread (THREADS_MIN_TOTAL). */
  minTotalBytes?: number;
  /** Each parse thread's heap limits (tests make one that runs out of memory). */
  threadLimits?: ResourceLimits;
  /** The script a parse thread runs (tests give one that fails to start). */
  threadScript?: URL;
}

type Parsed = ReturnType<typeof parseAlone>;

/**
 * loadPaths, with the logs parsed on `threads` threads in all (worker threads besides this one),
 * as the page's worker pool does (see readAhead.ts): a free thread takes the biggest log left,
 * this thread reads the file due next into the store, or parses another while it waits, and the
 * files are merged in the listed order. The model is the same as loadPaths's; with one thread,
 * fewer than two logs worth a thread, or too few bytes of them in all, it is loadPaths.
 */
export async function loadPathsInParallel(
  paths: string[],
  options: BuildOptions = {},
  how: ThreadOptions = {},
): Promise<Loaded> {
  const { threads = defaultThreads(), chunkSize = 1 << 20, minTotalBytes = THREADS_MIN_TOTAL } = how;
  const started = performance.now();
  const store = new Store();
  const files: FileSource[] = [];
  const listed = listFiles(paths);
  const problems: LoadProblems = { unreadable: [...listed.unreadable], limits: [] };
  const sizes = listed.files.map((f) => (threads < 2 ? null : plainLogSize(f, POOL_MIN_BYTES)));
  const pooled = sizes.filter((s) => s !== null).length;
  const pooledBytes = sizes.reduce<number>((n, s) => n + (s ?? 0), 0);
  const pool =
    pooled > 1 && pooledBytes >= minTotalBytes
      ? new ParseThreads(Math.min(threads - 1, pooled - 1), how.threadLimits, how.threadScript)
      : null;
  const ahead = new ReadAhead(pool ? sizes : sizes.map(() => null), pool?.size ?? 0);
  let parses: Promised<Parsed | "failed"> | null = new Promised(sizes.length, (i) => sizes[i] !== null);
  let threadFiles = 0;
  /** Which files a thread parsed (the others were parsed here, in turn or while waiting). */
  const onThread: boolean[] = [];
  const launch = (): void => {
    for (let i = ahead.next(); pool && i !== null; i = ahead.next()) {
      const at = i;
      pool
        .parse(listed.files[at]!, chunkSize)
        // A thread that could not start parsed nothing: its files are read here instead.
        .catch((err: unknown) => (err instanceof ThreadDidNotStart ? null : ("failed" as const)))
        .then((p) => {
          onThread[at] = p !== null && p !== "failed";
          ahead.done();
          launch();
          parses?.settle(at, p);
        });
    }
  };
  try {
    launch();
    for (let i = 0; i < listed.files.length; i++) {
      const f = listed.files[i]!;
      if (!pool || sizes[i] === null || ahead.take(i)) {
        loadFile(store, files, problems, f, chunkSize, openFromDisk);
        continue;
      }
      // A thread has it: parse others here meanwhile, biggest first, letting the threads'
      // answers in between (each is a new job for the thread that sent it).
      while (!parses.settled(i)) {
        const j = ahead.nextHere();
        if (j === null) break;
        parses.settle(j, parseAlone(listed.files[j]!, chunkSize));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const parsed = await parses.of(i);
      if (parsed === null) loadFile(store, files, problems, f, chunkSize, openFromDisk);
      else if (parsed === "failed") {
        files[store.files.length] = { path: f.path };
        store.addFile(f.name, sizes[i]!).errors.push("the parse thread failed on this file");
        problems.unreadable.push(`${f.path}: the parse thread failed on this file`);
      } else {
        files[store.files.length] = { path: f.path };
        mergeSnapshot(store, parsed.snapshot);
        if (onThread[i]) threadFiles++;
        problems.unreadable.push(...parsed.problems.unreadable);
        problems.limits.push(...parsed.problems.limits);
      }
    }
  } finally {
    await pool?.close();
  }
  // The promises hold the columns of every file parsed elsewhere, merged now: let them go before
  // the build, the peak of memory.
  parses = null;
  return {
    ...built({ store, files, problems }, options, started),
    parallel: { threads: 1 + (pool?.size ?? 0), files: threadFiles },
  };
}

/** A parse thread died before it had loaded the parsers (so not on a file). */
class ThreadDidNotStart extends Error {}

/** Worker threads running parseThread.mjs, each given one file at a time. */
class ParseThreads {
  private readonly threads: ParseThread[];
  private readonly run: <T>(job: (t: ParseThread) => Promise<T>) => Promise<T>;

  constructor(
    readonly size: number,
    limits?: ResourceLimits,
    script = new URL("./parseThread.mjs", import.meta.url),
  ) {
    this.threads = Array.from({ length: size }, () => new ParseThread(script, limits));
    this.run = onFreeWorker(this.threads);
  }

  parse(f: { path: string; name: string }, chunkSize: number): Promise<Parsed> {
    return this.run((t) => t.parse(f, chunkSize));
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

class ParseThread {
  private readonly worker: Worker;
  private pending: { resolve: (p: Parsed) => void; reject: (e: Error) => void } | null = null;
  private dead: Error | null = null;
  private ready = false;

  constructor(script: URL, resourceLimits?: ResourceLimits) {
    this.worker = new Worker(script, { resourceLimits });
    this.worker.on("message", (m: Parsed | { failed: string } | { ready: true }) => {
      if (m && "ready" in m) {
        this.ready = true;
        return;
      }
      const p = this.pending;
      this.pending = null;
      if (m && "failed" in m) p?.reject(new Error(m.failed));
      else p?.resolve(m);
    });
    const die = (cause: Error) => {
      const e = this.ready ? cause : new ThreadDidNotStart(cause.message);
      this.dead = e;
      this.pending?.reject(e);
      this.pending = null;
    };
    this.worker.on("error", die);
    this.worker.on("exit", (code) => die(new Error(`the parse thread exited (${code})`)));
  }

  parse(f: { path: string; name: string }, chunkSize: number): Promise<Parsed> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ path: f.path, name: f.name, chunkSize });
    });
  }

  async close(): Promise<void> {
    if (!this.dead) await this.worker.terminate();
  }
}
