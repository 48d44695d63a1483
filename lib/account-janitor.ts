import { GuardRail } from './constructs/guard-rail';
import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { STACK_OUTPUTS } from '../lambda/contract/stack-outputs';
import { DEFAULT_BATCH_SIZE } from '../lambda/contract/names';
import { DEFAULT_MAX_BATCHES_IN_FLIGHT, DEFAULT_SCHEDULE, DEFAULT_TIME_ZONE } from './deployment-settings';
import { Construct } from 'constructs';
import type { SweepConfig } from '../lambda/config/schema';
import { ROW_PARTS } from '../lambda/core/row-parts';
import type { AccountJanitorProps } from './account-janitor-props';
import { AccountJanitorPropsError, accountJanitorProblems, resolvedProps } from './account-janitor-rules';
import { defaultEventRegions, knownPartition } from './constructs/event-regions';
import { DistributedSweep } from './constructs/distributed-sweep';
import { EventDrivenRepair } from './constructs/event-driven-repair';
import { ChatChannels } from './constructs/chat-channels';
import { EventForwardingStackSet } from './constructs/event-forwarding-stack-set';
import { HtmlReports } from './constructs/html-reports';
import { JanitorAlarms } from './constructs/janitor-alarms';
import { FUNCTION_TIMEOUT, JanitorFunction } from './constructs/janitor-function';
import { JanitorNotifications } from './constructs/janitor-notifications';
import { MemberRoleStackSet } from './constructs/member-role-stack-set';
import { OrganizationLookup } from './constructs/organization-lookup';
import { RestoreTriggers } from './constructs/restore-triggers';

/**
 * account-janitor as one reusable construct: the scheduled sweep function, the member role in the
 * target accounts, the notifications topic, the alarms and the dashboard. Another CDK app can
 * import it; `AccountJanitorStack` composes it from CDK context. Its props are checked first
 * (`account-janitor-rules.ts`): props that break a rule throw AccountJanitorPropsError, naming them.
 */

type Resolved = ReturnType<typeof resolvedProps>;

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
  /** With restoreOn: the restore triggers' rules and function (on the event path's bus). */
  public readonly restoreTriggers?: RestoreTriggers;
  /** The members' half: the breaking-call forwarder StackSet (with the member role's). */
  public readonly eventForwarding?: EventForwardingStackSet;
  /** The guard rail's SCP, with protectDefaultPath=enforce. */
  public readonly guardRail?: GuardRail;
  /** With htmlReport: the bucket of the runs' HTML pages. */
  public readonly htmlReports?: HtmlReports;
  /** With slackChannels or teamsChannels: the chat channels' configurations. */
  public readonly chatChannels?: ChatChannels;

  /** @throws AccountJanitorPropsError when the props break a rule, before anything is built. */
  public constructor(scope: Construct, id: string, props: AccountJanitorProps) {
    super(scope, id);
    this.name = props.name ?? Stack.of(this).stackName;
    const problems = accountJanitorProblems(props, {
      name: this.name,
      partition: knownPartition(this),
      region: Stack.of(this).region,
    });
    if (problems.length > 0) throw new AccountJanitorPropsError(problems);
    this.alarmNamePrefix = `${this.name}_`;
    const resolved = resolvedProps(props);
    // The event path's bus admits one organization: the given one (checked at deploy time), or the
    // one the stack deploys in.
    const given = props.sweep.organizationId;
    const organization =
      given || resolved.eventDrivenRepair
        ? new OrganizationLookup(this, 'Organization', given ? { expectedOrganizationId: given } : {})
        : undefined;
    const sweep: SweepConfig = { ...props.sweep, organizationId: organization?.organizationId };
    this.organizationId = sweep.organizationId;
    this.notifications = new JanitorNotifications(this, 'Notifications', {
      emails: props.notificationEmails ?? [],
      alarmNamePrefix: this.alarmNamePrefix,
    });
    this.chatChannels = this.chatChannelsFor(props);
    this.sweepFunction = new JanitorFunction(this, 'Sweep', {
      config: sweep,
      schedule: props.schedule ?? DEFAULT_SCHEDULE,
      timeZone: props.timeZone ?? DEFAULT_TIME_ZONE,
      notificationTopic: this.notifications.topic,
    });
    this.distributed = this.distributedFor(props, sweep);
    this.sweepFunction.scheduleOn(this.distributed?.stateMachine);
    this.htmlReports = this.htmlReportsFor(props);
    this.memberRole = this.memberRoleFor(props, sweep, resolved);
    if (sweep.protectDefaultPath === 'enforce') {
      this.guardRail = new GuardRail(this, 'GuardRail', {
        config: sweep,
        targetOuIds: resolved.memberRoleTargetOuIds,
        exemptPrincipalArns: props.guardRailExemptPrincipalArns,
        name: this.name,
      });
    }
    if (resolved.eventDrivenRepair) {
      const eventPath = this.eventDrivenRepairFor(props, sweep, resolved);
      this.eventDrivenRepair = eventPath;
      if (resolved.deployMemberRole) this.eventForwarding = this.eventForwardingFor(props, sweep, resolved, eventPath);
      if (props.restoreOn?.length && sweep.organizationId) {
        this.restoreTriggers = new RestoreTriggers(this, 'RestoreTriggers', {
          ...props,
          restoreOn: props.restoreOn,
          config: sweep,
          sweep: this.sweepFunction,
          bus: eventPath.bus,
          scheduleGroupName: eventPath.scheduleGroup.scheduleGroupName,
          organizationId: sweep.organizationId,
        });
      }
    }
    this.alarms = new JanitorAlarms(this, 'Alarms', {
      function: this.sweepFunction.function,
      timeout: FUNCTION_TIMEOUT,
      deadLetterQueue: this.sweepFunction.deadLetterQueue,
      topic: this.notifications.topic,
      mode: sweep.mode,
      alarmNamePrefix: this.alarmNamePrefix,
      checksDefaultSubnets: ROW_PARTS.subnets.enabled(sweep),
      respectsResponders: sweep.respectPrincipals.length > 0 && sweep.mode === 'remediate',
      heartbeat: props.heartbeat,
      intakeFunction: this.eventDrivenRepair?.intake,
      stateMachine: this.distributed?.stateMachine,
    });
    this.addDoctorOutputs(props.stackSetCallAs);
  }

  private chatChannelsFor(props: AccountJanitorProps): ChatChannels | undefined {
    if ((props.slackChannels?.length ?? 0) + (props.teamsChannels?.length ?? 0) === 0) return undefined;
    return new ChatChannels(this, 'ChatChannels', {
      topic: this.notifications.topic,
      slack: props.slackChannels ?? [],
      teams: props.teamsChannels ?? [],
      name: this.name,
      alarmNamePrefix: this.alarmNamePrefix,
    });
  }

  private distributedFor(props: AccountJanitorProps, sweep: SweepConfig): DistributedSweep | undefined {
    if (props.fanOut !== 'distributed') return undefined;
    return new DistributedSweep(this, 'Distributed', {
      config: sweep,
      sweep: this.sweepFunction,
      notificationTopic: this.notifications.topic,
      batchSize: props.batchSize ?? DEFAULT_BATCH_SIZE,
      maxBatchesInFlight: props.maxBatchesInFlight ?? DEFAULT_MAX_BATCHES_IN_FLIGHT,
    });
  }

  private htmlReportsFor(props: AccountJanitorProps): HtmlReports | undefined {
    if (!props.htmlReport) return undefined;
    return new HtmlReports(this, 'HtmlReports', {
      functions: [this.sweepFunction.function, ...(this.distributed ? [this.distributed.function] : [])],
      role: this.sweepFunction.role,
      bucket: this.distributed?.bucket,
    });
  }

  private memberRoleFor(props: AccountJanitorProps, sweep: SweepConfig, resolved: Resolved) {
    if (!resolved.deployMemberRole) return undefined;
    return new MemberRoleStackSet(this, 'MemberRole', {
      hubRole: this.sweepFunction.role,
      config: sweep,
      targetOuIds: resolved.memberRoleTargetOuIds,
      callAs: props.stackSetCallAs,
      operatorPrincipalArns: props.operatorPrincipalArns,
      operatorWritePrincipalArns: props.operatorWritePrincipalArns,
      eventPath: resolved.eventDrivenRepair,
      eventProbe: resolved.eventProbe,
    });
  }

  private eventDrivenRepairFor(props: AccountJanitorProps, sweep: SweepConfig, resolved: Resolved) {
    return new EventDrivenRepair(this, 'EventDrivenRepair', {
      config: sweep,
      sweep: this.sweepFunction,
      name: this.name,
      quietPeriod: resolved.quietPeriod,
      maxQuietPeriod: props.maxQuietPeriod,
      intakeLogRetention: props.intakeLogRetention,
      intakeConcurrency: props.intakeConcurrency,
    });
  }

  private eventForwardingFor(
    props: AccountJanitorProps,
    sweep: SweepConfig,
    resolved: Resolved,
    eventPath: EventDrivenRepair,
  ): EventForwardingStackSet {
    const { regions } = sweep;
    return new EventForwardingStackSet(this, 'EventForwarding', {
      config: sweep,
      bus: eventPath.bus,
      targetOuIds: resolved.memberRoleTargetOuIds,
      regions: props.eventRegions ?? (regions === 'all' ? defaultEventRegions(this) : regions),
      callAs: props.stackSetCallAs,
    });
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
      // One id, or two comma-separated when the guard rail is split.
      guardRailPolicyId: this.guardRail
        ? Fn.join(
            ',',
            this.guardRail.policies.map((policy) => policy.attrId),
          )
        : undefined,
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
