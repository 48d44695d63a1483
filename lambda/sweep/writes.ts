import type { RoutePlan } from '../core/plan-route-repair';

/**
 * The writes a plan may make, claimed from the run's budget before the first of them: a route is
 * one, a gateway three (create, attach, route; two when a detached one is reused), a default VPC
 * one (then its gateway and route, if AWS did not create them, claimed as such).
 */
export function writesOf(plan: RoutePlan): number {
  switch (plan.kind) {
    case 'repair':
      return 1;
    case 'repair-gateway':
      return plan.reuseGatewayId ? 2 : 3;
    case 'recreate-vpc':
      return 1; // then what AWS did not create, claimed once the VPC is read again
    default:
      return 0;
  }
}
