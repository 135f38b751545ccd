/**
 * ucsnoop benchmark: `npm run bench [-- --sizes 50,200,500,1000] [--quick] [--no-browser] [--seed S]`.
 *
 * For each size (MiB) it generates a bundle with bench/gen.ts (cached under bench/out/), then
 *  - Node, each in a fresh child process: a read-and-split-lines floor over the same bytes (and,
 *    timed apart, two ceilings: a loop over every byte, and over every decoded character), and
 *    the CLI path (loadPathsInParallel, one thread per core as `ucsnoop` runs, and up to 200 MiB
 *    on one thread too: parse, correlate, build the model; then toColumns: sessions' phases
 *    and findings, the messages in columns, as the page's worker keeps them) with peak RSS and JS heap;
 *  - `ucsnoop stats` on the bundle (its own JSON line);
 *  - Chromium (Debian's /usr/bin/chromium, headless, via playwright-core) on the production
 *    build (`vite build`, served by `vite preview`: what ships, not the dev server's development
 *    React): the bundle's files set on the page's file input, time to the first ladder arrow on
 *    screen (a partial model, streamed while the rest is read), time until
 *    `window.ucsnoop.whenIdle()` resolves with the model built in the workers, the peak resident
 *    memory of the renderer (page and workers) and the browser process (from /proc), the CPU time of
 *    the renderer's threads over the drop by kind (workers, V8's helper threads, main), frame times, and
 *    (up to 200 MiB) the same drop with one worker (`?workers=1`) against the default two;
 *  - once, before the bundles: what two workers gain over one on this machine at all, on kernels
 *    that are not ucsnoop (arithmetic, random memory reads, allocation, and allocation with the
 *    collector on the worker's own thread; see parallelCeiling).
 * Prints a table and writes bench/results.json.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadavg } from "node:os";
import { getHeapStatistics } from "node:v8";
import { defaultThreads } from "../cli/parallel.ts";
import type { BuildTimings } from "../parsers/workerApi.ts";
import { scanExpresswayRecords } from "./byteRecords.ts";
import { bundlePaths, generate, sessionsForBytes, type Truth } from "./gen.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "bench", "out");
const MiB = 1024 * 1024;

interface NodeRun {
  ms: number;
  bytes: number;
  lines: number;
  records: number;
  messages: number;
  peakRssMB: number;
  heapUsedMB: number;
  heapPeakMB: number;
  /** Where the time went: reading the files (parse included), the build, columns and knowledge. */
  phases?: Phases;
  /** Threads that parsed, the main thread among them (`ucsnoop --threads`, see parallel.ts). */
  threads: number;
}
/** A full model's time by phase, ms: the worker's own record of it, and the Node path's alike. */
type Phases = BuildTimings;
interface FloorRun {
  /** Read, decode and split into line strings. */
  ms: number;
  /** Ceilings over the same bytes: a loop over each byte, and over each decoded character. */
  byteLoopMs: number;
  charLoopMs: number;
  /**
   * A third ceiling, over the Expressway logs alone (`recordBytes` of them): their record columns
   * (time, process, Module, Level) filled from the bytes with nothing decoded (byteRecords.ts),
   * and the records found.
   */
  recordScanMs: number;
  recordBytes: number;
  records: number;
  bytes: number;
  lines: number;
  peakRssMB: number;
}
interface PageRun {
  /** Drop to the first arrow of the drop on screen (of a partial model when one was shown). */
  firstArrowMs: number | null;
  partialShown: boolean;
  /** The finished model's summary arrived on the page, to its messages all pulled and shown. */
  pullMs: number | null;
  /** The worker's own account of the drop (parse and merge, build, columns; see BuildTimings). */
  worker?: Phases | null;
  idleMs: number;
  messages: number;
  mainHeapMB: number | null;
  /** Peak resident memory (VmHWM) of the processes that hold the drop, from /proc. */
  processes?: ChromiumMemory | null;
  /** CPU seconds of the renderer's threads over the drop (to idle), by kind, from /proc. */
  cpu?: ThreadCpu | null;
  /** Frames while the diagram is scrolled and zoomed and the table scrolled, on the whole model. */
  frames?: { diagramScroll: FrameStats; diagramZoom: FrameStats; tableScroll: FrameStats };
  error?: string;
}

/**
 * Frame times in ms. `work`: from a frame's requestAnimationFrame callback to the first task
 * after it, i.e. the frame's scripts, style, layout and paint on the main thread. `interval`:
 * rAF to rAF (pacing; headless Chromium's floor is the 16.7 ms of 60 Hz).
 */
interface FrameStats {
  frames: number;
  workMedian: number;
  workP99: number;
  intervalMedian: number;
  intervalP99: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Record frames in the page while `drive` runs (wheel events sent one after the other). */
async function measureFrames(
  page: import("playwright-core").Page,
  drive: () => Promise<void>,
): Promise<FrameStats> {
  // As a string: tsx wraps named functions in __name(), which the page does not have.
  await page.evaluate(`(() => {
    const rec = { work: [], gaps: [], stop: false };
    window.__frames = rec;
    let last = 0;
    const loop = (t) => {
      if (rec.stop) return;
      if (last) rec.gaps.push(t - last);
      last = t;
      const t0 = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => rec.work.push(performance.now() - t0);
      channel.port2.postMessage(0);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  })()`);
  await drive();
  const { work, gaps } = await page.evaluate(async () => {
    const rec = (window as unknown as { __frames: { work: number[]; gaps: number[]; stop: boolean } })
      .__frames;
    await new Promise((r) => setTimeout(r, 100));
    rec.stop = true;
    return { work: rec.work, gaps: rec.gaps };
  });
  work.sort((a, b) => a - b);
  gaps.sort((a, b) => a - b);
  const r1 = (n: number) => Math.round(n * 10) / 10;
  return {
    frames: work.length,
    workMedian: r1(percentile(work, 50)),
    workP99: r1(percentile(work, 99)),
    intervalMedian: r1(percentile(gaps, 50)),
    intervalP99: r1(percentile(gaps, 99)),
  };
}

/** Scroll and zoom the diagram, scroll the table: a person reading the whole model. */
async function scrollFrames(page: import("playwright-core").Page): Promise<PageRun["frames"]> {
  const centre = async (selector: string) => {
    const box = await page.locator(selector).first().boundingBox();
    if (!box) throw new Error(`${selector} is not on screen`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  };
  const wheel = async (steps: number, dy: number) => {
    for (let i = 0; i < steps; i++) await page.mouse.wheel(0, dy);
  };
  await centre(".ladder-body svg");
  const diagramScroll = await measureFrames(page, () => wheel(120, 240));
  await page.keyboard.down("Control");
  const diagramZoom = await measureFrames(page, async () => {
    await wheel(20, 120);
    await wheel(20, -120);
  });
  await page.keyboard.up("Control");
  await centre(".grid-scroll");
  const tableScroll = await measureFrames(page, () => wheel(120, 600));
  return { diagramScroll, diagramZoom, tableScroll };
}

function listFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

// ---- child processes -------------------------------------------------------------------------

function childFloor(dir: string): FloorRun {
  let ms = 0;
  let byteLoopMs = 0;
  let charLoopMs = 0;
  let recordScanMs = 0;
  let recordBytes = 0;
  let records = 0;
  let bytes = 0;
  let lines = 0;
  let check = 0;
  const decoder = new TextDecoder();
  for (const f of listFiles(bundlePaths(dir))) {
    let t = performance.now();
    const buf = readFileSync(f);
    bytes += buf.length;
    // Decode line-aligned 1 MiB pieces and split them on \n with indexOf: the cheapest useful
    // pass that yields every line as a string.
    let sum = 0;
    for (let at = 0; at < buf.length;) {
      let end = Math.min(buf.length, at + MiB);
      if (end < buf.length) {
        const lf = buf.lastIndexOf(10, end);
        end = lf >= at ? lf + 1 : end;
      }
      const text = decoder.decode(buf.subarray(at, end));
      for (let i = 0; ;) {
        const lf = text.indexOf("\n", i);
        if (lf < 0) {
          if (i < text.length) {
            sum += text.slice(i).length;
            lines++;
          }
          break;
        }
        sum += text.slice(i, lf).length;
        lines++;
        i = lf + 1;
      }
      // Ceiling, timed apart from the floor: a look at every character of the piece with
      // charCodeAt, as a parser would just after decoding it (nothing is kept for later).
      const c = performance.now();
      check += countChar(text, 34);
      charLoopMs += performance.now() - c;
      at = end;
    }
    if (sum < 0) throw new Error("unreachable");
    ms += performance.now() - t;
    // The other ceiling: a look at every byte of the file in a loop over its Uint8Array. A
    // parser that reads each byte or character once by hand cannot run faster than these.
    t = performance.now();
    check += countByte(buf, 34);
    byteLoopMs += performance.now() - t;
    if (/expressway-[ce]\.log$/.test(f)) {
      t = performance.now();
      records += scanExpresswayRecords(buf).count;
      recordScanMs += performance.now() - t;
      recordBytes += buf.length;
    }
  }
  ms -= charLoopMs;
  if (check < 0) throw new Error("unreachable");
  return {
    ms,
    byteLoopMs,
    charLoopMs,
    recordScanMs,
    recordBytes,
    records,
    bytes,
    lines,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function countByte(b: Uint8Array, code: number): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === code) n++;
  return n;
}

function countChar(s: string, code: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === code) n++;
  return n;
}

async function childNode(dir: string, threads: number): Promise<NodeRun> {
  const { loadPathsInParallel } = await import("../cli/parallel.ts");
  const { toColumns } = await import("../parsers/model/json.ts");
  const started = performance.now();
  const { store, model, timings, parallel } = await loadPathsInParallel(bundlePaths(dir), {}, { threads });
  // The model as the page's worker keeps it: each session's phases, the findings, the messages
  // in columns.
  const columnsStarted = performance.now();
  const { messages } = toColumns(model);
  const ms = performance.now() - started;
  const phases = { ...timings, columnsMs: performance.now() - columnsStarted };
  const heap = process.memoryUsage();
  return {
    ms,
    bytes: model.files.reduce((n, f) => n + f.size, 0),
    lines: model.files.reduce((n, f) => n + f.lines, 0),
    records: store.records.length,
    messages: messages.count,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMB: Math.round(heap.heapUsed / MiB),
    // V8's own high-water mark of the heap's committed memory since start.
    heapPeakMB: Math.round(getHeapStatistics().total_heap_size / MiB),
    phases,
    threads: parallel?.threads ?? 1,
  };
}

function runChild<T>(mode: string, dir: string, heapMB: number, threads = 1): T {
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMB}`,
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      mode,
      dir,
      String(threads),
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * MiB },
  );
  if (r.status !== 0) throw new Error(`${mode} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

// ---- Chromium --------------------------------------------------------------------------------

async function startVite(port: number): Promise<{ url: string; stop: () => void }> {
  const vite = join(ROOT, "node_modules", ".bin", "vite");
  execFileSync(vite, ["build", "--logLevel", "warn"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const child = spawn(vite, ["preview", "--port", String(port), "--strictPort"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("vite did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: () => child.kill("SIGTERM") };
}

/** The processes of the Chromium launched with `marker`: its browser process and renderers. */
interface ChromiumProcesses {
  browser: number;
  renderers: number[];
}

function chromiumProcesses(marker: string): ChromiumProcesses | null {
  const procs: { pid: number; ppid: number; cmd: string }[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  for (const e of entries) {
    try {
      const ppid = Number(statFields(readFileSync(`/proc/${e}/stat`, "utf8"))[1]);
      procs.push({ pid: Number(e), ppid, cmd: readFileSync(`/proc/${e}/cmdline`, "utf8") });
    } catch {
      // gone meanwhile
    }
  }
  const browser = procs.find((p) => p.cmd.includes(marker) && !p.cmd.includes("--type="));
  if (!browser) return null;
  const below = new Set([browser.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs)
      if (!below.has(p.pid) && below.has(p.ppid)) {
        below.add(p.pid);
        grew = true;
      }
  }
  const renderers = procs
    .filter((p) => below.has(p.pid) && p.cmd.includes("--type=renderer"))
    .map((p) => p.pid);
  return renderers.length > 0 ? { browser: browser.pid, renderers } : null;
}

/**
 * The fields of a /proc stat line after its name: `pid (comm) state ppid ...`, where comm may
 * hold spaces and parentheses, so the fields are read after the last ")". [0] is the state.
 */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/**
 * Peak resident memory of a Chromium: its renderer (the page and its workers: dedicated workers
 * run in the page's process) and its browser process (which reads the dropped files' bytes for
 * the page's Blob reads). The kernel's high-water mark of each process (VmHWM): the peak over
 * the drop, not a sample of it. Linux only; null elsewhere or when the processes are not found.
 */
interface ChromiumMemory {
  rendererPeakMB: number;
  browserPeakMB: number;
}

function chromiumMemory(procs: ChromiumProcesses | null): ChromiumMemory | null {
  if (!procs) return null;
  const hwm = (pid: number): number => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  return {
    rendererPeakMB: Math.round(Math.max(...procs.renderers.map(hwm))),
    browserPeakMB: Math.round(hwm(procs.browser)),
  };
}

/**
 * CPU seconds (user + system) of the renderers' threads, by kind: the page's dedicated workers
 * (the parser), V8's helper threads (ThreadPoolForegroundWorker: background compilation and
 * garbage collection), the page's main thread, and the rest (compositor, I/O). Read before and
 * after a drop, their difference is where its CPU went; a thread that started meanwhile counts
 * from zero. Linux only (/proc/PID/task); clock ticks of 100 per second.
 */
interface ThreadCpu {
  workers: number;
  v8Helpers: number;
  main: number;
  other: number;
}

function threadCpu(procs: ChromiumProcesses | null): Map<string, { kind: keyof ThreadCpu; s: number }> {
  const out = new Map<string, { kind: keyof ThreadCpu; s: number }>();
  for (const pid of procs?.renderers ?? []) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const f = statFields(stat);
        // utime and stime: fields 14 and 15 of the line, 11 and 12 after the name.
        const s = (Number(f[11]) + Number(f[12])) / 100;
        const kind: keyof ThreadCpu =
          tid === String(pid)
            ? "main"
            : name.startsWith("DedicatedWorker")
              ? "workers"
              : name.startsWith("ThreadPoolForeg")
                ? "v8Helpers"
                : "other";
        out.set(`${pid}/${tid}`, { kind, s });
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

/** CPU seconds by kind between two readings of threadCpu; null when there was nothing to read. */
function cpuBetween(
  before: ReturnType<typeof threadCpu>,
  after: ReturnType<typeof threadCpu>,
): ThreadCpu | null {
  if (after.size === 0) return null;
  const sum: ThreadCpu = { workers: 0, v8Helpers: 0, main: 0, other: 0 };
  for (const [id, t] of after) sum[t.kind] += t.s - (before.get(id)?.s ?? 0);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return { workers: r2(sum.workers), v8Helpers: r2(sum.v8Helpers), main: r2(sum.main), other: r2(sum.other) };
}

/** Debian's Chromium, headless, as every browser run of the bench starts it. */
async function launchChromium(extraArgs: string[] = []) {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", ...extraArgs],
  });
}

async function runPage(
  baseUrl: string,
  dir: string,
  timeoutMs: number,
  options: { workers?: number; frames?: boolean } = {},
): Promise<PageRun> {
  const marker = `--ucsnoop-bench=${process.pid}-${Date.now()}`;
  // The marker (a switch Chromium ignores) finds this browser's processes in /proc.
  const browser = await launchChromium([marker]);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(timeoutMs);
    await page.goto(`${baseUrl}?sample=ims-failures${options.workers ? `&workers=${options.workers}` : ""}`);
    await page.waitForFunction(() => window.ucsnoop !== undefined);
    await page.evaluate(() => window.ucsnoop!.whenIdle());
    const files = listFiles(bundlePaths(dir));
    const procs = chromiumProcesses(marker);
    const cpuBefore = threadCpu(procs);
    const started = Date.now();
    await page.getByTestId("file-input").setInputFiles(files);
    // The first ladder of the new drop: arrows drawn while the partial note says files are still
    // read (a partial model), or, if the drop ended before any partial, when it went idle.
    let firstArrowMs: number | null = null;
    let idle = false;
    const arrow = page
      .waitForFunction(
        () =>
          document.querySelector('[data-testid="partial-note"]') !== null &&
          document.querySelector('[data-testid="message"]') !== null,
        undefined,
        { timeout: timeoutMs, polling: 50 },
      )
      .then(() => {
        if (!idle) firstArrowMs = Date.now() - started;
      })
      .catch(() => undefined);
    await page.evaluate(() => window.ucsnoop!.whenIdle());
    const idleMs = Date.now() - started;
    idle = true;
    const partialShown = firstArrowMs !== null;
    // The page's marks (web/loader.ts): the finished model built in the worker, then shown.
    // As a string: tsx wraps named functions in __name(), which the page does not have.
    const { pullMs, worker } = (await page.evaluate(`(() => {
      const last = (name) => performance.getEntriesByName(name).at(-1);
      const built = last("ucsnoop:built");
      const shown = last("ucsnoop:shown");
      return {
        pullMs: built && shown ? Math.round(shown.startTime - built.startTime) : null,
        worker: last("ucsnoop:worker")?.detail ?? null,
      };
    })()`)) as { pullMs: number | null; worker: Phases | null };
    firstArrowMs ??= idleMs;
    void arrow;
    // Counted on the page, not through model(): a clone of the whole model here would leave the
    // page collecting garbage during the frames measured next.
    const messages = await page.evaluate(() => window.ucsnoop!.shownMessages());
    const mainHeapMB = await page.evaluate(() => {
      const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return m ? Math.round(m.usedJSHeapSize / (1024 * 1024)) : null;
    });
    // Read at idle, before the frames: the peak of the drop (scrolling adds little, and is not it).
    const processes = chromiumMemory(procs);
    const cpu = cpuBetween(cpuBefore, threadCpu(procs));
    const run = { firstArrowMs, partialShown, idleMs, pullMs, worker, messages, mainHeapMB, processes, cpu };
    if (options.frames === false) return run;
    return { ...run, frames: await scrollFrames(page) };
  } finally {
    await browser.close();
  }
}

/** One kernel's run alone and beside a copy of itself, in the page's workers. */
interface ParallelRun {
  /** Wall time of one worker running the kernel once, ms (the best of three). */
  oneMs: number;
  /** Wall time of two workers running it once each at the same time, ms (the best of three). */
  twoMs: number;
  /** Work done per second by two workers over one: 2 on a machine whose two cores share nothing. */
  speedup: number;
}

/**
 * What two workers can gain over one on this machine, whatever ucsnoop does: three kernels, each
 * run in one Web Worker and then in two at once, in the same Chromium as the drops. A loop of
 * arithmetic on a few registers (the cores alone); random reads from 64 MiB (the caches and
 * memory the cores share); short strings cut from a long one and small objects kept for a while
 * (what a parse does to the heap, each worker collecting its own). The parse's scaling is
 * measured against these.
 */
const PARALLEL_KERNELS: Record<string, string> = {
  compute: `let h = 0; for (let i = 0; i < 4e8; i++) h = Math.imul(h ^ i, 16777619); return h;`,
  memory: `const a = new Int32Array(1 << 24); for (let i = 0; i < a.length; i++) a[i] = i;
    let h = 0, j = 0; for (let r = 0; r < 3e7; r++) { j = (Math.imul(j, 1103515245) + 12345) & (a.length - 1); h = (h + a[j]) | 0; } return h;`,
  allocation: `const text = "2024-05-14T00:00:00.375-06:00 labucexpyc01 tvcs: Module=network.tcp Src-ip=10.10.1.44 ".repeat(40);
    const kept = []; let h = 0;
    for (let r = 0; r < 6e6; r++) { const s = text.slice(r % 2000, (r % 2000) + 60 + (r % 90)); const o = { s, n: r };
      h = (h + s.charCodeAt(7)) | 0; if (r % 5 === 0) kept.push(o); if (kept.length > 300000) kept.length = 0; } return h;`,
};

async function parallelCeiling(baseUrl: string): Promise<Record<string, ParallelRun>> {
  const out = await kernelsIn(baseUrl, PARALLEL_KERNELS, []);
  // The allocation kernel again with V8's garbage collector on the worker's own thread: by
  // default a scavenge runs in parallel on helper threads, so that one worker alone already uses
  // the second core while it collects, and "one worker" is more than one core.
  const own = await kernelsIn(baseUrl, { allocation: PARALLEL_KERNELS.allocation! }, [
    "--js-flags=--single-threaded-gc",
  ]);
  out["allocation, GC on the worker's thread"] = own.allocation!;
  return out;
}

async function kernelsIn(
  baseUrl: string,
  kernels: Record<string, string>,
  args: string[],
): Promise<Record<string, ParallelRun>> {
  const browser = await launchChromium(args);
  try {
    const page = await browser.newPage();
    // The app's origin: its policy allows blob: workers. The page is idle (no drop).
    await page.goto(baseUrl);
    const out: Record<string, ParallelRun> = {};
    for (const [name, body] of Object.entries(kernels)) {
      // As a string: tsx wraps named functions in __name(), which the page does not have.
      const src = `onmessage = () => { const t = performance.now(); const h = (() => { ${body} })(); postMessage([performance.now() - t, h]); };`;
      const times = (await page.evaluate(`(async () => {
        const src = ${JSON.stringify(src)};
        const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
        const wall = async (n) => {
          const ws = Array.from({ length: n }, () => new Worker(url));
          // Started, then timed: a worker's start-up is not the kernel's.
          await Promise.all(ws.map((w) => new Promise((ok) => { w.onmessage = ok; w.postMessage(0); })));
          const t = performance.now();
          await Promise.all(ws.map((w) => new Promise((ok) => { w.onmessage = ok; w.postMessage(0); })));
          const ms = performance.now() - t;
          ws.forEach((w) => w.terminate());
          return ms;
        };
        const best = async (n) => Math.min(await wall(n), await wall(n), await wall(n));
        return [await best(1), await best(2)];
      })()`)) as [number, number];
      const [oneMs, twoMs] = times;
      out[name] = { oneMs: Math.round(oneMs), twoMs: Math.round(twoMs), speedup: (2 * oneMs) / twoMs };
    }
    return out;
  } finally {
    await browser.close();
  }
}

// ---- main ------------------------------------------------------------------------------------

function bundleFor(mb: number, seed: number): { dir: string; truth: Truth } {
  const dir = join(OUT, `bundle-${mb}mb-seed${seed}`);
  const truthPath = join(dir, "truth.json");
  if (existsSync(truthPath)) return { dir, truth: JSON.parse(readFileSync(truthPath, "utf8")) as Truth };
  const started = performance.now();
  const sessions = sessionsForBytes(mb * MiB, seed, `${dir}.probe`);
  const truth = generate({ out: dir, sessions, seed });
  process.stderr.write(
    `generated ${dir}: ${sessions} sessions, ${(truth.bytes / MiB).toFixed(1)} MiB in ${Math.round(performance.now() - started)} ms\n`,
  );
  return { dir, truth };
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes("--quick");
  const browser = !argv.includes("--no-browser");
  const seed = Number(arg(argv, "seed") ?? 1);
  const repeat = Number(arg(argv, "repeat") ?? 2);
  const sizes = quick ? [20] : (arg(argv, "sizes") ?? "50,200,500,1000").split(",").map(Number);
  const results: Record<string, unknown>[] = [];
  const vite = browser ? await startVite(4174) : null;
  let parallel: Record<string, ParallelRun> | null = null;
  try {
    if (vite) {
      parallel = await parallelCeiling(vite.url);
      process.stdout.write(`${parallelLine(parallel)}\n`);
    }
    for (const mb of sizes) {
      const { dir, truth } = bundleFor(mb, seed);
      const bytes = truth.bytes;
      const heapMB = Math.min(20000, Math.max(4096, Math.round((bytes / MiB) * 12)));
      const row: Record<string, unknown> = {
        date: new Date().toISOString(),
        sizeMB: mb,
        bytes,
        lines: truth.lines,
        sessions: truth.sessions.length,
      };
      const floor = runChild<FloorRun>("--child-floor", dir, heapMB);
      row.floor = {
        ...floor,
        mbPerS: bytes / MiB / (floor.ms / 1000),
        linesPerS: floor.lines / (floor.ms / 1000),
        byteLoopMBPerS: bytes / MiB / (floor.byteLoopMs / 1000),
        charLoopMBPerS: bytes / MiB / (floor.charLoopMs / 1000),
        recordScanMBPerS:
          floor.recordBytes > 0 ? floor.recordBytes / MiB / (floor.recordScanMs / 1000) : undefined,
      };
      row.loadAvgBefore = loadavg()[0];
      try {
        // The best of `repeat` fresh processes: this machine is shared, other work skews a single run.
        const best = (threads: number) => {
          let node = runChild<NodeRun>("--child-node", dir, heapMB, threads);
          for (let i = 1; i < repeat; i++) {
            const again = runChild<NodeRun>("--child-node", dir, heapMB, threads);
            if (again.ms < node.ms) node = again;
          }
          return {
            ...node,
            mbPerS: bytes / MiB / (node.ms / 1000),
            linesPerS: node.lines / (node.ms / 1000),
          };
        };
        const node = best(defaultThreads());
        row.node = node;
        // Scaling, as the page's: the same model parsed on one thread (`--threads 1`).
        if (mb <= 200) {
          const one = best(1);
          row.nodeOneThread = { ...one, speedupOfThreads: one.ms / node.ms };
        }
      } catch (err) {
        row.node = { error: (err as Error).message.slice(0, 500) };
      }
      try {
        const out = execFileSync(
          process.execPath,
          [join(ROOT, "cli", "bin.mjs"), "stats", ...bundlePaths(dir)],
          {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 16 * MiB,
          },
        );
        row.stats = JSON.parse(out.trim().split("\n").pop()!);
      } catch (err) {
        row.stats = { error: (err as Error).message.slice(0, 500) };
      }
      if (vite) {
        try {
          const page = await runPage(vite.url, dir, Math.max(120000, (bytes / MiB) * 4000));
          row.chromium = {
            ...page,
            mbPerS: bytes / MiB / (page.idleMs / 1000),
            linesPerS: truth.lines / (page.idleMs / 1000),
          };
        } catch (err) {
          row.chromium = { error: (err as Error).message.slice(0, 500) };
        }
        // Scaling: the same drop with one worker (no pool: the model's own worker parses all).
        if (mb <= 200)
          try {
            const one = await runPage(vite.url, dir, Math.max(120000, (bytes / MiB) * 6000), {
              workers: 1,
              frames: false,
            });
            const two = row.chromium as { idleMs?: number };
            row.chromiumOneWorker = {
              ...one,
              mbPerS: bytes / MiB / (one.idleMs / 1000),
              speedupOfTwo: two.idleMs ? one.idleMs / two.idleMs : null,
            };
          } catch (err) {
            row.chromiumOneWorker = { error: (err as Error).message.slice(0, 500) };
          }
      }
      row.loadAvgAfter = loadavg()[0];
      results.push(row);
      printRow(row);
    }
  } finally {
    vite?.stop();
  }
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: (await import("node:os")).cpus().length,
      memGB: Math.round((await import("node:os")).totalmem() / 1e9),
      node: process.version,
      // Two workers against one on kernels that are not ucsnoop (see parallelCeiling).
      ...(parallel ? { twoWorkers: parallel } : {}),
    },
    seed,
    results,
  };
  // Rows of other sizes from earlier runs are kept (each row has its date): a run of one size
  // does not wipe the others.
  const path = join(ROOT, "bench", "results.json");
  const earlier = existsSync(path)
    ? ((JSON.parse(readFileSync(path, "utf8")) as { results?: Record<string, unknown>[] }).results ?? [])
    : [];
  const ran = new Set(results.map((r) => r.sizeMB));
  report.results = [...earlier.filter((r) => !ran.has(r.sizeMB)), ...results].sort(
    (a, b) => (a.sizeMB as number) - (b.sizeMB as number),
  );
  writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(`wrote bench/results.json\n`);
}

const f1 = (n: unknown) => (typeof n === "number" ? n.toFixed(1) : "-");
const f0 = (n: unknown) => (typeof n === "number" ? Math.round(n).toLocaleString("en-US") : "-");

let headerPrinted = false;
function printRow(row: Record<string, unknown>): void {
  const node = row.node as Partial<NodeRun & { mbPerS: number; linesPerS: number; error: string }>;
  const floor = row.floor as FloorRun & {
    mbPerS: number;
    linesPerS: number;
    byteLoopMBPerS?: number;
    charLoopMBPerS?: number;
    recordScanMBPerS?: number;
    records?: number;
  };
  const page = (row.chromium ?? {}) as Partial<PageRun & { mbPerS: number }>;
  const stats = row.stats as { parseMs?: number; messages?: number; peakRssMB?: number };
  if (!headerPrinted) {
    process.stdout.write(
      [
        "size MiB | lines | floor MB/s | node MB/s | node lines/s | node s | msgs | RSS MB | heap MB | stats ms | page MB/s | page idle s | first arrow ms",
        "---|---|---|---|---|---|---|---|---|---|---|---|---",
      ].join("\n") + "\n",
    );
    headerPrinted = true;
  }
  process.stdout.write(
    [
      f1((row.bytes as number) / MiB),
      f0(row.lines),
      f1(floor.mbPerS),
      node.error ? "error" : f1(node.mbPerS),
      f0(node.linesPerS),
      f1(node.ms !== undefined ? node.ms / 1000 : undefined),
      f0(node.messages),
      f0(node.peakRssMB),
      f0(node.heapUsedMB),
      f0(stats.parseMs),
      page.error ? "error" : f1(page.mbPerS),
      f1(page.idleMs !== undefined ? page.idleMs / 1000 : undefined),
      f0(page.firstArrowMs),
    ].join(" | ") + "\n",
  );
  if (floor.byteLoopMBPerS !== undefined)
    process.stdout.write(
      `  ceilings: a loop over every byte ${f1(floor.byteLoopMBPerS)} MB/s, over every decoded character ${f1(floor.charLoopMBPerS)} MB/s; the Expressway logs' record columns from their bytes ${f1(floor.recordScanMBPerS)} MB/s (${f0(floor.records)} records)\n`,
    );
  if (page.frames)
    for (const [what, f] of Object.entries(page.frames))
      process.stdout.write(
        `  frames, ${what}: work median ${f.workMedian} ms, p99 ${f.workP99} ms; interval median ${f.intervalMedian} ms, p99 ${f.intervalP99} ms (${f.frames} frames)\n`,
      );
  if (page.idleMs !== undefined)
    process.stdout.write(
      `  page: first arrow ${f0(page.firstArrowMs)} ms (${page.partialShown ? "a partial model" : "the finished model"}); the finished model pulled into the page in ${f0(page.pullMs)} ms; main heap ${f0(page.mainHeapMB)} MB; peak RSS of the renderer (page and workers) ${f0(page.processes?.rendererPeakMB)} MB, of the browser process ${f0(page.processes?.browserPeakMB)} MB\n`,
    );
  if (page.cpu) process.stdout.write(`  page: ${cpuLine(page.cpu, page.idleMs)}\n`);
  if (node.phases) process.stdout.write(`  node, by phase: ${phasesLine(node.phases)}\n`);
  if (page.worker) process.stdout.write(`  page's worker, by phase: ${phasesLine(page.worker)}\n`);
  const one = row.chromiumOneWorker as
    Partial<PageRun & { mbPerS: number; speedupOfTwo: number }> | undefined;
  if (one)
    process.stdout.write(
      one.error
        ? `  one worker: ${one.error}\n`
        : `  one worker: ${f1(one.mbPerS)} MB/s; two workers are ${one.speedupOfTwo?.toFixed(2) ?? "-"}x as fast${boundLine(one.idleMs, one.worker?.readMs)}${one.cpu ? `; ${cpuLine(one.cpu, one.idleMs)}` : ""}${one.worker ? `; by phase: ${phasesLine(one.worker)}` : ""}\n`,
    );
  const oneThread = row.nodeOneThread as (NodeRun & { speedupOfThreads: number; mbPerS: number }) | undefined;
  if (oneThread)
    process.stdout.write(
      `  node, one thread: ${f1(oneThread.mbPerS)} MB/s; ${(node.threads ?? 1) > 1 ? `${node.threads} threads are` : "the default, which read this bundle on one thread too (under 96 MiB of logs), is"} ${oneThread.speedupOfThreads.toFixed(2)}x as fast${boundLine(oneThread.ms, oneThread.phases?.readMs)}${oneThread.phases ? `; by phase: ${phasesLine(oneThread.phases)}` : ""}\n`,
    );
  if (node.error) process.stdout.write(`  node: ${node.error}\n`);
  if (page.error) process.stdout.write(`  chromium: ${page.error}\n`);
}

/** The machine's own ceiling for two workers, kernel by kernel. */
function parallelLine(p: Record<string, ParallelRun>): string {
  const each = Object.entries(p).map(
    ([k, r]) => `${k} ${r.speedup.toFixed(2)}x (${r.oneMs} ms alone, ${r.twoMs} ms for two)`,
  );
  return `two workers against one on this machine, kernels that are not ucsnoop: ${each.join("; ")}`;
}

/**
 * Amdahl's bound for two threads, from one thread's run: only the read (parse and merge) is
 * shared out; the rest (build, columns and knowledge, the page's pull) runs on one thread.
 */
function boundLine(totalMs: number | undefined, readMs: number | null | undefined): string {
  if (!totalMs || !readMs) return "";
  return ` (at most ${(totalMs / (totalMs - readMs / 2)).toFixed(2)}x with the read split evenly in two: the rest runs on one thread)`;
}

/** A full model's time by phase. The build and the columns run on one thread, after the read. */
function phasesLine(p: Phases): string {
  const s = (ms: number | null) => f1(ms === null ? undefined : ms / 1000);
  return `read and parse ${s(p.readMs)} s, build ${s(p.buildMs)} s, columns and knowledge pass ${s(p.columnsMs)} s`;
}

/** Where a drop's CPU went, against its wall time. */
function cpuLine(cpu: ThreadCpu, idleMs: number | undefined): string {
  const all = cpu.workers + cpu.v8Helpers + cpu.main + cpu.other;
  return `CPU over the drop ${all.toFixed(1)} s in ${f1(idleMs !== undefined ? idleMs / 1000 : undefined)} s: workers ${cpu.workers.toFixed(1)}, V8 helper threads (compiler, GC) ${cpu.v8Helpers.toFixed(1)}, main thread ${cpu.main.toFixed(1)}, other ${cpu.other.toFixed(1)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [mode, dir, threads] = process.argv.slice(2);
  if (mode === "--child-floor") process.stdout.write(JSON.stringify(childFloor(dir!)) + "\n");
  else if (mode === "--child-node")
    process.stdout.write(JSON.stringify(await childNode(dir!, Number(threads))) + "\n");
  else await main(process.argv.slice(2));
}
