import { testHandler } from '../support/test-handler';
import { parseSweepConfig } from '../../lambda/config/parse';
import { renderDigest } from '../../lambda/report/digest';
import { captureJsonLines } from '../support/capture-output';
import type { Emulator } from '../support/emulator';
import { callsNotAllowed } from '../support/permissions';
import { RecordingLogger } from '../support/recording-logger';
import { rowOf, useSweepHarness } from '../support/sweep-harness';

/**
 * Who broke it, on the nightly sweep: for each drifted account-region one CloudTrail LookupEvents
 * in that account and region. Moto has no LookupEvents: the proxy answers it in CloudTrail's own
 * wire format (AWS JSON 1.1, `CloudTrailEvent` a JSON string, `EventTime` in epoch seconds), and
 * with CloudTrail's throttling error.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness({ maxAttempts: 3 });
let emulator: Emulator;
let ouId: string;
let accounts: Record<'broken' | 'healthy', string>;
let routeTableId: string;

beforeEach(async () => {
  emulator = harness.emulator;
  ({ ouId, accounts } = await emulator.fixture.createSandboxOu(['broken', 'healthy'], [REGION]));
  routeTableId = await emulator.fixture.mainRouteTableId(accounts.broken, REGION);
  await emulator.fixture.deleteInternetRoute(accounts.broken, REGION);
  emulator.proxy.clear();
});

const nuke = (accountId: string) => `arn:aws:sts::${accountId}:assumed-role/ci-cleanup/nuke`;

/** A LookupEvents answer as CloudTrail sends it. */
function lookupReply(records: Record<string, unknown>[]): string {
  return JSON.stringify({
    Events: records.map((record, index) => ({
      EventId: `event-${index}`,
      EventName: record['eventName'],
      ReadOnly: 'false',
      EventTime: Date.parse(String(record['eventTime'])) / 1000,
      EventSource: 'ec2.amazonaws.com',
      Username: 'nuke',
      Resources: [{ ResourceType: 'AWS::EC2::RouteTable', ResourceName: routeTableId }],
      CloudTrailEvent: JSON.stringify(record),
    })),
  });
}

function deleteRoute(accountId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: nuke(accountId),
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${accountId}:role/ci-cleanup` } },
    },
    eventTime: new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DeleteRoute',
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-nuke/3.56.2 aws-sdk-go/1.55.5',
    requestParameters: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
    responseElements: { _return: true },
    ...overrides,
  };
}

const sweep = (raw: Record<string, unknown> = {}, logger = new RecordingLogger()) =>
  harness.sweep({ targetOuIds: ouId, regions: REGION, ...raw }, { logger });

test('the repaired row says who deleted the route, from CloudTrail in that account and region; healthy rows ask nothing', async () => {
  emulator.proxy.inject({
    match: { service: 'cloudtrail', action: 'LookupEvents', accountId: accounts.broken, region: REGION },
    reply: lookupReply([
      deleteRoute(accounts.broken, {
        userIdentity: { arn: `arn:aws:sts::${accounts.broken}:assumed-role/AccountJanitorMemberRole/account-janitor` },
      }),
      deleteRoute(accounts.broken),
      deleteRoute(accounts.broken, { errorCode: 'Client.InvalidRoute.NotFound' }),
    ]),
  });

  const report = await sweep();

  expect(rowOf(report, accounts.broken, REGION)).toMatchObject({
    status: 'restored',
    cause: {
      principalArn: nuke(accounts.broken),
      sessionIssuerArn: `arn:aws:iam::${accounts.broken}:role/ci-cleanup`,
      eventName: 'DeleteRoute',
      sourceIp: '198.51.100.7',
      userAgent: 'aws-nuke/3.56.2 aws-sdk-go/1.55.5',
    },
  });
  expect(rowOf(report, accounts.healthy, REGION)).toMatchObject({ status: 'ok', cause: null });
  const lookups = emulator.proxy.requests.filter((request) => request.action === 'LookupEvents');
  expect(lookups.map((request) => request.accountId)).toEqual([accounts.broken]);
  expect(JSON.parse(lookups[0]?.body ?? '{}')).toMatchObject({
    LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: routeTableId }],
  });
  expect(renderDigest(report)?.message).toContain(
    `0.0.0.0/0 deleted by ${nuke(accounts.broken)} (aws-nuke/3.56.2) at `,
  );
  const config = parseSweepConfig({ targetOuIds: ouId }, 'test', (key) => key);
  expect(callsNotAllowed(emulator.proxy.requests, config)).toEqual([]);
});

test('through the handler: TimeToRepair, seconds from the breaking call to the verified repair, in EMF', async () => {
  emulator.proxy.inject({
    match: { service: 'cloudtrail', action: 'LookupEvents', accountId: accounts.broken },
    reply: lookupReply([deleteRoute(accounts.broken)]),
  });
  const handler = testHandler(
    parseSweepConfig({ targetOuIds: ouId, regions: REGION }, 'test', (key) => key),
    harness.clients,
  );
  const { value: report, lines } = await captureJsonLines(() => handler({}));
  const row = rowOf(report, accounts.broken, REGION);
  const seconds = (Date.parse(String(row?.repairedAt)) - Date.parse(String(row?.cause?.eventTime))) / 1000;
  expect(seconds).toBeGreaterThan(3_000);
  const emf = lines.find((line) => '_aws' in line);
  expect(emf?.['TimeToRepair']).toBe(Math.round(seconds));
});

test("CloudTrail's throttling is retried; a lookup that keeps failing leaves cause null, never a failed row", async () => {
  emulator.proxy.inject({
    match: { service: 'cloudtrail', action: 'LookupEvents' },
    code: 'ThrottlingException',
    status: 400,
    message: 'Rate exceeded',
    times: 1,
  });
  emulator.proxy.inject({
    match: { service: 'cloudtrail', action: 'LookupEvents' },
    reply: lookupReply([deleteRoute(accounts.broken)]),
    times: 1,
  });
  expect(rowOf(await sweep(), accounts.broken, REGION)?.cause?.eventName).toBe('DeleteRoute');

  await emulator.fixture.deleteInternetRoute(accounts.broken, REGION);
  emulator.proxy.clear();
  emulator.proxy.inject({ match: { service: 'cloudtrail' }, code: 'AccessDeniedException', status: 400 });
  const logger = new RecordingLogger();
  const report = await sweep({}, logger);
  expect(rowOf(report, accounts.broken, REGION)).toMatchObject({ status: 'restored', cause: null });
  expect(logger.entries).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      message: 'cause not looked up',
      attributes: expect.objectContaining({ errorCode: 'AccessDeniedException' }),
    }),
  );
});

test('lookUpCauses=false (--no-causes): no CloudTrail call at all, and the member role needs none', async () => {
  const report = await sweep({ lookUpCauses: false });
  expect(rowOf(report, accounts.broken, REGION)).toMatchObject({ status: 'restored', cause: null });
  expect(emulator.proxy.count({ service: 'cloudtrail' })).toBe(0);
});

test('a stripped default security group, the route intact: who revoked its egress, looked up by the group', async () => {
  const groupId = await emulator.fixture.stripDefaultSecurityGroup(accounts.healthy, REGION);
  const revoke = {
    ...deleteRoute(accounts.healthy),
    eventName: 'RevokeSecurityGroupEgress',
    requestParameters: { groupId, ipPermissions: { items: [{ ipProtocol: '-1' }] } },
  };
  emulator.proxy.inject({
    match: { service: 'cloudtrail', action: 'LookupEvents', accountId: accounts.healthy },
    reply: lookupReply([revoke]),
  });
  const report = await sweep({ repairEgress: true, ...{ targetOuIds: [], accountIds: accounts.healthy } });
  expect(rowOf(report, accounts.healthy, REGION)).toMatchObject({
    status: 'ok',
    egress: { status: 'egress-restored' },
    cause: { eventName: 'RevokeSecurityGroupEgress', principalArn: nuke(accounts.healthy) },
  });
  const lookups = emulator.proxy.requests.filter((request) => request.action === 'LookupEvents');
  expect(lookups.map((request) => JSON.parse(request.body) as unknown)).toEqual([
    expect.objectContaining({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: groupId }] }),
  ]);
  expect(renderDigest(report)?.message).toContain(
    `egress-restored: egress: put back ${groupId} egress all traffic to 0.0.0.0/0; default security group egress revoked by ${nuke(accounts.healthy)}`,
  );
});

test('the egress check alone (egress-blocked, as a closed default group is in a CIS account) looks nothing up', async () => {
  await emulator.fixture.stripDefaultSecurityGroup(accounts.healthy, REGION);
  const report = await sweep({ checkEgress: true, targetOuIds: [], accountIds: accounts.healthy });
  expect(rowOf(report, accounts.healthy, REGION)).toMatchObject({ egress: { status: 'egress-blocked' }, cause: null });
  expect(emulator.proxy.count({ service: 'cloudtrail' })).toBe(0);
});
