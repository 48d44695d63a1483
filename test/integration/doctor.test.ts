import {
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DeleteStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import {
  DescribeEventBusCommand,
  DisableRuleCommand,
  ListTargetsByRuleCommand,
  PutPermissionCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { runCli } from '../../cli/cli';
import { CLOUDTRAIL_DETAIL_TYPE } from '../../lambda/core/breaking-call-pattern';
import type { DoctorReport } from '../../cli/doctor/checks';
import { unqualifiedFunctionArn } from '../../cli/doctor/checks';
import { AWS_MESSAGES } from '../support/aws-proxy';
import { capturedIo } from '../support/cli-io';
import { doctorJson, rowOf } from '../support/doctor-cli';
import { DeploymentFixture, HUB_ACCOUNT, STACK_NAME, type Deployment } from '../support/deployment-fixture';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';
import type { CfnTemplate } from '../support/template-walk';

/**
 * `account-janitor doctor` against a deployment made in moto the way the synthesized template
 * would make it, healthy and then broken in each way it must report. What moto does not enforce
 * (the topic and key policies, a member role that does not trust the caller) is put in the
 * deployment or replayed through the proxy with AWS's own messages.
 */

let emulator: Emulator;
let deployer: DeploymentFixture;
let ouId: string;
let rootId: string;
let accounts: Record<'alpha' | 'beta', string>;
let organizationId: string;

beforeEach(async () => {
  emulator = await freshEmulator();
  ({ rootId, ouId, accounts } = await emulator.fixture.createSandboxOu(['alpha', 'beta'], ['us-east-1']));
  ({ organizationId } = await emulator.fixture.describeOrganization());
  // As an organization trail looks from each member account: EventBridge needs one.
  for (const account of Object.values(accounts)) await emulator.fixture.recordManagementEvents(account, 'us-east-1');
  deployer = new DeploymentFixture(motoUrl(), emulator.proxy.url);
});

afterEach(async () => {
  deployer.destroy();
  await emulator.close();
});

const template = (context: Record<string, unknown> = {}): CfnTemplate =>
  DeploymentFixture.synthesize({
    targetOuIds: ouId,
    organizationId,
    regions: 'us-east-1',
    notificationEmails: 'ops@example.com',
    ...context,
  });

const doctor = doctorJson;

const row = rowOf;
const failed = (report: DoctorReport) => report.rows.filter((item) => item.status === 'fail').map((item) => item.check);

test('fanOut=distributed: the schedule is checked against the state machine it starts', async () => {
  const deployment = await deployer.deploy(template({ fanOut: 'distributed' }));
  const { report } = await doctor();
  expect(row(report, 'schedule')).toMatchObject({
    status: 'ok',
    detail: expect.stringContaining('targets the state machine') as unknown,
  });
  expect(deployment.alarmNames).toContain('AccountJanitor_DistributedRunFailed');
  expect(failed(report)).toEqual([]);
});

describe('a healthy deployment', () => {
  let deployment: Deployment;
  beforeEach(async () => {
    deployment = await deployer.deploy(template());
  });

  test('every check passes, row by row, exit 0, and nothing is written', async () => {
    emulator.proxy.clear();
    const { code, report } = await doctor();

    expect(report.rows.map((item) => `${item.check}: ${item.status}`)).toEqual([
      'stack: ok',
      'function: ok',
      'schedule: ok',
      'dead-letter queue: ok',
      'subscriptions: ok',
      'alarms: ok',
      'alarm delivery: ok',
      'alarm states: ok',
      'last run: ok',
      'event path: ok',
      'organization: ok',
      'member accounts: ok',
      'service control policies: ok',
      'declarative policies: ok',
      'member role trust: ok',
    ]);
    expect(code).toBe(0);
    expect(row(report, 'subscriptions')?.detail).toBe('1 confirmed: email ops@example.com');
    expect(row(report, 'alarms')?.detail).toBe(`${deployment.alarmNames.length} alarms notify the topic`);
    expect(row(report, 'alarm delivery')?.detail).toBe(
      `the topic policy and the key policy let CloudWatch publish for all ${deployment.alarmNames.length} alarms`,
    );
    expect(row(report, 'member accounts')?.detail).toBe(
      '2 of 2 target accounts: read-only role assumed, EC2 read in us-east-1, StackSet instance CURRENT, event forwarder CURRENT, a trail of write management events in every event region (every account)',
    );
    expect(row(report, 'event path')?.detail).toMatch(
      new RegExp(
        `^AccountJanitor-breaking-calls takes breaking calls from ${organizationId} only; rule \\S+ → the intake's queue → the intake \\(14 calls\\); 0 quiet periods pending in AccountJanitor-repairs$`,
      ),
    );
    // Reads only (REST reads are GETs), and the AssumeRole of each member account (by the member
    // accounts' check, then the member roles' trust check).
    const writes = emulator.proxy.requests.filter((request) => !/^(Describe|Get|List|GET )/.test(request.action));
    expect(writes.map((request) => `${request.service}:${request.action}`)).toEqual(
      Array.from({ length: 4 }, () => 'sts:AssumeRole'),
    );
    // Through the read-only role, as an operator: never the write role, never the janitor's session.
    expect(
      new Set(
        writes.map(
          (request) => `${request.params.get('RoleArn')?.split('/')[1]} ${request.params.get('RoleSessionName')}`,
        ),
      ),
    ).toEqual(new Set(['AccountJanitorReadOnlyRole account-janitor-operator']));
  });

  test('--send-test-notification sets one alarm to ALARM and back', async () => {
    emulator.proxy.clear();
    const { code, report } = await doctor('--send-test-notification');
    expect(code).toBe(0);
    expect(row(report, 'test notification')).toEqual({
      check: 'test notification',
      status: 'ok',
      detail: `set ${STACK_NAME}_DeadLetters to ALARM and back to OK: the alarm should reach the 1 confirmed subscription (e-mails, chat channels) within a minute`,
    });
    expect(emulator.proxy.count({ service: 'monitoring', action: 'SetAlarmState' })).toBe(2);
    const { MetricAlarms: alarms } = await deployer.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [`${STACK_NAME}_DeadLetters`] }),
    );
    expect(alarms?.[0]).toMatchObject({
      StateValue: 'OK',
      StateReason: 'Test notification from account-janitor doctor: state restored.',
    });
  });

  test('--send-test-notification goes only through the dead-letter alarm: firing already, it goes through OK and back to ALARM', async () => {
    await deployer.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: `${STACK_NAME}_DeadLetters`, StateValue: 'ALARM', StateReason: 'real' }),
    );
    emulator.proxy.clear();
    const { report } = await doctor('--send-test-notification');
    expect(row(report, 'test notification')?.detail).toMatch(
      new RegExp(`^set ${STACK_NAME}_DeadLetters to ALARM \\(through OK\\) and left it in ALARM`),
    );
    const changed = emulator.proxy.requests
      .filter((request) => request.action === 'SetAlarmState')
      .map((request) => JSON.parse(request.body) as { AlarmName: string; StateValue: string })
      .map((request) => `${request.AlarmName} ${request.StateValue}`);
    expect(changed).toEqual([`${STACK_NAME}_DeadLetters OK`, `${STACK_NAME}_DeadLetters ALARM`]);
  });

  test('--send-test-notification refuses when the dead-letter alarm acts on anything but the topic (it would fire that too)', async () => {
    const [alarm] =
      (await deployer.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [`${STACK_NAME}_DeadLetters`] })))
        .MetricAlarms ?? [];
    const reboot = 'arn:aws:automate:us-east-1:ec2:reboot';
    await deployer.cloudWatch.send(
      new PutMetricAlarmCommand({
        ...(alarm as PutMetricAlarmCommandInput),
        AlarmName: `${STACK_NAME}_DeadLetters`,
        OKActions: [reboot],
      }),
    );
    emulator.proxy.clear();
    const { code, report } = await doctor('--send-test-notification');
    expect(code).toBe(1);
    expect(row(report, 'test notification')).toEqual({
      check: 'test notification',
      status: 'fail',
      detail: `refused: ${STACK_NAME}_DeadLetters also acts on ${reboot}; a test notification changes its state, which would fire that too. Nothing was sent`,
    });
    expect(emulator.proxy.count({ action: 'SetAlarmState' })).toBe(0);
  });

  test('the table for a person: one line per check, and the verdict', async () => {
    const output = capturedIo();
    expect(await runCli(['node', 'account-janitor', 'doctor'], output.io)).toBe(0);
    const text = output.stdout();
    expect(text).toMatch(
      /^account-janitor doctor: stack AccountJanitor in us-east-1\n\nCHECK +STATUS +DETAIL\nstack +ok +AccountJanitor CREATE_COMPLETE/,
    );
    expect(text).toMatch(/\nThe deployment AccountJanitor works\.\n$/);
  });
});

describe('a broken deployment: each fault is a failed row and exit 1', () => {
  test('no stack of that name', async () => {
    await deployer.deploy(template());
    const { code, report } = await doctor('--stack-name', 'Elsewhere');
    expect(code).toBe(1);
    expect(report.rows).toEqual([
      { check: 'stack', status: 'fail', detail: 'no stack Elsewhere in us-east-1 (see --stack-name and AWS_REGION)' },
    ]);
  });

  test('a topic policy with only the TLS deny (the bug this issue fixed): no alarm can deliver', async () => {
    const broken = template();
    for (const resource of Object.values(broken.Resources)) {
      if (resource.Type !== 'AWS::SNS::TopicPolicy') continue;
      const document = resource.Properties?.['PolicyDocument'] as { Statement: { Sid?: string }[] };
      document.Statement = document.Statement.filter((statement) => statement.Sid !== 'CloudWatchAlarmsPublish');
    }
    await deployer.deploy(broken);
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(failed(report)).toEqual(['alarm delivery']);
    expect(row(report, 'alarm delivery')?.detail).toMatch(
      /^alarm AccountJanitor_\w+: the topic policy of arn:aws:sns:us-east-1:123456789012:\w+ allows cloudwatch.amazonaws.com no sns:Publish .*; and \d+ more$/,
    );
  });

  test('a disabled schedule, a dead letter waiting, no subscription, no run for two days, an alarm firing', async () => {
    const broken = template();
    for (const resource of Object.values(broken.Resources)) {
      if (resource.Type === 'AWS::Scheduler::Schedule' && resource.Properties)
        resource.Properties['State'] = 'DISABLED';
    }
    const deployment = await deployer.deploy(broken, {
      subscribe: false,
      heartbeatAt: new Date(Date.now() - 2 * 86_400_000),
    });
    await deployer.sqs.send(
      new SendMessageCommand({ QueueUrl: deployment.outputs['DeadLetterQueueUrl'], MessageBody: '{}' }),
    );
    await deployer.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: `${STACK_NAME}_DriftDetected`, StateValue: 'ALARM', StateReason: 'test' }),
    );

    const { code, report } = await doctor();

    expect(code).toBe(1);
    expect(failed(report)).toEqual(['schedule', 'dead-letter queue', 'subscriptions', 'alarm states', 'last run']);
    expect(row(report, 'schedule')?.detail).toBe('it is DISABLED: no run will start');
    expect(row(report, 'dead-letter queue')?.detail).toMatch(/^1 failed invocation waiting/);
    expect(row(report, 'subscriptions')?.detail).toBe(
      'none: nobody gets the alarms; set notificationEmails and deploy again',
    );
    expect(row(report, 'alarm states')?.detail).toMatch(`in ALARM: ${STACK_NAME}_DriftDetected`);
    expect(row(report, 'last run')?.detail).toMatch(/^no remediate run reported in the last 26 hours/);
  });

  test('an e-mail subscription nobody confirmed (SNS lists it as PendingConfirmation)', async () => {
    const deployment = await deployer.deploy(template());
    const topicArn = deployment.outputs['NotificationTopicArn'];
    emulator.proxy.inject({
      match: { service: 'sns', action: 'ListSubscriptionsByTopic' },
      reply:
        '<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult><Subscriptions>' +
        `<member><TopicArn>${topicArn}</TopicArn><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation</SubscriptionArn><Owner>${HUB_ACCOUNT}</Owner><Endpoint>ops@example.com</Endpoint></member>` +
        '</Subscriptions></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>',
    });
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(failed(report)).toEqual(['subscriptions']);
    expect(row(report, 'subscriptions')?.detail).toBe(
      'none confirmed: nobody gets the alarms; confirm the e-mail AWS sent to email ops@example.com',
    );
  });

  test('an alarm whose actions were switched off or emptied does not notify the topic', async () => {
    await deployer.deploy(template());
    const name = `${STACK_NAME}_RepairsFailed`;
    const { MetricAlarms: alarms } = await deployer.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    const alarm = alarms?.[0];
    await deployer.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        MetricName: alarm?.MetricName,
        Namespace: alarm?.Namespace,
        Dimensions: alarm?.Dimensions,
        Statistic: alarm?.Statistic,
        Period: alarm?.Period,
        EvaluationPeriods: alarm?.EvaluationPeriods,
        Threshold: alarm?.Threshold,
        ComparisonOperator: alarm?.ComparisonOperator,
        AlarmActions: [],
      }),
    );
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(failed(report)).toEqual(['alarms']);
    expect(row(report, 'alarms')?.detail).toMatch(new RegExp(`^1 of \\d+ alarms do not notify the topic: ${name}$`));
  });

  test('a schedule that targets another function', async () => {
    const deployment = await deployer.deploy(template());
    const [scheduleId] = deployment.resolved.ofType('AWS::Scheduler::Schedule').map(([id]) => id);
    const current = await deployer.scheduler.send(new GetScheduleCommand({ Name: scheduleId }));
    const elsewhere = `arn:aws:lambda:us-east-1:${HUB_ACCOUNT}:function:someone-elses`;
    await deployer.scheduler.send(
      new UpdateScheduleCommand({
        Name: String(scheduleId),
        ScheduleExpression: current.ScheduleExpression,
        ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
        State: current.State,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { ...current.Target, Arn: elsewhere } as never,
      }),
    );
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(failed(report)).toEqual(['schedule']);
    expect(row(report, 'schedule')?.detail).toBe(`it targets ${elsewhere}, not the function`);
  });

  test('a function whose configuration does not parse, named as the handler would', async () => {
    const deployment = await deployer.deploy(template());
    await deployer.changeFunctionEnvironment(deployment, { JANITOR_CONCURRENCY: '0' });
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(row(report, 'function')).toEqual({
      check: 'function',
      status: 'fail',
      detail: 'invalid Lambda environment: JANITOR_CONCURRENCY 0: must be a whole number from 1 to 256',
    });
  });

  test('member accounts: a role that refuses, a role that cannot read, an account without its StackSet instance', async () => {
    await deployer.deploy(template());
    const late = await emulator.fixture.createAccount('late', ouId, rootId);
    await emulator.fixture.provisionDefaultNetwork(late, 'us-east-1');
    await emulator.fixture.recordManagementEvents(late, 'us-east-1');
    emulator.proxy.inject({
      match: { service: 'sts', action: 'AssumeRole' },
      when: (request) => request.params.get('RoleArn')?.includes(accounts.alpha) ?? false,
      code: 'AccessDenied',
      status: 403,
      message: AWS_MESSAGES.assumeRoleDenied(
        `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/Admin/me`,
        `arn:aws:iam::${accounts.alpha}:role/AccountJanitorReadOnlyRole`,
      ),
    });
    emulator.proxy.inject({
      match: { service: 'ec2', accountId: accounts.beta },
      code: 'UnauthorizedOperation',
      status: 403,
      message: (request) => AWS_MESSAGES.noIdentityPolicy(request),
    });

    const { code, report } = await doctor();

    expect(code).toBe(1);
    expect(row(report, 'member accounts')).toEqual({
      check: 'member accounts',
      status: 'fail',
      detail:
        '0 of 3 target accounts: read-only role assumed, EC2 read in us-east-1, StackSet instance CURRENT, event forwarder CURRENT, a trail of write management events in every event region (every account)',
    });
    expect(row(report, `account ${accounts.alpha} (alpha)`)?.detail).toBe(
      'AssumeRole AccountJanitorReadOnlyRole failed: AccessDenied',
    );
    expect(row(report, `account ${accounts.beta} (beta)`)?.detail).toBe(
      'ec2:DescribeRegions in us-east-1 failed: UnauthorizedOperation',
    );
    expect(row(report, `account ${late} (late)`)?.detail).toBe(
      'no StackSet instance (is it in the target OUs?); no StackSet instance of the event forwarder: breaking calls there wait for the nightly sweep',
    );
  });

  test('a member role that does not trust the caller anywhere is a warning (doctor cannot see), not a failure', async () => {
    await deployer.deploy(template());
    emulator.proxy.inject({ match: { service: 'sts', action: 'AssumeRole' }, code: 'AccessDenied', status: 403 });
    const { code, report } = await doctor();
    expect(row(report, 'member accounts')).toEqual({
      check: 'member accounts',
      status: 'warn',
      detail: expect.stringMatching(
        /^arn:aws:\w+::123456789012:\S+ may not assume AccountJanitorReadOnlyRole in any of the 2 target accounts: add it to the read-only role's operators/,
      ),
    });
    expect(code).toBe(0);
  });
});

describe('the event path (the event-driven repair, in the hub)', () => {
  const busName = `${STACK_NAME}-breaking-calls`;
  /** A bus policy statement letting anyone put events on the bus, unless its condition says otherwise. */
  const putEventsStatement = (resource: string | undefined, condition?: Record<string, unknown>) => ({
    Sid: 'OrganizationForwardsBreakingCalls',
    Effect: 'Allow',
    Principal: '*',
    Action: 'events:PutEvents',
    Resource: resource,
    ...(condition ? { Condition: condition } : {}),
  });
  /** Replaces the bus policy with these statements, as a hand edit would. */
  const setBusPolicy = async (statements: Record<string, unknown>[]) => {
    // AWS replaces the whole policy; moto merges by Sid: clear it first.
    await deployer.events.send(new RemovePermissionCommand({ EventBusName: busName, RemoveAllPermissions: true }));
    await deployer.events.send(
      new PutPermissionCommand({
        EventBusName: busName,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      }),
    );
  };

  test('a bus policy open to everyone, a disabled rule, a rule deaf to what the function repairs: one failed row', async () => {
    const deployment = await deployer.deploy(template());
    await setBusPolicy([putEventsStatement(deployment.outputs['EventBusArn'])]);
    const [ruleId] = deployment.resolved.ofType('AWS::Events::Rule').map(([id]) => id);
    await deployer.events.send(new DisableRuleCommand({ Name: ruleId, EventBusName: busName }));
    // The function was switched to repair the egress after the deployment: its rule hears none of those calls.
    await deployer.changeFunctionEnvironment(deployment, { JANITOR_REPAIR_EGRESS: 'true' });
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(row(report, 'event path')).toEqual({
      check: 'event path',
      status: 'fail',
      detail: `the bus policy lets principals outside the organization put events on it; rule ${ruleId} is DISABLED: breaking calls reach no one; rule ${ruleId} does not hear RevokeSecurityGroupEgress, DeleteNetworkAclEntry, ReplaceNetworkAclEntry: redeploy the stack`,
    });
  });

  test('a bus that takes nothing from the organization, and a rule that sends to no intake', async () => {
    const deployment = await deployer.deploy(template());
    await deployer.events.send(new RemovePermissionCommand({ EventBusName: busName, RemoveAllPermissions: true }));
    const [ruleId] = deployment.resolved.ofType('AWS::Events::Rule').map(([id]) => id);
    const { Targets: targets = [] } = await deployer.events.send(
      new ListTargetsByRuleCommand({ Rule: ruleId, EventBusName: busName }),
    );
    await deployer.events.send(
      new RemoveTargetsCommand({
        Rule: ruleId,
        EventBusName: busName,
        Ids: targets.map((target) => String(target.Id)),
      }),
    );
    const { report } = await doctor();
    expect(row(report, 'event path')?.detail).toBe(
      `the bus policy does not let ${organizationId} put breaking calls: the member accounts' events are refused; no rule on ${busName} sends to the intake function: breaking calls reach no one`,
    );
  });

  test("an intake that no longer reads its queue: the rule's calls wait there, a failure", async () => {
    const deployment = await deployer.deploy(template());
    const intakeName = String(deployment.outputs['IntakeFunctionName']);
    const { EventSourceMappings: mappings = [] } = await deployer.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: intakeName }),
    );
    const [mapping] = mappings;
    await deployer.lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping?.UUID, Enabled: false }));
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(row(report, 'event path')?.detail).toBe(
      `no rule on ${busName} sends to the intake function: breaking calls reach no one; the intake does not read its queue ${mapping?.EventSourceArn} (event source mapping Disabled)`,
    );
  });

  test('a bus policy statement that names an account outside the organization is a failure', async () => {
    const deployment = await deployer.deploy(template());
    const live = JSON.parse(
      (await deployer.events.send(new DescribeEventBusCommand({ Name: busName }))).Policy ?? '{}',
    ) as { Statement: Record<string, unknown>[] };
    await setBusPolicy([
      ...live.Statement,
      {
        Sid: 'PartnerAccount',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999999999999:root' },
        Action: 'events:PutEvents',
        Resource: deployment.outputs['EventBusArn'],
      },
    ]);
    const { report } = await doctor();
    expect(row(report, 'event path')).toEqual({
      check: 'event path',
      status: 'fail',
      detail: `the bus policy's statement PartnerAccount lets principals put events without aws:PrincipalOrgID ${organizationId}`,
    });
  });

  test('the bus policy as deployed before issue 20 (StringEquals on the multivalued events:source) admits no forwarder: a failure', async () => {
    const deployment = await deployer.deploy(template());
    await setBusPolicy([
      putEventsStatement(deployment.outputs['EventBusArn'], {
        StringEquals: {
          'aws:PrincipalOrgID': organizationId,
          'events:source': 'aws.ec2',
          'events:detail-type': CLOUDTRAIL_DETAIL_TYPE,
        },
        'ForAllValues:StringEquals': {
          'events:source': ['aws.ec2'],
          'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE],
        },
      }),
    ]);
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(row(report, 'event path')).toEqual({
      check: 'event path',
      status: 'fail',
      detail: `the bus policy does not let ${organizationId} put breaking calls: the member accounts' events are refused`,
    });
  });

  test('a bus policy open to the whole organization while the targets are OUs is a failure (deployed before issue 21)', async () => {
    const deployment = await deployer.deploy(template());
    await setBusPolicy([
      putEventsStatement(deployment.outputs['EventBusArn'], {
        StringEquals: { 'aws:PrincipalOrgID': organizationId },
        'ForAllValues:StringEquals': { 'events:source': ['aws.ec2'], 'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE] },
        Null: { 'events:source': 'false', 'events:detail-type': 'false' },
      }),
    ]);
    const { report } = await doctor();
    expect(row(report, 'event path')).toEqual({
      check: 'event path',
      status: 'fail',
      detail:
        'the bus policy lets accounts of the organization outside the targets put events on it: redeploy the stack',
    });
  });

  test('an account whose event forwarder is missing in one event region', async () => {
    await deployer.deploy(template({ regions: 'us-east-1,eu-west-1' }));
    const stackSetName = `account-janitor-events-${STACK_NAME}`;
    await deployer.cloudFormation.send(
      // Moto deletes by account (AWS, for a service-managed StackSet, by OU and account filter).
      new DeleteStackInstancesCommand({
        StackSetName: stackSetName,
        Accounts: [accounts.alpha],
        Regions: ['eu-west-1'],
        RetainStacks: false,
      }),
    );
    const { report } = await doctor();
    expect(row(report, `account ${accounts.alpha} (alpha)`)?.detail).toBe(
      'no event forwarder in eu-west-1: breaking calls there wait for the nightly sweep',
    );
    expect(row(report, `account ${accounts.beta} (beta)`)).toBeUndefined();
  });

  test('eventDrivenRepair=false: no event path to check, and no row for it', async () => {
    await deployer.deploy(template({ eventDrivenRepair: 'false' }));
    const { code, report } = await doctor();
    expect(row(report, 'event path')).toBeUndefined();
    expect(row(report, 'member accounts')?.detail).not.toContain('event forwarder');
    expect(code).toBe(0);
  });
});

describe('the trails the event path needs (EventBridge sees no breaking call without one)', () => {
  test('an account without a trail, one whose trail stopped, one that logs reads only: each named with its regions', async () => {
    const bare = await emulator.fixture.createAccount('bare', ouId, rootId);
    const stopped = await emulator.fixture.createAccount('stopped', ouId, rootId);
    const reads = await emulator.fixture.createAccount('reads', ouId, rootId);
    await emulator.fixture.recordManagementEvents(stopped, 'us-east-1', { stopped: true });
    await emulator.fixture.recordManagementEvents(reads, 'eu-west-1', { readOnly: true });
    await deployer.deploy(template({ regions: 'us-east-1,eu-west-1' }));

    const { code, report } = await doctor();

    expect(code).toBe(1);
    expect(row(report, 'member accounts')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^2 of 5 /) });
    const remedy = 'breaking calls there never reach the hub (an organization trail covers every account and region)';
    expect(row(report, `account ${bare} (bare)`)?.detail).toBe(
      `no trail records write management events in eu-west-1 (no trail covers the region), us-east-1 (no trail covers the region): ${remedy}`,
    );
    expect(row(report, `account ${stopped} (stopped)`)?.detail).toBe(
      `no trail records write management events in eu-west-1 (trail organization-trail is not logging), us-east-1 (trail organization-trail is not logging): ${remedy}`,
    );
    expect(row(report, `account ${reads} (reads)`)?.detail).toBe(
      `no trail records write management events in eu-west-1 (trail organization-trail does not log write management events of EC2), us-east-1 (trail organization-trail does not log write management events of EC2): ${remedy}`,
    );
    // Read through the member role, by the trail's ARN (a shadow trail answers only to it).
    const statusReads = emulator.proxy.requests.filter((request) => request.action === 'GetTrailStatus');
    expect(statusReads.length).toBeGreaterThan(0);
  });

  test('a member role that may not read the trails (deployed before it could) names the code', async () => {
    await deployer.deploy(template());
    emulator.proxy.inject({
      match: { service: 'cloudtrail', action: 'DescribeTrails', accountId: accounts.beta },
      code: 'AccessDeniedException',
      status: 400,
      // CloudTrail's JSON answer to an identity policy that lacks the action.
      message: (request) =>
        `User: arn:aws:sts::${request.accountId}:assumed-role/AccountJanitorReadOnlyRole/account-janitor-operator is not authorized to perform: cloudtrail:DescribeTrails because no identity-based policy allows the cloudtrail:DescribeTrails action`,
    });
    const { report } = await doctor();
    expect(row(report, `account ${accounts.beta} (beta)`)?.detail).toBe(
      'no trail records write management events in us-east-1 (cloudtrail:DescribeTrails failed: AccessDeniedException): breaking calls there never reach the hub (an organization trail covers every account and region)',
    );
  });

  test('--sample N reads the trails of the first N accounts by id only', async () => {
    const bare = await emulator.fixture.createAccount('bare', ouId, rootId);
    await deployer.deploy(template());
    emulator.proxy.clear();
    const sampled = [accounts.alpha, accounts.beta, bare].sort().slice(0, 2);
    const { report } = await doctor('--sample', '2');
    const describedIn = new Set(
      emulator.proxy.requests
        .filter((request) => request.action === 'DescribeTrails')
        .map((request) => request.accountId),
    );
    expect([...describedIn].sort()).toEqual(sampled);
    expect(row(report, 'member accounts')?.detail).toContain('(2 accounts sampled)');
  });

  test('without the event path, no trail is read', async () => {
    await deployer.deploy(template({ eventDrivenRepair: 'false' }));
    emulator.proxy.clear();
    await doctor();
    expect(emulator.proxy.count({ service: 'cloudtrail' })).toBe(0);
  });

  test.each(['0', 'two', '1.5'])('--sample %s is bad usage: exit 2, no AWS call', async (sample) => {
    emulator.proxy.clear();
    const { code, stderr } = await doctor('--sample', sample);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: --sample "${sample}": must be a whole number of accounts, 1 or more (see account-janitor doctor --help)\n`,
    );
    expect(emulator.proxy.requests).toEqual([]);
  });
});

test('bad usage: exit 2, one line, no AWS call', async () => {
  emulator.proxy.clear();
  const { code, stderr } = await doctor('--stack-name', 'not a name');
  expect(code).toBe(2);
  expect(stderr).toBe(
    'error: --stack-name "not a name": must be a CloudFormation stack name (see account-janitor doctor --help)\n',
  );
  expect(emulator.proxy.requests).toHaveLength(0);
});

test('a function ARN with or without its alias or version names the same function; another name does not', () => {
  const arn = 'arn:aws:lambda:us-east-1:123456789012:function:janitor';
  expect(unqualifiedFunctionArn(`${arn}:live`)).toBe(arn);
  expect(unqualifiedFunctionArn(`${arn}:7`)).toBe(arn);
  expect(unqualifiedFunctionArn(arn)).toBe(arn);
  expect(unqualifiedFunctionArn('arn:aws:lambda:us-east-1:123456789012:function:other')).not.toBe(arn);
});
