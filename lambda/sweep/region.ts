import { describeRegionNetwork } from '../aws/ec2';
import { checksDefaultSubnets } from '../config/schema';
import type { RegionNetwork } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import type { RegionTarget } from './context';
import { readFailure } from './read-failure';
import { isIgnoredOutcome, targetRow } from './rows';
import { defaultSubnetsStep } from './steps/default-subnets';
import { routeStep } from './steps/route';

/**
 * One account-region: read its default network once (one round trip), then the steps in order:
 * the route (with, opt-in, its gateway and default VPC), then, opt-in, the default subnets. Each
 * returns an outcome; the row is built from them in rows.ts.
 */
export async function sweepRegion(target: RegionTarget): Promise<SweepResult> {
  const subnets = checksDefaultSubnets(target.config);
  let network: RegionNetwork;
  try {
    network = await describeRegionNetwork(target.ec2, { subnets });
  } catch (error) {
    return readFailure(target, error);
  }
  const route = await routeStep(target, network);
  if (!subnets) return targetRow(target, route.result, null);
  const routeSoFar = targetRow(target, route.result, null);
  const subnetsResult = await defaultSubnetsStep(
    target,
    {
      vpcId: routeSoFar.vpcId,
      internetGatewayId: routeSoFar.internetGatewayId,
      ignored: isIgnoredOutcome(route.result),
    },
    route.network,
  );
  return targetRow(target, route.result, subnetsResult);
}
