import { proxy, wrap, type Remote } from "comlink";
import type { DroppedFile, ParserApi, Progress } from "../parsers/workerApi.ts";
import type { ModelJson } from "../parsers/model/json.ts";

/** The page's handle on the parsing worker; counts pending requests for the idle hook. */
export class ParserClient {
  private readonly api: Remote<ParserApi>;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  constructor() {
    const worker = new Worker(new URL("../parsers/worker.ts", import.meta.url), { type: "module" });
    this.api = wrap<ParserApi>(worker);
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await p;
    } finally {
      this.pending--;
      if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  whenIdle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  addFiles(files: DroppedFile[], onProgress: (p: Progress) => void): Promise<ModelJson> {
    return this.track(this.api.addFiles(files, proxy(onProgress)));
  }

  reset(): Promise<void> {
    return this.track(this.api.reset());
  }

  model(): Promise<ModelJson> {
    return this.track(this.api.model());
  }
}
