import type { DroppedFile, ModelSummary, Progress } from "../parsers/workerApi.ts";
import type { ModelJson } from "../parsers/model/json.ts";
import { ParserClient } from "./parser.ts";
import { sampleFiles } from "./samples.ts";
import { useStore, type FileProgress } from "./store/index.ts";
import { restoreView } from "./share/view.ts";

/**
 * Startup (sample index, then the first bundle) counts as pending work from the moment the idle
 * hook exists, so `whenIdle()` called right after the page loads waits for the first model.
 */
let startupDone: () => void = () => undefined;
export function startupFinished(): void {
  startupDone();
}

/** The page's one parser client; created on first use so tests of pure modules need no Worker. */
let client: ParserClient | null = null;
export function parser(): ParserClient {
  if (!client) {
    const c = new ParserClient();
    client = c;
    void c.hold(new Promise<void>((resolve) => (startupDone = resolve)));
    window.ucsnoop = {
      whenIdle: () => c.whenIdle(),
      model: () => c.model(),
      shownMessages: () => useStore.getState().model?.messages.length ?? 0,
      showMessages: (messages) => {
        const s = useStore.getState();
        if (!s.model) throw new Error("no model on the page yet");
        s.set({ model: { ...s.model, messages }, selected: null, evidence: [], finding: null, walk: null });
      },
    };
  }
  return client;
}

/** Drops answers of requests overtaken by a newer one (e.g. a sample picked while another loads). */
let generation = 0;

/**
 * Progress arrives per slice from the worker; the page repaints it at most every PROGRESS_MS.
 * Repainted once a frame, a 50 MiB drop kept the main thread busy for 0.84 s of CPU (0.46 s
 * with this and the other changes of 2026-12-02): on two cores, time taken from the workers.
 */
const PROGRESS_MS = 200;

function onProgress(gen: number) {
  const latest = new Map<string, FileProgress>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (gen !== generation) return;
    const progress = [...useStore.getState().progress];
    // By name through a map: a drop of 10 000 files must not search the list per entry.
    const at = new Map(progress.map((f, i) => [f.name, i]));
    for (const entry of latest.values()) {
      const i = at.get(entry.name);
      if (i === undefined) at.set(entry.name, progress.push(entry) - 1);
      else progress[i] = entry;
    }
    latest.clear();
    useStore.getState().set({ progress });
  };
  return (p: Progress) => {
    if (gen !== generation) return;
    latest.set(p.file, { name: p.file, bytesRead: p.bytesRead, size: p.size, done: p.done });
    if (!scheduled) {
      scheduled = true;
      setTimeout(flush, PROGRESS_MS);
    }
  };
}

/**
 * Messages are pulled in windows this big: each is decoded in a short task of its own (about
 * 2 us a message), and the page paints and takes input between them.
 */
const WINDOW = 4000;

/**
 * The worker's build the page shows. Builds are numbered in order; a partial model still being
 * pulled when a later build has been shown is dropped.
 */
let shownVersion = -1;

/** The whole model on the page, its messages pulled window by window after the summary. */
async function pull(gen: number, summary: ModelSummary): Promise<ModelJson | null> {
  const messages: ModelJson["messages"] = [];
  const c = parser();
  const count = summary.messageCount;
  const ask = (start: number) => c.messageWindow(start, Math.min(count, start + WINDOW), summary.version);
  // One window is always asked for ahead: the worker encodes it while the page decodes this one.
  let next = count > 0 ? ask(0) : null;
  for (let start = 0; next; start += WINDOW) {
    const part = await next;
    next = start + WINDOW < count ? ask(start + WINDOW) : null;
    // Null: the worker built the model again meanwhile (a partial overtaken by the next one).
    if (!part || gen !== generation) {
      void next?.catch(() => null);
      return null;
    }
    for (const m of part) messages.push(m);
    // Let the page paint and handle input between windows.
    await new Promise((r) => setTimeout(r, 0));
  }
  const { messageCount: _count, version: _version, partial: _partial, ...rest } = summary;
  void [_count, _version, _partial];
  return { ...rest, messages, dialogs: [] };
}

/** A message's identity across builds: ids are positions and move as files are added. */
function messageKey(m: ModelJson["messages"][number]): string {
  const e = m.evidence[0];
  return e ? `${e.file}:${e.line}:${m.label}` : `:${m.label}`;
}

/** The ids in `next` of the messages `ids` named in `prev` (those that are still there). */
export function carryIds(prev: ModelJson | null, next: ModelJson, ids: number[]): number[] {
  if (!ids.length) return [];
  if (!prev) return ids.filter((id) => id < next.messages.length);
  const at = new Map(next.messages.map((m) => [messageKey(m), m.id]));
  return ids.flatMap((id) => {
    const m = prev.messages[id];
    const found = m ? at.get(messageKey(m)) : undefined;
    return found === undefined ? [] : [found];
  });
}

/**
 * Whether the selection in the store names messages of the model shown (they follow their
 * messages into the next build) or of the model to come (a link's `#m=12` as a sample loads).
 */
interface Ids {
  ofComingModel: boolean;
}

/** Show a build of the model: a partial one while files are read, or the finished one. */
async function accept(
  gen: number,
  summary: ModelSummary,
  ids: Ids = { ofComingModel: false },
): Promise<void> {
  if (gen !== generation) return;
  const model = await pull(gen, summary);
  if (!model || gen !== generation || summary.version <= shownVersion) return;
  shownVersion = summary.version;
  const s = useStore.getState();
  // The selection follows its message into the new build (a partial's ids are not the final's).
  const prev = ids.ofComingModel ? null : s.model;
  ids.ofComingModel = false;
  const [selected = null] = s.selected !== null ? carryIds(prev, model, [s.selected]) : [];
  const evidence = carryIds(prev, model, s.evidence);
  const walk = s.walk && s.walk.session < model.sessions.length ? s.walk : null;
  s.set({
    model,
    selected,
    evidence,
    walk,
    partial: summary.partial,
    ...(summary.partial ? {} : { parsing: false, progress: [] }),
  });
}

function fail(gen: number, err: unknown) {
  if (gen !== generation) return;
  useStore
    .getState()
    .set({ parsing: false, partial: null, error: `parse failed: ${(err as Error).message ?? String(err)}` });
}

/** Parse these files alone (replace = true) or add them to the ones already open. */
export function openFiles(files: DroppedFile[], replace: boolean, keepSelection = false): Promise<void> {
  if (!files.length) return Promise.resolve();
  const gen = ++generation;
  const s = useStore.getState();
  const dropped = replace ? files : [...s.dropped, ...files];
  s.set({
    dropped,
    parsing: true,
    // A partial of an earlier drop is not this one's: its note goes until this drop sends its own.
    partial: null,
    error: null,
    progress: files.map((f) => ({ name: f.name, bytesRead: 0, size: f.blob.size, done: false })),
    ...(replace ? { sample: null, snapshot: null } : {}),
    ...(replace && !keepSelection ? { selected: null, evidence: [], finding: null, walk: null } : {}),
  });
  const c = parser();
  // Held as a whole, so that whenIdle() waits for the last message window too.
  return c.hold(
    (async () => {
      try {
        // A big drop shows the model of the files read so far while the rest are read.
        const ids = { ofComingModel: replace };
        const partial = (p: ModelSummary) => void accept(gen, p, ids);
        const summary = replace
          ? await c.replaceFilesSummary(files, onProgress(gen), partial)
          : await c.addFilesSummary(files, onProgress(gen), partial);
        // For the benchmark: how long pulling the finished model into the page takes, and where
        // the worker's time went.
        performance.mark("ucsnoop:built");
        await accept(gen, summary, ids);
        performance.mark("ucsnoop:shown");
        performance.mark("ucsnoop:worker", { detail: await c.lastTimings() });
      } catch (err) {
        fail(gen, err);
      }
    })(),
  );
}

/** Runs a worker call that rebuilds the model (remove, override, dates, clocks) and takes its answer. */
function change(call: () => Promise<ModelSummary>): Promise<void> {
  const gen = ++generation;
  const c = parser();
  useStore.getState().set({ error: null });
  return c.hold(
    (async () => {
      try {
        await accept(gen, await call());
      } catch (err) {
        fail(gen, err);
      }
    })(),
  );
}

export function loadSample(id: string, keepSelection = false): Promise<void> {
  // Held as a whole: no idle moment between fetching the bundle and parsing it.
  return parser().hold(
    (async () => {
      try {
        const files = await sampleFiles(id);
        await openFiles(files, true, keepSelection);
        useStore.getState().set({ sample: id });
      } catch (err) {
        useStore.getState().set({ error: `cannot load sample ${id}: ${(err as Error).message}` });
      }
    })(),
  );
}

/** Remove the file at this index (model.files order is the worker's index order). */
export function removeFile(index: number): Promise<void> {
  const s = useStore.getState();
  s.set({ dropped: s.dropped.filter((_, i) => i !== index) });
  return change(() => parser().removeFileSummary(index));
}

/** Override a file's source, lane or host; the worker parses it again, keeping dates and clocks. */
export function overrideFile(index: number, options: DroppedFile["options"]): Promise<void> {
  return change(() => parser().setFileOptionsSummary(index, options ?? {}));
}

/** Date (YYYY-MM-DD, or null to clear) and zone (minutes east of UTC) of a time-of-day file. */
export function setFileTime(
  index: number,
  time: { date?: string | null; zoneMinutes?: number | null },
): Promise<void> {
  return change(() => parser().setFileTimeSummary(index, time));
}

export function cancelParse(): Promise<void> {
  return parser().cancel();
}

export function setClockOffset(lane: string, offsetMs: number | null): Promise<void> {
  return change(() => parser().setClockOffsetSummary(lane, offsetMs));
}

let requestId = 0;

/** The table's order from the worker: sort, filters and search run there; stale answers drop. */
async function runQuery(): Promise<void> {
  const s = useStore.getState();
  const id = ++requestId;
  const model = s.model;
  const filters = Object.fromEntries(Object.entries(s.columnFilters).filter(([, v]) => v.trim()));
  if (!model) {
    s.set({ order: [] });
    return;
  }
  if (!s.query.trim() && !Object.keys(filters).length && !s.sort) {
    s.set({ order: model.messages.map((m) => m.id) });
    return;
  }
  const answer = await parser().query({ requestId: id, sort: s.sort, filters, search: s.query });
  if (answer.requestId !== requestId || useStore.getState().model !== model) return;
  useStore.getState().set({ order: Array.from(answer.ids) });
}

/** Keeps `order` in step with the model, the search, the column filters and the sort. */
export function startQueries(): () => void {
  let last: unknown[] = [];
  const check = (s: ReturnType<typeof useStore.getState>) => {
    const next = [s.model, s.query, s.columnFilters, s.sort];
    if (next.every((v, i) => v === last[i])) return;
    last = next;
    void runQuery();
  };
  check(useStore.getState());
  return useStore.subscribe(check);
}

/** Open a snapshot's data block (the page's own, embedded): its model, raw lines and view. */
export function openSnapshot(encoded: string): Promise<void> {
  const gen = ++generation;
  const c = parser();
  useStore
    .getState()
    .set({ parsing: true, partial: null, error: null, sample: null, dropped: [], progress: [] });
  return c.hold(
    (async () => {
      try {
        const { summary, view, redacted, pseudonyms } = await c.loadEncodedSnapshot(encoded);
        await accept(gen, summary);
        if (gen !== generation) return;
        useStore.getState().set({ snapshot: { redacted, pseudonyms } });
        // A link into the snapshot (#m=12...) wins over the view it was exported with.
        if (!location.hash) restoreView(view);
      } catch (err) {
        useStore
          .getState()
          .set({ parsing: false, error: `cannot open this snapshot: ${(err as Error).message}` });
      }
    })(),
  );
}
