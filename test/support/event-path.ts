import {
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsClients } from '../../lambda/aws/clients';
import type { SweepConfig } from '../../lambda/config/schema';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/core/sweep-metrics';
import type { IntakeSettings } from '../../lambda/events/intake';
import { createHandler } from '../../lambda/handler-factory';
import type { SweepLogger } from '../../lambda/sweep';

/**
 * The parts of the event path the emulator does not play: CloudTrail's event of a call (moto
 * records no trail and sends nothing to EventBridge) and EventBridge Scheduler running a one-time
 * schedule when its time comes (moto stores schedules, never runs them). Shared by the demo and
 * the tests; the intake and the sweep function they feed are the real ones.
 */

export interface CallOptions {
  readonly accountId: string;
  readonly region: string;
  readonly eventName: string;
  readonly time: Date;
  /** The role behind the session: `arn:aws:iam::<account>:role/<name>`. */
  readonly roleName?: string;
  readonly sessionName?: string;
  readonly requestParameters?: Record<string, unknown>;
  readonly userAgent?: string;
  readonly errorCode?: string;
  /** CloudTrail's errorMessage of a failed call (default 'denied'). */
  readonly errorMessage?: string;
}

/** The "AWS API Call via CloudTrail" event EventBridge delivers for an EC2 call, as forwarded to the hub's bus. */
export function cloudTrailEvent(options: CallOptions): Record<string, unknown> {
  const roleName = options.roleName ?? 'ci-cleanup';
  const time = options.time.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    version: '0',
    id: `${options.accountId.slice(0, 8)}-${options.time.getTime().toString(16)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: options.accountId,
    time,
    region: options.region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE:${options.sessionName ?? 'nuke'}`,
        arn: `arn:aws:sts::${options.accountId}:assumed-role/${roleName}/${options.sessionName ?? 'nuke'}`,
        accountId: options.accountId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: `arn:aws:iam::${options.accountId}:role/${roleName}`,
            accountId: options.accountId,
            userName: roleName,
          },
          attributes: { creationDate: time, mfaAuthenticated: 'false' },
        },
      },
      eventTime: time,
      eventSource: 'ec2.amazonaws.com',
      eventName: options.eventName,
      awsRegion: options.region,
      sourceIPAddress: '198.51.100.7',
      userAgent: options.userAgent ?? 'aws-nuke/3.56.2 aws-sdk-go/1.55.5 (go1.24.1; linux; amd64)',
      ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: options.errorMessage ?? 'denied' } : {}),
      requestParameters: options.requestParameters ?? null,
      responseElements: options.errorCode ? null : { _return: true },
      requestID: '5f0c1b7e-0000-4000-8000-000000000000',
      eventID: '0b9b8d52-0000-4000-8000-000000000000',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: options.accountId,
      eventCategory: 'Management',
    },
  };
}

/** What the stack makes for the intake: its schedule group, and the ARNs it is configured with. */
export async function intakeSettingsFor(
  scheduler: SchedulerClient,
  quietPeriodSeconds: number,
): Promise<IntakeSettings> {
  const scheduleGroupName = 'AccountJanitor-repairs';
  await scheduler.send(new CreateScheduleGroupCommand({ Name: scheduleGroupName }));
  return {
    quietPeriodSeconds,
    scheduleGroupName,
    sweepFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:AccountJanitor-Sweep',
    schedulerRoleArn: 'arn:aws:iam::123456789012:role/AccountJanitor-SchedulerRole',
    deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:AccountJanitor-DeadLetterQueue',
  };
}

/** The one-time schedules of the group: name, when, and the input they will hand the sweep function. */
export async function pendingRepairs(
  scheduler: SchedulerClient,
  groupName: string,
): Promise<{ name: string; at: Date; input: unknown }[]> {
  const { Schedules: schedules = [] } = await scheduler.send(new ListSchedulesCommand({ GroupName: groupName }));
  return Promise.all(
    schedules.map(async ({ Name: name = '' }) => {
      const schedule = await scheduler.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
      const at = /^at\((.+)\)$/.exec(schedule.ScheduleExpression ?? '')?.[1] ?? '';
      return { name, at: new Date(`${at}Z`), input: JSON.parse(schedule.Target?.Input ?? 'null') as unknown };
    }),
  );
}

/**
 * Plays EventBridge Scheduler at `now`: every schedule of the group that is due invokes the target
 * with its input, then is deleted (ActionAfterCompletion DELETE). Returns what the target returned.
 */
export async function runDueRepairs<T>(
  scheduler: SchedulerClient,
  groupName: string,
  now: Date,
  invoke: (input: unknown) => Promise<T>,
): Promise<T[]> {
  const due = (await pendingRepairs(scheduler, groupName)).filter((repair) => repair.at.getTime() <= now.getTime());
  const results: T[] = [];
  for (const repair of due) {
    results.push(await invoke(repair.input));
    await scheduler.send(new DeleteScheduleCommand({ GroupName: groupName, Name: repair.name }));
  }
  return results;
}

/** The sweep function's handler as the Lambda builds it, printing nothing (no logs, no EMF): for the demo and the bench. */
export function silentSweepHandler(config: SweepConfig, clients: AwsClients) {
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  return createHandler({
    config,
    clients,
    logger: new Logger({ serviceName: SERVICE_NAME, logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  });
}

/** A SweepLogger that says nothing. */
export const SILENT_LOGGER: SweepLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
