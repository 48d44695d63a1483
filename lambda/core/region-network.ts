import type { InternetGateway, RouteTable, Vpc } from '@aws-sdk/client-ec2';
import type { DefaultEgressRead } from './plan-egress-repair';
import type { DefaultSubnetsNetwork } from './plan-subnet-repair';

/**
 * What the sweep reads of a region, once (aws/ec2.ts `describeRegionNetwork`), and every step and
 * planner decides from: the default VPC, the gateways and main route tables, and what the row
 * parts that are switched on read besides.
 */
export interface RegionNetwork {
  /** The region's default VPC, if it has one. */
  readonly defaultVpc: Vpc | undefined;
  /** Internet gateways of the region (any VPC); the one attached to the default VPC is picked here. */
  readonly internetGateways: readonly InternetGateway[];
  /** Main route tables of the region (any VPC); the default VPC's one is picked here. */
  readonly mainRouteTables: readonly RouteTable[];
  /**
   * Read only when the default subnets are checked (the `defaultSubnets` switch) or protected
   * (`protectDefaultPath`: the guard rail's tag goes on them); a failed subnet read (e.g. a member
   * role without the subnet permissions) fails only the subnets, and leaves them untagged.
   */
  readonly subnets?: DefaultSubnetsNetwork | { readonly readError: unknown } | undefined;
  /**
   * Read only when the egress is checked (the `egress` switch): the default security groups
   * and network ACLs of the region's VPCs; a failed read fails only the egress.
   */
  readonly egress?: DefaultEgressRead | { readonly readError: unknown } | undefined;
  /**
   * Read when the default subnets or the path are checked (the same DescribeRouteTables, with the
   * explicitly associated tables too): the region's tables associated with a subnet.
   */
  readonly subnetRouteTables?: readonly RouteTable[];
}
