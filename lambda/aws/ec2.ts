import {
  AttachInternetGatewayCommand,
  CreateDefaultSubnetCommand,
  CreateDefaultVpcCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  paginateDescribeInternetGateways,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  ReplaceRouteCommand,
  DescribeVpcBlockPublicAccessExclusionsCommand,
  DescribeVpcBlockPublicAccessOptionsCommand,
  type EC2Client,
  type Subnet,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import type { SweepConfig } from '../config/schema';
import { PART_KEYS, ROW_PARTS } from '../core/row-parts';
import type { PartKey } from '../core/statuses';
import { describeDefaultEgress } from './egress';
import { withAction } from './error-code';
import { collect } from './pages';
import type { BpaDetails } from '../core/plan-reach';
import type { RegionNetwork } from '../core/region-network';
import { CREATED_TAG_KEY, INTERNET_ROUTE_CIDR } from '../core/route-table';

/**
 * The EC2 calls of the janitor. Reads: the three describes of a region, issued at once; the route
 * table again to verify a write; the account's regions. Writes: CreateRoute and ReplaceRoute of
 * 0.0.0.0/0 to an internet gateway; and, only when repairInternetGateway is on, CreateInternetGateway
 * (tagged) and AttachInternetGateway; only when recreateDefaultVpc is on, CreateDefaultVpc; only
 * when repairDefaultSubnets is on, CreateDefaultSubnet. Never a delete.
 */

/**
 * What to read of a region besides the route, by row part: `subnets` (and `protection`, which tags
 * them), the default subnets (two more describes, in the same round trip); `egress`, the default
 * security groups and network ACLs (two more). The others read nothing more here.
 */
export type DescribeOptions = { readonly [K in PartKey]?: boolean };

/** What a run reads of each region: what its switched-on parts need. */
export function describeOptionsFor(config: SweepConfig): DescribeOptions {
  return Object.fromEntries(PART_KEYS.map((key) => [key, ROW_PARTS[key].enabled(config)]));
}

/**
 * The default VPC, the internet gateways and the main route tables of a region, read concurrently:
 * three requests. With `subnets`, also the availability zones and the default subnets (with
 * `protection` too, the tables read staying the main ones), and the
 * route tables read are every associated one (main or explicit) instead of the main ones only:
 * five requests, still one round trip. With `egress`, two more: the default security groups and
 * network ACLs (of every VPC: the default VPC is not known yet).
 */
export async function describeRegionNetwork(client: EC2Client, options: DescribeOptions = {}): Promise<RegionNetwork> {
  // The default subnets and the path need the tables explicitly associated with subnets too.
  const associations = options.subnets || options.reach ? ['true', 'false'] : ['true'];
  const [vpcs, internetGateways, routeTables, subnets, egress] = await Promise.all([
    withAction('ec2:DescribeVpcs', () =>
      collect(
        paginateDescribeVpcs({ client }, { Filters: [{ Name: 'isDefault', Values: ['true'] }] }),
        (page) => page.Vpcs,
      ),
    ),
    withAction('ec2:DescribeInternetGateways', () =>
      collect(paginateDescribeInternetGateways({ client }, {}), (page) => page.InternetGateways),
    ),
    withAction('ec2:DescribeRouteTables', () =>
      collect(
        paginateDescribeRouteTables({ client }, { Filters: [{ Name: 'association.main', Values: associations }] }),
        (page) => page.RouteTables,
      ),
    ),
    // A failed subnet read must not hide the route: it fails the subnets only. The guard rail's
    // tag goes on the default subnets too (an association of a protected subnet is refused).
    options.subnets || options.protection
      ? describeDefaultSubnets(client).catch((readError: unknown) => ({ readError }))
      : undefined,
    // Nor a failed egress read: it fails the egress only.
    options.egress ? describeDefaultEgress(client).catch((readError: unknown) => ({ readError })) : undefined,
  ]);
  const mainRouteTables = routeTables.filter((table) => table.Associations?.some((association) => association.Main));
  const subnetRouteTables = routeTables.filter((table) =>
    table.Associations?.some((association) => association.SubnetId !== undefined),
  );
  return {
    ...(associations.length > 1 ? { subnetRouteTables } : {}),
    defaultVpc: vpcs.find((vpc) => vpc.IsDefault === true),
    internetGateways,
    mainRouteTables,
    subnets:
      subnets && !('readError' in subnets)
        ? {
            ...subnets,
            subnetRouteTables,
          }
        : subnets,
    egress,
  };
}

/** The region's availability zones and default subnets, read concurrently. */
export async function describeDefaultSubnets(client: EC2Client) {
  const [zones, defaultSubnets] = await Promise.all([
    withAction('ec2:DescribeAvailabilityZones', () =>
      client.send(
        new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-type', Values: ['availability-zone'] }] }),
      ),
    ),
    withAction('ec2:DescribeSubnets', () =>
      collect(
        paginateDescribeSubnets({ client }, { Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
        (page) => page.Subnets,
      ),
    ),
  ]);
  return { availabilityZones: zones.AvailabilityZones ?? [], defaultSubnets };
}

/**
 * What explains Block Public Access in the region (the path check, when a VPC's mode is not
 * `off`): who manages it, whether exclusions are allowed, and the exclusions. Two reads, at once.
 */
export async function describeBlockPublicAccess(client: EC2Client): Promise<BpaDetails> {
  const [options, exclusions] = await Promise.all([
    withAction('ec2:DescribeVpcBlockPublicAccessOptions', () =>
      client.send(new DescribeVpcBlockPublicAccessOptionsCommand({})),
    ),
    withAction('ec2:DescribeVpcBlockPublicAccessExclusions', () =>
      client.send(new DescribeVpcBlockPublicAccessExclusionsCommand({})),
    ),
  ]);
  return {
    managedBy: options.VpcBlockPublicAccessOptions?.ManagedBy ?? null,
    exclusionsAllowed: options.VpcBlockPublicAccessOptions?.ExclusionsAllowed ?? null,
    exclusions: (exclusions.VpcBlockPublicAccessExclusions ?? []).map((exclusion) => ({
      mode: exclusion.InternetGatewayExclusionMode ?? '',
      resourceArn: exclusion.ResourceArn ?? '',
      state: exclusion.State ?? '',
    })),
  };
}

/** Which of these subnets are default subnets (DefaultForAz), with their zones. */
export async function describeDefaultSubnetsAmong(client: EC2Client, subnetIds: readonly string[]): Promise<Subnet[]> {
  return withAction('ec2:DescribeSubnets', () =>
    collect(
      paginateDescribeSubnets(
        { client },
        {
          Filters: [
            { Name: 'subnet-id', Values: [...subnetIds] },
            { Name: 'default-for-az', Values: ['true'] },
          ],
        },
      ),
      (page) => page.Subnets,
    ),
  );
}

/** A default subnet in the zone (a /20 of the default VPC, public IPs on launch, main route table). */
export async function createDefaultSubnet(client: EC2Client, availabilityZone: string): Promise<string> {
  const { Subnet: subnet } = await withAction('ec2:CreateDefaultSubnet', () =>
    client.send(new CreateDefaultSubnetCommand({ AvailabilityZone: availabilityZone })),
  );
  if (!subnet?.SubnetId) throw new Error('CreateDefaultSubnet returned no subnet id');
  return subnet.SubnetId;
}

export async function describeRouteTable(client: EC2Client, routeTableId: string): Promise<RouteTable | undefined> {
  const { RouteTables: tables } = await withAction('ec2:DescribeRouteTables', () =>
    client.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] })),
  );
  return tables?.[0];
}

export async function createInternetRoute(client: EC2Client, routeTableId: string, gatewayId: string): Promise<void> {
  await withAction('ec2:CreateRoute', () =>
    client.send(
      new CreateRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: INTERNET_ROUTE_CIDR,
        GatewayId: gatewayId,
      }),
    ),
  );
}

export async function replaceInternetRoute(client: EC2Client, routeTableId: string, gatewayId: string): Promise<void> {
  await withAction('ec2:ReplaceRoute', () =>
    client.send(
      new ReplaceRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: INTERNET_ROUTE_CIDR,
        GatewayId: gatewayId,
      }),
    ),
  );
}

/** A new default VPC (AWS adds its subnets, gateway and route; the emulator only the subnets). */
export async function createDefaultVpc(client: EC2Client): Promise<string> {
  const { Vpc: vpc } = await withAction('ec2:CreateDefaultVpc', () => client.send(new CreateDefaultVpcCommand({})));
  if (!vpc?.VpcId) throw new Error('CreateDefaultVpc returned no VPC id');
  return vpc.VpcId;
}

/** A new internet gateway, tagged account-janitor:created = the run's timestamp. */
export async function createInternetGateway(client: EC2Client, runId: string): Promise<string> {
  const { InternetGateway: gateway } = await withAction('ec2:CreateInternetGateway', () =>
    client.send(
      new CreateInternetGatewayCommand({
        TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: CREATED_TAG_KEY, Value: runId }] }],
      }),
    ),
  );
  if (!gateway?.InternetGatewayId) throw new Error('CreateInternetGateway returned no gateway id');
  return gateway.InternetGatewayId;
}

export async function attachInternetGateway(client: EC2Client, gatewayId: string, vpcId: string): Promise<void> {
  await withAction('ec2:AttachInternetGateway', () =>
    client.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId })),
  );
}

/** True when the gateway is described as attached to the VPC. */
export async function isAttached(client: EC2Client, gatewayId: string, vpcId: string): Promise<boolean> {
  const { InternetGateways: gateways } = await client.send(
    new DescribeInternetGatewaysCommand({ InternetGatewayIds: [gatewayId] }),
  );
  return (
    gateways?.some((gateway) =>
      gateway.Attachments?.some(
        (attachment) => attachment.VpcId === vpcId && ['available', 'attached'].includes(String(attachment.State)),
      ),
    ) ?? false
  );
}

/** The regions enabled for the account: opted in, or needing no opt-in. */
export async function listEnabledRegions(client: EC2Client): Promise<string[]> {
  const { Regions: regions } = await withAction('ec2:DescribeRegions', () =>
    client.send(new DescribeRegionsCommand({ AllRegions: false })),
  );
  return (regions ?? [])
    .filter((region) => region.OptInStatus !== 'not-opted-in')
    .flatMap((region) => (region.RegionName ? [region.RegionName] : []))
    .sort();
}
