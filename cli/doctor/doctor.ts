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
import { checkEventPath } from './event-path';
import { checkChatChannels } from './chat-channels';
import { checkGuardRail } from './guard-rail';
import { checkMemberAccounts } from './members';
import { runEventProbe, type ProbeOptions, type ProbeTarget } from './probe';
import {
  checkAlarms,
  checkAlarmStates,
  checkDelivery,
  checkSubscriptions,
  sendTestNotification,
  type DoctorContext,
} from './notifications';
import { STACK_OUTPUTS, type StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * `account-janitor doctor`: says, row by row, whether a deployment works, with the credentials
 * that deployed it. It reads the stack's outputs, then each thing they name: the function and
 * its configuration, the schedule, the dead-letter queue, the topic's subscriptions, the alarms
 * and whether CloudWatch may publish to the topic (the same walk as the template tests, on the
 * live policies), the last run, and every target account through the member role. Nothing is
 * written, except two alarm state changes when a test notification is asked for.
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

export async function runDoctor(options: DoctorOptions, clients: AwsClients): Promise<DoctorReport> {
  return new DeploymentDoctor(options, clients).examine();
}

class DeploymentDoctor implements DoctorContext {
  private readonly rows: CheckRow[] = [];
  private readonly now: () => Date;

  public constructor(
    private readonly options: DoctorOptions,
    public readonly clients: AwsClients,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  public async examine(): Promise<DoctorReport> {
    const outputs = await this.step('stack', () => this.checkStack());
    if (outputs) {
      const config = await this.step('function', () => this.checkFunction(outputs));
      await this.step('schedule', () => this.checkSchedule(outputs));
      await this.step('dead-letter queue', () => this.checkDeadLetters(outputs));
      const confirmed = await this.step('subscriptions', () => checkSubscriptions(this, outputs));
      if (outputs.chatChannelArns) {
        await this.step('chat channels', async () => {
          this.rows.push(...(await checkChatChannels(this.clients, outputs)));
        });
      }
      const alarms = await this.step('alarms', () => checkAlarms(this, outputs));
      if (alarms) {
        await this.step('alarm delivery', () => checkDelivery(this, outputs, alarms));
        checkAlarmStates(this, alarms);
      }
      if (config) {
        await this.step('last run', () => this.checkLastRun(config));
        if (outputs.eventBusArn) {
          await this.step('event path', async () => {
            this.rows.push(await checkEventPath(this.clients, outputs, config));
          });
        }
        if (config.protectDefaultPath !== 'off') {
          await this.step('guard rail', async () => {
            this.rows.push(await checkGuardRail(this.clients, config, outputs));
          });
        }
        await this.step('member accounts', async () => {
          this.rows.push(
            ...(await checkMemberAccounts(this.clients, config, outputs, { trailSample: this.options.trailSample })),
          );
        });
      }
      const { probe } = this.options;
      if (probe && config) {
        await this.step('event probe', async () => {
          this.rows.push(await runEventProbe(this.clients, config, outputs, probe, this.options.probeOptions));
        });
      }
      if (this.options.sendTestNotification && alarms) {
        await this.step('test notification', () => sendTestNotification(this, outputs, alarms, confirmed ?? 0));
      }
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

  /** Runs one check; an AWS error becomes its failed row, with the code. */
  private async step<T>(check: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
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
