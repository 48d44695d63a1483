import {
  AssociateRouteTableCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DescribeTagsCommand,
} from '@aws-sdk/client-ec2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { cloudTrailEvent, intakeSettingsFor, runDueRepairs } from '../support/event-path';
import { takeBreakingEvent } from '../../lambda/events/intake';
import type { SweepReport } from '../../lambda/core/report';
import { RecordingLogger } from '../support/recording-logger';
import { PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import { parseSweepConfig } from '../../lambda/config/parse';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import { targetedRepairEvent } from '../../lambda/events/targeted-repair';
import { renderDigest } from '../../lambda/report/digest';
import { captureJsonLines } from '../support/capture-output';
import type { Emulator } from '../support/emulator';
import { callsNotAllowed } from '../support/permissions';
import { AWS_MESSAGES, decodedAuthorizationMessage, decodedDenial } from '../support/aws-proxy';
import { GUARD_RAIL_STATEMENT_IDS } from '../../lambda/contract/permissions';
import { rowOf, useSweepHarness } from '../support/sweep-harness';
import { testHandler } from '../support/test-handler';

/**
 * The guard rail's tag against moto (protectDefaultPath audit): the sweep tags exactly the default
 * path's resources account-janitor:protected=true, once, within the cap, never an ignored one,
 * nothing in report mode; a breaking call on a tagged resource is named as one the guard rail
 * would have refused.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness();
let emulator: Emulator;
let ouId: string;
let rootId: string;
let accounts: Record<'alpha' | 'beta', string>;

beforeEach(async () => {
  emulator = harness.emulator;
  ({ ouId, rootId, accounts } = await emulator.fixture.createSandboxOu(['alpha', 'beta'], [REGION]));
  emulator.proxy.clear();
});

const sweep = (raw: Record<string, unknown> = {}) =>
  harness.sweep({ targetOuIds: ouId, regions: REGION, protectDefaultPath: 'audit', ...raw });

/** The resources of an account-region that carry the guard rail's tag, by id. */
async function protectedIds(accountId: string): Promise<string[]> {
  const ec2 = await emulator.fixture.ec2(accountId, REGION);
  const { Tags } = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: [PROTECT_TAG_KEY] }] }));
  return (Tags ?? []).map((tag) => String(tag.ResourceId)).sort();
}

/** The default path of an account-region: the VPC, its main route table, gateway and default subnets (and egress). */
async function defaultPath(accountId: string, withEgress = false): Promise<string[]> {
  const { fixture } = emulator;
  const ids = [
    await fixture.defaultVpcId(accountId, REGION),
    await fixture.mainRouteTableId(accountId, REGION),
    String(await fixture.defaultVpcGatewayId(accountId, REGION)),
    ...(await fixture.defaultSubnets(accountId, REGION)).map((subnet) => String(subnet.SubnetId)),
  ];
  if (withEgress) {
    const { group, acl } = await fixture.defaultEgress(accountId, REGION);
    ids.push(String(group.GroupId), String(acl.NetworkAclId));
  }
  return ids.sort();
}

test('audit tags the default VPC, its main route table, gateway and default subnets (and with checkEgress its default group and ACL) once; a second sweep writes nothing', async () => {
  const first = await sweep({ checkEgress: true });
  expect(await protectedIds(accounts.alpha)).toEqual(await defaultPath(accounts.alpha, true));
  expect(rowOf(first, accounts.alpha, REGION)?.protection).toMatchObject({
    status: 'protected',
    tagged: expect.arrayContaining(await defaultPath(accounts.alpha, true)) as unknown,
  });
  // One CreateTags per account-region, with exactly that tag; allowed by the member role's policy.
  const creates = emulator.proxy.requests.filter((request) => request.action === 'CreateTags');
  expect(creates).toHaveLength(2);
  expect(creates.every((request) => request.params.get('Tag.1.Key') === PROTECT_TAG_KEY)).toBe(true);
  expect(
    callsNotAllowed(
      emulator.proxy.requests,
      parseSweepConfig({ targetOuIds: ouId, protectDefaultPath: 'audit', checkEgress: true }, 'test', (key) => key),
    ),
  ).toEqual([]);
  const tagged = (await defaultPath(accounts.alpha, true)).length + (await defaultPath(accounts.beta, true)).length;
  expect(sweepMetrics(first).DefaultPathTagged).toBe(tagged);

  emulator.proxy.clear();
  const second = await sweep({ checkEgress: true });
  expect(harness.writesOnTheWire()).toEqual([]);
  expect(rowOf(second, accounts.beta, REGION)?.protection).toMatchObject({ status: 'protected', tagged: [] });
});

test('never an ignored resource; within the cap; report mode tags nothing and says what it would tag', async () => {
  await emulator.fixture.tagIgnored(accounts.alpha, REGION, 'route-table');
  await emulator.fixture.tagIgnored(accounts.beta, REGION, 'vpc');
  await sweep();
  const routeTable = await emulator.fixture.mainRouteTableId(accounts.alpha, REGION);
  expect(await protectedIds(accounts.alpha)).toEqual(
    (await defaultPath(accounts.alpha)).filter((id) => id !== routeTable),
  );
  // A default VPC tagged to be ignored: nothing of it is tagged.
  expect(await protectedIds(accounts.beta)).toEqual([]);

  const { fixture } = emulator;
  const otherOu = await fixture.createOu(rootId, 'More');
  const others = {
    gamma: await fixture.createAccount('gamma', otherOu, rootId),
    delta: await fixture.createAccount('delta', otherOu, rootId),
  };
  for (const account of Object.values(others)) await fixture.provisionDefaultNetwork(account, REGION);
  emulator.proxy.clear();
  const dry = await harness.sweep({
    targetOuIds: otherOu,
    regions: REGION,
    protectDefaultPath: 'audit',
    mode: 'report',
  });
  expect(harness.writesOnTheWire()).toEqual([]);
  expect(rowOf(dry, others.gamma, REGION)?.protection).toMatchObject({
    status: 'would-protect',
    message: expect.stringMatching(/^would tag vpc-/) as unknown,
  });
  const capped = await harness.sweep({
    targetOuIds: otherOu,
    regions: REGION,
    protectDefaultPath: 'audit',
    maxRepairsPerRun: 1,
  });
  expect(harness.writesOnTheWire()).toEqual(['CreateTags']);
  expect(capped.results.map((row) => row.protection?.status).sort()).toEqual(['protected', 'would-protect']);
});

test('a breaking call on a tagged route table: repaired as always, and named as one the guard rail would have refused', async () => {
  await sweep();
  const routeTableId = await emulator.fixture.mainRouteTableId(accounts.alpha, REGION);
  await emulator.fixture.deleteInternetRoute(accounts.alpha, REGION);
  const config = parseSweepConfig(
    { targetOuIds: ouId, regions: REGION, protectDefaultPath: 'audit' },
    'test',
    (key) => key,
  );
  const principalArn = `arn:aws:sts::${accounts.alpha}:assumed-role/ci-cleanup/nuke`;
  const event = targetedRepairEvent(accounts.alpha, REGION, {
    principalArn,
    sessionIssuerArn: null,
    eventName: 'DeleteRoute',
    eventTime: '2026-12-04T02:13:07.000Z',
    sourceIp: null,
    userAgent: null,
    touched: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
  });
  const { value: report, lines } = await captureJsonLines(() => testHandler(config, harness.clients)(event));
  expect(rowOf(report, accounts.alpha, REGION)).toMatchObject({
    status: 'restored',
    wouldBlock: { principalArn, eventName: 'DeleteRoute', resourceId: routeTableId },
  });
  expect(lines).toContainEqual(
    expect.objectContaining({
      message: 'sweep finished',
      metrics: expect.objectContaining({ GuardRailWouldBlock: 1 }),
    }),
  );
  expect(renderDigest(report, 'event')?.message).toContain(
    `The guard rail would have refused (protectDefaultPath=audit): fix these clean-ups, or exempt them, before enforce (1):\n  ${principalArn} DeleteRoute on ${routeTableId} in ${accounts.alpha}/${REGION} at 2026-12-04 02:13:07 UTC`,
  );
});

test('a CreateRoute that shadows 0.0.0.0/0 on the tagged main table is named as one the guard rail would have refused (enforce refuses it: the more-specific-route hijack)', async () => {
  await sweep();
  const routeTableId = await emulator.fixture.mainRouteTableId(accounts.alpha, REGION);
  const ec2 = await emulator.fixture.ec2(accounts.alpha, REGION);
  const [subnet] = await emulator.fixture.defaultSubnets(accounts.alpha, REGION);
  const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet?.SubnetId }));
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: routeTableId,
      DestinationCidrBlock: '0.0.0.0/1',
      NetworkInterfaceId: NetworkInterface?.NetworkInterfaceId,
    }),
  );
  const config = parseSweepConfig(
    { targetOuIds: ouId, regions: REGION, protectDefaultPath: 'audit' },
    'test',
    (key) => key,
  );
  const principalArn = `arn:aws:sts::${accounts.alpha}:assumed-role/ci-cleanup/nuke`;
  const event = targetedRepairEvent(accounts.alpha, REGION, {
    principalArn,
    sessionIssuerArn: null,
    eventName: 'CreateRoute',
    eventTime: '2026-12-04T02:13:07.000Z',
    sourceIp: null,
    userAgent: null,
    touched: { routeTableId, destinationCidrBlock: '0.0.0.0/1' },
  });
  const report = await testHandler(config, harness.clients)(event);
  expect(rowOf(report, accounts.alpha, REGION)).toMatchObject({
    reach: { status: 'route-shadowed' },
    cause: { eventName: 'CreateRoute' },
    wouldBlock: { principalArn, eventName: 'CreateRoute', resourceId: routeTableId },
  });
});

test('a default subnet associated with another table: its subnet is tagged too, so the AssociateRouteTable is one the guard rail would have refused', async () => {
  await sweep();
  const ec2 = await emulator.fixture.ec2(accounts.alpha, REGION);
  const vpcId = await emulator.fixture.defaultVpcId(accounts.alpha, REGION);
  const [subnet] = await emulator.fixture.defaultSubnets(accounts.alpha, REGION);
  const subnetId = String(subnet?.SubnetId);
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const routeTableId = String(RouteTable?.RouteTableId);
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
  const config = parseSweepConfig(
    { targetOuIds: ouId, regions: REGION, protectDefaultPath: 'audit' },
    'test',
    (key) => key,
  );
  const principalArn = `arn:aws:sts::${accounts.alpha}:assumed-role/ci-cleanup/nuke`;
  const event = targetedRepairEvent(accounts.alpha, REGION, {
    principalArn,
    sessionIssuerArn: null,
    eventName: 'AssociateRouteTable',
    eventTime: '2026-12-04T02:13:07.000Z',
    sourceIp: null,
    userAgent: null,
    touched: { routeTableId, subnetId },
  });
  const report = await testHandler(config, harness.clients)(event);
  expect(rowOf(report, accounts.alpha, REGION)).toMatchObject({
    reach: { status: 'subnet-off-path' },
    cause: { eventName: 'AssociateRouteTable' },
    wouldBlock: { principalArn, eventName: 'AssociateRouteTable', resourceId: subnetId },
  });
});

describe('enforce: a refused breaking call is heard and named', () => {
  const QUIET_SECONDS = 300;
  const start = new Date('2026-12-04T02:00:00Z');
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  const configOf = (protectDefaultPath: string) =>
    parseSweepConfig({ targetOuIds: ouId, regions: REGION, protectDefaultPath }, 'test', (key) => key);

  /**
   * CloudTrail's record of a DeleteRoute EC2 refused: the SCP's or the caller's own policy's, named
   * in clear; or (`encoded`) as EC2 says it and CloudTrail records it, with the encoded message only.
   */
  const refusedDeleteRoute = async (by: 'scp' | 'iam' | 'encoded') => {
    const routeTableId = await emulator.fixture.mainRouteTableId(accounts.alpha, REGION);
    const arn = `arn:aws:sts::${accounts.alpha}:assumed-role/ci-cleanup/nuke`;
    const named =
      by === 'scp'
        ? 'with an explicit deny in a service control policy'
        : 'because no identity-based policy allows the ec2:DeleteRoute action';
    return {
      routeTableId,
      event: cloudTrailEvent({
        accountId: accounts.alpha,
        region: REGION,
        eventName: 'DeleteRoute',
        time: start,
        requestParameters: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
        errorCode: 'Client.UnauthorizedOperation',
        errorMessage:
          by === 'encoded'
            ? AWS_MESSAGES.encoded(ENCODED_REFUSAL)
            : `You are not authorized to perform this operation. User: ${arn} is not authorized to perform: ec2:DeleteRoute on resource: arn:aws:ec2:${REGION}:${accounts.alpha}:route-table/${routeTableId} ${named}. Encoded authorization failure message: AbCd`,
      }),
    };
  };
  const ENCODED_REFUSAL = 'encodedGuardRailRefusal-Xy_1';

  test('the intake schedules the account-region; its targeted sweep finds it healthy and names the clean-up in the digest', async () => {
    const scheduler = harness.clients.hub(SchedulerClient);
    const settings = await intakeSettingsFor(scheduler, QUIET_SECONDS);
    const logger = new RecordingLogger();
    const intake = (event: unknown, mode: string) =>
      takeBreakingEvent(event, { config: configOf(mode), settings, scheduler, logger, now: () => at(1) });
    const { event, routeTableId } = await refusedDeleteRoute('scp');
    // Without enforce, or refused by the caller's own policy: a failed call, left alone.
    await expect(intake(event, 'audit')).resolves.toEqual({
      action: 'left-alone',
      reason: 'the call failed (Client.UnauthorizedOperation)',
    });
    await expect(intake((await refusedDeleteRoute('iam')).event, 'enforce')).resolves.toMatchObject({
      action: 'left-alone',
    });
    await expect(intake(event, 'enforce')).resolves.toMatchObject({ action: 'scheduled' });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        message: 'the guard rail refused a breaking call',
        attributes: expect.objectContaining({ resourceId: routeTableId }) as unknown,
      }),
    );

    const handler = testHandler(configOf('enforce'), harness.clients);
    const { value: reports } = await captureJsonLines(() =>
      runDueRepairs(scheduler, settings.scheduleGroupName, at(1 + QUIET_SECONDS), (input) => handler(input)),
    );
    const [report] = reports as [SweepReport];
    const principalArn = `arn:aws:sts::${accounts.alpha}:assumed-role/ci-cleanup/nuke`;
    expect(rowOf(report, accounts.alpha, REGION)).toMatchObject({
      status: 'ok',
      cause: null,
      guardRailBlocked: [{ principalArn, eventName: 'DeleteRoute', resourceId: routeTableId }],
    });
    expect(harness.writesOnTheWire()).toEqual(['CreateTags']);
    expect(sweepMetrics(report).GuardRailBlocked).toBe(1);
    expect(renderDigest(report, 'event')?.message).toContain(
      `Refused by the guard rail (protectDefaultPath=enforce): clean-ups that need fixing (skip the account-janitor:protected tag, or exempt them) (1):\n  ${principalArn} DeleteRoute on ${routeTableId} in ${accounts.alpha}/${REGION} at 2026-12-04 02:00:00 UTC`,
    );
  });

  test.each([
    ['its decoded statement is the guard rail’s: named', GUARD_RAIL_STATEMENT_IDS.breakingCalls, 'named'],
    ['it is decoded as another policy’s: not the guard rail’s, not named', 'DenyNetworkChanges', 'left out'],
    ['it cannot be decoded: named, said to be unconfirmed', undefined, 'unconfirmed'],
  ] as const)(
    "EC2's encoded form of the refusal (no policy named): heard, decoded in the member account; %s",
    async (_, statementId, outcome) => {
      const scheduler = harness.clients.hub(SchedulerClient);
      const settings = await intakeSettingsFor(scheduler, QUIET_SECONDS);
      const logger = new RecordingLogger();
      const { event, routeTableId } = await refusedDeleteRoute('encoded');
      const intake = await takeBreakingEvent(event, {
        config: configOf('enforce'),
        settings,
        scheduler,
        logger,
        now: () => at(1),
      });
      expect(intake).toMatchObject({ action: 'scheduled' });

      emulator.proxy.clear();
      emulator.proxy.inject({
        match: { service: 'sts', action: 'DecodeAuthorizationMessage', accountId: accounts.alpha },
        when: (request) => request.params.get('EncodedMessage') === ENCODED_REFUSAL,
        ...(statementId === undefined
          ? { code: 'InvalidAuthorizationMessageException', status: 400 }
          : {
              reply: decodedAuthorizationMessage(
                decodedDenial({ explicitDeny: true, statementIds: [statementId], action: 'ec2:DeleteRoute' }),
              ),
            }),
      });
      const handler = testHandler(configOf('enforce'), harness.clients);
      const { value: reports } = await captureJsonLines(() =>
        runDueRepairs(scheduler, settings.scheduleGroupName, at(1 + QUIET_SECONDS), (input) => handler(input)),
      );
      const [report] = reports as [SweepReport];
      const principalArn = `arn:aws:sts::${accounts.alpha}:assumed-role/ci-cleanup/nuke`;
      const row = rowOf(report, accounts.alpha, REGION);
      expect(
        emulator.proxy.count({ service: 'sts', action: 'DecodeAuthorizationMessage', accountId: accounts.alpha }),
      ).toBe(1);
      const digest = renderDigest(report, 'event')?.message ?? '';
      if (outcome === 'left out') {
        expect(row?.guardRailBlocked).toBeUndefined();
        expect(sweepMetrics(report).GuardRailBlocked).toBe(0);
        expect(digest).not.toContain('Refused by the guard rail');
        return;
      }
      const unconfirmed =
        outcome === 'unconfirmed' ? "EC2's encoded message could not be decoded: a policy refused it" : undefined;
      expect(row?.guardRailBlocked).toEqual([
        {
          principalArn,
          eventName: 'DeleteRoute',
          eventTime: start.toISOString(),
          resourceId: routeTableId,
          ...(unconfirmed ? { unconfirmed } : {}),
        },
      ]);
      expect(sweepMetrics(report).GuardRailBlocked).toBe(1);
      expect(digest).toContain(
        `${principalArn} DeleteRoute on ${routeTableId} in ${accounts.alpha}/${REGION} at 2026-12-04 02:00:00 UTC${unconfirmed ? ` (${unconfirmed})` : ''}`,
      );
    },
  );
});
