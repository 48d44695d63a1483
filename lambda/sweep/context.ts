import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_SETTLE_DELAYS_MS } from '../aws/eventual-consistency';
import type { MemberSession } from '../aws/sts';
import type { SweepConfig } from '../config/schema';
import type { Cause } from '../core/who-broke-it';
import type { Schedule } from '../core/limiter';
import type { TargetAccount } from '../discover-target-accounts';
import type { WriteBudget } from './budget';
import type { SweepDependencies, SweepLogger, SweepScope } from './types';

/** What every account and region of one run shares: its configuration, dependencies, scheduler and budget. */
export interface RunContext {
  readonly config: SweepConfig;
  readonly dependencies: SweepDependencies;
  readonly schedule: Schedule;
  readonly scope: SweepScope;
  readonly progress: { accountsDone: number; accountsTotal: number; targetsDone: number };
  /** Writes against maxRepairsPerRun. */
  readonly budget: WriteBudget;
  /** True once the deadline has passed: start nothing new. */
  readonly expired: () => boolean;
  /** Identifies the run on what it creates (tag account-janitor:created). */
  readonly runId: string;
  readonly now: () => Date;
  /** The member role assumed in each account, and the session name. */
  readonly memberSession: MemberSession;
  /** One CloudTrail lookup of the run's cap (MAX_CAUSE_LOOKUPS_PER_RUN); false once it is spent. */
  readonly takeCauseLookup: () => boolean;
}

/**
 * One account-region of a run: made once, handed to every step. It carries the member account's
 * EC2 client for the region and the fields every log line about it starts with.
 */
export class RegionTarget {
  public constructor(
    public readonly run: RunContext,
    public readonly account: TargetAccount,
    public readonly region: string,
    public readonly ec2: EC2Client,
    /** The member account's CloudTrail client in the region, made when first asked for. */
    public readonly cloudTrail: () => CloudTrailClient,
    /** The member account's STS client (home region), made when first asked for: it decodes EC2's refusals. */
    public readonly sts: () => STSClient,
  ) {}

  public get config(): SweepConfig {
    return this.run.config;
  }

  public get logger(): SweepLogger {
    return this.run.dependencies.logger;
  }

  /**
   * `accountId` and `region`, first in every log line about this target; in a targeted repair,
   * also the breaking call that started it (so the `route repaired` line says who broke it).
   */
  public get logFields(): { accountId: string; region: string; cause?: Cause } {
    const { cause } = this.run.scope;
    return { accountId: this.account.id, region: this.region, ...(cause ? { cause } : {}) };
  }

  /** Pauses between the reads that verify a write (EC2 is eventually consistent). */
  public get settleDelays(): readonly number[] {
    return this.run.dependencies.settleDelaysMs ?? DEFAULT_SETTLE_DELAYS_MS;
  }

  /** What a would-* row says when the cap left it unrepaired. */
  public get capNote(): string {
    return `not repaired: this run reached its cap of ${this.config.maxRepairsPerRun} writes (maxRepairsPerRun)`;
  }
}
