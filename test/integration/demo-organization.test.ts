import type { RouteTable } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfig } from '../../lambda/config/schema';
import { exclusionCommand } from '../../lambda/core/plan-reach';
import type { SweepReport, SweepResult } from '../../lambda/core/report';
import { runSweep } from '../../lambda/sweep';
import {
  buildDemoOrganization,
  DEMO_REGIONS,
  PATH_TAKEN_AWAY,
  type DemoAccount,
  type DemoOrganization,
} from '../../demo/scenario';
import type { Emulator } from '../support/emulator';
import { callsNotAllowed } from '../support/permissions';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The whole engine against moto, through the real SDK clients, on the demo organization: nested
 * OUs, ten accounts, three regions, broken the ways a clean-up breaks them (and two account-regions
 * whose route stays while the path goes: shadowing routes, and VPC Block Public Access played by the
 * proxy). The tests run in order on the same organization: dry run, remediation, rerun.
 */

const harness = useSweepHarness({ per: 'file' });
let emulator: Emulator;
let org: DemoOrganization;
let clients: AwsClients;
let lastRemediationLog: RecordingLogger;
const everyAccount = () => [org.managementAccountId, ...Object.values(org.accounts)];

beforeAll(async () => {
  ({ emulator, clients } = harness);
  org = await buildDemoOrganization(emulator.fixture, emulator.proxy);
});

function configFor(overrides: Record<string, unknown> = {}): SweepConfig {
  return parseSweepConfig({ ...org.config, ...overrides }, 'test', (key) => key);
}

function row(report: SweepReport, account: DemoAccount, region: string | null): SweepResult | undefined {
  return report.results.find((result) => result.accountId === org.accounts[account] && result.region === region);
}

async function snapshotRouteTables(): Promise<Record<string, RouteTable[]>> {
  const snapshot: Record<string, RouteTable[]> = {};
  for (const accountId of everyAccount()) {
    for (const region of DEMO_REGIONS) {
      snapshot[`${accountId}/${region}`] = await emulator.fixture.routeTables(accountId, region);
    }
  }
  return snapshot;
}

const EC2_READS = new Set([
  'DescribeVpcs',
  'DescribeInternetGateways',
  'DescribeRouteTables',
  'DescribeRegions',
  // Block Public Access explained, where its mode is not off (the path check)
  'DescribeVpcBlockPublicAccessOptions',
  'DescribeVpcBlockPublicAccessExclusions',
]);

function ec2WritesSent(): string[] {
  return emulator.proxy.requests
    .filter((request) => request.service === 'ec2' && !EC2_READS.has(request.action))
    .map((request) => request.action);
}

/** The EC2 calls on the wire, other than reads, to the two account-regions whose path is taken away. */
function writesWherePathTakenAway(): string[] {
  const places = Object.values(PATH_TAKEN_AWAY).map(({ account, region }) => `${org.accounts[account]}/${region}`);
  return emulator.proxy.requests
    .filter((request) => request.service === 'ec2' && !request.action.startsWith('Describe'))
    .filter((request) => places.includes(`${request.accountId}/${request.region}`))
    .map((request) => `${request.accountId}/${request.region} ${request.action}`);
}

describe('on the demo organization', () => {
  let before: Record<string, RouteTable[]>;

  test('a dry run reports every status and changes no route table anywhere', async () => {
    before = await snapshotRouteTables();
    emulator.proxy.clear();

    const report = await runSweep(configFor({ mode: 'report' }), { clients, logger: new RecordingLogger() });

    expect(report.mode).toBe('report');
    expect(row(report, 'alpha-healthy', 'us-east-1')).toMatchObject({
      status: 'ok',
      previousTarget: expect.stringMatching(/^igw-/),
    });
    expect(row(report, 'alpha-route-deleted', 'us-east-1')).toMatchObject({
      status: 'would-restore',
      previousTarget: null,
    });
    expect(row(report, 'alpha-route-deleted', 'eu-west-1')?.status).toBe('would-restore');
    expect(row(report, 'alpha-route-deleted', 'ap-southeast-2')?.status).toBe('ok');
    expect(row(report, 'beta-stale-gateway', 'eu-west-1')?.status).toBe('would-replace');
    expect(row(report, 'beta-no-gateway', 'ap-southeast-2')).toMatchObject({
      status: 'no-internet-gateway',
      internetGatewayId: null,
    });
    expect(row(report, 'beta-suspended', null)).toMatchObject({
      status: 'skipped',
      message: 'account is SUSPENDED, not ACTIVE',
    });
    expect(row(report, 'ci-runner-1', 'ap-southeast-2')?.status).toBe('would-restore');
    expect(row(report, 'ci-runner-2', 'ap-southeast-2')).toMatchObject({ status: 'no-default-vpc', vpcId: null });
    expect(row(report, 'ci-runner-2', 'us-east-1')).toMatchObject({
      status: 'conflict',
      previousTarget: expect.stringMatching(/^nat-/),
    });
    expect(row(report, 'ci-ignored', 'us-east-1')?.status).toBe('ignored');
    // The route is there, the path is not: reported for a person, the route's status stays ok.
    const { shadowed, blocked } = PATH_TAKEN_AWAY;
    const eni = expect.stringMatching(/^eni-/);
    expect(row(report, shadowed.account, shadowed.region)).toMatchObject({
      status: 'ok',
      reach: {
        status: 'route-shadowed',
        findings: [
          { kind: 'shadow', destination: '0.0.0.0/1', target: eni, blackhole: false },
          { kind: 'shadow', destination: '128.0.0.0/1', target: eni, blackhole: false },
        ],
      },
    });
    const blockedVpc = row(report, blocked.account, blocked.region)?.vpcId ?? '';
    expect(row(report, blocked.account, blocked.region)).toMatchObject({
      status: 'ok',
      reach: {
        status: 'bpa-blocked',
        findings: [{ kind: 'bpa', mode: 'block-bidirectional', managedBy: 'account', exclusionsAllowed: true }],
        message: expect.stringContaining(exclusionCommand(blockedVpc)),
      },
    });
    expect(row(report, 'ci-excluded', null)).toMatchObject({
      status: 'skipped',
      message: 'excluded by excludeAccountIds',
    });
    // The suspended and excluded accounts are reported once, with no region rows.
    expect(report.results.filter((result) => result.accountId === org.accounts['beta-suspended'])).toHaveLength(1);
    expect(report.results.filter((result) => result.accountId === org.accounts['ci-excluded'])).toHaveLength(1);
    // Outside the selected OUs: not even reported.
    expect(report.results.some((result) => result.accountId === org.accounts['prod-outside'])).toBe(false);
    expect(report.results.some((result) => result.accountId === org.managementAccountId)).toBe(false);
    expect(report.summary).toMatchObject({
      'would-restore': 5,
      'would-replace': 1,
      skipped: 2,
      ok: 11,
      conflict: 1,
      ignored: 1,
      'no-internet-gateway': 1,
      'no-default-vpc': 1,
    });
    expect(report.reachSummary).toMatchObject({
      'reach-ok': 17,
      'bpa-blocked': 1,
      'route-shadowed': 1,
      'subnet-off-path': 0,
    });

    expect(ec2WritesSent()).toEqual([]);
    expect(await snapshotRouteTables()).toEqual(before);
  });

  test('the healthy path reads only: three describes per account-region, one AssumeRole per account', () => {
    const targets = 7;
    expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(targets);
    for (const action of ['DescribeVpcs', 'DescribeInternetGateways', 'DescribeRouteTables']) {
      expect(emulator.proxy.count({ service: 'ec2', action })).toBe(targets * DEMO_REGIONS.length);
    }
    expect(emulator.proxy.count({ service: 'ec2', action: 'DescribeRegions' })).toBe(0);
    // Block Public Access is explained only where its mode is not off.
    const { blocked } = PATH_TAKEN_AWAY;
    for (const action of ['DescribeVpcBlockPublicAccessOptions', 'DescribeVpcBlockPublicAccessExclusions']) {
      expect(emulator.proxy.count({ service: 'ec2', action })).toBe(1);
      expect(
        emulator.proxy.count({
          service: 'ec2',
          action,
          accountId: org.accounts[blocked.account],
          region: blocked.region,
        }),
      ).toBe(1);
    }
  });

  test('remediation restores and replaces exactly the drifted routes, verifies them, and logs each write', async () => {
    emulator.proxy.clear();
    const logger = new RecordingLogger();
    lastRemediationLog = logger;

    const report = await runSweep(configFor(), { clients, logger });

    const fixed = report.results.filter((result) => result.status === 'restored' || result.status === 'replaced');
    expect(fixed.map((result) => `${result.accountName}/${result.region}/${result.status}`).sort()).toEqual([
      'alpha-route-deleted/eu-west-1/restored',
      'alpha-route-deleted/us-east-1/restored',
      'beta-stale-gateway/eu-west-1/replaced',
      'ci-runner-1/ap-southeast-2/restored',
      'ci-runner-1/eu-west-1/restored',
      'ci-runner-1/us-east-1/restored',
    ]);
    for (const result of fixed) {
      const target = await emulator.fixture.internetRouteTarget(result.accountId, result.region ?? '');
      expect(target).toBe(result.internetGatewayId);
    }
    expect(ec2WritesSent().sort()).toEqual([...Array(5).fill('CreateRoute'), 'ReplaceRoute']);
    expect(writesWherePathTakenAway()).toEqual([]);
    expect(row(report, PATH_TAKEN_AWAY.shadowed.account, PATH_TAKEN_AWAY.shadowed.region)?.reach?.status).toBe(
      'route-shadowed',
    );
    expect(row(report, PATH_TAKEN_AWAY.blocked.account, PATH_TAKEN_AWAY.blocked.region)?.reach?.status).toBe(
      'bpa-blocked',
    );

    const repairs = logger.entries.filter((entry) => entry.message === 'route repaired');
    expect(repairs).toHaveLength(6);
    const stale = row(report, 'beta-stale-gateway', 'eu-west-1');
    expect(repairs).toContainEqual({
      level: 'info',
      message: 'route repaired',
      attributes: {
        accountId: org.accounts['beta-stale-gateway'],
        region: 'eu-west-1',
        vpcId: stale?.vpcId,
        routeTableId: stale?.routeTableId,
        destination: '0.0.0.0/0',
        action: 'ReplaceRoute',
        before: stale?.previousTarget,
        after: stale?.internetGatewayId,
        verified: true,
      },
    });
  });

  test('an auditor can rebuild the night from the logs: every write on the wire has its log line', () => {
    // (the requests and log entries of the remediation above)
    const writes = emulator.proxy.requests.filter(
      (request) => request.action === 'CreateRoute' || request.action === 'ReplaceRoute',
    );
    expect(writes).toHaveLength(6);
    for (const write of writes) {
      expect(lastRemediationLog.entries).toContainEqual(
        expect.objectContaining({
          message: 'route repaired',
          attributes: expect.objectContaining({
            accountId: write.accountId,
            region: write.region,
            routeTableId: write.params.get('RouteTableId'),
            action: write.action,
            after: write.params.get('GatewayId'),
            before: expect.any(String),
          }),
        }),
      );
    }
  });

  test('every call the engine made is one its IAM permissions allow, and nothing more', () => {
    expect(callsNotAllowed(emulator.proxy.requests, configFor())).toEqual([]);
  });

  test('nothing else was touched: human routes, ignored tables, excluded, suspended, outside and management accounts', async () => {
    expect(await emulator.fixture.internetRouteTarget(org.accounts['ci-runner-2'], 'us-east-1')).toMatch(/^nat-/);
    for (const account of ['ci-ignored', 'ci-excluded', 'prod-outside', 'beta-suspended'] as const) {
      expect(await emulator.fixture.internetRouteTarget(org.accounts[account], 'us-east-1')).toBeNull();
    }
    expect(await emulator.fixture.internetRouteTarget(org.managementAccountId, 'us-east-1')).toBeNull();
    const after = await snapshotRouteTables();
    const changed = Object.keys(after).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
    const expectedChanged = [
      ['alpha-route-deleted', 'us-east-1'],
      ['alpha-route-deleted', 'eu-west-1'],
      ['beta-stale-gateway', 'eu-west-1'],
      ...DEMO_REGIONS.map((region) => ['ci-runner-1', region]),
    ].map(([account, region]) => `${org.accounts[account as DemoAccount]}/${region}`);
    expect(changed.sort()).toEqual(expectedChanged.sort());
    // The routes that shadow 0.0.0.0/0 are a person's: still there, as they were.
    const { shadowed } = PATH_TAKEN_AWAY;
    const shadowedKey = `${org.accounts[shadowed.account]}/${shadowed.region}`;
    expect(after[shadowedKey]).toEqual(before[shadowedKey]);
    expect(
      after[shadowedKey]?.flatMap((table) => table.Routes ?? []).map((route) => route.DestinationCidrBlock),
    ).toEqual(expect.arrayContaining(['0.0.0.0/1', '128.0.0.0/1']));
  });

  test('a second remediation run writes nothing', async () => {
    emulator.proxy.clear();
    const report = await runSweep(configFor(), { clients, logger: new RecordingLogger() });
    expect(ec2WritesSent()).toEqual([]);
    expect(report.summary).toMatchObject({ restored: 0, replaced: 0, 'would-restore': 0, 'would-replace': 0, ok: 17 });
  });

  test('all accounts: the management account is skipped unless named by id', async () => {
    const report = await runSweep(configFor({ targetOuIds: [], allAccounts: true, mode: 'report' }), {
      clients,
      logger: new RecordingLogger(),
    });
    expect(report.results.filter((result) => result.accountId === org.managementAccountId)).toEqual([
      expect.objectContaining({
        status: 'skipped',
        region: null,
        message: expect.stringContaining('management account'),
      }),
    ]);
    expect(row(report, 'prod-outside', 'us-east-1')?.status).toBe('would-restore');

    const named = await runSweep(
      configFor({ targetOuIds: [], accountIds: org.managementAccountId, regions: 'us-east-1', mode: 'report' }),
      { clients, logger: new RecordingLogger() },
    );
    expect(named.results).toEqual([
      expect.objectContaining({ accountId: org.managementAccountId, region: 'us-east-1', status: 'would-restore' }),
    ]);
  });

  test('an account matched by two selectors is checked once', async () => {
    emulator.proxy.clear();
    const report = await runSweep(
      configFor({
        targetOuIds: [org.ous.teamAlpha, org.ous.sandboxes],
        accountIds: org.accounts['alpha-healthy'],
        excludeAccountIds: [],
        mode: 'report',
      }),
      { clients, logger: new RecordingLogger() },
    );
    expect(report.results.filter((result) => result.accountId === org.accounts['alpha-healthy'])).toHaveLength(3);
    expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole', accountId: undefined })).toBe(4);
  });

  test('a scope narrows the sweep to some accounts and regions', async () => {
    const report = await runSweep(
      configFor({ mode: 'report' }),
      { clients, logger: new RecordingLogger() },
      {
        accountIds: [org.accounts['ci-runner-2']],
        regions: ['us-east-1'],
      },
    );
    expect(report.results.map((result) => `${result.accountName}/${result.region}/${result.status}`)).toEqual([
      'ci-runner-2/us-east-1/conflict',
    ]);
  });

  test('a scope naming an account outside the configured OUs is refused before any EC2 call', async () => {
    emulator.proxy.clear();
    await expect(
      runSweep(configFor(), { clients, logger: new RecordingLogger() }, { accountIds: [org.accounts['prod-outside']] }),
    ).rejects.toThrow(
      `accountIds "${org.accounts['prod-outside']}": not among the accounts this configuration targets`,
    );
    expect(emulator.proxy.count({ service: 'ec2' })).toBe(0);
    expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
  });
});

describe('the opt-in repairs on the demo organization (after the runs above)', () => {
  test('gateway, default VPC and default subnet come back, the misconfigured subnet is reported, within the opt-in permissions', async () => {
    emulator.proxy.clear();
    const config = configFor({ repairInternetGateway: true, recreateDefaultVpc: true, repairDefaultSubnets: true });

    const report = await runSweep(config, { clients, logger: new RecordingLogger(), settleDelaysMs: [0, 0, 0] });

    expect(row(report, 'beta-no-gateway', 'ap-southeast-2')?.status).toBe('gateway-restored');
    expect(row(report, 'ci-runner-2', 'ap-southeast-2')).toMatchObject({
      status: 'vpc-recreated',
      subnets: { status: 'subnets-ok' },
    });
    expect(row(report, 'ci-runner-1', 'eu-west-1')?.subnets).toMatchObject({
      status: 'subnets-restored',
      zonesRepaired: ['eu-west-1c'],
    });
    expect(row(report, 'alpha-healthy', 'ap-southeast-2')?.subnets).toMatchObject({
      status: 'subnets-misconfigured',
      findings: [expect.objectContaining({ availabilityZone: 'ap-southeast-2a', problem: 'public-ip-off' })],
    });
    expect(row(report, 'ci-runner-2', 'us-east-1')?.status).toBe('conflict');
    const sydneyRoute = await emulator.fixture.internetRouteTarget(org.accounts['ci-runner-2'], 'ap-southeast-2');
    expect(sydneyRoute).toBe(row(report, 'ci-runner-2', 'ap-southeast-2')?.internetGatewayId);
    expect(callsNotAllowed(emulator.proxy.requests, config)).toEqual([]);
    expect(writesWherePathTakenAway()).toEqual([]);
    // And without the opt-in switches, the same calls would be refused: the permissions are conditional
    // (ec2:DescribeSubnets stays: the path check, on by default, asks it of a subnet off the path).
    expect(callsNotAllowed(emulator.proxy.requests, configFor())).toEqual([
      'ec2:AttachInternetGateway',
      'ec2:CreateDefaultSubnet',
      'ec2:CreateDefaultVpc',
      'ec2:CreateInternetGateway',
      'ec2:DescribeAvailabilityZones',
    ]);
  });
});
