import { atExpression } from '../../lambda/aws/scheduler';
import { parseSweepConfig } from '../../lambda/config/parse';
import { causeOf, strongerCause, type Cause } from '../../lambda/core/who-broke-it';
import { evaluatePolicy } from '../../lambda/core/iam-policy';
import { ConfigError, EventValidationError } from '../../lambda/errors';
import { parseBreakingEvent } from '../../lambda/events/breaking-event';
import { ignoreReason, intakeSettingsFromEnvironment, quietPeriodScheduleName } from '../../lambda/events/intake';
import { INTAKE_ENVIRONMENT_VARIABLES } from '../../lambda/contract/names';
import { targetedRepairEvent } from '../../lambda/events/targeted-repair';
import { applyRequest, parseInvocationEvent } from '../../lambda/invocation-event';
import { cloudTrailEvent } from '../support/event-path';

/**
 * The event path's pure parts: which breaking calls start a quiet period, which one names the
 * cause of a burst, the targeted repair event both functions share, and their settings.
 */

const OU = 'ou-ab12-cdef3456';
const A = '111122223333';
const B = '444455556666';
const config = (raw: Record<string, unknown> = {}) =>
  parseSweepConfig({ targetOuIds: OU, regions: 'eu-west-1', ...raw }, 'test', (key) => key);
const call = (overrides: Partial<Parameters<typeof cloudTrailEvent>[0]> = {}) =>
  parseBreakingEvent(
    cloudTrailEvent({
      accountId: A,
      region: 'eu-west-1',
      eventName: 'DeleteRoute',
      time: new Date('2026-11-26T02:13:07Z'),
      requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
      ...overrides,
    }),
  );

const cause = (eventName: string, eventTime: string): Cause => ({
  principalArn: `arn:aws:sts::${A}:assumed-role/ci-cleanup/nuke`,
  sessionIssuerArn: null,
  eventName,
  eventTime,
  sourceIp: null,
  userAgent: null,
});

describe('which breaking calls start a quiet period', () => {
  test.each([
    ['a DeleteRoute by a clean-up', {}, {}, null],
    [
      'a DeleteRoute of ::/0',
      { requestParameters: { routeTableId: 'rtb-1', destinationIpv6CidrBlock: '::/0' } },
      {},
      'DeleteRoute of no IPv4 destination is not about 0.0.0.0/0',
    ],
    [
      'a ReplaceRoute of another destination',
      { eventName: 'ReplaceRoute', requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '10.0.0.0/8' } },
      {},
      'ReplaceRoute of 10.0.0.0/8 is not about 0.0.0.0/0',
    ],
    [
      'a failed call',
      { errorCode: 'Client.UnauthorizedOperation' },
      {},
      'the call failed (Client.UnauthorizedOperation)',
    ],
    [
      "the janitor's own repair",
      { roleName: 'AccountJanitorMemberRole', sessionName: 'account-janitor', eventName: 'ReplaceRoute' },
      {},
      "the janitor's own call",
    ],
    [
      "the janitor's own repair, under another role name",
      { roleName: 'JanitorRole', sessionName: 'account-janitor', eventName: 'ReplaceRoute' },
      { memberRoleName: 'JanitorRole' },
      "the janitor's own call",
    ],
    [
      "an operator's session of the janitor's role is someone else's call",
      { roleName: 'AccountJanitorMemberRole', sessionName: 'alice@example.com', eventName: 'DeleteRoute' },
      {},
      null,
    ],
    [
      "doctor's probe (its own session name) is someone else's call",
      { roleName: 'AccountJanitorMemberRole', sessionName: 'account-janitor-probe', eventName: 'DeleteRoute' },
      {},
      null,
    ],
    [
      'ModifySubnetAttribute without the subnet switches',
      { eventName: 'ModifySubnetAttribute' },
      {},
      'ModifySubnetAttribute does not break what this configuration repairs',
    ],
    ['ModifySubnetAttribute with them', { eventName: 'ModifySubnetAttribute' }, { checkDefaultSubnets: true }, null],
    [
      'RevokeSecurityGroupEgress without the egress switches',
      { eventName: 'RevokeSecurityGroupEgress' },
      {},
      'RevokeSecurityGroupEgress does not break what this configuration repairs',
    ],
    [
      'RevokeSecurityGroupEgress with the check',
      { eventName: 'RevokeSecurityGroupEgress' },
      { checkEgress: true },
      null,
    ],
    ['DeleteNetworkAclEntry with the repair', { eventName: 'DeleteNetworkAclEntry' }, { repairEgress: true }, null],
    ['ReplaceNetworkAclEntry with the repair', { eventName: 'ReplaceNetworkAclEntry' }, { repairEgress: true }, null],
    [
      'a call that breaks nothing',
      { eventName: 'RunInstances' },
      {},
      'RunInstances does not break what this configuration repairs',
    ],
    ['an excluded account', {}, { excludeAccountIds: A }, 'account excluded by the configuration'],
    ['an account not named', {}, { targetOuIds: '', accountIds: B }, 'account not among the targets'],
    ['a named account', {}, { targetOuIds: '', accountIds: A }, null],
    ['a region not configured', { region: 'us-west-2' }, {}, 'region not configured'],
    ['any region under regions: all', { region: 'us-west-2' }, { regions: 'all' }, null],
  ])('%s', (_, overrides, raw, expected) => {
    expect(ignoreReason(config(raw), call(overrides))).toBe(expected);
  });
});

describe('of two calls of a burst, the one the intake keeps as its cause (strongerCause)', () => {
  const at = (time: string, eventName: string, touched: Record<string, string>, who = 'ci-cleanup/nuke'): Cause => ({
    ...cause(eventName, `2026-11-26T${time}.000Z`),
    principalArn: `arn:aws:sts::${A}:assumed-role/${who}`,
    touched,
  });
  const route = at('02:13:07', 'DeleteRoute', { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' });
  const table = at('02:13:30', 'DeleteRouteTable', { routeTableId: 'rtb-3' });
  const subnet = at('02:14:00', 'DeleteSubnet', { subnetId: 'subnet-1' });
  const otherTable = at('02:15:00', 'DeleteRoute', { routeTableId: 'rtb-2', destinationCidrBlock: '0.0.0.0/0' });
  const replaced = at('02:16:00', 'ReplaceRoute', { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' });
  // The same route to EC2, spelled otherwise: CloudTrail keeps the caller's spelling.
  const spelled = at('02:12:00', 'DeleteRoute', { routeTableId: 'rtb-1', destinationCidrBlock: '10.1.2.3/0' });
  const detach = at('02:17:00', 'DetachInternetGateway', { internetGatewayId: 'igw-1', vpcId: 'vpc-1' });
  const deleteGateway = at('02:17:30', 'DeleteInternetGateway', { internetGatewayId: 'igw-1' });
  // A DeleteRoute of ::/0 keeps the table only: CloudTrail's destinationIpv6CidrBlock is no id a cause keeps.
  const ipv6 = at('02:18:07', 'DeleteRoute', { routeTableId: 'rtb-1' }, 'IncidentResponse/alice');
  const deleteVpc = at('02:19:00', 'DeleteVpc', { vpcId: 'vpc-1' });
  const bpa = at('02:20:00', 'ModifyVpcBlockPublicAccessOptions', {});
  const laterBpa = at('02:21:00', 'ModifyVpcBlockPublicAccessOptions', {});
  const ALL = {
    route,
    spelled,
    table,
    subnet,
    otherTable,
    replaced,
    detach,
    deleteGateway,
    ipv6,
    deleteVpc,
    bpa,
    laterBpa,
  };

  test.each<[string, Cause, Cause, Cause]>([
    ['the route over the subnets deleted after it', route, subnet, route],
    ['a table that can be the cause over a subnet', subnet, table, table],
    ['the route over its table deleted after it', route, table, route],
    ["0.0.0.0/0 over a later ::/0 of the same table, a responder's", route, ipv6, route],
    ["0.0.0.0/0 over a later DeleteRoute of another table's 0.0.0.0/0", route, otherTable, route],
    ['of the same route, the later call: it made the route what the sweep finds', route, replaced, replaced],
    ['of the same route however spelled, the later call', spelled, replaced, replaced],
    ['the gateway detached over its deletion after it', detach, deleteGateway, detach],
    ['of the same VPC, the later call: its deletion after its gateway was detached', detach, deleteVpc, deleteVpc],
    ['of a table and a gateway, different resources, the earlier', table, detach, table],
    ['Block Public Access: the later setting of the one setting there is', bpa, laterBpa, laterBpa],
  ])('%s', (_what, first, second, kept) => {
    expect(strongerCause(first, second)).toBe(kept);
    // The events may reach the intake in either order.
    expect(strongerCause(second, first)).toBe(kept);
  });

  test('the choice is the same in either order, for every two calls of a burst', () => {
    const causes = Object.entries(ALL);
    for (const [a, first] of causes) {
      for (const [b, second] of causes) {
        const one = Object.entries(ALL).find(([, value]) => value === strongerCause(first, second))?.[0];
        const other = Object.entries(ALL).find(([, value]) => value === strongerCause(second, first))?.[0];
        expect([a, b, one]).toEqual([a, b, other]);
      }
    }
  });

  test('a burst folded as the intake folds it keeps the clean-up that took 0.0.0.0/0, whatever the order', () => {
    const burst = [route, subnet, otherTable, ipv6];
    for (const order of [burst, [...burst].reverse(), [ipv6, route, otherTable, subnet]]) {
      expect(order.reduce((kept, next) => strongerCause(kept, next))).toBe(route);
    }
  });
});

test('the cause of a CloudTrail event: principal, session issuer, call, time, source IP, user agent (its product tokens)', () => {
  expect(causeOf(call().record)).toEqual({
    principalArn: `arn:aws:sts::${A}:assumed-role/ci-cleanup/nuke`,
    sessionIssuerArn: `arn:aws:iam::${A}:role/ci-cleanup`,
    eventName: 'DeleteRoute',
    eventTime: '2026-11-26T02:13:07.000Z',
    sourceIp: '198.51.100.7',
    userAgent: 'aws-nuke/3.56.2 aws-sdk-go/1.55.5',
    touched: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
  });
});

test('a 3,000-character user agent or principal is cut at the intake to the bound the targeted sweep takes: the repair still happens', () => {
  const long = `tool/${'x'.repeat(2_995)}`;
  const principal = `arn:aws:sts::${A}:assumed-role/ci-cleanup/${'s'.repeat(3_000)}`;
  const cause = causeOf(call({ userAgent: `${long} ${long}`, sessionName: 's'.repeat(3_000) }).record);
  expect(cause.principalArn).toBe(principal.slice(0, 2048));
  // A product token that long is no product token: left out, not cut.
  expect(cause.userAgent).toBeNull();
  const manyTokens = `aws-cli/2.17.0${' md/x'.repeat(600)}`;
  const withLongAgent = causeOf(call({ userAgent: manyTokens }).record);
  expect(withLongAgent.userAgent).toBe(manyTokens.slice(0, 2048));
  // The targeted repair event built from it passes the sweep's own validation.
  expect(() => parseInvocationEvent(targetedRepairEvent(A, 'eu-west-1', cause))).not.toThrow();
  expect(() => parseInvocationEvent(targetedRepairEvent(A, 'eu-west-1', withLongAgent))).not.toThrow();
});

test('an event that is not an EC2 CloudTrail event is refused, naming the field', () => {
  const event = cloudTrailEvent({ accountId: A, region: 'eu-west-1', eventName: 'DeleteRoute', time: new Date() });
  expect(() => parseBreakingEvent({ ...event, source: 'aws.s3' })).toThrow(EventValidationError);
  expect(() => parseBreakingEvent({ ...event, account: '12' })).toThrow(
    /account "12": must be a 12-digit AWS account id/,
  );
  expect(() => parseBreakingEvent({ ...event, region: 'moon-1' })).toThrow(/region "moon-1"/);
});

test("one schedule per account-region, within Scheduler's 64 characters; at() in whole seconds, rounded up", () => {
  const longest = quietPeriodScheduleName(A, 'ap-southeast-5');
  expect(longest).toBe(`repair-${A}-ap-southeast-5`);
  expect(longest.length).toBeLessThanOrEqual(64);
  expect(atExpression(new Date('2026-11-26T02:18:07.000Z'))).toBe('at(2026-11-26T02:18:07)');
  expect(atExpression(new Date('2026-11-26T02:18:07.001Z'))).toBe('at(2026-11-26T02:18:08)');
});

describe('the targeted repair event', () => {
  const event = targetedRepairEvent(A, 'eu-west-1', cause('DeleteRoute', '2026-11-26T02:13:07.000Z'));

  test('sweeps its one account-region and carries the cause', () => {
    const request = parseInvocationEvent(JSON.parse(JSON.stringify(event)));
    expect(request).toEqual({
      trigger: 'event',
      event: { accountIds: [A], regions: ['eu-west-1'] },
      cause: event.detail.cause,
    });
    expect(applyRequest(config(), request)).toEqual({
      config: config(),
      scope: {
        accountIds: [A],
        regions: ['eu-west-1'],
        cause: event.detail.cause,
        outsideTargets: 'leave-alone',
      },
    });
  });

  test('outside the configured targets it is left alone, with the reason, not refused', () => {
    const request = parseInvocationEvent(event);
    expect(applyRequest(config({ excludeAccountIds: A }), request).leftAlone).toBe(
      'account excluded by the configuration',
    );
    expect(applyRequest(config({ regions: 'us-east-1' }), request).leftAlone).toBe('region not configured');
  });

  test('a malformed one is refused before any AWS call, naming the field', () => {
    const bad = (detail: Record<string, unknown>) => () =>
      parseInvocationEvent({ ...event, detail: { ...event.detail, ...detail } });
    expect(bad({ accountId: 'x' })).toThrow(EventValidationError);
    expect(bad({ region: 'mars-1' })).toThrow(/detail/);
    expect(bad({ cause: { ...event.detail.cause, eventTime: 'yesterday' } })).toThrow(/ISO 8601/);
    expect(bad({ dryRun: false })).toThrow(EventValidationError);
  });
});

test("the intake's settings are read once from its environment; a bad one is named", () => {
  const environment = {
    [INTAKE_ENVIRONMENT_VARIABLES.scheduleGroupName]: 'AccountJanitor-repairs',
    [INTAKE_ENVIRONMENT_VARIABLES.sweepFunctionArn]: 'arn:aws:lambda:eu-west-1:111111111111:function:sweep',
    [INTAKE_ENVIRONMENT_VARIABLES.schedulerRoleArn]: 'arn:aws:iam::111111111111:role/scheduler',
    [INTAKE_ENVIRONMENT_VARIABLES.deadLetterQueueArn]: 'arn:aws:sqs:eu-west-1:111111111111:dlq',
  };
  expect(intakeSettingsFromEnvironment(environment).quietPeriodSeconds).toBe(300);
  expect(() =>
    intakeSettingsFromEnvironment({ ...environment, [INTAKE_ENVIRONMENT_VARIABLES.quietPeriodSeconds]: '5' }),
  ).toThrow(
    new ConfigError('invalid Lambda environment', [
      { field: 'JANITOR_QUIET_PERIOD_SECONDS', value: 5, message: 'must be from 60 to 86400 seconds' },
    ]),
  );
});

test('policy variables in conditions take the request value: the bus accepts only its own organization', () => {
  const policy = {
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } },
      },
    ],
  };
  const put = (context: Record<string, string>) =>
    evaluatePolicy(
      policy,
      { principal: { arn: `arn:aws:iam::${A}:role/f` }, action: 'events:PutEvents', resource: 'bus', context },
      'direct',
    ).decision;
  expect(put({ 'aws:PrincipalOrgID': 'o-aaaaaaaaaa', 'aws:ResourceOrgID': 'o-aaaaaaaaaa' })).toBe('allow');
  expect(put({ 'aws:PrincipalOrgID': 'o-bbbbbbbbbb', 'aws:ResourceOrgID': 'o-aaaaaaaaaa' })).toBe('none');
  // A variable the request lacks: unreadable, so no Allow.
  expect(put({ 'aws:PrincipalOrgID': 'o-aaaaaaaaaa' })).toBe('none');
});

test('where the call was made is the envelope EventBridge sets; a record that disagrees with it starts nothing', () => {
  const event = cloudTrailEvent({ accountId: A, region: 'eu-west-1', eventName: 'DeleteRoute', time: new Date() });
  expect(parseBreakingEvent(event)).toMatchObject({ accountId: A, region: 'eu-west-1' });
  expect(parseBreakingEvent(event).disagreement).toBeUndefined();
  const otherAccount = parseBreakingEvent({ ...event, account: B });
  expect(otherAccount).toMatchObject({ accountId: B, region: 'eu-west-1' });
  expect(ignoreReason(config(), otherAccount)).toBe(`the record's ${A}/eu-west-1 is not the event's ${B}/eu-west-1`);
  const otherRegion = parseBreakingEvent({ ...event, region: 'us-east-1' });
  expect(ignoreReason(config({ regions: 'eu-west-1,us-east-1' }), otherRegion)).toBe(
    `the record's ${A}/eu-west-1 is not the event's ${A}/us-east-1`,
  );
  // A record without them is read from the envelope.
  const bare = { ...(event['detail'] as Record<string, unknown>) };
  delete bare['recipientAccountId'];
  delete bare['awsRegion'];
  const enveloped = parseBreakingEvent({ ...event, account: B, region: 'us-east-1', detail: bare });
  expect(enveloped).toMatchObject({ accountId: B, region: 'us-east-1' });
  expect(enveloped.disagreement).toBeUndefined();
});
