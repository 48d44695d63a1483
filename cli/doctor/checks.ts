import type { AwsClients } from '../../lambda/aws/clients';
import type { DeployedTopic } from '../../lambda/aws/deployment';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/** One line of the doctor's verdict. */

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckRow {
  /** What was checked: `stack`, `function`, `schedule`, `account 111122223333 (sandbox-1)`… */
  readonly check: string;
  /** `fail` makes the doctor exit 1; `warn` is said, and does not. */
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface DoctorReport {
  readonly stackName: string;
  readonly region: string;
  readonly rows: readonly CheckRow[];
}

/** What a check needs of the doctor: its clients, where its rows go, and the reads checks share. */
export interface DoctorContext {
  readonly clients: AwsClients;
  add(check: string, status: CheckStatus, detail: string): void;
  /** The notifications topic, read once per run of the doctor. */
  deployedTopic(outputs: StackOutputs): Promise<DeployedTopic>;
}

/** 0 when nothing failed, 1 otherwise. */
export function doctorExitCode(report: DoctorReport): 0 | 1 {
  return report.rows.some((row) => row.status === 'fail') ? 1 : 0;
}

/** SNS lists an unconfirmed subscription as `PendingConfirmation` (and `Deleted` while it goes). */
export function isConfirmedSubscription(subscriptionArn: string): boolean {
  return subscriptionArn.startsWith('arn:');
}

/** A function ARN without its version or alias (`…:function:name[:qualifier]` → `…:function:name`). */
export function unqualifiedFunctionArn(arn: string): string {
  return /^(arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+)(?::[^:]+)?$/.exec(arn)?.[1] ?? arn;
}

/** At most `limit` items named, then how many more. */
export function listSome(items: readonly string[], limit = 3): string {
  const more = items.length - limit;
  return more > 0 ? `${items.slice(0, limit).join('; ')}; and ${more} more` : items.join('; ');
}
