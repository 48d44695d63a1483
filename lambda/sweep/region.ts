import { describeOptionsFor, describeRegionNetwork } from '../aws/ec2';
import type { Cause } from '../core/who-broke-it';
import { refusedByGuardRail } from '../core/plan-protection';
import type { RegionNetwork } from '../core/region-network';
import { hasDrifted, type SweepResult } from '../core/report';
import { carriedCauseOf, carriedFindingCause, findCause } from './cause';
import type { RegionTarget } from './context';
import { defaultVpcFacts } from './outcome';
import { readFailure } from './read-failure';
import { confirmedRefusals } from './refusal';
import { respectsResponders, sweepRespectingResponders } from './respect-responders';
import { targetRow } from './rows';
import { stepsAfterRoute } from './steps';
import { routeStep } from './steps/route';

/**
 * One account-region: read its default network once (one round trip), run the route step (with,
 * opt-in, its gateway and default VPC), then the steps after it that the configuration switches on
 * (steps/index.ts), at once, each given what the route step left of the default VPC. The row is built from
 * their outcomes in rows.ts. With respectPrincipals, who made a drift is known before any write
 * (responders.ts).
 */
export async function sweepRegion(target: RegionTarget): Promise<SweepResult> {
  let network: RegionNetwork;
  try {
    network = await describeRegionNetwork(target.ec2, describeOptionsFor(target.config));
  } catch (error) {
    return await readFailure(target, error);
  }
  const examine = (on: RegionTarget) => examineRegion(on, network);
  let row: SweepResult;
  if (respectsResponders(target)) {
    const respecting = await sweepRespectingResponders(target, examine);
    const { cause } = respecting;
    const drift = cause && hasDrifted(respecting.row) ? cause : null;
    row = withCause(target, respecting.row, drift ?? carriedFindingCause(target, respecting.row), network);
  } else {
    const examined = await examine(target);
    row = withCause(target, examined, await causeOf(target, examined), network);
  }
  // The calls the guard rail refused here in the quiet period of a targeted repair.
  const heard = target.run.scope.refused;
  const refused = heard && heard.length > 0 ? await confirmedRefusals(target, heard) : [];
  return refused.length > 0 ? { ...row, guardRailBlocked: refused } : row;
}

/**
 * The row with who broke it, and (protectDefaultPath=audit) whether the guard rail would have
 * refused that call: it touched a resource already tagged when the sweep read the region.
 */
function withCause(target: RegionTarget, row: SweepResult, cause: Cause | null, network: RegionNetwork): SweepResult {
  if (!cause) return row;
  const wouldBlock = target.config.protectDefaultPath === 'audit' ? refusedByGuardRail(cause, network) : null;
  if (wouldBlock) target.logger.warn('the guard rail would have refused it', { ...target.logFields, ...wouldBlock });
  return { ...row, cause, ...(wouldBlock ? { wouldBlock } : {}) };
}

/** The steps of an account-region on the network as read, and its row. */
async function examineRegion(target: RegionTarget, network: RegionNetwork): Promise<SweepResult> {
  const route = await routeStep(target, network);
  const vpc = defaultVpcFacts(route.result);
  // The steps after the route touch different resources: they run at once.
  const parts = Object.fromEntries(
    await Promise.all(
      stepsAfterRoute(target.config).map(
        async (step) => [step.field, await step.run(target, vpc, route.network)] as const,
      ),
    ),
  ) as Partial<SweepResult>;
  return targetRow(target, route.result, parts);
}

/**
 * Who broke a row: for drift, a cause carried from the event path when it concerns what the row
 * found, else (with lookUpCauses) CloudTrail's; else the carried cause when it concerns what a
 * part reported without repairing (the path check's findings).
 */
async function causeOf(target: RegionTarget, row: SweepResult): Promise<Cause | null> {
  if (hasDrifted(row)) {
    const known = target.run.scope.cause;
    const carried = known ? carriedCauseOf(target, row, known) : null;
    if (carried) return carried;
    const found = target.config.lookUpCauses ? await findCause(target, row) : null;
    if (found) return found;
  }
  return carriedFindingCause(target, row);
}
