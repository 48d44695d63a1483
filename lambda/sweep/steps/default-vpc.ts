import { createDefaultVpc, describeOptionsFor, describeRegionNetwork, type DescribeOptions } from '../../aws/ec2';
import { readUntil } from '../../aws/eventual-consistency';
import { planRouteRepair } from '../../core/plan-route-repair';
import type { RegionNetwork } from '../../core/region-network';
import { PART_KEYS } from '../../core/row-parts';
import type { WriteClaim } from '../budget';
import type { RegionTarget } from '../context';
import type { RouteOutcome, RouteResult, VpcPlan } from '../outcome';
import { readFailure } from '../read-failure';
import { attemptWrite, refusedMessage, writesOf } from '../writes';
import { restoreInternetGateway } from './internet-gateway';
import { PART_STEPS } from './index';
import { restoreRoute } from './restore-route';

/** CreateDefaultVpc, then, where AWS did not make them (the emulator), a gateway: create, attach, route. */
export const VPC_WORST_CASE_WRITES = 4;

/**
 * Opt-in (recreateDefaultVpc): the region has no default VPC. CreateDefaultVpc, then read the
 * region again: AWS creates the gateway, the route and the default subnets with the VPC (the
 * emulator only the subnets), so whatever is missing of them is repaired the usual way, and the
 * result is verified either way. The VPC is one write of `claim`; what is still missing after it
 * is claimed then, so a recreation that AWS completes holds one write, not four.
 */
export async function recreateDefaultVpc(
  target: RegionTarget,
  plan: VpcPlan,
  claim: WriteClaim,
): Promise<RouteOutcome> {
  const { ec2, logger } = target;
  const sent = await attemptWrite(target, claim, () => createDefaultVpc(ec2));
  if (!sent.ok) {
    const { code, refusal } = sent;
    logger.error('default VPC repair failed', { ...target.logFields, step: 'CreateDefaultVpc', errorCode: code });
    const message = refusal ? refusedMessage('CreateDefaultVpc', code, refusal) : `CreateDefaultVpc failed: ${code}`;
    return { result: { kind: 'failed', plan, message, errorCode: code, refusal }, network: undefined };
  }
  const vpcId = sent.value;
  logger.info('default VPC created', { ...target.logFields, action: 'CreateDefaultVpc', vpcId });
  const created = (then: RouteResult, network: RegionNetwork | undefined, rereadFailed = false): RouteOutcome => ({
    result: { kind: 'vpc-created', vpcId, then, rereadFailed, rereadAt: target.run.now() },
    network,
  });

  // AWS creates the gateway, the route and the default subnets with the VPC, but a describe may
  // not show them at once: read until it does (for a few seconds), not to add a second gateway
  // beside AWS's own, nor default subnets AWS is still creating.
  const options = describeOptionsFor(target.config);
  let network: RegionNetwork;
  try {
    network = await readUntil(
      () => describeRegionNetwork(ec2, options),
      (value) => isComplete(value, options),
      target.settleDelays,
    );
  } catch (error) {
    return created({ kind: 'unreadable', row: await readFailure(target, error) }, undefined, true);
  }
  const next = planRouteRepair(network, { repairInternetGateway: true });
  if (next.kind === 'ok') return created({ kind: 'as-found', plan: next, capped: false }, network);
  if (next.kind !== 'repair' && next.kind !== 'repair-gateway') {
    logger.error('default VPC repair not verified', { ...target.logFields, vpcId, found: next.kind });
    return created({ kind: 'failed', plan: next, message: next.message, errorCode: 'VerificationFailed' }, network);
  }
  const result = await target.run.budget.use(writesOf(next), (completion) =>
    next.kind === 'repair' ? restoreRoute(target, next, completion) : restoreInternetGateway(target, next, completion),
  );
  return created(result ?? { kind: 'as-found', plan: next, capped: true }, network);
}

/**
 * A new default VPC is complete: its route, and what each part that is read needs of it (its
 * step's `completeIn`: a default subnet in every zone, the default security group and ACL).
 */
function isComplete(network: RegionNetwork, options: DescribeOptions): boolean {
  const plan = planRouteRepair(network);
  if (plan.kind !== 'ok') return false;
  return PART_KEYS.every((key) => !options[key] || PART_STEPS[key].completeIn(network, plan));
}
