import { janitorSessionArn } from '../../lambda/core/who-broke-it';
import { breakingCallPattern } from '../../lambda/core/breaking-call-pattern';
import { callsHeardWith } from '../support/breaking-calls';
import { matches } from '../support/event-pattern';
import { parseSweepConfig } from '../../lambda/config/parse';
import { breakingCallOptionsFor } from '../../lambda/core/breaking-calls';
import { refusedByScp } from '../../lambda/core/plan-protection';
import { parseBreakingEvent } from '../../lambda/events/breaking-event';
import { ignoreReason } from '../../lambda/events/intake';

/**
 * The event rule's pattern against realistic CloudTrail events, matched by moto's implementation
 * of EventBridge's matcher (moto's TestEventPattern API is a stub; its matcher is not). Every
 * breaking call matches; failed calls, reads, tags, instance launches and other services do not.
 */

function event(eventName: string, overrides: Record<string, unknown> = {}, source = 'aws.ec2') {
  return {
    version: '0',
    id: '6f1c2b2e-0000-0000-0000-000000000000',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '111122223333',
    time: '2026-11-26T02:13:07Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke' },
      eventTime: '2026-11-26T02:13:07Z',
      eventSource: source === 'aws.ec2' ? 'ec2.amazonaws.com' : `${source.slice(4)}.amazonaws.com`,
      eventName,
      awsRegion: 'eu-west-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-nuke/3.56.2',
      requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
      eventType: 'AwsApiCall',
      managementEvent: true,
      ...overrides,
    },
  };
}

/** The breaking calls' table, by the switch each is heard with. */
const BREAKING = callsHeardWith('always');
const SUBNET_CALLS = callsHeardWith('subnets');
const EGRESS_CALLS = callsHeardWith('egress');

test('every breaking call matches; ModifySubnetAttribute only with the subnet switches, the egress calls only with the egress switches', () => {
  const events = [...BREAKING, ...SUBNET_CALLS, ...EGRESS_CALLS].map((name) => event(name));
  const route = BREAKING.map(() => true);
  const [subnets, noSubnets] = [SUBNET_CALLS.map(() => true), SUBNET_CALLS.map(() => false)];
  const egress = EGRESS_CALLS.map(() => true);
  const noEgress = EGRESS_CALLS.map(() => false);
  expect(matches(breakingCallPattern({ subnets: false, egress: false }), events)).toEqual([
    ...route,
    ...noSubnets,
    ...noEgress,
  ]);
  expect(matches(breakingCallPattern({ subnets: true, egress: false }), events)).toEqual([
    ...route,
    ...subnets,
    ...noEgress,
  ]);
  expect(matches(breakingCallPattern({ subnets: false, egress: true }), events)).toEqual([
    ...route,
    ...noSubnets,
    ...egress,
  ]);
  expect(matches(breakingCallPattern({ subnets: true, egress: true }), events)).toEqual(events.map(() => true));
});

test('failed calls, reads, tags, launches and other services do not wake the janitor', () => {
  const quiet = [
    event('DeleteRoute', { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized' }),
    event('DescribeRouteTables'),
    event('CreateTags'),
    event('RunInstances'),
    event('CreateRoute'),
    // What the egress repair itself writes: never a breaking call.
    event('AuthorizeSecurityGroupEgress'),
    event('CreateNetworkAclEntry'),
    event('DeleteBucket', {}, 'aws.s3'),
    { ...event('DeleteRoute'), 'detail-type': 'EC2 Instance State-change Notification' },
  ];
  expect(matches(breakingCallPattern({ subnets: true, egress: true }), quiet)).toEqual(quiet.map(() => false));
});

test("the member accounts' rule leaves out the janitor's own session in that account (role and session name), and no one else", () => {
  const role = 'arn:aws:sts::111122223333:assumed-role/AccountJanitorMemberRole/';
  const janitor = janitorSessionArn('aws', '111122223333', 'AccountJanitorMemberRole');
  expect(janitor).toBe(`${role}account-janitor`);
  const pattern = breakingCallPattern({ subnets: true, egress: true, janitorSessionArn: janitor });
  const as = (arn: string, name = 'ReplaceRoute') => event(name, { userIdentity: { type: 'AssumedRole', arn } });
  const events = [
    as(janitor),
    as(janitor, 'ModifySubnetAttribute'),
    as(janitor, 'ReplaceNetworkAclEntry'),
    as('arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke'),
    // A role whose name merely starts like the janitor's.
    as('arn:aws:sts::111122223333:assumed-role/AccountJanitorMemberRole2/x'),
    as('arn:aws:iam::111122223333:user/alice', 'DeleteRoute'),
    as('arn:aws:iam::111122223333:root', 'DeleteVpc'),
    // Someone else's session of the janitor's role: an operator's, doctor's probe.
    as(`${role}alice@example.com`, 'DeleteRoute'),
    as(`${role}account-janitor-probe`, 'DeleteRoute'),
  ];
  expect(matches(pattern, events)).toEqual([false, false, false, true, true, true, true, true, true]);
});

test('with protectDefaultPath=enforce (refusals), a breaking call an SCP refused is heard too; other failures are not', () => {
  const refused = event('DeleteRoute', {
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: 'You are not authorized',
  });
  const other = event('DeleteRoute', { errorCode: 'Client.InvalidRoute.NotFound' });
  const ok = event('DeleteRoute');
  expect(matches(breakingCallPattern({ subnets: false, egress: false, refusals: true }), [refused, other, ok])).toEqual(
    [true, false, true],
  );
  expect(matches(breakingCallPattern({ subnets: false, egress: false }), [refused, other, ok])).toEqual([
    false,
    false,
    true,
  ]);
});

/**
 * The pattern drops only what the intake would leave alone, and passes only what it acts on but
 * for what no pattern can see (whether a CreateRoute's destination may shadow 0.0.0.0/0): every
 * breaking call, successful, refused by an SCP (EC2's encoded message, as AWS records it) or failed
 * otherwise, naming 0.0.0.0/0, ::/0 (no IPv4 destination), a private or a shadowing destination,
 * under enforce and without.
 */
test('the pattern drops exactly what the intake leaves alone, but for the destinations only the intake reads', () => {
  const ENCODED = 'You are not authorized to perform this operation. Encoded authorization failure message: AbCdEf0123';
  const failures = [
    {},
    { errorCode: 'Client.UnauthorizedOperation', errorMessage: ENCODED },
    { errorCode: 'AccessDenied', errorMessage: ENCODED },
    { errorCode: 'Client.InvalidRoute.NotFound', errorMessage: 'no route' },
  ];
  const destinations = [
    { destinationCidrBlock: '0.0.0.0/0' },
    // 0.0.0.0/0 to EC2 (it clears the host bits); the record keeps this spelling.
    { destinationCidrBlock: '10.1.2.3/0' },
    { destinationIpv6CidrBlock: '::/0' },
    { destinationCidrBlock: '::/0' },
    { destinationCidrBlock: '0.0.0.0/00' },
    { destinationCidrBlock: '10.0.0.0/8' },
    { destinationCidrBlock: '0.0.0.0/1' },
  ];
  const names = [...BREAKING, ...SUBNET_CALLS, ...EGRESS_CALLS, ...callsHeardWith('reach')];
  for (const protectDefaultPath of ['off', 'enforce'] as const) {
    const config = parseSweepConfig(
      { allAccounts: true, regions: 'eu-west-1', checkDefaultSubnets: true, checkEgress: true, protectDefaultPath },
      'test',
      (key) => key,
    );
    const events = names.flatMap((name) =>
      failures.flatMap((failure) =>
        destinations.map((destination) =>
          event(name, { ...failure, requestParameters: { routeTableId: 'rtb-1', vpcId: 'vpc-1', ...destination } }),
        ),
      ),
    );
    const heard = matches(breakingCallPattern(breakingCallOptionsFor(config)), events);
    const reasons = events.map((raw) => {
      const parsed = parseBreakingEvent(raw);
      const refused = protectDefaultPath === 'enforce' && refusedByScp(parsed.record) !== null;
      return ignoreReason(config, parsed, refused);
    });
    const dropped = events.filter((_, index) => !heard[index] && reasons[index] === null);
    expect([protectDefaultPath, dropped.map(describe)]).toEqual([protectDefaultPath, []]);
    const passedButIgnored = events.filter((_, index) => heard[index] && reasons[index] !== null).map(describe);
    expect([protectDefaultPath, passedButIgnored.filter((what) => !what.startsWith('CreateRoute '))]).toEqual([
      protectDefaultPath,
      [],
    ]);
    // What is heard at all: some of each kind the configuration acts on.
    expect(heard.filter(Boolean).length).toBeGreaterThan(names.length);
  }
});

test('under enforce, refused calls the guard rail never refuses, and refused calls about another destination, are not forwarded', () => {
  const pattern = breakingCallPattern({ subnets: true, egress: true, refusals: true });
  const refused = {
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: 'Encoded authorization failure message: x',
  };
  const loop = [
    // The starving loop: a role with no permissions deleting a route it may not.
    event('DeleteRoute', {
      ...refused,
      requestParameters: { routeTableId: 'rtb-1', destinationIpv6CidrBlock: '::/0' },
    }),
    event('DeleteRouteTable', { ...refused, requestParameters: { routeTableId: 'rtb-1' } }),
    event('ModifySubnetAttribute', { ...refused, requestParameters: { subnetId: 'subnet-1' } }),
    event('DeleteRoute', refused),
  ];
  expect(matches(pattern, loop)).toEqual([false, false, false, true]);
});

function describe(raw: ReturnType<typeof event>): string {
  const { eventName, errorCode, requestParameters } = raw.detail as {
    eventName: string;
    errorCode?: string;
    requestParameters: unknown;
  };
  return `${eventName} ${errorCode ?? 'ok'} ${JSON.stringify(requestParameters)}`;
}
