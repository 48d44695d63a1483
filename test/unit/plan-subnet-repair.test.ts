import type { AvailabilityZone, AvailabilityZoneState, Route, RouteTable, Subnet } from '@aws-sdk/client-ec2';
import { IGNORE_TAG_KEY } from '../../lambda/core/route-table';
import { planSubnetRepair, type DefaultSubnetsNetwork } from '../../lambda/core/plan-subnet-repair';

const VPC = 'vpc-default';
const IGW = 'igw-attached';

function zone(name: string, overrides: Partial<AvailabilityZone> = {}): AvailabilityZone {
  return { ZoneName: name, ZoneType: 'availability-zone', State: 'available', ...overrides };
}

function subnet(zoneName: string, overrides: Partial<Subnet> = {}): Subnet {
  return {
    SubnetId: `subnet-${zoneName.slice(-1)}`,
    AvailabilityZone: zoneName,
    VpcId: VPC,
    DefaultForAz: true,
    MapPublicIpOnLaunch: true,
    ...overrides,
  };
}

function table(
  id: string,
  subnetIds: string[],
  internetRoute?: Route,
  overrides: Partial<RouteTable> = {},
): RouteTable {
  return {
    RouteTableId: id,
    VpcId: VPC,
    Associations: subnetIds.map((SubnetId) => ({ SubnetId, Main: false })),
    Routes: [
      { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', State: 'active' },
      ...(internetRoute ? [{ DestinationCidrBlock: '0.0.0.0/0', ...internetRoute }] : []),
    ],
    ...overrides,
  };
}

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function network(overrides: Partial<DefaultSubnetsNetwork> = {}): DefaultSubnetsNetwork {
  return {
    availabilityZones: ZONES.map((name) => zone(name)),
    defaultSubnets: ZONES.map((name) => subnet(name)),
    subnetRouteTables: [],
    ...overrides,
  };
}

const plan = (overrides: Partial<DefaultSubnetsNetwork> = {}, gatewayId: string | null = IGW) =>
  planSubnetRepair(network(overrides), VPC, gatewayId);

describe('planSubnetRepair: zones without a default subnet', () => {
  test('healthy: every zone has its default subnet, nothing is found', () => {
    expect(plan()).toEqual({ missingZones: [], findings: [] });
  });

  test('zones without a default subnet are listed, sorted', () => {
    expect(plan({ defaultSubnets: [subnet('eu-west-1b')] }).missingZones).toEqual(['eu-west-1a', 'eu-west-1c']);
    expect(plan({ defaultSubnets: [] }).missingZones).toEqual(ZONES);
  });

  test('a plain (not default-for-az) subnet, or a default subnet of another VPC, does not cover its zone', () => {
    const defaultSubnets = [
      subnet('eu-west-1a', { DefaultForAz: false }),
      subnet('eu-west-1b', { VpcId: 'vpc-other' }),
      subnet('eu-west-1c'),
    ];
    expect(plan({ defaultSubnets }).missingZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  test('only available zones of type availability-zone that are enabled get a default subnet', () => {
    const availabilityZones = [
      zone('eu-west-1a'),
      zone('eu-west-1b', { State: 'impaired' as AvailabilityZoneState }),
      zone('eu-west-1c', { State: 'constrained' as AvailabilityZoneState }),
      zone('eu-west-1-lhr-1a', { ZoneType: 'local-zone' }),
      zone('eu-west-1-wl1-a', { ZoneType: 'wavelength-zone' }),
      zone('eu-west-1d', { OptInStatus: 'not-opted-in' }),
      zone('eu-west-1e', { OptInStatus: 'opt-in-not-required' }),
      zone('eu-west-1f', { ZoneType: undefined }),
    ];
    expect(plan({ availabilityZones, defaultSubnets: [] }).missingZones).toEqual([
      'eu-west-1a',
      'eu-west-1e',
      'eu-west-1f',
    ]);
  });
});

describe('planSubnetRepair: report-only findings', () => {
  test('a default subnet with MapPublicIpOnLaunch off', () => {
    const { findings } = plan({
      defaultSubnets: [
        subnet('eu-west-1a'),
        subnet('eu-west-1b', { MapPublicIpOnLaunch: false }),
        subnet('eu-west-1c'),
      ],
    });
    expect(findings).toEqual([
      {
        subnetId: 'subnet-b',
        availabilityZone: 'eu-west-1b',
        problem: 'public-ip-off',
        routeTableId: null,
        message: 'subnet-b (eu-west-1b) does not assign public IPs on launch (MapPublicIpOnLaunch off)',
      },
    ]);
  });

  test.each([
    ['no 0.0.0.0/0 route', undefined, 'has no 0.0.0.0/0 route instead of 0.0.0.0/0 to igw-attached'],
    [
      'a route to a NAT gateway',
      { NatGatewayId: 'nat-1', State: 'active' },
      'has 0.0.0.0/0 to nat-1 instead of 0.0.0.0/0 to igw-attached',
    ],
    ['a route to another gateway', { GatewayId: 'igw-gone', State: 'active' }, 'has 0.0.0.0/0 to igw-gone instead'],
    [
      'a blackhole to the attached gateway',
      { GatewayId: IGW, State: 'blackhole' },
      'has a blackhole 0.0.0.0/0 (igw-attached) instead',
    ],
  ] as [string, Route | undefined, string][])(
    'a default subnet explicitly associated with a table that has %s',
    (_case, route, says) => {
      const { findings } = plan({ subnetRouteTables: [table('rtb-custom', ['subnet-c'], route)] });
      expect(findings).toEqual([
        {
          subnetId: 'subnet-c',
          availabilityZone: 'eu-west-1c',
          problem: 'no-route-to-gateway',
          routeTableId: 'rtb-custom',
          message: expect.stringContaining(`subnet-c (eu-west-1c) is associated with rtb-custom, which ${says}`),
        },
      ]);
    },
  );

  test('an explicit association with a table that routes to the attached gateway is fine', () => {
    const subnetRouteTables = [table('rtb-custom', ['subnet-a', 'subnet-b'], { GatewayId: IGW, State: 'active' })];
    expect(plan({ subnetRouteTables }).findings).toEqual([]);
  });

  test('with no gateway attached, any explicit association is reported (the route status names the gateway)', () => {
    const subnetRouteTables = [table('rtb-custom', ['subnet-a'], { GatewayId: 'igw-gone', State: 'blackhole' })];
    expect(plan({ subnetRouteTables }, null).findings).toMatchObject([
      {
        subnetId: 'subnet-a',
        problem: 'no-route-to-gateway',
        message: expect.stringContaining('instead of a route to an internet gateway'),
      },
    ]);
  });

  test("an explicit association with the VPC's main table is the route's business, not a finding", () => {
    const main = table('rtb-main', ['subnet-a']);
    const subnetRouteTables = [{ ...main, Associations: [...(main.Associations ?? []), { Main: true }] }];
    expect(plan({ subnetRouteTables }).findings).toEqual([]);
  });

  test('tables of other VPCs, and associations of other subnets, are not looked at', () => {
    const subnetRouteTables = [
      table('rtb-other-vpc', ['subnet-a'], undefined, { VpcId: 'vpc-other' }),
      table('rtb-other-subnet', ['subnet-zzz']),
    ];
    expect(plan({ subnetRouteTables }).findings).toEqual([]);
  });

  test('the ignore tag on a subnet, or on its table, silences what the janitor would say about it', () => {
    const ignored = { Tags: [{ Key: IGNORE_TAG_KEY, Value: 'true' }] };
    expect(
      plan({
        defaultSubnets: [
          subnet('eu-west-1a', { MapPublicIpOnLaunch: false, ...ignored }),
          subnet('eu-west-1b'),
          subnet('eu-west-1c'),
        ],
        subnetRouteTables: [table('rtb-custom', ['subnet-a'])],
      }).findings,
    ).toEqual([]);
    expect(plan({ subnetRouteTables: [table('rtb-custom', ['subnet-b'], undefined, ignored)] }).findings).toEqual([]);
  });

  test('both problems of one subnet are both reported, subnets in zone order', () => {
    const findings = plan({
      defaultSubnets: [
        subnet('eu-west-1c', { MapPublicIpOnLaunch: false }),
        subnet('eu-west-1a', { MapPublicIpOnLaunch: false }),
      ],
      subnetRouteTables: [table('rtb-custom', ['subnet-c'])],
    }).findings.map((finding) => `${finding.subnetId} ${finding.problem}`);
    expect(findings).toEqual(['subnet-a public-ip-off', 'subnet-c public-ip-off', 'subnet-c no-route-to-gateway']);
  });

  test('missing zones and findings come together', () => {
    const result = plan({ defaultSubnets: [subnet('eu-west-1a', { MapPublicIpOnLaunch: false })] });
    expect(result.missingZones).toEqual(['eu-west-1b', 'eu-west-1c']);
    expect(result.findings).toHaveLength(1);
  });
});
