import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The EC2 API is eventually consistent: a describe right after a write may not show it yet. A
 * read that checks a write (or waits for what AWS creates on its own, like a new default VPC's
 * gateway) is repeated, after each of these pauses, until it shows what is expected. Total: 3.5 s
 * at most, spent only when the first read disagrees.
 */
export const DEFAULT_SETTLE_DELAYS_MS: readonly number[] = [500, 1_000, 2_000];

/** Reads until `settled` holds or the pauses run out; returns the last value read. Read errors propagate. */
export async function readUntil<T>(
  read: () => Promise<T>,
  settled: (value: T) => boolean,
  delaysMs: readonly number[] = DEFAULT_SETTLE_DELAYS_MS,
): Promise<T> {
  let value = await read();
  for (const delay of delaysMs) {
    if (settled(value)) return value;
    await sleep(delay);
    value = await read();
  }
  return value;
}
