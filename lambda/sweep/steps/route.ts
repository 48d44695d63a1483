import { planRouteRepair, type RegionNetwork } from '../../core/plan-route-repair';
import type { RegionTarget } from '../context';
import type { RouteOutcome, RouteResult } from '../outcome';
import { writesOf } from '../writes';
import { recreateDefaultVpc, VPC_WORST_CASE_WRITES } from './default-vpc';
import { restoreInternetGateway } from './internet-gateway';
import { restoreRoute } from './restore-route';

/**
 * The route step: decide (the pure plan), and in remediate mode within the write cap, make the
 * plan's repair: the route itself here; a missing gateway or default VPC (opt-in) in their files.
 */
export async function routeStep(target: RegionTarget, network: RegionNetwork): Promise<RouteOutcome> {
  const { config } = target;
  const plan = planRouteRepair(network, {
    repairInternetGateway: config.repairInternetGateway,
    recreateDefaultVpc: config.recreateDefaultVpc,
  });
  const asFound = (capped: boolean): RouteOutcome => ({ result: { kind: 'as-found', plan, capped }, network });
  const writes = writesOf(plan);
  if (writes === 0 || config.mode === 'report') return asFound(false);
  if (plan.kind === 'recreate-vpc') {
    // Starts only with room for its worst case (the VPC, then a gateway of three writes), so it is
    // not left half done; it claims one write, and what AWS did not create is claimed later.
    const claim = target.run.budget.claim(writes, VPC_WORST_CASE_WRITES);
    return claim ? recreateDefaultVpc(target, plan, claim) : asFound(true);
  }
  if (plan.kind !== 'repair' && plan.kind !== 'repair-gateway') return asFound(false);
  const claim = target.run.budget.claim(writes);
  if (!claim) return asFound(true);
  try {
    const result: RouteResult =
      plan.kind === 'repair'
        ? await restoreRoute(target, plan, claim)
        : await restoreInternetGateway(target, plan, claim);
    return { result, network };
  } finally {
    claim.settle();
  }
}
