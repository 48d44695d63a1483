import type { Route, RouteTable, Subnet, Vpc } from '@aws-sdk/client-ec2';
import { cidrRange, INTERNET_ROUTE_CIDR, isInternetRouteDestination, routeTarget } from './route-table';

export { cidrRange };

/**
 * The path check (the `reach` switch), as a pure function: with the route in place, would AWS carry
 * a packet from a task in a default subnet to the internet? Three things take it away while
 * 0.0.0.0/0 still points at the gateway: VPC Block Public Access, a more specific route that shadows
 * public addresses, a default subnet explicitly associated with another table. Report only: the
 * janitor never changes Block Public Access, a person's route or a subnet's association.
 */

/** Block Public Access's internet-gateway modes, with the older spellings DescribeVpcs may still give. */
const BPA_MODES: Readonly<Record<string, BpaMode>> = {
  off: 'off',
  'block-bidirectional': 'block-bidirectional',
  'block-ingress': 'block-ingress',
  'bidirectional-access-allowed': 'off',
  'bidirectional-access-blocked': 'block-bidirectional',
  'ingress-access-blocked': 'block-ingress',
};

export type BpaMode = 'off' | 'block-bidirectional' | 'block-ingress';

/** The VPC's Block Public Access mode as DescribeVpcs states it; unknown or absent: `off`. */
export function bpaModeOf(vpc: Vpc | undefined): BpaMode {
  return BPA_MODES[vpc?.BlockPublicAccessStates?.InternetGatewayBlockMode ?? 'off'] ?? 'off';
}

/** What DescribeVpcBlockPublicAccessOptions and …Exclusions say, read only when the mode is not `off`. */
export interface BpaDetails {
  /** `account`, or `declarative-policy` (an AWS Organizations EC2 declarative policy). */
  readonly managedBy: string | null;
  /** `allowed` or `not-allowed` (a declarative policy may forbid exclusions). */
  readonly exclusionsAllowed: string | null;
  /** Exclusions in effect: their mode and the resource they name (a VPC or subnet ARN). */
  readonly exclusions: readonly { readonly mode: string; readonly resourceArn: string; readonly state: string }[];
}

export type ReachFinding =
  | {
      readonly kind: 'bpa';
      readonly mode: Exclude<BpaMode, 'off'>;
      readonly managedBy: string | null;
      readonly exclusionsAllowed: boolean | null;
    }
  | {
      readonly kind: 'shadow';
      /** The main table that holds the route. */
      readonly routeTableId: string;
      readonly destination: string;
      readonly target: string;
      readonly blackhole: boolean;
    }
  | {
      readonly kind: 'off-path';
      readonly subnetId: string;
      readonly availabilityZone: string;
      readonly routeTableId: string;
    };

export interface ReachInput {
  readonly vpc: Vpc;
  /** The gateway attached to the default VPC: where 0.0.0.0/0 and any public route should go. */
  readonly internetGatewayId: string | null;
  readonly mainRouteTable: RouteTable | undefined;
  /** Route tables of the region explicitly associated with a subnet (any VPC; the default VPC's are picked here). */
  readonly subnetRouteTables: readonly RouteTable[];
  /** The default subnets (DefaultForAz), when known: which explicit associations are a default subnet's. */
  readonly defaultSubnets: readonly Subnet[];
  /** Read only when the mode is not `off`. */
  readonly bpa?: BpaDetails;
}

export type ReachStatus = 'reach-ok' | 'bpa-blocked' | 'route-shadowed' | 'subnet-off-path';

export interface ReachPlan {
  readonly status: ReachStatus;
  readonly findings: readonly ReachFinding[];
  readonly message: string;
}

type Range = readonly [number, number];

/** The ranges of the CIDRs that are IPv4 ones. */
function rangesOf(cidrs: readonly (string | undefined)[]): Range[] {
  return cidrs.map((cidr) => (cidr ? cidrRange(cidr) : undefined)).filter((range) => range !== undefined);
}

/** Address ranges that are never the internet: RFC 1918 and the shared address space (RFC 6598), parsed once. */
const PRIVATE_RANGES: readonly Range[] = rangesOf(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']);

/** True when every address of `cidr` lies in one of `ranges` (an unreadable CIDR is left alone). */
function within(cidr: string, ranges: readonly Range[]): boolean {
  const range = cidrRange(cidr);
  return !range || ranges.some((bounds) => bounds[0] <= range[0] && range[1] <= bounds[1]);
}

/**
 * Whether a route of this destination could shadow 0.0.0.0/0 in some VPC: an IPv4 CIDR more
 * specific than 0.0.0.0/0 that holds public addresses (the event path's gate for CreateRoute; the
 * sweep then judges it against the VPC's own ranges and the gateway).
 */
export function mayShadowDefaultRoute(destination: string | undefined): boolean {
  if (destination === undefined || isInternetRouteDestination(destination) || !cidrRange(destination)) return false;
  return !within(destination, PRIVATE_RANGES);
}

/** The VPC's own IPv4 ranges. */
const vpcRanges = (vpc: Vpc): Range[] =>
  rangesOf([vpc.CidrBlock, ...(vpc.CidrBlockAssociationSet ?? []).map((association) => association.CidrBlock)]);

/**
 * Routes of the main table more specific than 0.0.0.0/0 that take public addresses away from the
 * gateway: to another target, or a blackhole. Prefix-list routes (gateway endpoints) are left out:
 * they carry their service's traffic on purpose.
 */
function shadowingRoutes(input: ReachInput): ReachFinding[] {
  // The local route is the VPC's own range: it never shadows, and a healthy table has no other.
  const routes = (input.mainRouteTable?.Routes ?? []).filter(
    (route) =>
      route.DestinationCidrBlock !== undefined &&
      route.DestinationCidrBlock !== INTERNET_ROUTE_CIDR &&
      route.GatewayId !== 'local',
  );
  if (routes.length === 0) return [];
  const privateRanges = [...PRIVATE_RANGES, ...vpcRanges(input.vpc)];
  const routeTableId = input.mainRouteTable?.RouteTableId ?? 'unknown';
  return routes.flatMap((route: Route) => {
    const destination = route.DestinationCidrBlock;
    if (!destination || within(destination, privateRanges)) return [];
    const target = routeTarget(route) ?? 'unknown';
    const blackhole = route.State === 'blackhole';
    if (!blackhole && input.internetGatewayId !== null && route.GatewayId === input.internetGatewayId) return [];
    return [{ kind: 'shadow' as const, routeTableId, destination, target, blackhole }];
  });
}

/** True when the table's 0.0.0.0/0 is active and goes to the gateway. */
export const routesToGateway = (table: RouteTable, gatewayId: string | null) =>
  gatewayId !== null &&
  (table.Routes ?? []).some(
    (route) =>
      route.DestinationCidrBlock === INTERNET_ROUTE_CIDR &&
      route.State !== 'blackhole' &&
      route.GatewayId === gatewayId,
  );

/** Default subnets explicitly associated with a table of the default VPC whose 0.0.0.0/0 does not go to the gateway. */
function subnetsOffPath(input: ReachInput): ReachFinding[] {
  if (input.subnetRouteTables.length === 0) return [];
  const defaults = new Map(input.defaultSubnets.map((subnet) => [subnet.SubnetId, subnet]));
  return input.subnetRouteTables
    .filter((table) => table.VpcId === input.vpc.VpcId && !routesToGateway(table, input.internetGatewayId))
    .flatMap((table) =>
      (table.Associations ?? []).flatMap((association) => {
        const subnet = association.SubnetId ? defaults.get(association.SubnetId) : undefined;
        if (!subnet?.SubnetId || association.Main) return [];
        return [
          {
            kind: 'off-path' as const,
            subnetId: subnet.SubnetId,
            availabilityZone: subnet.AvailabilityZone ?? 'unknown',
            routeTableId: table.RouteTableId ?? 'unknown',
          },
        ];
      }),
    )
    .sort((a, b) => (a.subnetId < b.subnetId ? -1 : 1));
}

/**
 * Block Public Access's finding, when its mode is not `off` and no exclusion of the default VPC
 * lets it out (an active VPC exclusion, either mode: each lets traffic out through the gateway).
 */
function bpaFinding(input: ReachInput): ReachFinding[] {
  const mode = bpaModeOf(input.vpc);
  if (mode === 'off') return [];
  const vpcId = input.vpc.VpcId ?? '';
  const excluded = (input.bpa?.exclusions ?? []).some(
    (exclusion) =>
      exclusion.resourceArn.endsWith(`:vpc/${vpcId}`) &&
      /^(create|update)-complete$/.test(exclusion.state) &&
      (exclusion.mode === 'allow-bidirectional' || exclusion.mode === 'allow-egress'),
  );
  if (excluded) return [];
  const allowed = input.bpa?.exclusionsAllowed;
  return [
    {
      kind: 'bpa',
      mode,
      managedBy: input.bpa?.managedBy ?? null,
      exclusionsAllowed: allowed === undefined || allowed === null ? null : allowed === 'allowed',
    },
  ];
}

/** The command a person would run to let the default VPC out (the janitor never runs it). */
export const exclusionCommand = (vpcId: string) =>
  `aws ec2 create-vpc-block-public-access-exclusion --vpc-id ${vpcId} --internet-gateway-exclusion-mode allow-bidirectional`;

function describeFinding(finding: ReachFinding, vpcId: string): string {
  switch (finding.kind) {
    case 'bpa': {
      const who = finding.managedBy === 'declarative-policy' ? 'an EC2 declarative policy' : 'the account';
      const exclusions =
        finding.exclusionsAllowed === false
          ? 'exclusions are not allowed'
          : finding.exclusionsAllowed === true
            ? `exclusions are allowed: ${exclusionCommand(vpcId)}`
            : 'whether exclusions are allowed is unknown';
      return `VPC Block Public Access is ${finding.mode}, set by ${who}, and no exclusion lets ${vpcId} out (${exclusions})`;
    }
    case 'shadow':
      return `${finding.destination} → ${finding.blackhole ? `${finding.target} (blackhole)` : finding.target} shadows 0.0.0.0/0`;
    case 'off-path':
      return `default subnet ${finding.subnetId} (${finding.availabilityZone}) is associated with ${finding.routeTableId}, whose 0.0.0.0/0 does not go to the gateway`;
  }
}

/** The status the worst finding gives: Block Public Access, then a shadowing route, then a subnet. */
const STATUS_OF: Readonly<Record<ReachFinding['kind'], ReachStatus>> = {
  bpa: 'bpa-blocked',
  shadow: 'route-shadowed',
  'off-path': 'subnet-off-path',
};

export function planReach(input: ReachInput): ReachPlan {
  const findings = [...bpaFinding(input), ...shadowingRoutes(input), ...subnetsOffPath(input)];
  const [worst] = findings;
  if (!worst) return { status: 'reach-ok', findings, message: 'the default subnets reach the internet gateway' };
  const message = findings.map((finding) => describeFinding(finding, input.vpc.VpcId ?? '')).join('; ');
  return { status: STATUS_OF[worst.kind], findings, message };
}
