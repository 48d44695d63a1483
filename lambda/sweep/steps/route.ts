import { planRouteRepair } from '../../core/plan-route-repair';
import type { RegionNetwork } from '../../core/region-network';
import type { RegionTarget } from '../context';
import type { RouteOutcome } from '../outcome';
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
  const { budget } = target.run;
  switch (plan.kind) {
    case 'recreate-vpc': {
      // Starts only with room for its worst case (the VPC, then a gateway of three writes), so it
      // is not left half done; it holds one write, and what AWS did not create is asked for later.
      const recreated = await budget.use(
        writes,
        (claim) => recreateDefaultVpc(target, plan, claim),
        VPC_WORST_CASE_WRITES,
      );
      return recreated ?? asFound(true);
    }
    case 'repair': {
      const result = await budget.use(writes, (claim) => restoreRoute(target, plan, claim));
      return result ? { result, network } : asFound(true);
    }
    case 'repair-gateway': {
      const result = await budget.use(writes, (claim) => restoreInternetGateway(target, plan, claim));
      return result ? { result, network } : asFound(true);
    }
    default:
      return asFound(false);
  }
}
