/// <reference lib="webworker" />
import { expose, transfer } from "comlink";
import type { FileOptions } from "./model/files.ts";
import { transferablesOf, type FileSnapshot } from "./model/snapshot.ts";
import { parseToSnapshot, type ReadProgress } from "./parseFile.ts";

/** A pool worker: parses one file into a store of its own and hands back its columns. */
export const parseWorkerApi = {
  async parse(
    name: string,
    blob: Blob,
    options: FileOptions | undefined,
    onProgress?: (p: ReadProgress) => void,
  ): Promise<FileSnapshot> {
    const snapshot = await parseToSnapshot(name, blob, options, undefined, onProgress);
    return transfer(snapshot, transferablesOf(snapshot));
  },
};

export type ParseWorkerApi = typeof parseWorkerApi;

// Imported by the tests too: only a worker exposes itself.
declare const WorkerGlobalScope: { new (): unknown } | undefined;
if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) expose(parseWorkerApi);
