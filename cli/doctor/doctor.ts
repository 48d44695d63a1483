import type { AwsClients } from '../../lambda/aws/clients';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  describeFunction,
  describeSchedule,
  describeStack,
  describeTopic,
  lastDatapoint,
  queueDepth,
  type DeployedFunction,
  type DeployedTopic,
} from '../../lambda/aws/deployment';
import { awsErrorCode } from '../../lambda/aws/error-code';
import { NOTIFICATION_TOPIC_VARIABLE, sweepConfigFromEnvironment } from '../../lambda/config/environment';
import type { SweepConfig } from '../../lambda/config/schema';
import { METRICS_NAMESPACE, MODE_DIMENSION, SERVICE_NAME } from '../../lambda/core/sweep-metrics';
import { UserInputError } from '../../lambda/errors';
import { DEFAULT_HEARTBEAT_HOURS } from '../../lambda/contract/names';
import { unqualifiedFunctionArn, type CheckRow, type CheckStatus, type DoctorReport } from './checks';
import type { ProbeOptions, ProbeTarget } from './probe';
import { DOCTOR_CHECKS, type Doctor, type DoctorCheck, type Findings, type HubChecks } from './registry';
import { STACK_OUTPUTS, type StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * `account-janitor doctor`: says, row by row, whether a deployment works, with the credentials
 * that deployed it. It reads the stack's outputs, then each thing they name: the function and
 * its configuration, the schedule, the dead-letter queue, the topic's subscriptions, the alarms
 * and whether CloudWatch may publish to the topic (the same walk as the template tests, on the
 * live policies), the last run, and every target account through the member role. Nothing is
 * written, except two alarm state changes when a test notification is asked for. The checks, their
 * order and when each applies are the registry's (`registry.ts`); the doctor runs them, and holds
 * what they share: the clients, the reads made once, the rows, and its own checks of the hub.
 */

export interface DoctorOptions {
  readonly stackName: string;
  /** Set one alarm to ALARM and back, so a person sees an e-mail arrive. */
  readonly sendTestNotification?: boolean;
  /**
   * Target accounts whose trails are read in every event region (the first N by id); default all.
   * Each is three CloudTrail reads per trail and region.
   */
  readonly trailSample?: number;
  /** Probe the event path in this account-region (`--probe`): a throwaway breaking call, then the schedule. */
  readonly probe?: ProbeTarget;
  /** The probe's waiting: how long and how often it reads the schedule. */
  readonly probeOptions?: Omit<ProbeOptions, 'now'>;
  /** How long without a reported run is a failure (default DEFAULT_HEARTBEAT_HOURS, the heartbeat alarm's). */
  readonly heartbeatHours?: number;
  readonly now?: () => Date;
}

const REQUIRED_OUTPUTS = [
  'functionName',
  'notificationTopicArn',
  'scheduleName',
  'scheduleGroupName',
  'deadLetterQueueUrl',
  'deadLetterQueueArn',
  'alarmNamePrefix',
] as const;

export async function runDoctor(
  options: DoctorOptions,
  clients: AwsClients,
  checks: readonly DoctorCheck[] = DOCTOR_CHECKS,
): Promise<DoctorReport> {
  return new DeploymentDoctor(options, clients).examine(checks);
}

/** The SDK found no credentials (or no SSO token): not a check that failed, but a doctor that cannot run. */
const NO_CREDENTIALS = ['CredentialsProviderError', 'TokenProviderError'];
class DeploymentDoctor implements Doctor {
  private readonly rows: CheckRow[] = [];
  private readonly now: () => Date;

  /** The doctor's own checks of the hub's resources, which the registry runs in their places. */
  public readonly hubChecks: HubChecks = {
    stack: () => this.checkStack(),
    function: (outputs) => this.checkFunction(outputs),
    schedule: (outputs) => this.checkSchedule(outputs),
    deadLetters: (outputs) => this.checkDeadLetters(outputs),
    lastRun: (config) => this.checkLastRun(config),
  };

  public constructor(
    public readonly options: DoctorOptions,
    public readonly clients: AwsClients,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Each check of the registry in turn, when what it needs was found and it applies. */
  public async examine(checks: readonly DoctorCheck[]): Promise<DoctorReport> {
    const found: Partial<Findings> = {};
    for (const check of checks) {
      if (!check.needs.every((need) => found[need] !== undefined)) continue;
      // Every finding the check needs is there (just checked): the rest it reads as optional.
      const known = found as Findings;
      if (check.when && !check.when.applies(known, this.options)) continue;
      Object.assign(found, await this.step(check.name, () => check.run(this, known)));
    }
    return { stackName: this.options.stackName, region: this.clients.homeRegion, rows: this.rows };
  }

  private functionRead: Promise<DeployedFunction> | undefined;
  private topicRead: Promise<DeployedTopic> | undefined;

  /** The function, read once for every check that needs it. */
  private deployedFunction(outputs: StackOutputs): Promise<DeployedFunction> {
    this.functionRead ??= describeFunction(this.clients, String(outputs.functionName));
    return this.functionRead;
  }

  /** The topic (policy, key, subscriptions), read once for every check that needs it. */
  public deployedTopic(outputs: StackOutputs): Promise<DeployedTopic> {
    this.topicRead ??= describeTopic(this.clients.hub(SNSClient), String(outputs.notificationTopicArn));
    return this.topicRead;
  }

  public add(check: string, status: CheckStatus, detail: string): void {
    this.rows.push({ check, status, detail });
  }

  public addRows(rows: readonly CheckRow[]): void {
    this.rows.push(...rows);
  }

  /** Runs one check; an AWS error becomes its failed row, with the code. No credentials: doctor cannot run (exit 3). */
  private async step<T>(check: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Error && NO_CREDENTIALS.includes(error.name)) throw error;
      const detail =
        error instanceof UserInputError
          ? error.message
          : `could not be read: ${awsErrorCode(error)} (${String(error)})`;
      this.add(check, 'fail', detail);
      return undefined;
    }
  }

  private async checkStack(): Promise<StackOutputs | undefined> {
    const { stackName } = this.options;
    const stack = await describeStack(this.clients, stackName);
    if (!stack) {
      this.add(
        'stack',
        'fail',
        `no stack ${stackName} in ${this.clients.homeRegion} (see --stack-name and AWS_REGION)`,
      );
      return undefined;
    }
    const outputs = Object.fromEntries(
      Object.entries(STACK_OUTPUTS).map(([key, outputKey]) => [key, stack.outputs[outputKey]]),
    ) as StackOutputs;
    const missing = REQUIRED_OUTPUTS.filter((key) => !outputs[key]).map((key) => STACK_OUTPUTS[key]);
    const healthy = /^(CREATE|UPDATE)_COMPLETE$/.test(stack.status);
    if (missing.length > 0) {
      this.add('stack', 'fail', `${stackName} ${stack.status} lacks the outputs ${missing.join(', ')}: redeploy it`);
      return undefined;
    }
    this.add('stack', healthy ? 'ok' : 'fail', `${stackName} ${stack.status} in ${this.clients.homeRegion}`);
    return outputs;
  }

  private async checkFunction(outputs: StackOutputs): Promise<SweepConfig | undefined> {
    const fn = await this.deployedFunction(outputs);
    const config = sweepConfigFromEnvironment(fn.environment);
    const problems = [
      ...(fn.state === 'Active' ? [] : [`state ${fn.state}`]),
      ...(fn.environment[NOTIFICATION_TOPIC_VARIABLE] === outputs.notificationTopicArn
        ? []
        : [`${NOTIFICATION_TOPIC_VARIABLE} is not the stack's topic`]),
    ];
    const targets = [
      config.allAccounts ? 'all accounts' : '',
      config.targetOuIds.length > 0 ? `${config.targetOuIds.length} OUs` : '',
      config.accountIds.length > 0 ? `${config.accountIds.length} accounts` : '',
    ].filter(Boolean);
    const regions = config.regions === 'all' ? 'every enabled region' : config.regions.join(', ');
    const summary = `${fn.arn}: ${config.mode} mode, ${targets.join(' and ')}, ${regions}`;
    this.add('function', problems.length === 0 ? 'ok' : 'fail', problems.length === 0 ? summary : problems.join('; '));
    return config;
  }

  private async checkSchedule(outputs: StackOutputs): Promise<void> {
    const [schedule, fn] = await Promise.all([
      describeSchedule(this.clients, String(outputs.scheduleName), String(outputs.scheduleGroupName)),
      this.deployedFunction(outputs),
    ]);
    // fanOut=distributed: the schedule starts the state machine instead of invoking the function.
    const expected = outputs.stateMachineArn ?? fn.arn;
    const what = outputs.stateMachineArn ? 'the state machine' : 'the function';
    const problems = [
      ...(schedule.state === 'ENABLED' ? [] : [`it is ${schedule.state}: no run will start`]),
      ...(unqualifiedFunctionArn(schedule.targetArn) === unqualifiedFunctionArn(expected)
        ? []
        : [`it targets ${schedule.targetArn}, not ${what}`]),
      ...(schedule.deadLetterArn === outputs.deadLetterQueueArn ? [] : ['it has no dead-letter queue of the stack']),
      ...(schedule.timeZone ? [] : ['it has no time zone']),
    ];
    this.add(
      'schedule',
      problems.length === 0 ? 'ok' : 'fail',
      problems.length === 0
        ? `${schedule.expression} ${schedule.timeZone ?? ''}, enabled, targets ${what}, failures to the dead-letter queue`
        : problems.join('; '),
    );
  }

  private async checkDeadLetters(outputs: StackOutputs): Promise<void> {
    const depth = await queueDepth(this.clients, String(outputs.deadLetterQueueUrl));
    this.add(
      'dead-letter queue',
      depth === 0 ? 'ok' : 'fail',
      depth === 0
        ? 'empty'
        : `${depth} failed invocation${depth === 1 ? '' : 's'} waiting: read the messages, fix the cause, purge the queue`,
    );
  }

  private async checkLastRun(config: SweepConfig): Promise<void> {
    const hours = this.options.heartbeatHours ?? DEFAULT_HEARTBEAT_HOURS;
    const until = this.now();
    const since = new Date(until.getTime() - hours * 3_600_000);
    const last = await lastDatapoint(
      this.clients,
      {
        namespace: METRICS_NAMESPACE,
        name: 'TargetsChecked',
        dimensions: { service: SERVICE_NAME, [MODE_DIMENSION]: config.mode },
      },
      since,
      until,
    );
    this.add(
      'last run',
      last ? 'ok' : 'fail',
      last
        ? `a ${config.mode} run reported at ${last.toISOString()}`
        : `no ${config.mode} run reported in the last ${hours} hours: run the function once from the Lambda console, then its logs say why`,
    );
  }
}
