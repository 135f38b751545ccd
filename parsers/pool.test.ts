import { describe, expect, it } from "vitest";
import { onFreeWorker } from "./pool.ts";

describe("onFreeWorker", () => {
  it("gives each job to a free worker, in order, and never two jobs to one worker at once", async () => {
    const run = onFreeWorker(["a", "b"]);
    const log: string[] = [];
    const busy = new Set<string>();
    const finish = new Map<string, () => void>();
    const job = (name: string) =>
      run(async (w) => {
        expect(busy.has(w)).toBe(false);
        busy.add(w);
        log.push(`${name}@${w}`);
        await new Promise<void>((r) => finish.set(name, r));
        busy.delete(w);
        return name;
      });
    const done = ["big", "small", "next", "last"].map(job);
    await Promise.resolve();
    expect(log).toEqual(["big@a", "small@b"]);
    // The small file ends first: the next job goes to its worker, not behind the big one.
    finish.get("small")!();
    await done[1];
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(["big@a", "small@b", "next@b"]);
    finish.get("big")!();
    await done[0];
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(["big@a", "small@b", "next@b", "last@a"]);
    finish.get("next")!();
    finish.get("last")!();
    expect(await Promise.all(done)).toEqual(["big", "small", "next", "last"]);
  });

  it("frees a worker whose job failed", async () => {
    const run = onFreeWorker(["only"]);
    await expect(run(() => Promise.reject(new Error("unreadable")))).rejects.toThrow("unreadable");
    expect(await run(async (w) => w)).toBe("only");
  });
});
