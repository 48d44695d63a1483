import type { InternetGateway, Route } from '@aws-sdk/client-ec2';
import type { RegionNetwork } from './region-network';
import { CREATED_TAG_KEY, findInternetRoute, IGNORE_TAG_KEY, isIgnored, routeTarget } from './route-table';

/**
 * The janitor's one decision, as a pure function: given what EC2 describes for a region (its
 * default VPC, the internet gateways, the VPC's main route table), what is the state of the
 * default route and what single write, if any, would restore it.
 *
 * It never plans a write for anything but the 0.0.0.0/0 route of the default VPC's main route
 * table, and never plans one over an active route that targets something other than an internet
 * gateway: that route was chosen by a human.
 */

interface Located {
  readonly vpcId: string;
  readonly routeTableId: string | null;
  readonly internetGatewayId: string | null;
  /** What 0.0.0.0/0 targeted when described (`null` when there was no such route). */
  readonly previousTarget: string | null;
  readonly message: string;
}

export type RoutePlan =
  | { readonly kind: 'no-default-vpc'; readonly message: string }
  /** Opt-in (recreateDefaultVpc): CreateDefaultVpc, then its gateway and route. */
  | { readonly kind: 'recreate-vpc'; readonly message: string }
  | ({ readonly kind: 'ignored' } & Located)
  | ({ readonly kind: 'no-main-route-table' } & Located)
  | ({ readonly kind: 'no-internet-gateway' } & Located)
  | ({ readonly kind: 'conflict' } & Located)
  | ({ readonly kind: 'ok'; readonly routeTableId: string; readonly internetGatewayId: string } & Located)
  | ({
      /** Opt-in (repairInternetGateway): create a gateway, attach it, then write the route to it. */
      readonly kind: 'repair-gateway';
      readonly routeAction: 'create' | 'replace';
      readonly routeTableId: string;
      /**
       * A detached gateway an earlier run created (tagged account-janitor:created) whose attachment
       * failed: attached instead of creating another, so failed runs do not pile up gateways.
       */
      readonly reuseGatewayId: string | null;
    } & Located)
  | ({
      readonly kind: 'repair';
      /** `create` when the route is missing, `replace` when it is stale or a blackhole. */
      readonly action: 'create' | 'replace';
      readonly routeTableId: string;
      readonly internetGatewayId: string;
    } & Located);

const ATTACHED_STATES = new Set(['available', 'attached']);

export interface PlanOptions {
  /** Plan a new internet gateway when none is attached to the default VPC (off by default). */
  readonly repairInternetGateway?: boolean;
  /** Plan a new default VPC when the region has none (off by default). */
  readonly recreateDefaultVpc?: boolean;
}

export function planRouteRepair(network: RegionNetwork, options: PlanOptions = {}): RoutePlan {
  const vpc = network.defaultVpc;
  if (!vpc?.VpcId) {
    return options.recreateDefaultVpc
      ? { kind: 'recreate-vpc', message: 'the region has no default VPC; create it again, with its gateway and route' }
      : { kind: 'no-default-vpc', message: 'the region has no default VPC' };
  }
  const vpcId = vpc.VpcId;
  const routeTable = network.mainRouteTables.find((table) => table.VpcId === vpcId);
  const routeTableId = routeTable?.RouteTableId ?? null;
  const gatewayId = attachedInternetGatewayId(network.internetGateways, vpcId);
  const route = routeTable ? findInternetRoute(routeTable) : undefined;
  const previousTarget = route ? routeTarget(route) : null;
  const located = { vpcId, routeTableId, internetGatewayId: gatewayId, previousTarget };

  if (isIgnored(vpc.Tags)) {
    return { kind: 'ignored', ...located, message: `default VPC is tagged ${IGNORE_TAG_KEY}=true` };
  }
  if (!routeTable || !routeTableId) {
    return { kind: 'no-main-route-table', ...located, message: 'the default VPC has no main route table' };
  }
  if (isIgnored(routeTable.Tags)) {
    return { kind: 'ignored', ...located, message: `main route table is tagged ${IGNORE_TAG_KEY}=true` };
  }
  if (route && route.State !== 'blackhole' && !isInternetGatewayRoute(route)) {
    return {
      kind: 'conflict',
      ...located,
      message: `0.0.0.0/0 is active and targets ${previousTarget}, not an internet gateway: left as a human set it`,
    };
  }
  if (!gatewayId && options.repairInternetGateway) {
    const reuseGatewayId = detachedJanitorGatewayId(network.internetGateways);
    return {
      kind: 'repair-gateway',
      routeAction: route ? 'replace' : 'create',
      ...located,
      routeTableId,
      reuseGatewayId,
      message: reuseGatewayId
        ? `no internet gateway is attached to the default VPC; attach ${reuseGatewayId} (detached, created by an earlier run) and route 0.0.0.0/0 to it`
        : `no internet gateway is attached to the default VPC; attach a new one and route 0.0.0.0/0 to it`,
    };
  }
  if (!gatewayId) {
    return {
      kind: 'no-internet-gateway',
      ...located,
      message: 'no internet gateway is attached to the default VPC',
    };
  }
  if (!route) {
    return {
      kind: 'repair',
      action: 'create',
      ...located,
      routeTableId,
      internetGatewayId: gatewayId,
      message: `0.0.0.0/0 is missing; route to ${gatewayId}`,
    };
  }
  if (route.State === 'blackhole' || route.GatewayId !== gatewayId) {
    const why =
      route.State === 'blackhole'
        ? `is a blackhole (${previousTarget})`
        : `targets ${previousTarget}, which is not attached to the default VPC`;
    return {
      kind: 'repair',
      action: 'replace',
      ...located,
      routeTableId,
      internetGatewayId: gatewayId,
      message: `0.0.0.0/0 ${why}; route to ${gatewayId}`,
    };
  }
  return {
    kind: 'ok',
    ...located,
    routeTableId,
    internetGatewayId: gatewayId,
    message: `0.0.0.0/0 targets ${gatewayId}`,
  };
}

function isInternetGatewayRoute(route: Route): boolean {
  return route.GatewayId?.startsWith('igw-') ?? false;
}

function attachedInternetGatewayId(gateways: readonly InternetGateway[], vpcId: string): string | null {
  const attached = gateways.find((gateway) =>
    gateway.Attachments?.some(
      (attachment) => attachment.VpcId === vpcId && ATTACHED_STATES.has(attachment.State ?? ''),
    ),
  );
  return attached?.InternetGatewayId ?? null;
}

/** A gateway the janitor created that is attached nowhere (its attachment failed), if any. */
function detachedJanitorGatewayId(gateways: readonly InternetGateway[]): string | null {
  const detached = gateways
    .filter((gateway) => gateway.Tags?.some((tag) => tag.Key === CREATED_TAG_KEY))
    .filter((gateway) => (gateway.Attachments ?? []).every((attachment) => attachment.State === 'detached'))
    .flatMap((gateway) => (gateway.InternetGatewayId ? [gateway.InternetGatewayId] : []))
    .sort();
  return detached[0] ?? null;
}
