import { describeOptionsFor, describeRegionNetwork } from '../aws/ec2';
import type { RegionNetwork } from '../core/plan-route-repair';
import { hasDrifted, type SweepResult } from '../core/report';
import { carriedCauseOf, findCause } from './cause';
import type { RegionTarget } from './context';
import { defaultVpcFacts } from './outcome';
import { readFailure } from './read-failure';
import { targetRow } from './rows';
import { AFTER_ROUTE_STEPS } from './steps';
import { routeStep } from './steps/route';

/**
 * One account-region: read its default network once (one round trip), run the route step (with,
 * opt-in, its gateway and default VPC), then the steps after it that the configuration switches on
 * (steps/index.ts), at once, each given what the route step left of the default VPC. The row is built from
 * their outcomes in rows.ts.
 */
export async function sweepRegion(target: RegionTarget): Promise<SweepResult> {
  let network: RegionNetwork;
  try {
    network = await describeRegionNetwork(target.ec2, describeOptionsFor(target.config));
  } catch (error) {
    return readFailure(target, error);
  }
  const route = await routeStep(target, network);
  const vpc = defaultVpcFacts(route.result);
  // The steps after the route touch different resources: they run at once.
  const parts = Object.fromEntries(
    await Promise.all(
      AFTER_ROUTE_STEPS.filter((step) => step.enabled(target.config)).map(
        async (step) => [step.field, await step.run(target, vpc, route.network)] as const,
      ),
    ),
  ) as Partial<SweepResult>;
  const row = targetRow(target, route.result, parts);
  // A cause carried from the event path goes on the row only when it concerns what the row found.
  const known = target.run.scope.cause;
  const carried = known && hasDrifted(row) ? carriedCauseOf(target, row, known) : null;
  if (carried) return { ...row, cause: carried };
  if (!target.config.lookUpCauses) return row;
  const cause = await findCause(target, row);
  return cause ? { ...row, cause } : row;
}
