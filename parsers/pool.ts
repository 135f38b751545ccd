/**
 * Runs jobs on whichever worker is free, in the order they were asked for: a big file on one
 * worker does not hold up the files queued behind it (round robin would queue them on the busy
 * worker while the other one idles).
 */
export function onFreeWorker<W>(workers: readonly W[]): <T>(job: (w: W) => Promise<T>) => Promise<T> {
  const free = [...workers];
  const waiting: ((w: W) => void)[] = [];
  const release = (w: W) => {
    const next = waiting.shift();
    if (next) next(w);
    else free.push(w);
  };
  return async (job) => {
    const w = free.shift() ?? (await new Promise<W>((resolve) => waiting.push(resolve)));
    try {
      return await job(w);
    } finally {
      release(w);
    }
  };
}
