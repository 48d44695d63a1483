import {
  AllocateAddressCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
} from '@aws-sdk/client-ec2';
import type { SweepReport } from '../../lambda/core/report';
import { exclusionCommand } from '../../lambda/core/plan-reach';
import { exitCodeFor } from '../../lambda/core/report';
import { renderDigest } from '../../lambda/report/digest';
import { emulateBlockPublicAccess } from '../support/block-public-access';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The path check against moto: the route is there and the path is not. Moto has no Block Public
 * Access: the proxy plays it (test/support/block-public-access.ts), adding DescribeVpcs'
 * blockPublicAccessStates and answering the two reads that explain it in EC2's wire format.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness({ per: 'file' });
let ouId: string;
let accounts: Record<'healthy' | 'bpa' | 'excluded' | 'shadowed' | 'offPath', string>;
let offPathTable: string;
let shadowTargets: { nat: string; eni: string };

beforeAll(async () => {
  const { fixture } = harness.emulator;
  const created = await fixture.createSandboxOu(['healthy', 'bpa', 'excluded', 'shadowed', 'offPath'], [REGION]);
  ouId = created.ouId;
  accounts = created.accounts;
  offPathTable = await fixture.associateWithPrivateTable(accounts.offPath, REGION, 'eu-west-1b');
  shadowTargets = await shadow(accounts.shadowed);
  const { proxy } = harness.emulator;
  const blocked = { region: REGION, mode: 'block-bidirectional' } as const;
  emulateBlockPublicAccess(proxy, {
    ...blocked,
    accountId: accounts.bpa,
    managedBy: 'declarative-policy',
    exclusionsAllowed: 'not-allowed',
  });
  emulateBlockPublicAccess(proxy, {
    ...blocked,
    accountId: accounts.excluded,
    managedBy: 'account',
    exclusionsAllowed: 'allowed',
    excludedVpcIds: [await fixture.defaultVpcId(accounts.excluded, REGION)],
  });
}, 120_000);

/** A security review's proof: 0.0.0.0/0 stays, its two halves go to a NAT gateway and an ENI. */
async function shadow(accountId: string): Promise<{ nat: string; eni: string }> {
  const { fixture } = harness.emulator;
  const ec2 = await fixture.ec2(accountId, REGION);
  const [subnet] = await fixture.defaultSubnets(accountId, REGION);
  const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet?.SubnetId, AllocationId }));
  const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet?.SubnetId }));
  const routeTableId = await fixture.mainRouteTableId(accountId, REGION);
  const nat = NatGateway?.NatGatewayId ?? '';
  const eni = NetworkInterface?.NetworkInterfaceId ?? '';
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: '0.0.0.0/1', NatGatewayId: nat }),
  );
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: routeTableId,
      DestinationCidrBlock: '128.0.0.0/1',
      NetworkInterfaceId: eni,
    }),
  );
  return { nat, eni };
}

/** A sweep of the OU, with Block Public Access on in two accounts (one of them excluding its default VPC). */
async function sweepWithBpa(raw: Record<string, unknown> = {}): Promise<SweepReport> {
  harness.emulator.proxy.clear();
  return harness.sweep({ targetOuIds: ouId, regions: REGION, ...raw }, { settleDelaysMs: [0, 0, 0] });
}

const rowOf = (report: SweepReport, accountId: string) =>
  report.results.find((row) => row.accountId === accountId && row.region === REGION);

test('the route is there, the path is not: each of the three is found, named and explained; nothing is written', async () => {
  const report = await sweepWithBpa();
  const bpaVpc = await harness.emulator.fixture.defaultVpcId(accounts.bpa, REGION);
  expect(rowOf(report, accounts.healthy)).toMatchObject({ status: 'ok', reach: { status: 'reach-ok', findings: [] } });
  expect(rowOf(report, accounts.bpa)).toMatchObject({
    status: 'ok',
    reach: {
      status: 'bpa-blocked',
      findings: [
        { kind: 'bpa', mode: 'block-bidirectional', managedBy: 'declarative-policy', exclusionsAllowed: false },
      ],
      message: `VPC Block Public Access is block-bidirectional, set by an EC2 declarative policy, and no exclusion lets ${bpaVpc} out (exclusions are not allowed)`,
    },
  });
  // An exclusion of the default VPC lets it out.
  expect(rowOf(report, accounts.excluded)?.reach?.status).toBe('reach-ok');
  expect(rowOf(report, accounts.shadowed)).toMatchObject({
    status: 'ok',
    reach: {
      status: 'route-shadowed',
      message: `0.0.0.0/1 → ${shadowTargets.nat} shadows 0.0.0.0/0; 128.0.0.0/1 → ${shadowTargets.eni} shadows 0.0.0.0/0`,
    },
  });
  const offPathSubnet = (await harness.emulator.fixture.defaultSubnets(accounts.offPath, REGION)).find(
    (subnet) => subnet.AvailabilityZone === 'eu-west-1b',
  )?.SubnetId;
  expect(rowOf(report, accounts.offPath)).toMatchObject({
    status: 'ok',
    reach: {
      status: 'subnet-off-path',
      findings: [
        { kind: 'off-path', subnetId: offPathSubnet, availabilityZone: 'eu-west-1b', routeTableId: offPathTable },
      ],
    },
  });
  expect(report.reachSummary).toMatchObject({
    'reach-ok': 2,
    'bpa-blocked': 1,
    'route-shadowed': 1,
    'subnet-off-path': 1,
  });
  expect(exitCodeFor(report)).toBe(1);
  expect(harness.writesOnTheWire()).toEqual([]);
  const digest = renderDigest(report)?.message ?? '';
  expect(digest).toContain('The route is there, the path is not');
  expect(digest).toContain(`bpa-blocked`);
  expect(digest).not.toContain(exclusionCommand(bpaVpc));
});

test('no extra call on the healthy path: three EC2 reads; only an off-path subnet or a mode not off asks more', async () => {
  await sweepWithBpa({ mode: 'report' });
  const { proxy } = harness.emulator;
  const actionsOf = (accountId: string) =>
    proxy.requests
      .filter((request) => request.service === 'ec2' && request.accountId === accountId)
      .map((request) => request.action)
      .sort();
  expect(actionsOf(accounts.healthy)).toEqual(['DescribeInternetGateways', 'DescribeRouteTables', 'DescribeVpcs']);
  expect(actionsOf(accounts.shadowed)).toEqual(['DescribeInternetGateways', 'DescribeRouteTables', 'DescribeVpcs']);
  expect(actionsOf(accounts.bpa)).toEqual([
    'DescribeInternetGateways',
    'DescribeRouteTables',
    'DescribeVpcBlockPublicAccessExclusions',
    'DescribeVpcBlockPublicAccessOptions',
    'DescribeVpcs',
  ]);
  expect(actionsOf(accounts.offPath)).toEqual([
    'DescribeInternetGateways',
    'DescribeRouteTables',
    'DescribeSubnets',
    'DescribeVpcs',
  ]);
});

test('reach=off reads and reports nothing of the path', async () => {
  const report = await sweepWithBpa({ reach: 'off' });
  expect(report.results.every((row) => row.reach === null)).toBe(true);
  expect(harness.emulator.proxy.count({ action: 'DescribeVpcBlockPublicAccessOptions' })).toBe(0);
  expect(exitCodeFor(report)).toBe(0);
});
