import type { RouteTable, Subnet, Vpc } from '@aws-sdk/client-ec2';
import { bpaModeOf, cidrRange, exclusionCommand, planReach, type ReachInput } from '../../lambda/core/plan-reach';
import { canonicalIpv4Cidr, isInternetRouteDestination } from '../../lambda/core/route-table';

/** The path check decides from what was read: Block Public Access, shadowing routes, subnets on other tables. */

const VPC: Vpc = { VpcId: 'vpc-1', CidrBlock: '172.31.0.0/16', IsDefault: true };
const IGW = 'igw-1';
const main = (...routes: NonNullable<RouteTable['Routes']>): RouteTable => ({
  RouteTableId: 'rtb-main',
  VpcId: 'vpc-1',
  Associations: [{ Main: true, RouteTableId: 'rtb-main' }],
  Routes: [
    { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', State: 'active' },
    { DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW, State: 'active' },
    ...routes,
  ],
});
const subnet = (id: string, zone: string): Subnet => ({ SubnetId: id, AvailabilityZone: zone, DefaultForAz: true });
const input = (overrides: Partial<ReachInput> = {}): ReachInput => ({
  vpc: VPC,
  internetGatewayId: IGW,
  mainRouteTable: main(),
  subnetRouteTables: [],
  defaultSubnets: [subnet('subnet-a', 'eu-west-1a'), subnet('subnet-b', 'eu-west-1b')],
  ...overrides,
});

test('a healthy default VPC is reach-ok with no finding', () => {
  expect(planReach(input())).toEqual({
    status: 'reach-ok',
    findings: [],
    message: 'the default subnets reach the internet gateway',
  });
});

test.each([
  ['block-bidirectional', 'block-bidirectional'],
  ['block-ingress', 'block-ingress'],
  ['bidirectional-access-blocked', 'block-bidirectional'],
  ['ingress-access-blocked', 'block-ingress'],
  ['bidirectional-access-allowed', 'off'],
  ['off', 'off'],
  [undefined, 'off'],
])('DescribeVpcs mode %s reads as %s (the older spellings too)', (given, mode) => {
  expect(bpaModeOf({ ...VPC, BlockPublicAccessStates: { InternetGatewayBlockMode: given as never } })).toBe(mode);
});

test('Block Public Access not off, no exclusion: bpa-blocked, naming the mode, who set it and the command', () => {
  const vpc: Vpc = { ...VPC, BlockPublicAccessStates: { InternetGatewayBlockMode: 'block-bidirectional' } };
  const plan = planReach(input({ vpc, bpa: { managedBy: 'account', exclusionsAllowed: 'allowed', exclusions: [] } }));
  expect(plan.status).toBe('bpa-blocked');
  expect(plan.message).toBe(
    `VPC Block Public Access is block-bidirectional, set by the account, and no exclusion lets vpc-1 out (exclusions are allowed: ${exclusionCommand('vpc-1')})`,
  );
});

test('a declarative policy that forbids exclusions is named, with no command', () => {
  const vpc: Vpc = { ...VPC, BlockPublicAccessStates: { InternetGatewayBlockMode: 'block-ingress' } };
  const plan = planReach(
    input({ vpc, bpa: { managedBy: 'declarative-policy', exclusionsAllowed: 'not-allowed', exclusions: [] } }),
  );
  expect(plan.message).toBe(
    'VPC Block Public Access is block-ingress, set by an EC2 declarative policy, and no exclusion lets vpc-1 out (exclusions are not allowed)',
  );
});

test('an active exclusion of the default VPC lets it out; a subnet exclusion or one being deleted does not', () => {
  const vpc: Vpc = { ...VPC, BlockPublicAccessStates: { InternetGatewayBlockMode: 'block-bidirectional' } };
  const exclusion = (resourceArn: string, state: string, mode = 'allow-egress') => ({ mode, resourceArn, state });
  const arn = 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1';
  const bpa = (exclusions: ReturnType<typeof exclusion>[]) => ({
    managedBy: 'account',
    exclusionsAllowed: 'allowed',
    exclusions,
  });
  expect(planReach(input({ vpc, bpa: bpa([exclusion(arn, 'create-complete')]) })).status).toBe('reach-ok');
  expect(planReach(input({ vpc, bpa: bpa([exclusion(arn, 'update-complete', 'allow-bidirectional')]) })).status).toBe(
    'reach-ok',
  );
  expect(planReach(input({ vpc, bpa: bpa([exclusion(arn, 'delete-in-progress')]) })).status).toBe('bpa-blocked');
  expect(
    planReach(
      input({ vpc, bpa: bpa([exclusion('arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-a', 'create-complete')]) }),
    ).status,
  ).toBe('bpa-blocked');
  // Without the details (their reads failed), the mode alone decides, and the message says what is unknown.
  expect(planReach(input({ vpc })).message).toContain('whether exclusions are allowed is unknown');
});

test('the two halves of 0.0.0.0/0 to a blackhole or an ENI shadow it: route-shadowed, listed', () => {
  const plan = planReach(
    input({
      mainRouteTable: main(
        { DestinationCidrBlock: '0.0.0.0/1', NetworkInterfaceId: 'eni-1', State: 'active' },
        { DestinationCidrBlock: '128.0.0.0/1', NatGatewayId: 'nat-1', State: 'blackhole' },
      ),
    }),
  );
  expect(plan.status).toBe('route-shadowed');
  expect(plan.message).toBe('0.0.0.0/1 → eni-1 shadows 0.0.0.0/0; 128.0.0.0/1 → nat-1 (blackhole) shadows 0.0.0.0/0');
});

test('private, shared and the VPC’s own ranges, prefix lists and public routes to the gateway shadow nothing', () => {
  const plan = planReach(
    input({
      vpc: { ...VPC, CidrBlockAssociationSet: [{ CidrBlock: '198.18.0.0/16' }] },
      mainRouteTable: main(
        { DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: 'tgw-1', State: 'active' },
        { DestinationCidrBlock: '192.168.4.0/24', VpcPeeringConnectionId: 'pcx-1', State: 'active' },
        { DestinationCidrBlock: '100.64.0.0/10', NatGatewayId: 'nat-1', State: 'active' },
        { DestinationCidrBlock: '198.18.0.0/16', GatewayId: 'local', State: 'active' },
        { DestinationPrefixListId: 'pl-1', GatewayId: 'vpce-1', State: 'active' },
        { DestinationCidrBlock: '52.0.0.0/8', GatewayId: IGW, State: 'active' },
      ),
    }),
  );
  expect(plan.status).toBe('reach-ok');
});

test('a public range to the gateway as a blackhole shadows it; a range partly public counts', () => {
  const plan = planReach(
    input({
      mainRouteTable: main(
        { DestinationCidrBlock: '52.0.0.0/8', GatewayId: IGW, State: 'blackhole' },
        { DestinationCidrBlock: '8.0.0.0/4', TransitGatewayId: 'tgw-1', State: 'active' },
      ),
    }),
  );
  expect(plan.findings.map((finding) => (finding.kind === 'shadow' ? finding.destination : ''))).toEqual([
    '52.0.0.0/8',
    '8.0.0.0/4',
  ]);
});

test('a default subnet on a table of the default VPC without 0.0.0.0/0 to the gateway: subnet-off-path', () => {
  const table = (id: string, vpcId: string, subnets: string[], routes: RouteTable['Routes'] = []): RouteTable => ({
    RouteTableId: id,
    VpcId: vpcId,
    Associations: subnets.map((subnetId) => ({ Main: false, SubnetId: subnetId, RouteTableId: id })),
    Routes: routes,
  });
  const plan = planReach(
    input({
      subnetRouteTables: [
        table('rtb-private', 'vpc-1', ['subnet-b', 'subnet-other']),
        table(
          'rtb-public',
          'vpc-1',
          ['subnet-a'],
          [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW, State: 'active' }],
        ),
        table('rtb-elsewhere', 'vpc-2', ['subnet-a']),
      ],
    }),
  );
  expect(plan).toEqual({
    status: 'subnet-off-path',
    findings: [{ kind: 'off-path', subnetId: 'subnet-b', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-private' }],
    message:
      'default subnet subnet-b (eu-west-1b) is associated with rtb-private, whose 0.0.0.0/0 does not go to the gateway',
  });
});

test('the worst finding names the status: Block Public Access, then a shadow, then a subnet', () => {
  const vpc: Vpc = { ...VPC, BlockPublicAccessStates: { InternetGatewayBlockMode: 'block-ingress' } };
  const plan = planReach(
    input({ vpc, mainRouteTable: main({ DestinationCidrBlock: '0.0.0.0/1', GatewayId: 'vgw-1', State: 'active' }) }),
  );
  expect([plan.status, plan.findings.map((finding) => finding.kind)]).toEqual(['bpa-blocked', ['bpa', 'shadow']]);
});

test.each([
  ['10.0.0.0/8', [167772160, 184549375]],
  ['0.0.0.0/1', [0, 2147483647]],
  ['255.255.255.255/32', [4294967295, 4294967295]],
  ['10.1.2.3/8', [167772160, 184549375]],
  ['300.0.0.0/8', undefined],
  ['10.0.0.0/33', undefined],
  ['::/0', undefined],
])('cidrRange(%s)', (cidr, range) => {
  expect(cidrRange(cidr)).toEqual(range);
});

test.each([
  // The API reference's own example (CreateRoute's DestinationCidrBlock).
  ['100.68.0.18/18', '100.68.0.0/18', false],
  ['0.0.0.0/0', '0.0.0.0/0', true],
  ['10.1.2.3/0', '0.0.0.0/0', true],
  ['255.255.255.255/0', '0.0.0.0/0', true],
  ['0.0.0.0/00', undefined, false],
  ['10.0.0.0/08', undefined, false],
  ['010.001.002.003/8', '10.0.0.0/8', false],
  ['128.0.0.1/1', '128.0.0.0/1', false],
  ['100.68.0.18/1', '0.0.0.0/1', false],
  ['8.8.8.8/32', '8.8.8.8/32', false],
  ['::/0', undefined, false],
  ['0.0.0.0/33', undefined, false],
  ['256.0.0.0/0', undefined, false],
  ['0.0.0.0', undefined, false],
  ['', undefined, false],
  [undefined, undefined, false],
])('%s is %s to EC2 (0.0.0.0/0: %s)', (cidr, canonical, internet) => {
  expect(canonicalIpv4Cidr(cidr)).toBe(canonical);
  expect(isInternetRouteDestination(cidr)).toBe(internet);
});
