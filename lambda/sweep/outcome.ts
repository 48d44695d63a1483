import type { RegionNetwork, RoutePlan } from '../core/plan-route-repair';
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
  /** CreateRoute or ReplaceRoute sent, and verified. */
  | { readonly kind: 'route-restored'; readonly plan: RepairPlan }
  /** A write failed, or was not verified; `internetGatewayId` when a gateway was created for it. */
  | {
      readonly kind: 'failed';
      readonly plan: RoutePlan;
      readonly message: string;
      readonly errorCode: string;
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
    };

export interface RouteOutcome {
  readonly result: RouteResult;
  /** The region as last described (again after a VPC recreation); undefined when it could not be. */
  readonly network: RegionNetwork | undefined;
}
