import type { Route, RouteTable, Tag } from '@aws-sdk/client-ec2';
import { CREATED_TAG_KEY, IGNORE_TAG_KEY, IGNORE_TAG_VALUE } from '../contract/tags';

/**
 * What every decision reads of a route table and of tags: the 0.0.0.0/0 route, what it targets,
 * and the janitor's own tags. Shared by the route and the default subnets decisions.
 */

export const INTERNET_ROUTE_CIDR = '0.0.0.0/0';
export { CREATED_TAG_KEY, IGNORE_TAG_KEY };

/** True when the table's 0.0.0.0/0 route is active and targets the given gateway. */
export function routeTargetsGateway(routeTable: RouteTable | undefined, gatewayId: string): boolean {
  const route = routeTable ? findInternetRoute(routeTable) : undefined;
  return route !== undefined && route.State !== 'blackhole' && route.GatewayId === gatewayId;
}

export function findInternetRoute(routeTable: RouteTable): Route | undefined {
  return routeTable.Routes?.find((route) => route.DestinationCidrBlock === INTERNET_ROUTE_CIDR);
}

/** The id of whatever the route points at, whichever field carries it. */
export function routeTarget(route: Route): string {
  return (
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.InstanceId ??
    route.NetworkInterfaceId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.CoreNetworkArn ??
    route.EgressOnlyInternetGatewayId ??
    'unknown'
  );
}

export function isIgnored(tags: readonly Tag[] | undefined): boolean {
  return (
    tags?.some((tag) => tag.Key === IGNORE_TAG_KEY && tag.Value?.trim().toLowerCase() === IGNORE_TAG_VALUE) ?? false
  );
}
