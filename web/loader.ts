import type { DroppedFile, Progress } from "../parsers/workerApi.ts";
import type { ModelJson } from "../parsers/model/json.ts";
import { ParserClient } from "./parser.ts";
import { sampleFiles } from "./samples.ts";
import { useStore, type FileProgress } from "./store/index.ts";

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
    window.ucsnoop = { whenIdle: () => c.whenIdle(), model: () => c.model() };
  }
  return client;
}

/** Drops answers of requests overtaken by a newer one (e.g. a sample picked while another loads). */
let generation = 0;

/** Progress arrives per slice from the worker; the page repaints it at most once a frame. */
function onProgress(gen: number) {
  const latest = new Map<string, FileProgress>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (gen !== generation) return;
    const progress = [...useStore.getState().progress];
    for (const entry of latest.values()) {
      const i = progress.findIndex((f) => f.name === entry.name);
      if (i < 0) progress.push(entry);
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
      requestAnimationFrame(flush);
    }
  };
}

function accept(gen: number, model: ModelJson) {
  if (gen !== generation) return;
  const s = useStore.getState();
  const selected = s.selected !== null && s.selected < model.messages.length ? s.selected : null;
  s.set({ model, parsing: false, selected, progress: [] });
}

function fail(gen: number, err: unknown) {
  if (gen !== generation) return;
  useStore
    .getState()
    .set({ parsing: false, error: `parse failed: ${(err as Error).message ?? String(err)}` });
}

/** Parse these files alone (replace = true) or add them to the ones already open. */
export async function openFiles(
  files: DroppedFile[],
  replace: boolean,
  keepSelection = false,
): Promise<void> {
  if (!files.length) return;
  const gen = ++generation;
  const s = useStore.getState();
  const dropped = replace ? files : [...s.dropped, ...files];
  s.set({
    dropped,
    parsing: true,
    error: null,
    progress: files.map((f) => ({ name: f.name, bytesRead: 0, size: f.blob.size, done: false })),
    ...(replace ? { sample: null } : {}),
    ...(replace && !keepSelection ? { selected: null } : {}),
  });
  const c = parser();
  try {
    const model = replace
      ? await c.replaceFiles(files, onProgress(gen))
      : await c.addFiles(files, onProgress(gen));
    accept(gen, model);
  } catch (err) {
    fail(gen, err);
  }
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

/** Rebuild from the files the page holds, minus one or with new options for one. */
export async function rebuild(dropped: DroppedFile[]): Promise<void> {
  if (!dropped.length) {
    generation++;
    await parser().reset();
    useStore.getState().set({ dropped: [], model: null, selected: null, progress: [], parsing: false });
    return;
  }
  const sample = useStore.getState().sample;
  await openFiles(dropped, true, true);
  useStore.getState().set({ sample });
}

export function removeFile(name: string): Promise<void> {
  return rebuild(useStore.getState().dropped.filter((f) => f.name !== name));
}

export function overrideFile(name: string, options: DroppedFile["options"]): Promise<void> {
  return rebuild(
    useStore
      .getState()
      .dropped.map((f) => (f.name === name ? { ...f, options: { ...f.options, ...options } } : f)),
  );
}

export function cancelParse(): Promise<void> {
  return parser().cancel();
}

export async function setClockOffset(lane: string, offsetMs: number | null): Promise<void> {
  const gen = generation;
  const model = await parser().setClockOffset(lane, offsetMs);
  accept(gen, model);
}
