import type { DeployedAlarm } from '../../lambda/aws/deployment';
import type { OrganizationIdentity } from '../../lambda/aws/organizations';
import type { SweepConfig } from '../../lambda/config/schema';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';
import type { TargetAccount } from '../../lambda/discover-target-accounts';
import type { CheckRow, DoctorContext } from './checks';
import type { ProbeOptions, ProbeTarget } from './probe';

/** What an entry of doctor's registry (`registry.ts`) holds, and what its run sees. */

/** What checks find for the checks after them. */
export interface Findings {
  /** The stack's outputs (`stack`): where everything else is. */
  readonly outputs: StackOutputs;
  /** The function's configuration, parsed as the function parses it (`function`). */
  readonly config: SweepConfig;
  /** The stack's alarms (`alarms`), when there is one. */
  readonly alarms: readonly DeployedAlarm[];
  /** How many of the topic's subscriptions are confirmed (`subscriptions`). */
  readonly confirmed: number;
  /** The caller's organization (`member accounts`). */
  readonly organization: OrganizationIdentity;
  /** The target accounts of the configuration, as the function finds them (`member accounts`). */
  readonly targets: readonly TargetAccount[];
}

export type Finding = keyof Findings;

/** The findings a check gets: those it needs, and whatever else is known. */
export type Known<Needs extends Finding> = Pick<Findings, Needs> & Partial<Findings>;

/** doctor's options that choose checks (`--send-test-notification`, `--probe`, `--sample`). */
export interface CheckOptions {
  readonly sendTestNotification?: boolean;
  readonly trailSample?: number;
  readonly probe?: ProbeTarget;
  readonly probeOptions?: Omit<ProbeOptions, 'now'>;
}

/** The doctor's own checks of the hub's resources (`doctor.ts`: they share its reads of the function). */
export interface HubChecks {
  stack(): Promise<StackOutputs | undefined>;
  function(outputs: StackOutputs): Promise<SweepConfig | undefined>;
  schedule(outputs: StackOutputs): Promise<void>;
  deadLetters(outputs: StackOutputs): Promise<void>;
  lastRun(config: SweepConfig): Promise<void>;
}

/** The doctor as its checks see it: the context, the options that choose checks, and its own checks. */
export interface Doctor extends DoctorContext {
  readonly options: CheckOptions;
  readonly hubChecks: HubChecks;
  addRows(rows: readonly CheckRow[]): void;
}

/** One row a check writes, as docs/deploy.md's table says it. */
export interface CheckRowDoc {
  /** The row's CHECK. */
  readonly check: string;
  /** When the row fails. */
  readonly failsWhen: string;
}

export interface DoctorCheck<Needs extends Finding = Finding> {
  /** The name of its rows, and of the failed row when what it reads cannot be read. */
  readonly name: string;
  /** What it reads. */
  readonly reads: string;
  /** The findings it needs: without one of them (the check that finds it failed), it is skipped. */
  readonly needs: readonly Needs[];
  /** Beyond its needs, when it applies (a setting on, an option given), and how the docs say so. */
  readonly when?: {
    readonly doc: string;
    readonly applies: (known: Known<Needs>, options: CheckOptions) => boolean;
  };
  /** Adds its rows to the doctor; returns what it found for the checks after it. */
  readonly run: (doctor: Doctor, known: Known<Needs>) => Promise<Partial<Findings> | void>;
  /** Its rows in the order it writes them, each with when it fails. */
  readonly rows: readonly CheckRowDoc[];
}
