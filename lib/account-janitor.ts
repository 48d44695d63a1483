import { GuardRail } from './constructs/guard-rail';
import { CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import { STACK_OUTPUTS } from '../lambda/contract/stack-outputs';
import { DEFAULT_BATCH_SIZE, DEFAULT_QUIET_PERIOD_SECONDS } from '../lambda/contract/names';
import { DEFAULT_MAX_BATCHES_IN_FLIGHT, DEFAULT_SCHEDULE, DEFAULT_TIME_ZONE } from './deployment-settings';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { checksDefaultSubnets, type SweepConfig } from '../lambda/config/schema';
import { defaultEventRegions } from './constructs/event-regions';
import { DistributedSweep } from './constructs/distributed-sweep';
import { EventDrivenRepair } from './constructs/event-driven-repair';
import { ChatChannels, type SlackChannel, type TeamsChannel } from './constructs/chat-channels';
import { EventForwardingStackSet } from './constructs/event-forwarding-stack-set';
import { HtmlReports } from './constructs/html-reports';
import { JanitorAlarms } from './constructs/janitor-alarms';
import { FUNCTION_TIMEOUT, JanitorFunction } from './constructs/janitor-function';
import { JanitorNotifications } from './constructs/janitor-notifications';
import { MemberRoleStackSet } from './constructs/member-role-stack-set';
import { OrganizationLookup } from './constructs/organization-lookup';

/**
 * account-janitor as one reusable construct: the scheduled sweep function, the member role in the
 * target accounts, the notifications topic, the alarms and the dashboard. Another CDK app can
 * import it; `AccountJanitorStack` composes it from CDK context.
 */

export interface AccountJanitorProps {
  /** What to sweep: the same configuration as the CLI's and the handler's. */
  readonly sweep: SweepConfig;
  /** EventBridge Scheduler expression (default `cron(0 3 * * ? *)`: nightly at 03:00). */
  readonly schedule?: string;
  /** IANA time zone of the schedule (default `UTC`). */
  readonly timeZone?: string;
  readonly notificationEmails?: readonly string[];
  /** Deploy the member role with a service-managed StackSet (else deploy it yourself). */
  readonly deployMemberRole?: boolean;
  /** OUs that get the member role; required when `deployMemberRole`. */
  readonly memberRoleTargetOuIds?: readonly string[];
  /** How the StackSet is called: from the management account, or a delegated administrator. */
  readonly stackSetCallAs?: 'SELF' | 'DELEGATED_ADMIN';
  /** Roles the read-only member role trusts: operators who run the CLI's `--dry-run` or `doctor`. */
  readonly operatorPrincipalArns?: readonly string[];
  /** Roles the write member role trusts too (never as the janitor's session): operators who repair with the CLI. */
  readonly operatorWritePrincipalArns?: readonly string[];
  /** With protectDefaultPath=enforce: principals the guard rail lets through (break-glass, responders; ARN patterns). */
  readonly guardRailExemptPrincipalArns?: readonly string[];
  /**
   * Repair within minutes of a breaking call: the member accounts forward CloudTrail's events of
   * the calls that break the default path to a bus of the hub (default true). The bus accepts
   * events from `sweep.organizationId` only; left out, it is read at deploy time
   * (DescribeOrganization, a custom resource).
   */
  readonly eventDrivenRepair?: boolean;
  /**
   * Let `account-janitor doctor --probe` prove the event path: the member role may create a route
   * table tagged account-janitor:probe, add and delete a route in it, and delete it (default false).
   */
  readonly eventProbe?: boolean;
  /** The longest a stream of breaking calls may put a repair off, from the first (default 4 × quietPeriod). */
  readonly maxQuietPeriod?: Duration;
  /** The event intake's reserved concurrency (default 5): what a flood of breaking calls can take. */
  readonly intakeConcurrency?: number;
  /** Days the event intake's logs (callers' source IPs and user agents) are kept (default 90). */
  readonly intakeLogRetention?: logs.RetentionDays;
  /** How long an account-region must be free of breaking calls before its repair (default 5 minutes). */
  readonly quietPeriod?: Duration;
  /**
   * Where breaking calls are forwarded from: default the configured regions, or with `regions: all`
   * the regions enabled by default in the stack's partition (DEFAULT_EVENT_REGIONS_BY_PARTITION).
   */
  readonly eventRegions?: readonly string[];
  /**
   * `single` (default): one function sweeps the organization. `distributed`: a Step Functions
   * state machine plans once, sweeps batches of `batchSize` accounts in parallel
   * (`maxBatchesInFlight`), and merges: for organizations one 15-minute invocation cannot finish.
   */
  readonly fanOut?: 'single' | 'distributed';
  /** With `distributed`: accounts per batch (default 100). */
  readonly batchSize?: number;
  /** With `distributed`: batches at once (default 20). */
  readonly maxBatchesInFlight?: number;
  /** How long without a run before the heartbeat alarm fires (default 26 hours). */
  readonly heartbeat?: Duration;
  /**
   * Write each nightly (and manual) run's HTML report (one self-contained page: a heatmap of
   * accounts × regions, then what needs attention) to S3; the digest names its S3 URI. Default
   * false. With fanOut=distributed the run bucket holds the pages; otherwise a bucket of its own.
   */
  readonly htmlReport?: boolean;
  /**
   * Slack channels (AWS Chatbot) that get the alarms and the digest, read-only; the workspace is
   * authorized once in Chatbot's console. The `aws` partition only.
   */
  readonly slackChannels?: readonly SlackChannel[];
  /** Microsoft Teams channels, the same way. */
  readonly teamsChannels?: readonly TeamsChannel[];
  /**
   * Names the alarms `<name>_<alarm>` (e.g. `AccountJanitor_DriftDetected`); default: the stack's
   * name. Letters, digits and dashes, as a stack name: the `_` then cannot occur in the name, so no
   * other janitor's alarms share the prefix (the topic and key policies allow exactly it). Give
   * each AccountJanitor of one account a name of its own.
   */
  readonly name?: string;
}

export class AccountJanitor extends Construct {
  /** Prefix of its alarm names (with a dash), and what `account-janitor doctor` looks for. */
  public readonly name: string;
  /** `<name>_`: every alarm's name starts with it. */
  public readonly alarmNamePrefix: string;
  public readonly sweepFunction: JanitorFunction;
  public readonly notifications: JanitorNotifications;
  public readonly memberRole?: MemberRoleStackSet;
  public readonly alarms: JanitorAlarms;
  /** The state machine and its function, with `fanOut: 'distributed'`. */
  public readonly distributed?: DistributedSweep;
  /**
   * The organization the hub's bus admits and the function checks itself against: the sweep's
   * organizationId, or (with the event path and none given) a token read at deploy time.
   */
  public readonly organizationId: string | undefined;
  /** The hub's half of the event-driven repair, unless it is switched off. */
  public readonly eventDrivenRepair?: EventDrivenRepair;
  /** The members' half: the breaking-call forwarder StackSet (with the member role's). */
  public readonly eventForwarding?: EventForwardingStackSet;
  /** The guard rail's SCP, with protectDefaultPath=enforce. */
  public readonly guardRail?: GuardRail;
  /** With htmlReport: the bucket of the runs' HTML pages. */
  public readonly htmlReports?: HtmlReports;
  /** With slackChannels or teamsChannels: the chat channels' configurations. */
  public readonly chatChannels?: ChatChannels;

  public constructor(scope: Construct, id: string, props: AccountJanitorProps) {
    super(scope, id);
    this.name = props.name ?? Stack.of(this).stackName;
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(this.name)) {
      throw new Error(
        `AccountJanitor name ${JSON.stringify(this.name)}: must be letters, digits and dashes, as a stack name`,
      );
    }
    this.alarmNamePrefix = `${this.name}_`;
    // The event path's bus admits one organization: the given one (checked at deploy time), or the
    // one the stack deploys in.
    const eventDrivenRepair = props.eventDrivenRepair ?? true;
    const given = props.sweep.organizationId;
    const organization =
      given || eventDrivenRepair
        ? new OrganizationLookup(this, 'Organization', given ? { expectedOrganizationId: given } : {})
        : undefined;
    const sweep: SweepConfig = { ...props.sweep, organizationId: organization?.organizationId };
    const deployMemberRole = props.deployMemberRole ?? true;
    const memberRoleOus = props.memberRoleTargetOuIds?.length ? props.memberRoleTargetOuIds : sweep.targetOuIds;
    if (deployMemberRole && memberRoleOus.length === 0) {
      throw new Error(
        'AccountJanitor: memberRoleTargetOuIds is required when the member role is deployed and the targets name no OU',
      );
    }
    this.organizationId = sweep.organizationId;
    const { alarmNamePrefix } = this;
    this.notifications = new JanitorNotifications(this, 'Notifications', {
      emails: props.notificationEmails ?? [],
      alarmNamePrefix,
    });
    if ((props.slackChannels?.length ?? 0) + (props.teamsChannels?.length ?? 0) > 0) {
      this.chatChannels = new ChatChannels(this, 'ChatChannels', {
        topic: this.notifications.topic,
        slack: props.slackChannels ?? [],
        teams: props.teamsChannels ?? [],
        name: this.name,
        alarmNamePrefix,
      });
    }
    this.sweepFunction = new JanitorFunction(this, 'Sweep', {
      config: sweep,
      schedule: props.schedule ?? DEFAULT_SCHEDULE,
      timeZone: props.timeZone ?? DEFAULT_TIME_ZONE,
      notificationTopic: this.notifications.topic,
    });
    if (props.fanOut === 'distributed') {
      this.distributed = new DistributedSweep(this, 'Distributed', {
        config: sweep,
        sweep: this.sweepFunction,
        notificationTopic: this.notifications.topic,
        batchSize: props.batchSize ?? DEFAULT_BATCH_SIZE,
        maxBatchesInFlight: props.maxBatchesInFlight ?? DEFAULT_MAX_BATCHES_IN_FLIGHT,
      });
    }
    this.sweepFunction.scheduleOn(this.distributed?.stateMachine);
    if (props.htmlReport) {
      this.htmlReports = new HtmlReports(this, 'HtmlReports', {
        functions: [this.sweepFunction.function, ...(this.distributed ? [this.distributed.function] : [])],
        role: this.sweepFunction.role,
        bucket: this.distributed?.bucket,
      });
    }
    if (deployMemberRole) {
      this.memberRole = new MemberRoleStackSet(this, 'MemberRole', {
        hubRole: this.sweepFunction.role,
        config: sweep,
        targetOuIds: memberRoleOus,
        callAs: props.stackSetCallAs,
        operatorPrincipalArns: props.operatorPrincipalArns,
        operatorWritePrincipalArns: props.operatorWritePrincipalArns,
        eventPath: eventDrivenRepair,
        eventProbe: props.eventProbe ?? false,
      });
    }
    if (sweep.protectDefaultPath === 'enforce') {
      this.guardRail = new GuardRail(this, 'GuardRail', {
        config: sweep,
        targetOuIds: memberRoleOus,
        exemptPrincipalArns: props.guardRailExemptPrincipalArns,
        name: this.name,
      });
    }
    if (eventDrivenRepair) {
      this.eventDrivenRepair = new EventDrivenRepair(this, 'EventDrivenRepair', {
        config: sweep,
        sweep: this.sweepFunction,
        name: this.name,
        quietPeriod: props.quietPeriod ?? Duration.seconds(DEFAULT_QUIET_PERIOD_SECONDS),
        maxQuietPeriod: props.maxQuietPeriod,
        intakeLogRetention: props.intakeLogRetention,
        intakeConcurrency: props.intakeConcurrency,
      });
      if (deployMemberRole) {
        const { regions } = sweep;
        this.eventForwarding = new EventForwardingStackSet(this, 'EventForwarding', {
          config: sweep,
          bus: this.eventDrivenRepair.bus,
          targetOuIds: memberRoleOus,
          regions: props.eventRegions ?? (regions === 'all' ? defaultEventRegions(this) : regions),
          callAs: props.stackSetCallAs,
        });
      }
    }
    this.alarms = new JanitorAlarms(this, 'Alarms', {
      function: this.sweepFunction.function,
      timeout: FUNCTION_TIMEOUT,
      deadLetterQueue: this.sweepFunction.deadLetterQueue,
      topic: this.notifications.topic,
      mode: sweep.mode,
      alarmNamePrefix,
      checksDefaultSubnets: checksDefaultSubnets(sweep),
      heartbeat: props.heartbeat,
      intakeFunction: this.eventDrivenRepair?.intake,
      stateMachine: this.distributed?.stateMachine,
    });
    this.addDoctorOutputs(props.stackSetCallAs);
  }

  /**
   * What `account-janitor doctor` reads to find the rest of the deployment: stack outputs under
   * the keys of STACK_OUTPUTS (one AccountJanitor per stack, so the keys are the stack's).
   */
  private addDoctorOutputs(stackSetCallAs: AccountJanitorProps['stackSetCallAs']): void {
    const { sweepFunction, notifications, alarms, memberRole, eventDrivenRepair, eventForwarding, distributed } = this;
    const outputs: Record<keyof typeof STACK_OUTPUTS, string | undefined> = {
      functionName: sweepFunction.function.functionName,
      hubRoleArn: sweepFunction.role.roleArn,
      notificationTopicArn: notifications.topic.topicArn,
      dashboardName: alarms.dashboard.dashboardName,
      scheduleName: sweepFunction.schedule.scheduleName,
      scheduleGroupName: 'default',
      deadLetterQueueUrl: sweepFunction.deadLetterQueue.queueUrl,
      deadLetterQueueArn: sweepFunction.deadLetterQueue.queueArn,
      alarmNamePrefix: this.alarmNamePrefix,
      memberRoleStackSetName: memberRole?.stackSet.stackSetName,
      stackSetCallAs: memberRole ? (stackSetCallAs ?? 'SELF') : undefined,
      eventBusArn: eventDrivenRepair?.bus.eventBusArn,
      repairScheduleGroupName: eventDrivenRepair?.scheduleGroup.scheduleGroupName,
      intakeFunctionName: eventDrivenRepair?.intake.functionName,
      eventForwardingStackSetName: eventForwarding?.stackSet.stackSetName,
      stateMachineArn: distributed?.stateMachine.stateMachineArn,
      runBucketName: distributed?.bucket.bucketName,
      guardRailPolicyId: this.guardRail?.policy.attrId,
      htmlReportBucketName: this.htmlReports?.bucket.bucketName,
      chatChannelArns: this.chatChannels ? Fn.join(',', this.chatChannels.configurationArns) : undefined,
    };
    for (const [key, value] of Object.entries(outputs)) {
      if (value === undefined) continue;
      const name = STACK_OUTPUTS[key as keyof typeof STACK_OUTPUTS];
      new CfnOutput(this, name, { value }).overrideLogicalId(name);
    }
  }
}
