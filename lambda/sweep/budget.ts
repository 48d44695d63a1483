import { JanitorError } from '../errors';

/**
 * The run's write budget (maxRepairsPerRun). A step asks once for room for the writes it may make
 * (`use`); its claim holds that room, so that regions repaired at the same time cannot together
 * overshoot the cap; each write is counted as it is sent, through the claim (a write AWS refuses
 * still counts); the room the step did not use goes back when it ends, whatever happened. No step
 * counts by hand.
 */
export class WriteBudget {
  private held = 0;
  private reachedCap = false;

  public constructor(public readonly cap: number) {}

  /** Some drift was left unrepaired because the cap had no room for it. */
  public get reached(): boolean {
    return this.reachedCap;
  }

  /**
   * Runs `step` with room for `count` writes, if `room` (at least `count`: the most the step may
   * need in all) still fits under the cap; else returns `undefined` without running it, and the
   * cap is marked reached.
   */
  public async use<T>(count: number, step: (claim: WriteClaim) => Promise<T>, room = count): Promise<T | undefined> {
    if (this.held + Math.max(count, room) > this.cap) {
      this.reachedCap = true;
      return undefined;
    }
    this.held += count;
    const claim = new Claim(count);
    try {
      return await step(claim);
    } finally {
      this.held -= claim.settle();
    }
  }
}

/** The writes a step may send: at most the room it was given. */
export interface WriteClaim {
  /** Sends one write, counted whatever AWS answers. */
  write<T>(send: () => Promise<T>): Promise<T>;
}

/** A write beyond its claim: a bug of the janitor's, never an AWS answer to report on a row. */
export class WriteBudgetError extends JanitorError {
  public constructor() {
    super('write budget: a write beyond its claim');
    this.name = 'WriteBudgetError';
  }
}

class Claim implements WriteClaim {
  private left: number;
  private open = true;

  public constructor(count: number) {
    this.left = count;
  }

  public write<T>(send: () => Promise<T>): Promise<T> {
    if (!this.open || this.left <= 0) throw new WriteBudgetError();
    this.left -= 1;
    return send();
  }

  /** Closes the claim; returns the room it did not use. */
  public settle(): number {
    this.open = false;
    const unused = this.left;
    this.left = 0;
    return unused;
  }
}
