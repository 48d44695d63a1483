import type { Route, RouteTable, Tag } from '@aws-sdk/client-ec2';
import { CREATED_TAG_KEY, IGNORE_TAG_KEY, IGNORE_TAG_VALUE } from '../contract/tags';

/**
 * What every decision reads of a route table and of tags: the 0.0.0.0/0 route, what it targets,
 * and the janitor's own tags. Shared by the route and the default subnets decisions.
 */

export const INTERNET_ROUTE_CIDR = '0.0.0.0/0';
export { CREATED_TAG_KEY, IGNORE_TAG_KEY };

/**
 * An IPv4 CIDR's first address (as a number) and prefix length; `undefined` when it is not one.
 * A prefix length has no leading zero (`/00` is not one): the event rules' pattern hears an
 * address over `/0`, and what it cannot hear the intake must not act on either.
 */
function parseIpv4Cidr(cidr: string): { readonly first: number; readonly bits: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(0|[1-9]\d?)$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((octet) => octet > 255) || bits > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - bits);
  return { first: Math.floor(address / size) * size, bits };
}

/** An IPv4 CIDR as [first, last] address numbers; undefined when it is not one. */
export function cidrRange(cidr: string): readonly [number, number] | undefined {
  const parsed = parseIpv4Cidr(cidr);
  return parsed && [parsed.first, parsed.first + 2 ** (32 - parsed.bits) - 1];
}

/**
 * An IPv4 CIDR as EC2 keeps it: the host bits cleared ("We modify the specified CIDR block to its
 * canonical form; for example, if you specify 100.68.0.18/18, we modify it to 100.68.0.0/18": the
 * API reference, CreateRoute's DestinationCidrBlock), `undefined` when it is not one. A CloudTrail
 * record keeps what the caller sent, so a call is compared with a route in this form.
 */
export function canonicalIpv4Cidr(cidr: string | undefined): string | undefined {
  const parsed = cidr === undefined ? undefined : parseIpv4Cidr(cidr);
  if (!parsed) return undefined;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(parsed.first / 2 ** shift) % 256);
  return `${octets.join('.')}/${parsed.bits}`;
}

/** Whether a call's destination, however the caller spelled it, is 0.0.0.0/0 (`1.2.3.4/0` is). */
export function isInternetRouteDestination(destination: string | undefined): boolean {
  return canonicalIpv4Cidr(destination) === INTERNET_ROUTE_CIDR;
}

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
