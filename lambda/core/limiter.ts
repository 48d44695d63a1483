/**
 * A bounded-concurrency scheduler: at most `limit` tasks run at once, the others wait in FIFO
 * order. (p-limit does the same, but is ESM-only since v4; these twenty lines keep the project on
 * plain CommonJS for jest, the CDK toolchain and the Lambda bundle.)
 */
export type Schedule = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(limit: number): Schedule {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };

  return <T>(task: () => Promise<T>): Promise<T> => {
    const start = (): Promise<T> => {
      // A task that throws synchronously becomes a rejection, and frees its slot all the same.
      return Promise.resolve().then(task).finally(release);
    };
    if (running < limit) {
      running += 1;
      return start();
    }
    return new Promise<void>((resolve) => waiting.push(resolve)).then(start);
  };
}
