import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import {
  DIGEST_LEDGER_KEY,
  DIGEST_LEDGER_TABLE_VARIABLE,
  DIGEST_LEDGER_TTL_ATTRIBUTE,
} from '../../lambda/contract/names';
import { DIGEST_LEDGER_WRITE_ACTIONS, INTAKE_SCHEDULER_ACTIONS } from '../../lambda/contract/permissions';
import { actionsMatching } from '../support/authorization-data';
import { breakingCallPattern, CLOUDTRAIL_DETAIL_TYPE, heardEventNames } from '../../lambda/core/breaking-call-pattern';
import {
  evaluatePolicy,
  type PolicyDocument,
  type RequestPrincipal,
  type RequestValue,
} from '../../lambda/core/iam-policy';
import { forwardedBreakingCall } from '../../cli/doctor/event-path';
import { INTAKE_ENVIRONMENT_VARIABLES } from '../../lambda/contract/names';
import { DEFAULT_EVENT_REGIONS } from '../../lib/config';
import { eventForwarderTemplate, HUB_EVENT_BUS_ARN_PARAMETER } from '../../lib/event-forwarder-template';
import { callsHeardWith } from '../support/breaking-calls';
import { DEFAULT_DEPLOYMENT, ResolvedTemplate, type CfnTemplate } from '../support/template-walk';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';

/**
 * The event path as synthesized, walked as AWS would enforce it (moto checks none of it): a
 * member account's rule → its target (the hub's bus, through the forwarder role) → the role's
 * policy → the bus policy; the hub's rule → the intake → its schedules → the sweep function.
 */

const OU = 'ou-ab12-cdef3456';
const ORG = 'o-a1b2c3d4e5';
const MEMBER = { account: '222222222222', region: 'us-east-1', partition: 'aws' };
const BASE_CONTEXT = { ...TEST_CONTEXT, organizationId: ORG };

const synth = (context: Record<string, unknown> = {}) => synthesizeStack({ ...BASE_CONTEXT, ...context });

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function eventStackSet(template: Template) {
  const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet')).filter((resource) =>
    String((resource['Properties'] as { StackSetName: string }).StackSetName).startsWith('account-janitor-events-'),
  );
  return stackSet?.['Properties'] as
    { TemplateBody: string; StackInstancesGroup: { Regions: string[] }[]; Capabilities: string[] } | undefined;
}

const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0] as T;
};

describe('the hub event bus', () => {
  const { resolved } = synth({ organizationId: ORG });
  const [busId] = only(resolved.ofType('AWS::Events::EventBus'));
  const busArn = `arn:aws:events:${DEFAULT_DEPLOYMENT.region}:${DEFAULT_DEPLOYMENT.account}:event-bus/AccountJanitor-breaking-calls`;
  const policy = resolved.property(busId, 'Policy') as PolicyDocument;
  const forwarder = `arn:aws:iam::${MEMBER.account}:role/StackSet-account-janitor-events-ForwarderRole-1A2B3C`;
  const put = (context: Record<string, RequestValue>, principal = forwarder) =>
    evaluatePolicy(
      policy,
      { principal: { arn: principal }, action: 'events:PutEvents', resource: busArn, context },
      'direct',
    ).decision;
  // As IAM holds a PutEvents request: source and detail-type are multivalued, one value per entry.
  // A member account of the target OU (its path in the organization runs through it).
  const inTargetOu = [`${ORG}/r-ab12/${OU}/`];
  const fromMember = forwardedBreakingCall(busArn, ORG, forwarder, inTargetOu).context;

  test('accepts EC2 CloudTrail events from principals of the organization, and nothing else', () => {
    expect(resolved.getAttArn(busId)).toBe(busArn);
    expect(put(fromMember)).toBe('allow');
    expect(put({ ...fromMember, 'events:source': ['aws.ec2', 'aws.ec2'] })).toBe('allow');
    expect(put({ ...fromMember, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' })).toBe('none');
    expect(put({ ...fromMember, 'aws:PrincipalOrgID': '' })).toBe('none');
    expect(put({ ...fromMember, 'events:source': ['custom.cleanup'] })).toBe('none');
    expect(put({ ...fromMember, 'events:detail-type': ['Scheduled Event'] })).toBe('none');
    // A principal outside any organization has no aws:PrincipalOrgID at all.
    expect(
      put({
        'aws:PrincipalOrgPaths': inTargetOu,
        'events:source': ['aws.ec2'],
        'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE],
      }),
    ).toBe('none');
  });

  test('only the target OUs may forward: an account of the organization elsewhere is refused; accounts and allAccounts likewise', () => {
    expect(put({ ...fromMember, 'aws:PrincipalOrgPaths': [`${ORG}/r-ab12/ou-ab12-other000/`] })).toBe('none');
    expect(put({ ...fromMember, 'aws:PrincipalOrgPaths': [`${ORG}/r-ab12/ou-ab12-parent00/${OU}/`] })).toBe('allow');
    // A principal of no organization path at all (the key missing): refused.
    expect(put({ ...forwardedBreakingCall(busArn, ORG, forwarder).context })).toBe('none');
    // Named accounts: those accounts only.
    const byAccount = synth({ targetOuIds: '', accountIds: MEMBER.account, memberRoleTargetOuIds: OU });
    const [accountBus] = only(byAccount.resolved.ofType('AWS::Events::EventBus'));
    const accountPolicy = byAccount.resolved.property(accountBus, 'Policy') as PolicyDocument;
    const other = `arn:aws:iam::333333333333:role/forwarder`;
    expect(evaluatePolicy(accountPolicy, forwardedBreakingCall(busArn, ORG, forwarder), 'direct').decision).toBe(
      'allow',
    );
    expect(evaluatePolicy(accountPolicy, forwardedBreakingCall(busArn, ORG, other), 'direct').decision).toBe('none');
    // allAccounts: the organization.
    const everyone = synth({ targetOuIds: '', allAccounts: 'true', memberRoleTargetOuIds: OU });
    const [allBus] = only(everyone.resolved.ofType('AWS::Events::EventBus'));
    const allPolicy = everyone.resolved.property(allBus, 'Policy') as PolicyDocument;
    expect(evaluatePolicy(allPolicy, forwardedBreakingCall(busArn, ORG, other), 'direct').decision).toBe('allow');
  });

  test('an empty or missing source or detail-type is refused: ForAllValues alone would take the empty set', () => {
    expect(put({ ...fromMember, 'events:source': [] })).toBe('none');
    expect(put({ ...fromMember, 'events:detail-type': [] })).toBe('none');
    expect(
      put({
        'aws:PrincipalOrgID': ORG,
        'aws:PrincipalOrgPaths': inTargetOu,
        'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE],
      }),
    ).toBe('none');
  });

  test('a PutEvents batch with one entry of another source is refused as a whole (every entry must be EC2 CloudTrail)', () => {
    expect(put({ ...fromMember, 'events:source': ['aws.ec2', 'custom.cleanup'] })).toBe('none');
    expect(put({ ...fromMember, 'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE, 'Scheduled Event'] })).toBe('none');
    const statement = (policy.Statement as unknown as { Condition: Record<string, Record<string, unknown>> }[])[0];
    expect(statement?.Condition['ForAllValues:StringEquals']).toEqual({
      'events:source': ['aws.ec2'],
      'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    });
    // The multivalued keys are never under a single-valued operator: IAM would match nothing.
    expect(Object.keys(statement?.Condition['StringEquals'] ?? {})).toEqual(['aws:PrincipalOrgID']);
    // The organization is literal: EventBridge supports no aws:ResourceOrgID.
    expect(JSON.stringify(policy)).not.toContain('ResourceOrgID');
    expect(statement?.Condition['StringEquals']?.['aws:PrincipalOrgID']).toBe(ORG);
  });

  test("its rule puts the breaking calls on the intake's queue, with retries and the dead-letter queue", () => {
    const [ruleId, rule] = only(resolved.ofType('AWS::Events::Rule'));
    const properties = resolved.resolve(rule.Properties) as {
      EventBusName: unknown;
      EventPattern: unknown;
      Targets: { Arn: string; DeadLetterConfig: { Arn: string }; RetryPolicy: unknown }[];
    };
    // A bus's Ref is its name.
    expect(properties.EventBusName).toBe(resolved.property(busId, 'Name'));
    expect(properties.EventBusName).toBe('AccountJanitor-breaking-calls');
    expect(properties.EventPattern).toEqual(breakingCallPattern({ subnets: false, egress: false, reach: true }));
    const [queueId] = only(
      resolved.ofType('AWS::SQS::Queue').filter(([id]) => id.startsWith('AccountJanitorEventDrivenRepairQueue')),
    );
    const queueArn = resolved.getAttArn(queueId);
    const target = only(properties.Targets);
    expect(target.Arn).toBe(queueArn);
    expect(target.DeadLetterConfig.Arn).toMatch(/:AccountJanitorSweepDeadLetterQueue/);
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 });
    // Only this rule may send to the queue, as SQS would read its policy.
    const [policyId] = only(
      resolved
        .ofType('AWS::SQS::QueuePolicy')
        .filter(([, policy]) => JSON.stringify(policy.Properties?.['Queues']).includes(queueId)),
    );
    const queuePolicy = resolved.property(policyId, 'PolicyDocument') as PolicyDocument;
    const send = (principal: RequestPrincipal, sourceArn: string) =>
      evaluatePolicy(
        queuePolicy,
        { principal, action: 'sqs:SendMessage', resource: queueArn, context: { 'aws:SourceArn': sourceArn } },
        'direct',
      ).decision;
    const ruleArn = resolved.getAttArn(ruleId);
    expect(send({ service: 'events.amazonaws.com' }, ruleArn)).toBe('allow');
    expect(send({ service: 'events.amazonaws.com' }, `${ruleArn}-another-rule`)).toBe('none');
    expect(send({ arn: `arn:aws:iam::${DEFAULT_DEPLOYMENT.account}:role/Admin` }, ruleArn)).toBe('none');
  });
});

describe("the intake's queue", () => {
  const { resolved } = synth();
  const [queueId, queue] = only(
    resolved.ofType('AWS::SQS::Queue').filter(([id]) => id.startsWith('AccountJanitorEventDrivenRepairQueue')),
  );
  const [intakeId, intake] = only(
    resolved.ofType('AWS::Lambda::Function').filter(([id]) => id.includes('EventDrivenRepairIntake')),
  );

  test('is encrypted, refuses plain HTTP, and sends what fails five times to the dead-letter queue', () => {
    const properties = resolved.resolve(queue.Properties) as Record<string, unknown>;
    expect(properties['SqsManagedSseEnabled']).toBe(true);
    expect(properties['RedrivePolicy']).toEqual({
      deadLetterTargetArn: expect.stringMatching(/:AccountJanitorSweepDeadLetterQueue/) as unknown,
      maxReceiveCount: 5,
    });
    // Six times the intake's timeout, as Lambda's event source asks.
    expect(properties['VisibilityTimeout']).toBe(6 * Number(resolved.property(intakeId, 'Timeout')));
  });

  test('feeds the intake in batches of 100, reporting partial failures, with no more pollers than it may run', () => {
    const [, mapping] = only(resolved.ofType('AWS::Lambda::EventSourceMapping'));
    const properties = resolved.resolve(mapping.Properties) as Record<string, unknown>;
    expect(properties['EventSourceArn']).toBe(resolved.getAttArn(queueId));
    expect(properties['FunctionName']).toBe(intakeId);
    expect(properties['BatchSize']).toBe(100);
    expect(properties['MaximumBatchingWindowInSeconds']).toBe(5);
    expect(properties['FunctionResponseTypes']).toEqual(['ReportBatchItemFailures']);
    expect(properties['ScalingConfig']).toEqual({ MaximumConcurrency: 5 });
    expect(resolved.property(intakeId, 'ReservedConcurrentExecutions')).toBe(5);
    expect(intake.Properties?.['EventInvokeConfig']).toBeUndefined();
  });
});

describe('the event intake', () => {
  const { template, resolved } = synth();
  const [, intake] = only(
    resolved.ofType('AWS::Lambda::Function').filter(([id]) => id.includes('EventDrivenRepairIntake')),
  );

  test('knows the quiet period, its schedule group, the sweep function, the scheduler role and the dead-letter queue', () => {
    const variables = (resolved.resolve(intake.Properties?.['Environment']) as { Variables: Record<string, string> })
      .Variables;
    expect(variables[INTAKE_ENVIRONMENT_VARIABLES.quietPeriodSeconds]).toBe('300');
    expect(variables[INTAKE_ENVIRONMENT_VARIABLES.scheduleGroupName]).toBe('AccountJanitor-repairs');
    expect(variables[INTAKE_ENVIRONMENT_VARIABLES.sweepFunctionArn]).toMatch(/:function:AccountJanitorSweepFunction/);
    expect(variables[INTAKE_ENVIRONMENT_VARIABLES.schedulerRoleArn]).toMatch(/:role\/AccountJanitorSweepSchedulerRole/);
    expect(variables['JANITOR_TARGET_OU_IDS']).toBe(OU);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'AccountJanitor-repairs' });
    const custom = synth({ quietPeriod: '90s' }).resolved;
    const [, customIntake] = only(
      custom.ofType('AWS::Lambda::Function').filter(([id]) => id.includes('EventDrivenRepairIntake')),
    );
    expect(JSON.stringify(customIntake.Properties?.['Environment'])).toContain('"JANITOR_QUIET_PERIOD_SECONDS":"90"');
    expect(() => synth({ quietPeriod: '30s' })).toThrow('quietPeriod "30s": must be a duration from 1m to 24h');
    expect(() => synth({ quietPeriod: 'soon' })).toThrow('quietPeriod "soon": must be a duration from 1m to 24h');
  });

  test('may start and move its own repair schedules, pass the scheduler role to Scheduler, and log: nothing else', () => {
    const roleRef = (intake.Properties?.['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = resolved
      .ofType('AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.['Roles']).includes(roleRef))
      .flatMap(
        ([id]) => (resolved.property(id, 'PolicyDocument') as { Statement: Record<string, unknown>[] }).Statement,
      );
    const byAction = Object.fromEntries(
      statements.flatMap((statement) =>
        [statement['Action']].flat().map((action) => [String(action), statement] as const),
      ),
    );
    expect(Object.keys(byAction).sort()).toEqual(
      [
        ...INTAKE_SCHEDULER_ACTIONS,
        'iam:PassRole',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        // Its queue's messages: read a batch, put back what failed, delete what it took.
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ].sort(),
    );
    expect(byAction['scheduler:CreateSchedule']?.['Resource']).toBe(
      `arn:aws:scheduler:eu-west-1:111111111111:schedule/AccountJanitor-repairs/repair-*`,
    );
    expect(byAction['iam:PassRole']).toMatchObject({
      Resource: expect.stringMatching(/:role\/AccountJanitorSweepSchedulerRole/) as unknown,
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  });
});

/** A property of the intake function, as synthesized from this context. */
const intakeProperty = (context: Record<string, unknown>, name: string) => {
  const { resolved } = synth(context);
  const [intakeId] = resolved
    .ofType('AWS::Lambda::Function')
    .find(([id]) => id.includes('EventDrivenRepairIntake')) ?? [''];
  return { value: resolved.property(intakeId, name), resolved };
};

test('the intake has reserved concurrency (default 5, context intakeConcurrency): a flood takes no more', () => {
  const reserved = (context: Record<string, unknown>) => intakeProperty(context, 'ReservedConcurrentExecutions').value;
  expect(reserved({})).toBe(5);
  expect(reserved({ intakeConcurrency: '2' })).toBe(2);
  expect(() => synth({ intakeConcurrency: '1' })).toThrow('intakeConcurrency 1: must be a whole number from 2 to 100');
});

test('the intake puts a repair off at most maxQuietPeriod after the first call (default 4 × quietPeriod)', () => {
  const maxQuiet = (context: Record<string, unknown>) =>
    (intakeProperty(context, 'Environment').value as { Variables: Record<string, string> }).Variables[
      INTAKE_ENVIRONMENT_VARIABLES.maxQuietPeriodSeconds
    ];
  expect(maxQuiet({})).toBe('1200');
  expect(maxQuiet({ quietPeriod: '10m' })).toBe('2400');
  expect(maxQuiet({ maxQuietPeriod: '1h' })).toBe('3600');
  expect(() => synth({ maxQuietPeriod: '2m' })).toThrow('maxQuietPeriod "2m": must be at least quietPeriod (300 s)');
});

describe("the intake's logs", () => {
  const retentionOf = (context: Record<string, unknown>) => {
    const { value, resolved } = intakeProperty(context, 'LoggingConfig');
    return resolved.property((value as { LogGroup: string }).LogGroup, 'RetentionInDays');
  };

  test('keep the callers source IPs and user agents 90 days by default; intakeLogRetention sets another period', () => {
    expect(retentionOf({})).toBe(90);
    expect(retentionOf({ intakeLogRetention: '30' })).toBe(30);
    expect(() => synth({ intakeLogRetention: '45' })).toThrow(
      /intakeLogRetention "45": must be one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90,/,
    );
  });
});

describe('the organization the bus admits', () => {
  test('left out of the context, it is read at deploy time (DescribeOrganization) and used by the bus policy and the function', () => {
    const { template, resolved } = synth({ organizationId: '' });
    const lookups = resolved.ofType('Custom::AWS');
    const [lookupId, lookup] = only(lookups);
    expect(JSON.parse(String(lookup.Properties?.['Create']))).toMatchObject({
      service: 'Organizations',
      action: 'DescribeOrganization',
      outputPaths: ['Organization.Id'],
    });
    const organization = { 'Fn::GetAtt': [lookupId, 'Organization.Id'] };
    const [busId] = only(resolved.ofType('AWS::Events::EventBus'));
    const bus = template.toJSON().Resources[busId] as { Properties: { Policy: PolicyDocument } };
    const [statement] = bus.Properties.Policy.Statement as unknown as {
      Condition: Record<string, Record<string, unknown>>;
    }[];
    expect(statement?.Condition['StringEquals']).toEqual({ 'aws:PrincipalOrgID': organization });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ JANITOR_ORGANIZATION_ID: organization }) },
    });
    // Its function may read the organization and nothing else.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: 'organizations:DescribeOrganization', Effect: 'Allow', Resource: '*' }],
      },
    });
  });

  test('given, it is written into the template as it is, and the deploy fails unless the stack is in that organization', () => {
    const { template, resolved } = synth({ organizationId: ORG });
    const [lookupId] = only(resolved.ofType('Custom::AWS'));
    const [busId] = only(resolved.ofType('AWS::Events::EventBus'));
    const policy = resolved.property(busId, 'Policy') as PolicyDocument;
    expect(JSON.stringify(policy)).toContain(`"aws:PrincipalOrgID":"${ORG}"`);
    expect(JSON.stringify(policy)).not.toContain(lookupId);
    // The lookup may read the organization only as a principal of the named one: anywhere else AWS
    // refuses DescribeOrganization, the custom resource fails, and CloudFormation rolls back.
    // The custom resource's own policy (the sweep function's role reads the organization too).
    const policyId = only(
      Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) =>
        id.includes('DescribeOrganizationCustomResourcePolicy'),
      ),
    );
    const lookupPolicy = resolved.property(policyId, 'PolicyDocument') as PolicyDocument;
    const describe = (organization: string) =>
      evaluatePolicy(
        lookupPolicy,
        {
          principal: { arn: `arn:aws:sts::${DEFAULT_DEPLOYMENT.account}:assumed-role/lookup/fn` },
          action: 'organizations:DescribeOrganization',
          resource: '*',
          context: { 'aws:PrincipalOrgID': organization },
        },
        'identity',
      ).decision;
    expect(describe(ORG)).toBe('allow');
    expect(describe('o-zzzzzzzzzz')).toBe('none');
  });
});

describe('the forwarder StackSet', () => {
  test.each([
    ['the configured regions', {}, ['eu-west-1', 'us-east-1']],
    ['regions: all: the regions enabled by default', { regions: 'all' }, [...DEFAULT_EVENT_REGIONS]],
    [
      'regions: all with eventRegions',
      { regions: 'all', eventRegions: 'eu-west-1,eu-central-1' },
      ['eu-west-1', 'eu-central-1'],
    ],
    ['a subset of the configured regions', { eventRegions: 'eu-west-1' }, ['eu-west-1']],
  ])('deploys to %s', (_, context, regions) => {
    const stackSet = eventStackSet(synth(context).template);
    expect(stackSet?.StackInstancesGroup.map((group) => group.Regions)).toEqual([regions]);
    // The forwarder's role is named (the guard rail keeps it by ARN).
    expect(stackSet?.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
  });

  test('eventRegions beyond the configured regions fails the synth, naming them', () => {
    expect(() => synth({ eventRegions: 'eu-west-1,ap-south-1' })).toThrow(
      'eventRegions "ap-south-1": not among the configured regions (eu-west-1, us-east-1)',
    );
  });

  test("a member account's rule reaches the hub's bus: target → forwarder role → its policy → the bus policy", () => {
    const hub = synth({ organizationId: ORG });
    const [busId] = only(hub.resolved.ofType('AWS::Events::EventBus'));
    const busArn = hub.resolved.getAttArn(busId);
    const member = new ResolvedTemplate(
      JSON.parse(eventStackSet(hub.template)?.TemplateBody ?? '{}') as CfnTemplate,
      MEMBER,
      { [HUB_EVENT_BUS_ARN_PARAMETER]: busArn },
    );
    const resources = member.template.Resources as Resources;
    const rule = member.resolve(resources['BreakingCallsRule']?.Properties) as {
      EventBusName: string;
      EventPattern: Record<string, unknown>;
      Targets: { Arn: string; RoleArn: string }[];
    };
    expect(rule.EventBusName).toBe('default');
    // The janitor's own sessions in this account do not wake it.
    expect(rule.EventPattern).toEqual(
      breakingCallPattern({
        subnets: false,
        egress: false,
        reach: true,
        janitorSessionArn: `arn:aws:sts::${MEMBER.account}:assumed-role/AccountJanitorMemberRole/account-janitor`,
      }),
    );
    const target = only(rule.Targets);
    expect(target.Arn).toBe(busArn);
    expect(target.RoleArn).toBe(`arn:aws:iam::${MEMBER.account}:role/ForwarderRole`);

    const role = member.resolve(resources['ForwarderRole']?.Properties) as {
      AssumeRolePolicyDocument: PolicyDocument;
      Policies: { PolicyDocument: PolicyDocument }[];
    };
    const assume = (account: string) =>
      evaluatePolicy(
        role.AssumeRolePolicyDocument,
        {
          principal: { service: 'events.amazonaws.com' },
          action: 'sts:AssumeRole',
          resource: target.RoleArn,
          context: { 'aws:SourceAccount': account },
        },
        'direct',
      ).decision;
    expect(assume(MEMBER.account)).toBe('allow');
    expect(assume('333333333333')).toBe('none');
    const rolePolicy = only(role.Policies).PolicyDocument;
    const identity = (resource: string) =>
      evaluatePolicy(
        rolePolicy,
        { principal: { arn: target.RoleArn }, action: 'events:PutEvents', resource, context: {} },
        'identity',
      ).decision;
    expect(identity(busArn)).toBe('allow');
    expect(identity(busArn.replace('AccountJanitor-breaking-calls', 'default'))).toBe('none');

    const busPolicy = hub.resolved.property(busId, 'Policy') as PolicyDocument;
    expect(
      evaluatePolicy(busPolicy, forwardedBreakingCall(busArn, ORG, target.RoleArn, [`${ORG}/r-ab12/${OU}/`]), 'direct')
        .decision,
    ).toBe('allow');
  });

  test('with the egress switches, the security group and network ACL calls are forwarded and heard too', () => {
    const calls = callsHeardWith('egress');
    const { template } = synth({ repairEgress: 'true' });
    const body = eventStackSet(template)?.TemplateBody ?? '';
    for (const call of calls) expect(body).toContain(call);
    const hubPattern = template.findResources('AWS::Events::Rule', {
      Properties: { EventBusName: Match.anyValue() },
    });
    const eventNames = Object.values(hubPattern).flatMap((rule) =>
      heardEventNames((rule as { Properties: { EventPattern: Record<string, unknown> } }).Properties.EventPattern),
    );
    expect(eventNames).toEqual(expect.arrayContaining(calls));
    const off = eventStackSet(synth().template)?.TemplateBody ?? '';
    for (const call of calls) expect(off).not.toContain(call);
  });

  test('with the subnet switches, ModifySubnetAttribute is forwarded too', () => {
    const body = eventStackSet(synth({ checkDefaultSubnets: 'true' }).template)?.TemplateBody ?? '';
    expect(body).toContain('ModifySubnetAttribute');
    expect(eventStackSet(synth().template)?.TemplateBody).not.toContain('ModifySubnetAttribute');
  });
});

test('eventDrivenRepair=false deploys none of it; deployMemberRole=false keeps the hub half only', () => {
  const off = synth({ eventDrivenRepair: 'false' }).template;
  off.resourceCountIs('AWS::Events::EventBus', 0);
  off.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
  expect(eventStackSet(off)).toBeUndefined();
  expect(JSON.stringify(off.toJSON())).not.toContain('EventIntakeErrors');
  const selfDeployed = synth({ deployMemberRole: 'false' }).template;
  selfDeployed.resourceCountIs('AWS::Events::EventBus', 1);
  expect(eventStackSet(selfDeployed)).toBeUndefined();
});

test('the stack synthesizes cdk-nag clean in a concrete environment too (as `cdk synth` gives it one)', () => {
  const saved = { ...process.env };
  Object.assign(process.env, { CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'eu-central-1' });
  try {
    const { template } = synth({ regions: 'all' });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'AccountJanitor-breaking-calls' });
  } finally {
    process.env = saved;
  }
});

test('npm run event-forwarder-template writes the forwarder for teams that deploy the member side themselves', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'janitor-forwarder-')), 'event-forwarder.template.json');
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(__dirname, '..', '..', 'lib', 'write-event-forwarder-template.ts'), file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(
    `wrote ${file} (leaves out AccountJanitorMemberRole's own calls; parameter ${HUB_EVENT_BUS_ARN_PARAMETER})\n`,
  );
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(
    eventForwarderTemplate({
      memberRoleName: 'AccountJanitorMemberRole',
      defaultSubnets: 'off',
      egress: 'off',
      protectDefaultPath: 'off',
      reach: 'check',
    }),
  );
});

describe('the digest ledger', () => {
  const { template, resolved } = synth();
  const [tableId] = only(resolved.ofType('AWS::DynamoDB::GlobalTable'));
  const tableArn = resolved.getAttArn(tableId);
  const [, sweep] = only(
    resolved.ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith('AccountJanitorSweepFunction')),
  );
  const roleRef = (sweep.Properties?.['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = resolved
    .ofType('AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.['Roles']).includes(roleRef))
    .map(([id]) => resolved.property(id, 'PolicyDocument') as PolicyDocument);
  const allowed = (action: string, resource: string) =>
    policies.some(
      (policy) =>
        evaluatePolicy(
          policy,
          { principal: { arn: `arn:aws:iam::111111111111:role/${roleRef}` }, action, resource, context: {} },
          'identity',
        ).decision === 'allow',
    );

  test('is a table keyed by account-region whose items expire (TTL), named to the sweep function', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: DIGEST_LEDGER_KEY, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: DIGEST_LEDGER_TTL_ATTRIBUTE, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    const variables = (resolved.resolve(sweep.Properties?.['Environment']) as { Variables: Record<string, string> })
      .Variables;
    expect(variables[DIGEST_LEDGER_TABLE_VARIABLE]).toBe(tableId);
  });

  test('the sweep function may update its items and nothing else of it; no other table', () => {
    expect(allowed('dynamodb:UpdateItem', tableArn)).toBe(true);
    for (const action of ['dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:PutItem']) {
      expect([action, allowed(action, tableArn)]).toEqual([action, false]);
    }
    expect(allowed('dynamodb:UpdateItem', `${tableArn.replace(tableId, 'OtherTable')}`)).toBe(false);
  });

  test("its policy refuses every item write to anyone but the functions' role, in AWS's authorization data", async () => {
    const replicas = resolved.property(tableId, 'Replicas') as { ResourcePolicy: { PolicyDocument: PolicyDocument } }[];
    const policy = only(replicas).ResourcePolicy.PolicyDocument;
    const sweepRoleArn = resolved.getAttArn(roleRef);
    const decision = (principal: string, action: string) =>
      evaluatePolicy(
        policy,
        { principal: { arn: principal }, action, resource: tableArn, context: { 'aws:PrincipalArn': principal } },
        'direct',
      ).decision;
    const admin = `arn:aws:iam::${DEFAULT_DEPLOYMENT.account}:role/Admin`;
    for (const action of DIGEST_LEDGER_WRITE_ACTIONS) {
      expect([action, decision(sweepRoleArn, action)]).toEqual([action, 'none']);
      expect([action, decision(admin, action)]).toEqual([action, 'deny']);
    }
    // Reads, and the table's own management (CloudFormation's updates), are left to IAM.
    for (const action of ['dynamodb:GetItem', 'dynamodb:UpdateTable', 'dynamodb:PutResourcePolicy']) {
      expect([action, decision(admin, action)]).toEqual([action, 'none']);
    }
    // Every item write of DynamoDB's authorization data is in the list.
    const writes = (await actionsMatching('dynamodb:*'))
      .filter((data) => data.accessLevel === 'Write' && /item$|:partiql/.test(data.name.toLowerCase()))
      .map((data) => data.name);
    expect(DIGEST_LEDGER_WRITE_ACTIONS.map((action) => action.toLowerCase()).sort()).toEqual(
      writes.map((action) => action.toLowerCase()).sort(),
    );
  });

  test('without the event path there is no ledger, and the function is not told of one', () => {
    const off = synth({ eventDrivenRepair: 'false' });
    off.template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    expect(JSON.stringify(off.template.toJSON())).not.toContain(DIGEST_LEDGER_TABLE_VARIABLE);
  });
});
