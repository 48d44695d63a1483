/**
 * The run's write budget (maxRepairsPerRun). A step claims, in one call, room for the writes it
 * may make; each write is counted as it is sent (a write AWS refuses still counts); the room it
 * did not use goes back when the claim is settled. No step counts by hand.
 */
export class WriteBudget {
  private claimed = 0;
  private reachedCap = false;

  public constructor(public readonly cap: number) {}

  /** Some drift was left unrepaired because the cap had no room for it. */
  public get reached(): boolean {
    return this.reachedCap;
  }

  /**
   * Room for `count` writes, if `room` (at least `count`: the most the step may need) still fits
   * under the cap; else `undefined`, and the cap is marked reached.
   */
  public claim(count: number, room = count): WriteClaim | undefined {
    if (this.claimed + Math.max(count, room) > this.cap) {
      this.reachedCap = true;
      return undefined;
    }
    this.claimed += count;
    return new WriteClaim(count, (unused) => {
      this.claimed -= unused;
    });
  }
}

export class WriteClaim {
  private left: number;
  private settled = false;

  public constructor(
    count: number,
    private readonly giveBack: (unused: number) => void,
  ) {
    this.left = count;
  }

  /** Sends one write of the claim, counted whatever AWS answers. */
  public async write<T>(send: () => Promise<T>): Promise<T> {
    if (this.settled || this.left <= 0) throw new Error('write budget: a write beyond its claim');
    this.left -= 1;
    return send();
  }

  /** Gives back the writes claimed and not sent. */
  public settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.giveBack(this.left);
    this.left = 0;
  }
}

/** Runs `use` with a claim and settles it afterwards, whatever happens. */
export async function withClaim<T>(claim: WriteClaim, use: (claim: WriteClaim) => Promise<T>): Promise<T> {
  try {
    return await use(claim);
  } finally {
    claim.settle();
  }
}
