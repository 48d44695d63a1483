/**
 * A bounded-concurrency scheduler: at most `limit` tasks run at once, the others wait. Waiting
 * `urgent` tasks start before the others, each kind in FIFO order: the sweep finishes the accounts
 * it has entered before it enters new ones, so work in flight completes and credentials are used
 * while fresh. (p-limit does the bounding, but is ESM-only since v4 and has no priorities; these
 * lines keep the project on plain CommonJS for jest, the CDK toolchain and the bundle.)
 */
export type Schedule = <T>(task: () => Promise<T>, urgent?: boolean) => Promise<T>;

export function createLimiter(limit: number): Schedule {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  let running = 0;
  const urgentQueue: (() => void)[] = [];
  const normalQueue: (() => void)[] = [];

  const release = () => {
    running -= 1;
    const next = urgentQueue.shift() ?? normalQueue.shift();
    if (next) {
      running += 1;
      next();
    }
  };

  return <T>(task: () => Promise<T>, urgent = false): Promise<T> => {
    // A task that throws synchronously becomes a rejection, and frees its slot all the same.
    const start = (): Promise<T> => Promise.resolve().then(task).finally(release);
    if (running < limit) {
      running += 1;
      return start();
    }
    return new Promise<void>((resolve) => (urgent ? urgentQueue : normalQueue).push(resolve)).then(start);
  };
}
