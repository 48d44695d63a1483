import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsClients } from '../aws/clients';
import type { MemberSession } from '../aws/sts';
import type { Cause } from '../core/who-broke-it';
import type { GuardRailEntry } from '../core/plan-protection';

/** What a sweep is given: its scope, its dependencies (clients, logger, clock), and what it reports as it goes. */

/** The subset of Powertools' Logger the engine uses; the CLI supplies its own. */
export interface SweepLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface SweepProgress {
  readonly accountsDone: number;
  readonly accountsTotal: number;
  readonly targetsDone: number;
}

/** What one run covers, narrower than the configuration: accounts, regions, and time. */
export interface SweepScope {
  /** Check only these accounts; each must be one the configuration targets. */
  readonly accountIds?: readonly string[] | undefined;
  /** Check only these regions (intersected with the account's enabled regions under `regions: all`). */
  readonly regions?: readonly string[] | undefined;
  /**
   * Start no new work after this moment: what is in flight finishes, what was not started is
   * reported `not-checked`.
   */
  readonly deadline?: Date | undefined;
  /**
   * An account of `accountIds` that the configuration does not target: `fail` (default) stops the
   * run with a TargetSelectionError; `leave-alone` logs it and sweeps the rest (a targeted repair).
   */
  readonly outsideTargets?: 'fail' | 'leave-alone';
  /**
   * Repair a drift whose cause is one of respectPrincipals too (the CLI's --repair-anyway: a person
   * has cleared the responder's change).
   */
  readonly repairAnyway?: boolean;
  /** The calls the guard rail refused in this account-region (a targeted repair): its row names them. */
  readonly refused?: readonly GuardRailEntry[] | undefined;
  /** The breaking call already known (a targeted repair): the drifted row carries it, no lookup. */
  readonly cause?: Cause | undefined;
}

export interface SweepDependencies {
  readonly clients: AwsClients;
  readonly logger: SweepLogger;
  readonly now?: () => Date;
  readonly onProgress?: (progress: SweepProgress) => void;
  /**
   * Pauses between the reads that verify a write, while EC2 does not show it yet (eventual
   * consistency); default DEFAULT_SETTLE_DELAYS_MS.
   */
  readonly settleDelaysMs?: readonly number[];
  /** The member role and session name (default the hub function's: functionSession). */
  readonly memberSession?: MemberSession;
  /**
   * The credentials a member account is entered with, instead of assuming `memberSession`'s role
   * in it: `restoreAccountDefaults` called with the account's own credentials.
   */
  readonly accountCredentials?: (accountId: string) => Promise<AwsCredentialIdentity>;
}
