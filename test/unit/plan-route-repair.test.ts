import type { AttachmentStatus, InternetGateway, Route, RouteTable, Vpc } from '@aws-sdk/client-ec2';
import { planRouteRepair } from '../../lambda/core/plan-route-repair';
import type { RegionNetwork } from '../../lambda/core/region-network';
import { CREATED_TAG_KEY, IGNORE_TAG_KEY, routeTarget, routeTargetsGateway } from '../../lambda/core/route-table';

const VPC = 'vpc-default';
const OTHER_VPC = 'vpc-other';
const RTB = 'rtb-main';
const IGW = 'igw-attached';

function vpc(tags: Record<string, string> = {}): Vpc {
  return { VpcId: VPC, IsDefault: true, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}

function gateway(id: string, vpcId: string, state = 'available'): InternetGateway {
  return { InternetGatewayId: id, Attachments: [{ VpcId: vpcId, State: state as AttachmentStatus }] };
}

const LOCAL: Route = { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', State: 'active' };

function mainTable(internetRoute?: Route, tags: Record<string, string> = {}, vpcId = VPC, id = RTB): RouteTable {
  return {
    RouteTableId: id,
    VpcId: vpcId,
    Associations: [{ Main: true }],
    Routes: internetRoute ? [LOCAL, { DestinationCidrBlock: '0.0.0.0/0', ...internetRoute }] : [LOCAL],
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

function network(overrides: Partial<RegionNetwork> = {}): RegionNetwork {
  return {
    defaultVpc: vpc(),
    internetGateways: [gateway(IGW, VPC)],
    mainRouteTables: [mainTable({ GatewayId: IGW, State: 'active' })],
    ...overrides,
  };
}

describe('planRouteRepair', () => {
  test('ok: 0.0.0.0/0 targets the gateway attached to the default VPC', () => {
    expect(planRouteRepair(network())).toEqual({
      kind: 'ok',
      vpcId: VPC,
      routeTableId: RTB,
      internetGatewayId: IGW,
      previousTarget: IGW,
      message: `0.0.0.0/0 targets ${IGW}`,
    });
  });

  test('recreateDefaultVpc: no default VPC plans its recreation', () => {
    expect(planRouteRepair(network({ defaultVpc: undefined }), { recreateDefaultVpc: true }).kind).toBe('recreate-vpc');
  });

  test('no default VPC: nothing to check', () => {
    expect(planRouteRepair(network({ defaultVpc: undefined }))).toEqual({
      kind: 'no-default-vpc',
      message: 'the region has no default VPC',
    });
  });

  test('missing route: create it to the attached gateway', () => {
    const plan = planRouteRepair(network({ mainRouteTables: [mainTable()] }));
    expect(plan).toMatchObject({
      kind: 'repair',
      action: 'create',
      routeTableId: RTB,
      internetGatewayId: IGW,
      previousTarget: null,
    });
  });

  test('stale route: it names a gateway that is gone', () => {
    const plan = planRouteRepair(
      network({ mainRouteTables: [mainTable({ GatewayId: 'igw-deleted', State: 'active' })] }),
    );
    expect(plan).toMatchObject({
      kind: 'repair',
      action: 'replace',
      previousTarget: 'igw-deleted',
      internetGatewayId: IGW,
    });
    expect(plan.message).toContain('not attached to the default VPC');
  });

  test('stale route: it names a gateway attached to another VPC', () => {
    const plan = planRouteRepair(
      network({
        internetGateways: [gateway('igw-elsewhere', OTHER_VPC), gateway(IGW, VPC)],
        mainRouteTables: [mainTable({ GatewayId: 'igw-elsewhere', State: 'active' })],
      }),
    );
    expect(plan).toMatchObject({
      kind: 'repair',
      action: 'replace',
      previousTarget: 'igw-elsewhere',
      internetGatewayId: IGW,
    });
  });

  test('blackhole route to a deleted gateway: replace it', () => {
    const plan = planRouteRepair(
      network({ mainRouteTables: [mainTable({ GatewayId: 'igw-deleted', State: 'blackhole' })] }),
    );
    expect(plan).toMatchObject({ kind: 'repair', action: 'replace', previousTarget: 'igw-deleted' });
    expect(plan.message).toContain('blackhole');
  });

  test('blackhole route naming the attached gateway itself: replace it', () => {
    const plan = planRouteRepair(network({ mainRouteTables: [mainTable({ GatewayId: IGW, State: 'blackhole' })] }));
    expect(plan).toMatchObject({ kind: 'repair', action: 'replace', previousTarget: IGW });
  });

  test('blackhole route to a deleted NAT gateway: replace it', () => {
    const plan = planRouteRepair(
      network({ mainRouteTables: [mainTable({ NatGatewayId: 'nat-gone', State: 'blackhole' })] }),
    );
    expect(plan).toMatchObject({ kind: 'repair', action: 'replace', previousTarget: 'nat-gone' });
  });

  test.each<[string, Route]>([
    ['a NAT gateway', { NatGatewayId: 'nat-1' }],
    ['a transit gateway', { TransitGatewayId: 'tgw-1' }],
    ['a peering connection', { VpcPeeringConnectionId: 'pcx-1' }],
    ['a network interface', { NetworkInterfaceId: 'eni-1' }],
    ['an instance', { InstanceId: 'i-1', NetworkInterfaceId: 'eni-2' }],
    ['a virtual private gateway', { GatewayId: 'vgw-1' }],
    ['a local gateway', { LocalGatewayId: 'lgw-1' }],
    ['a carrier gateway', { CarrierGatewayId: 'cagw-1' }],
  ])('conflict: an active route to %s is a human choice, never overwritten', (_what, target) => {
    const plan = planRouteRepair(network({ mainRouteTables: [mainTable({ ...target, State: 'active' })] }));
    expect(plan.kind).toBe('conflict');
    expect(plan).toMatchObject({ previousTarget: routeTarget({ ...target }) });
  });

  test('conflict wins over a missing gateway: the human route is reported as a conflict', () => {
    const plan = planRouteRepair(
      network({ internetGateways: [], mainRouteTables: [mainTable({ NatGatewayId: 'nat-1', State: 'active' })] }),
    );
    expect(plan.kind).toBe('conflict');
  });

  test('no internet gateway attached, route missing: nothing to route to', () => {
    const plan = planRouteRepair(network({ internetGateways: [], mainRouteTables: [mainTable()] }));
    expect(plan).toMatchObject({ kind: 'no-internet-gateway', internetGatewayId: null, previousTarget: null });
  });

  test('no internet gateway attached, stale route: still nothing to route to', () => {
    const plan = planRouteRepair(
      network({ internetGateways: [], mainRouteTables: [mainTable({ GatewayId: 'igw-deleted', State: 'blackhole' })] }),
    );
    expect(plan).toMatchObject({ kind: 'no-internet-gateway', previousTarget: 'igw-deleted' });
  });

  test('repairInternetGateway: no gateway and the route missing plans a new gateway and CreateRoute', () => {
    const plan = planRouteRepair(network({ internetGateways: [], mainRouteTables: [mainTable()] }), {
      repairInternetGateway: true,
    });
    expect(plan).toMatchObject({
      kind: 'repair-gateway',
      routeAction: 'create',
      routeTableId: RTB,
      vpcId: VPC,
      internetGatewayId: null,
    });
  });

  test('repairInternetGateway reuses a detached gateway an earlier run created, and only such a gateway', () => {
    const created = [{ Key: CREATED_TAG_KEY, Value: '2026-11-25T03:00:00.000Z' }];
    const plan = (internetGateways: InternetGateway[]) =>
      planRouteRepair(network({ internetGateways, mainRouteTables: [mainTable()] }), { repairInternetGateway: true });
    expect(plan([])).toMatchObject({ kind: 'repair-gateway', reuseGatewayId: null });
    expect(plan([{ InternetGatewayId: 'igw-left', Attachments: [], Tags: created }])).toMatchObject({
      kind: 'repair-gateway',
      reuseGatewayId: 'igw-left',
      message: expect.stringContaining('attach igw-left (detached, created by an earlier run)'),
    });
    expect(
      plan([{ InternetGatewayId: 'igw-left', Attachments: [{ VpcId: VPC, State: 'detached' }], Tags: created }]),
    ).toMatchObject({ reuseGatewayId: 'igw-left' });
    // Nor one still attaching or detaching somewhere.
    for (const state of ['attaching', 'detaching'] as AttachmentStatus[]) {
      expect(
        plan([{ InternetGatewayId: 'igw-moving', Attachments: [{ VpcId: OTHER_VPC, State: state }], Tags: created }]),
      ).toMatchObject({ reuseGatewayId: null });
    }
    // A human's spare gateway, or the janitor's gateway serving another VPC, is not taken.
    expect(plan([{ InternetGatewayId: 'igw-human', Attachments: [] }])).toMatchObject({ reuseGatewayId: null });
    expect(plan([{ ...gateway('igw-busy', OTHER_VPC), Tags: created }])).toMatchObject({ reuseGatewayId: null });
  });

  test('repairInternetGateway: no gateway and a stale route plans a new gateway and ReplaceRoute', () => {
    const plan = planRouteRepair(
      network({ internetGateways: [], mainRouteTables: [mainTable({ GatewayId: 'igw-deleted', State: 'blackhole' })] }),
      { repairInternetGateway: true },
    );
    expect(plan).toMatchObject({ kind: 'repair-gateway', routeAction: 'replace', previousTarget: 'igw-deleted' });
  });

  test('repairInternetGateway never overrides a human route, an ignore tag, or an attached gateway', () => {
    const options = { repairInternetGateway: true };
    expect(
      planRouteRepair(
        network({ internetGateways: [], mainRouteTables: [mainTable({ NatGatewayId: 'nat-1', State: 'active' })] }),
        options,
      ).kind,
    ).toBe('conflict');
    expect(
      planRouteRepair(
        network({ internetGateways: [], mainRouteTables: [mainTable(undefined, { [IGNORE_TAG_KEY]: 'true' })] }),
        options,
      ).kind,
    ).toBe('ignored');
    expect(planRouteRepair(network({ mainRouteTables: [mainTable()] }), options)).toMatchObject({
      kind: 'repair',
      action: 'create',
    });
  });

  test.each(['detaching', 'detached', 'attaching'])('a gateway whose attachment is %s is not attached', (state) => {
    const plan = planRouteRepair(
      network({ internetGateways: [gateway(IGW, VPC, state)], mainRouteTables: [mainTable()] }),
    );
    expect(plan.kind).toBe('no-internet-gateway');
  });

  test('a gateway attached only to another VPC is not the default VPC gateway', () => {
    const plan = planRouteRepair(
      network({ internetGateways: [gateway('igw-elsewhere', OTHER_VPC)], mainRouteTables: [mainTable()] }),
    );
    expect(plan.kind).toBe('no-internet-gateway');
  });

  test('the main route table is the default VPC one, not another VPC main table', () => {
    const plan = planRouteRepair(
      network({
        mainRouteTables: [
          mainTable({ GatewayId: 'igw-x', State: 'active' }, {}, OTHER_VPC, 'rtb-other'),
          mainTable(undefined, {}, VPC, RTB),
        ],
      }),
    );
    expect(plan).toMatchObject({ kind: 'repair', action: 'create', routeTableId: RTB });
  });

  test('no main route table for the default VPC: reported, never guessed', () => {
    const plan = planRouteRepair(network({ mainRouteTables: [mainTable(undefined, {}, OTHER_VPC, 'rtb-other')] }));
    expect(plan).toMatchObject({ kind: 'no-main-route-table', routeTableId: null });
  });

  test.each(['true', 'TRUE', ' True '])('ignored: the default VPC tagged %j', (value) => {
    const plan = planRouteRepair(
      network({ defaultVpc: vpc({ [IGNORE_TAG_KEY]: value }), mainRouteTables: [mainTable()] }),
    );
    expect(plan.kind).toBe('ignored');
    expect(plan.message).toContain('default VPC');
  });

  test('ignored: the main route table tagged, even with the route missing', () => {
    const plan = planRouteRepair(network({ mainRouteTables: [mainTable(undefined, { [IGNORE_TAG_KEY]: 'true' })] }));
    expect(plan).toMatchObject({ kind: 'ignored', routeTableId: RTB });
    expect(plan.message).toContain('main route table');
  });

  test.each(['false', '', 'yes'])('not ignored: the tag set to %j', (value) => {
    const plan = planRouteRepair(
      network({ defaultVpc: vpc({ [IGNORE_TAG_KEY]: value }), mainRouteTables: [mainTable()] }),
    );
    expect(plan.kind).toBe('repair');
  });

  test('a route to a prefix list or IPv6 default does not count as 0.0.0.0/0', () => {
    const table = mainTable();
    const routes = [
      ...(table.Routes ?? []),
      { DestinationIpv6CidrBlock: '::/0', GatewayId: 'igw-attached', State: 'active' as const },
    ];
    const plan = planRouteRepair(network({ mainRouteTables: [{ ...table, Routes: routes }] }));
    expect(plan).toMatchObject({ kind: 'repair', action: 'create' });
  });
});

describe('routeTargetsGateway', () => {
  test('true only for an active 0.0.0.0/0 to that gateway', () => {
    expect(routeTargetsGateway(mainTable({ GatewayId: IGW, State: 'active' }), IGW)).toBe(true);
    expect(routeTargetsGateway(mainTable({ GatewayId: IGW, State: 'blackhole' }), IGW)).toBe(false);
    expect(routeTargetsGateway(mainTable({ GatewayId: 'igw-other', State: 'active' }), IGW)).toBe(false);
    expect(routeTargetsGateway(mainTable(), IGW)).toBe(false);
    expect(routeTargetsGateway(undefined, IGW)).toBe(false);
  });
});
