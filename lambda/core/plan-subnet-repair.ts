import type { AvailabilityZone, RouteTable, Subnet } from '@aws-sdk/client-ec2';
import { findInternetRoute, isIgnored, routeTarget, routeTargetsGateway } from './route-table';

/**
 * The default subnets decision, as a pure function (opt-in: checkDefaultSubnets or
 * repairDefaultSubnets). Given the region's availability zones, its default subnets and the route
 * tables explicitly associated with subnets: which zones have no default subnet (the one thing the
 * janitor may write, with CreateDefaultSubnet), and which default subnets are set up so that a task
 * given a public IP still cannot reach the internet (reported, never written).
 */

export interface DefaultSubnetsNetwork {
  /** Availability zones of the region (DescribeAvailabilityZones, zone-type availability-zone). */
  readonly availabilityZones: readonly AvailabilityZone[];
  /** Default subnets of the region (DescribeSubnets, default-for-az = true). */
  readonly defaultSubnets: readonly Subnet[];
  /** Route tables with an explicit subnet association (the main tables are the route's business). */
  readonly subnetRouteTables: readonly RouteTable[];
}

export type SubnetProblem = 'public-ip-off' | 'no-route-to-gateway';

/** A default subnet that breaks tasks with public IPs: reported, never written. */
export interface SubnetFinding {
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly problem: SubnetProblem;
  /** The explicitly associated route table, for `no-route-to-gateway`. */
  readonly routeTableId: string | null;
  readonly message: string;
}

export interface SubnetPlan {
  /** Zones (available, of type availability-zone) without a default subnet of the default VPC, sorted. */
  readonly missingZones: readonly string[];
  readonly findings: readonly SubnetFinding[];
}

/**
 * @param vpcId the default VPC
 * @param internetGatewayId the gateway attached to it (`null`: none), what 0.0.0.0/0 should target
 */
export function planSubnetRepair(
  network: DefaultSubnetsNetwork,
  vpcId: string,
  internetGatewayId: string | null,
): SubnetPlan {
  const subnets = network.defaultSubnets.filter((subnet) => subnet.VpcId === vpcId && subnet.DefaultForAz === true);
  const covered = new Set(subnets.map((subnet) => subnet.AvailabilityZone));
  const missingZones = network.availabilityZones
    .filter((zone) => zone.ZoneType === 'availability-zone' || zone.ZoneType === undefined)
    .filter((zone) => zone.State === 'available')
    .filter((zone) => zone.OptInStatus !== 'not-opted-in')
    .flatMap((zone) => (zone.ZoneName && !covered.has(zone.ZoneName) ? [zone.ZoneName] : []))
    .sort();

  const findings: SubnetFinding[] = [];
  const bySubnet = [...subnets].sort((a, b) => String(a.AvailabilityZone).localeCompare(String(b.AvailabilityZone)));
  for (const subnet of bySubnet) {
    const subnetId = subnet.SubnetId ?? 'unknown';
    const availabilityZone = subnet.AvailabilityZone ?? 'unknown';
    if (isIgnored(subnet.Tags)) continue;
    if (subnet.MapPublicIpOnLaunch !== true) {
      findings.push({
        subnetId,
        availabilityZone,
        problem: 'public-ip-off',
        routeTableId: null,
        message: `${subnetId} (${availabilityZone}) does not assign public IPs on launch (MapPublicIpOnLaunch off)`,
      });
    }
    const table = network.subnetRouteTables.find(
      (candidate) =>
        candidate.VpcId === vpcId &&
        candidate.Associations?.some((association) => association.SubnetId === subnet.SubnetId && !association.Main),
    );
    if (!table?.RouteTableId || isMainTable(table) || isIgnored(table.Tags)) continue;
    if (internetGatewayId && routeTargetsGateway(table, internetGatewayId)) continue;
    const route = findInternetRoute(table);
    const routeToGateway = internetGatewayId ? `0.0.0.0/0 to ${internetGatewayId}` : 'a route to an internet gateway';
    const instead = !route
      ? 'no 0.0.0.0/0 route'
      : route.State === 'blackhole'
        ? `a blackhole 0.0.0.0/0 (${routeTarget(route)})`
        : `0.0.0.0/0 to ${routeTarget(route)}`;
    findings.push({
      subnetId,
      availabilityZone,
      problem: 'no-route-to-gateway',
      routeTableId: table.RouteTableId,
      message: `${subnetId} (${availabilityZone}) is associated with ${table.RouteTableId}, which has ${instead} instead of ${routeToGateway}`,
    });
  }
  return { missingZones, findings };
}

/** The table is its VPC's main table: its route is checked (and repaired) as the default route. */
function isMainTable(table: RouteTable): boolean {
  return table.Associations?.some((association) => association.Main === true) ?? false;
}
