import { CreateRouteCommand, DeleteRouteCommand } from '@aws-sdk/client-ec2';
import { runCli } from '../../cli/cli';
import { targetedRepairEvent } from '../../lambda/events/targeted-repair';
import { parseSweepConfig } from '../../lambda/config/parse';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import { renderDigest } from '../../lambda/report/digest';
import { captureJsonLines } from '../support/capture-output';
import { capturedIo } from '../support/cli-io';
import type { Emulator } from '../support/emulator';
import { rowOf, useSweepHarness } from '../support/sweep-harness';
import { testHandler } from '../support/test-handler';

/**
 * A responder's containment is not undone (respectPrincipals): an incident responder quarantines a
 * default VPC (strips its network ACL, deletes its route); the nightly sweep (the cause from
 * CloudTrail: moto has no LookupEvents, the proxy answers in CloudTrail's wire format) and the
 * event path (the cause carried) report it `left-by-responder` and write nothing; someone else's
 * later call, or the CLI's --repair-anyway, lets the repair happen.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness({ maxAttempts: 3 });
let emulator: Emulator;
let ouId: string;
let accounts: Record<'quarantined', string>;
/** The responders' pattern: their role in the quarantined account (a pattern names its account). */
let RESPONDER: string;

beforeEach(async () => {
  emulator = harness.emulator;
  ({ ouId, accounts } = await emulator.fixture.createSandboxOu(['quarantined'], [REGION]));
  RESPONDER = `arn:aws:iam::${accounts.quarantined}:role/IncidentResponse*`;
});

const responder = (accountId: string) => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/IncidentResponseOnCall/alice`,
  role: `arn:aws:iam::${accountId}:role/IncidentResponseOnCall`,
});
const nuke = (accountId: string) => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/ci-cleanup/nuke`,
  role: `arn:aws:iam::${accountId}:role/ci-cleanup`,
});

/** A CloudTrail record of a call by `who`, minutes ago. */
function record(
  who: { arn: string; role: string },
  eventName: string,
  requestParameters: Record<string, unknown>,
  minutesAgo: number,
) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: who.arn,
      sessionContext: { sessionIssuer: { type: 'Role', arn: who.role } },
    },
    eventTime: new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.0',
    requestParameters,
  };
}

/** CloudTrail's LookupEvents answer (newest first, as CloudTrail sends them). */
function answerLookups(records: ReturnType<typeof record>[]) {
  emulator.proxy.inject({
    match: { service: 'cloudtrail', action: 'LookupEvents', accountId: accounts.quarantined },
    reply: JSON.stringify({
      Events: records.map((entry, index) => ({
        EventId: `event-${index}`,
        EventName: entry.eventName,
        ReadOnly: 'false',
        EventTime: Date.parse(entry.eventTime) / 1000,
        EventSource: 'ec2.amazonaws.com',
        CloudTrailEvent: JSON.stringify(entry),
      })),
    }),
  });
}

const writes = () =>
  emulator.proxy.requests
    .filter((request) => request.service === 'ec2' && !request.action.startsWith('Describe'))
    .map((request) => request.action);

test("the nightly sweep leaves a responder's network ACL quarantine as it is, and says so (exit 1, its own digest line)", async () => {
  const aclId = await emulator.fixture.stripDefaultNetworkAcl(accounts.quarantined, REGION);
  emulator.proxy.clear();
  answerLookups([record(responder(accounts.quarantined), 'DeleteNetworkAclEntry', { networkAclId: aclId }, 30)]);
  const report = await harness.sweep({
    targetOuIds: ouId,
    regions: REGION,
    repairEgress: true,
    respectPrincipals: RESPONDER,
  });
  const row = rowOf(report, accounts.quarantined, REGION);
  expect(row).toMatchObject({
    status: 'left-by-responder',
    egress: { status: 'egress-blocked' },
    cause: { eventName: 'DeleteNetworkAclEntry', principalArn: responder(accounts.quarantined).arn },
  });
  expect(row?.message).toBe(`not repaired: a responder's change (respectPrincipals ${RESPONDER})`);
  expect(writes()).toEqual([]);
  // Looked up as far back as CloudTrail's event history goes.
  const lookup = emulator.proxy.requests.find((request) => request.action === 'LookupEvents');
  const { StartTime: startTime, EndTime: endTime } = JSON.parse(lookup?.body ?? '{}') as Record<string, number>;
  expect(Math.round(((endTime ?? 0) - (startTime ?? 0)) / 86_400)).toBe(90);
  expect(renderDigest(report)?.message).toContain(
    `Left as a responder made it (respectPrincipals): clear it with the CLI's --repair-anyway, or tag account-janitor:ignore=true (1):\n  ${accounts.quarantined} (quarantined) ${REGION}`,
  );
  expect(await emulator.fixture.defaultEgress(accounts.quarantined, REGION)).toMatchObject({
    acl: { Entries: expect.not.arrayContaining([expect.objectContaining({ RuleNumber: 100 })]) as unknown },
  });

  // Without respectPrincipals the same sweep puts rule 100 back: the quarantine would be undone.
  const undone = await harness.sweep({ targetOuIds: ouId, regions: REGION, repairEgress: true });
  expect(rowOf(undone, accounts.quarantined, REGION)?.egress?.status).toBe('egress-restored');
});

test("a responder's deleted route is left too; a later call by someone else makes it a clean-up's again, and it is repaired", async () => {
  const routeTableId = await emulator.fixture.mainRouteTableId(accounts.quarantined, REGION);
  await emulator.fixture.deleteInternetRoute(accounts.quarantined, REGION);
  const deleteRoute = { routeTableId, destinationCidrBlock: '0.0.0.0/0' };
  answerLookups([record(responder(accounts.quarantined), 'DeleteRoute', deleteRoute, 60)]);
  const sweep = () => harness.sweep({ targetOuIds: ouId, regions: REGION, respectPrincipals: RESPONDER });
  const left = await sweep();
  expect(rowOf(left, accounts.quarantined, REGION)).toMatchObject({
    status: 'left-by-responder',
    previousTarget: null,
    message: expect.stringMatching(
      /^not repaired: a responder's change \(respectPrincipals .*\); 0\.0\.0\.0\/0 /,
    ) as unknown,
  });
  expect(writes()).toEqual([]);

  // The responder's call is no longer the latest: a clean-up's DeleteRoute came after it.
  emulator.proxy.clear();
  answerLookups([
    record(nuke(accounts.quarantined), 'DeleteRoute', deleteRoute, 5),
    record(responder(accounts.quarantined), 'DeleteRoute', deleteRoute, 60),
  ]);
  const repaired = await sweep();
  expect(rowOf(repaired, accounts.quarantined, REGION)).toMatchObject({
    status: 'restored',
    cause: { principalArn: nuke(accounts.quarantined).arn },
  });
  expect(writes()).toEqual(['CreateRoute']);
});

test("a responder's quarantine left longer than respectFor needs a person again: the digest says how long, a metric counts it; it is still not undone", async () => {
  const aclId = await emulator.fixture.stripDefaultNetworkAcl(accounts.quarantined, REGION);
  emulator.proxy.clear();
  const nineDays = 9 * 24 * 60 + 3 * 60;
  answerLookups([record(responder(accounts.quarantined), 'DeleteNetworkAclEntry', { networkAclId: aclId }, nineDays)]);
  const sweep = (raw: Record<string, unknown> = {}) =>
    harness.sweep({ targetOuIds: ouId, regions: REGION, repairEgress: true, respectPrincipals: RESPONDER, ...raw });
  const report = await sweep();
  const row = rowOf(report, accounts.quarantined, REGION);
  expect(row).toMatchObject({ status: 'left-by-responder', respectOverdue: true });
  const line = `not repaired: a responder's change (respectPrincipals ${RESPONDER}), left 9 d 3 h, longer than respectFor (7d): it needs a person again`;
  expect(row?.message).toBe(line);
  expect(renderDigest(report)?.message).toContain(line);
  expect(sweepMetrics(report).LeftByResponderOverdue).toBe(1);
  expect(writes()).toEqual([]);

  // With respectFor 30d it is within the time a responder's change is left: no person needed yet.
  const within = rowOf(await sweep({ respectFor: '30d' }), accounts.quarantined, REGION);
  expect(within).toMatchObject({
    status: 'left-by-responder',
    message: `not repaired: a responder's change (respectPrincipals ${RESPONDER})`,
  });
  expect(within?.respectOverdue).toBeUndefined();
});

test('the CLI with --respect-principal leaves it (exit 1); with --repair-anyway too, it repairs it', async () => {
  await emulator.fixture.deleteInternetRoute(accounts.quarantined, REGION);
  const routeTableId = await emulator.fixture.mainRouteTableId(accounts.quarantined, REGION);
  answerLookups([
    record(responder(accounts.quarantined), 'DeleteRoute', { routeTableId, destinationCidrBlock: '0.0.0.0/0' }, 10),
  ]);
  const cli = async (...extra: string[]) => {
    const output = capturedIo();
    const args = ['--ou', ouId, '--region', REGION, '--respect-principal', RESPONDER, ...extra];
    const code = await runCli(['node', 'account-janitor', ...args], output.io);
    return { code, stdout: output.stdout() };
  };
  const left = await cli();
  expect(left.code).toBe(1);
  expect(left.stdout).toContain('left-by-responder');
  expect(writes()).toEqual([]);
  const anyway = await cli('--repair-anyway');
  expect(anyway.code).toBe(0);
  expect(anyway.stdout).toMatch(/restored/);
  expect(writes()).toEqual(['CreateRoute']);
});

test('the event path: a targeted repair whose carried cause is a responder writes nothing', async () => {
  const aclId = await emulator.fixture.stripDefaultNetworkAcl(accounts.quarantined, REGION);
  const config = parseSweepConfig(
    { targetOuIds: ouId, regions: REGION, repairEgress: true, respectPrincipals: RESPONDER },
    'test',
    (key) => key,
  );
  emulator.proxy.clear();
  const call = record(responder(accounts.quarantined), 'DeleteNetworkAclEntry', { networkAclId: aclId }, 5);
  const event = targetedRepairEvent(accounts.quarantined, REGION, {
    principalArn: call.userIdentity.arn,
    sessionIssuerArn: call.userIdentity.sessionContext.sessionIssuer.arn,
    eventName: call.eventName,
    eventTime: call.eventTime,
    sourceIp: null,
    userAgent: 'aws-cli/2.17.0',
    touched: { networkAclId: aclId },
  });
  const { value: report, lines } = await captureJsonLines(() => testHandler(config, harness.clients)(event));
  expect(rowOf(report, accounts.quarantined, REGION)?.status).toBe('left-by-responder');
  expect(lines).toContainEqual(
    expect.objectContaining({ level: 'WARN', message: 'left as a responder made it', pattern: RESPONDER }),
  );
  // The carried cause sufficed: no CloudTrail lookup, and no write.
  expect(emulator.proxy.count({ service: 'cloudtrail' })).toBe(0);
  expect(writes()).toEqual([]);
});

/**
 * A clean-up deletes 0.0.0.0/0; five minutes later a responder deletes the table's `::/0` (the
 * default VPC given an IPv6 block first, as AWS needs for an IPv6 route). Both on the wire, in
 * moto; CloudTrail's records of them from the proxy. Returns the table and the records.
 */
async function cleanupThenResponderOnIpv6() {
  const { fixture } = emulator;
  const ec2 = await fixture.ec2(accounts.quarantined, REGION);
  const routeTableId = await fixture.mainRouteTableId(accounts.quarantined, REGION);
  const gatewayId = await fixture.defaultVpcGatewayId(accounts.quarantined, REGION);
  await fixture.addIpv6(accounts.quarantined, REGION);
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: routeTableId, DestinationIpv6CidrBlock: '::/0', GatewayId: gatewayId }),
  );
  await fixture.deleteInternetRoute(accounts.quarantined, REGION);
  await ec2.send(new DeleteRouteCommand({ RouteTableId: routeTableId, DestinationIpv6CidrBlock: '::/0' }));
  const cleanup = record(
    nuke(accounts.quarantined),
    'DeleteRoute',
    { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
    10,
  );
  const ipv6 = record(
    responder(accounts.quarantined),
    'DeleteRoute',
    { routeTableId, destinationIpv6CidrBlock: '::/0' },
    5,
  );
  emulator.proxy.clear();
  return { routeTableId, gatewayId, cleanup, ipv6 };
}

test("a responder's later DeleteRoute of ::/0 is not what took 0.0.0.0/0: the clean-up's is named, and the route is restored", async () => {
  const { routeTableId, gatewayId, cleanup, ipv6 } = await cleanupThenResponderOnIpv6();
  answerLookups([ipv6, cleanup]);
  const report = await harness.sweep({ targetOuIds: ouId, regions: REGION, respectPrincipals: RESPONDER });
  expect(rowOf(report, accounts.quarantined, REGION)).toMatchObject({
    status: 'restored',
    cause: {
      principalArn: nuke(accounts.quarantined).arn,
      eventName: 'DeleteRoute',
      touched: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
    },
  });
  expect(writes()).toEqual(['CreateRoute']);
  expect(await emulator.fixture.internetRouteTarget(accounts.quarantined, REGION)).toBe(gatewayId);
});

test("the event path: a carried cause that is a responder's ::/0 is not the route's; the lookup names the clean-up, and the route is restored", async () => {
  const { ipv6, cleanup } = await cleanupThenResponderOnIpv6();
  answerLookups([ipv6, cleanup]);
  const config = parseSweepConfig(
    { targetOuIds: ouId, regions: REGION, respectPrincipals: RESPONDER },
    'test',
    (key) => key,
  );
  const event = targetedRepairEvent(accounts.quarantined, REGION, {
    principalArn: ipv6.userIdentity.arn,
    sessionIssuerArn: ipv6.userIdentity.sessionContext.sessionIssuer.arn,
    eventName: ipv6.eventName,
    eventTime: ipv6.eventTime,
    sourceIp: null,
    userAgent: 'aws-cli/2.17.0',
    touched: { routeTableId: ipv6.requestParameters['routeTableId'] as string },
  });
  const { value: report } = await captureJsonLines(() => testHandler(config, harness.clients)(event));
  expect(rowOf(report, accounts.quarantined, REGION)).toMatchObject({
    status: 'restored',
    cause: { principalArn: nuke(accounts.quarantined).arn },
  });
  expect(writes()).toEqual(['CreateRoute']);
});
