import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { SweepConfig } from '../../lambda/config/schema';
import {
  RESTORE_ENVIRONMENT_VARIABLES,
  RESTORE_SCHEDULE_PREFIX,
  RESTORE_SCHEDULER_ACTIONS,
} from '../../lambda/contract/restore-names';
import {
  RESTORE_EVENT_DETAIL_TYPE,
  RESTORE_EVENT_SOURCE,
  RESTORE_TRIGGER_DEFINITIONS,
  type RestoreTrigger,
} from '../../lambda/core/restore-triggers';
import { DEFAULT_INTAKE_LOG_RETENTION_DAYS } from '../deployment-settings';
import { janitorFunctionDefaults, janitorLogGroup } from './function-defaults';
import type { JanitorFunction } from './janitor-function';

/**
 * The restore triggers (restoreOn): a rule per trigger on the hub's bus, to the restore-trigger
 * function, which keeps each account's one-time restore schedule in the event path's group; and
 * what brings each trigger's events to that bus:
 * - control-tower, account-moved: a rule on the default bus of the stack's own account and region,
 *   forwarding to the hub's bus. Control Tower's lifecycle events are on the management account's
 *   default bus in the landing zone's home region, Organizations' MoveAccount in us-east-1 only: the
 *   rule hears them when the stack is deployed there. Deployed elsewhere (a tooling account, a
 *   delegated administrator), the same rule is made in the management account (docs/restore-
 *   triggers.md) and the bus admits the organization's forwarded `aws.controltower` /
 *   `aws.organizations` events; the function restores only those whose account is the
 *   management account (no one can put an `aws.` source with PutEvents).
 * - innovation-sandbox: a rule on Innovation Sandbox's bus (by its ARN: its policy must let this
 *   account manage rules there), forwarding AccountCleanupSucceeded through the janitor's own role.
 * - event: the bus lets restoreEventPrincipalArns put `account-janitor.restore` events, no one else.
 */

export interface RestoreTriggersProps {
  readonly config: SweepConfig;
  readonly sweep: JanitorFunction;
  /** The event path's bus (the hub's), its schedule group's name. */
  readonly bus: events.EventBus;
  readonly scheduleGroupName: string;
  readonly organizationId: string;
  readonly restoreOn: readonly RestoreTrigger[];
  readonly innovationSandboxEventBusArn?: string;
  readonly restoreEventPrincipalArns?: readonly string[];
}

export class RestoreTriggers extends Construct {
  public readonly function: nodejs.NodejsFunction;
  /** The rules on the hub's bus, by trigger. */
  public readonly rules: Partial<Record<RestoreTrigger, events.Rule>> = {};
  /** The role the forwarding rules (default bus, Innovation Sandbox's bus) put events on the hub's bus with. */
  public readonly forwardingRole?: iam.Role;

  public constructor(scope: Construct, id: string, props: RestoreTriggersProps) {
    super(scope, id);
    const { restoreOn, bus, sweep } = props;
    this.function = this.functionFor(props);
    for (const trigger of restoreOn) {
      this.rules[trigger] = new events.Rule(this, `${ruleId(trigger)}Rule`, {
        eventBus: bus,
        description: `account-janitor: restore trigger ${trigger}, to the restore-trigger function`,
        eventPattern: toCdkPattern(RESTORE_TRIGGER_DEFINITIONS[trigger].pattern),
        targets: [
          new eventTargets.LambdaFunction(this.function, {
            deadLetterQueue: sweep.deadLetterQueue,
            retryAttempts: 8,
            maxEventAge: Duration.hours(2),
          }),
        ],
      });
    }
    const lifecycle = restoreOn.filter((trigger) => RESTORE_TRIGGER_DEFINITIONS[trigger].fromManagementAccount);
    const forwarded = lifecycle.length > 0 || restoreOn.includes('innovation-sandbox');
    if (forwarded) {
      this.forwardingRole = new iam.Role(this, 'ForwardingRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
        description: 'account-janitor restore triggers: forwards their events to the hub bus',
      });
      bus.grantPutEventsTo(this.forwardingRole);
    }
    for (const trigger of lifecycle) {
      new events.Rule(this, `${ruleId(trigger)}Forwarder`, {
        description: `account-janitor: restore trigger ${trigger}, from this account's default bus to the hub bus`,
        eventPattern: toCdkPattern(RESTORE_TRIGGER_DEFINITIONS[trigger].pattern),
        // What EventBridge cannot put on the hub's bus (its policy, throttling) goes to the
        // dead-letter queue, whose alarm tells the operator, instead of being dropped after a day.
        targets: [
          new eventTargets.EventBus(bus, { role: this.forwardingRole, deadLetterQueue: sweep.deadLetterQueue }),
        ],
      });
    }
    if (restoreOn.includes('innovation-sandbox') && props.innovationSandboxEventBusArn && this.forwardingRole) {
      new events.CfnRule(this, 'InnovationSandboxForwarder', {
        eventBusName: props.innovationSandboxEventBusArn,
        description: 'account-janitor: Innovation Sandbox AccountCleanupSucceeded, to the janitor hub bus',
        eventPattern: RESTORE_TRIGGER_DEFINITIONS['innovation-sandbox'].pattern,
        state: 'ENABLED',
        targets: [{ id: 'HubBus', arn: bus.eventBusArn, roleArn: this.forwardingRole.roleArn }],
      });
    }
    addBusStatements(bus, restoreBusStatements(props, lifecycle));
  }

  private functionFor(props: RestoreTriggersProps): nodejs.NodejsFunction {
    const { sweep, scheduleGroupName } = props;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "account-janitor restore triggers: creates the accounts' one-time restore schedules",
    });
    const logGroup = janitorLogGroup(this, 'Logs', DEFAULT_INTAKE_LOG_RETENTION_DAYS);
    logGroup.grantWrite(role);
    const schedules = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${scheduleGroupName}/${RESTORE_SCHEDULE_PREFIX}*`;
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'RestoreSchedules',
          actions: [...RESTORE_SCHEDULER_ACTIONS],
          resources: [schedules],
        }),
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [sweep.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
        // The management account: an aws.controltower or aws.organizations event must come from it.
        new iam.PolicyStatement({
          sid: 'ManagementAccount',
          actions: ['organizations:DescribeOrganization'],
          resources: ['*'],
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${scheduleGroupName}/${RESTORE_SCHEDULE_PREFIX}*]`,
        reason: "One schedule per account, named restore-<account>, in the janitor's own group.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'organizations:DescribeOrganization takes no resource: * is the only resource it can be granted on.',
      },
    );
    return new nodejs.NodejsFunction(this, 'Function', {
      ...janitorFunctionDefaults('events/restore-trigger-handler', props.config, {
        [RESTORE_ENVIRONMENT_VARIABLES.restoreOn]: props.restoreOn.join(','),
        [RESTORE_ENVIRONMENT_VARIABLES.scheduleGroupName]: scheduleGroupName,
        [RESTORE_ENVIRONMENT_VARIABLES.sweepFunctionArn]: sweep.function.functionArn,
        [RESTORE_ENVIRONMENT_VARIABLES.schedulerRoleArn]: sweep.schedulerRole.roleArn,
        [RESTORE_ENVIRONMENT_VARIABLES.deadLetterQueueArn]: sweep.deadLetterQueue.queueArn,
        ...(props.innovationSandboxEventBusArn
          ? {
              [RESTORE_ENVIRONMENT_VARIABLES.innovationSandboxAccountId]:
                props.innovationSandboxEventBusArn.split(':')[4] ?? '',
            }
          : {}),
      }),
      timeout: Duration.seconds(30),
      memorySize: 256,
      // A flood of triggers waits in EventBridge's retries, as the intake's breaking calls do.
      reservedConcurrentExecutions: 2,
      role,
      logGroup,
      description: 'account-janitor: schedules the restore of one account after a restore trigger',
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(sweep.deadLetterQueue),
    });
  }
}

/**
 * Who may put the triggers' events on the hub's bus besides the organization's EC2 forwarders:
 * the restore event's principals, only that source and detail-type; and, forwarded from the
 * management account's default bus, Control Tower's and Organizations' events (principals of the
 * organization; only AWS puts an `aws.` source, and the function checks the event's account).
 */
export function restoreBusStatements(
  props: Pick<
    RestoreTriggersProps,
    'restoreEventPrincipalArns' | 'organizationId' | 'bus' | 'innovationSandboxEventBusArn' | 'restoreOn'
  >,
  lifecycle: readonly RestoreTrigger[],
): iam.PolicyStatement[] {
  // Its ARN from its name as written (a Ref of the bus in its own policy would be a cycle).
  const busArn = Stack.of(props.bus).formatArn({
    service: 'events',
    resource: 'event-bus',
    resourceName: (props.bus.node.defaultChild as events.CfnEventBus).name,
  });
  const onlyEvents = (sources: readonly string[], detailTypes: readonly string[]) => ({
    'ForAllValues:StringEquals': { 'events:source': [...sources], 'events:detail-type': [...new Set(detailTypes)] },
    Null: { 'events:source': 'false', 'events:detail-type': 'false' },
  });
  const statements: iam.PolicyStatement[] = [];
  const principals = props.restoreEventPrincipalArns ?? [];
  if (principals.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'RestoreEventPrincipals',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: {
          ArnLike: { 'aws:PrincipalArn': [...principals] },
          ...onlyEvents([RESTORE_EVENT_SOURCE], [RESTORE_EVENT_DETAIL_TYPE]),
        },
      }),
    );
  }
  const isbAccount = props.innovationSandboxEventBusArn?.split(':')[4];
  if (props.restoreOn.includes('innovation-sandbox') && isbAccount) {
    // A rule made in Innovation Sandbox's account itself (with a role of that account) forwards
    // its clean-ups too: the way when AWS does not take the janitor's rule there.
    const { source, detailType } = RESTORE_TRIGGER_DEFINITIONS['innovation-sandbox'];
    statements.push(
      new iam.PolicyStatement({
        sid: 'InnovationSandboxForwardsCleanups',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: { StringEquals: { 'aws:PrincipalAccount': isbAccount }, ...onlyEvents([source], [detailType]) },
      }),
    );
  }
  if (lifecycle.length > 0) {
    const definitions = lifecycle.map((trigger) => RESTORE_TRIGGER_DEFINITIONS[trigger]);
    statements.push(
      new iam.PolicyStatement({
        sid: 'ManagementAccountForwardsLifecycleEvents',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
          ...onlyEvents(
            definitions.map(({ source }) => source),
            definitions.map(({ detailType }) => detailType),
          ),
        },
      }),
    );
  }
  return statements;
}

/** Adds statements to the bus's own Policy property (the event path's, not a separate EventBusPolicy). */
function addBusStatements(bus: events.EventBus, statements: readonly iam.PolicyStatement[]): void {
  if (statements.length === 0) return;
  const cfnBus = bus.node.defaultChild as events.CfnEventBus;
  const current = (cfnBus.policy ?? { Version: '2012-10-17', Statement: [] }) as {
    Version: string;
    Statement: unknown[];
  };
  cfnBus.policy = {
    ...current,
    Statement: [...current.Statement, ...statements.map((statement) => statement.toStatementJson() as unknown)],
  };
}

function ruleId(trigger: RestoreTrigger): string {
  return trigger
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}

/** The pattern in CDK's shape (`detailType`), from EventBridge's (`detail-type`). */
function toCdkPattern(pattern: Readonly<Record<string, unknown>>): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, detailType } as events.EventPattern;
}
