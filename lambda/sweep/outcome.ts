import type { PolicyRefusal } from '../core/policy-denial';
import type { RoutePlan } from '../core/plan-route-repair';
import type { RegionNetwork } from '../core/region-network';
import type { SweepResult } from '../core/report';

/**
 * What the steps of an account-region return: typed outcomes, never rows. `rows.ts` turns them
 * into the report row in one place; no step edits another step's result.
 */

export type RepairPlan = Extract<RoutePlan, { kind: 'repair' }>;
export type GatewayPlan = Extract<RoutePlan, { kind: 'repair-gateway' }>;
export type VpcPlan = Extract<RoutePlan, { kind: 'recreate-vpc' }>;

/** What became of the route of an account-region (and of the gateway and default VPC it needs). */
export type RouteResult =
  /** Nothing written: as found, in report mode, or beyond the write cap (`capped`). */
  | { readonly kind: 'as-found'; readonly plan: RoutePlan; readonly capped: boolean }
  /** CreateRoute or ReplaceRoute sent, and verified (at `verifiedAt`). */
  | { readonly kind: 'route-restored'; readonly plan: RepairPlan; readonly verifiedAt: Date }
  /**
   * A write failed, or was not verified; `refusal` when a policy refused the write (which one, and
   * what to do). `internetGatewayId` after a gateway repair: the gateway created (and left, tagged,
   * for the next run), or `null` when its creation failed.
   */
  | {
      readonly kind: 'failed';
      readonly plan: RoutePlan;
      readonly message: string;
      readonly errorCode: string;
      readonly refusal?: PolicyRefusal | undefined;
      readonly internetGatewayId?: string | null;
    }
  /** CreateRoute found 0.0.0.0/0 there: someone else wrote it meanwhile. `now` is what is there. */
  | { readonly kind: 'raced'; readonly now: RoutePlan }
  /** A read failed: the row a read failure makes. */
  | { readonly kind: 'unreadable'; readonly row: SweepResult }
  /** Opt-in: a gateway (new, or a detached one of an earlier run) was attached, then the route. */
  | {
      readonly kind: 'gateway-attached';
      readonly gatewayId: string;
      readonly reused: boolean;
      readonly vpcId: string;
      readonly route: RouteResult;
    }
  /**
   * Opt-in: CreateDefaultVpc made a default VPC, then what its path needed (`then`);
   * `rereadFailed` when the region could not be read again afterwards.
   */
  | {
      readonly kind: 'vpc-created';
      readonly vpcId: string;
      readonly then: RouteResult;
      readonly rereadFailed: boolean;
      /** When the region was read again after CreateDefaultVpc. */
      readonly rereadAt: Date;
    };

export interface RouteOutcome {
  readonly result: RouteResult;
  /** The region as last described (again after a VPC recreation); undefined when it could not be. */
  readonly network: RegionNetwork | undefined;
}

/** What the route step left of the default VPC: what the next steps (the default subnets) depend on. */
export interface DefaultVpcFacts {
  readonly vpcId: string | null;
  /** The gateway attached to it: what 0.0.0.0/0 targets, or should. */
  readonly internetGatewayId: string | null;
  /** The default VPC or its main route table is tagged account-janitor:ignore. */
  readonly ignored: boolean;
}

export function defaultVpcFacts(result: RouteResult): DefaultVpcFacts {
  const ofPlan = (plan: RoutePlan, internetGatewayId?: string | null): DefaultVpcFacts =>
    plan.kind === 'no-default-vpc' || plan.kind === 'recreate-vpc'
      ? { vpcId: null, internetGatewayId: null, ignored: false }
      : {
          vpcId: plan.vpcId,
          internetGatewayId: internetGatewayId === undefined ? plan.internetGatewayId : internetGatewayId,
          ignored: plan.kind === 'ignored',
        };
  switch (result.kind) {
    case 'as-found':
    case 'route-restored':
      return ofPlan(result.plan);
    case 'failed':
      return ofPlan(result.plan, result.internetGatewayId);
    case 'raced':
      return ofPlan(result.now);
    case 'unreadable':
      return { vpcId: result.row.vpcId, internetGatewayId: result.row.internetGatewayId, ignored: false };
    case 'gateway-attached':
      return defaultVpcFacts(result.route);
    case 'vpc-created':
      return defaultVpcFacts(result.then);
  }
}
