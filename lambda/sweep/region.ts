import { describeRegionNetwork } from '../aws/ec2';
import { checksDefaultSubnets } from '../config/schema';
import type { RegionNetwork } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import type { RegionTarget } from './context';
import { defaultVpcFacts } from './outcome';
import { readFailure } from './read-failure';
import { targetRow } from './rows';
import { defaultSubnetsStep } from './steps/default-subnets';
import { routeStep } from './steps/route';

/**
 * One account-region: read its default network once (one round trip), then the steps in order:
 * the route (with, opt-in, its gateway and default VPC), then, opt-in, the default subnets, which
 * depend on what the route step left of the default VPC. Each returns an outcome; the row is built
 * from them in rows.ts.
 */
export async function sweepRegion(target: RegionTarget): Promise<SweepResult> {
  const checkSubnets = checksDefaultSubnets(target.config);
  let network: RegionNetwork;
  try {
    network = await describeRegionNetwork(target.ec2, { subnets: checkSubnets });
  } catch (error) {
    return readFailure(target, error);
  }
  const route = await routeStep(target, network);
  const subnets = checkSubnets ? await defaultSubnetsStep(target, defaultVpcFacts(route.result), route.network) : null;
  return targetRow(target, route.result, subnets);
}
