import type { EC2Client } from '@aws-sdk/client-ec2';
import { createDefaultVpc, describeRegionNetwork } from '../aws/ec2';
import { awsErrorCode } from '../aws/error-code';
import { readUntil } from '../aws/eventual-consistency';
import { checksDefaultSubnets } from '../config/schema';
import { planRouteRepair, type RegionNetwork, type RoutePlan } from '../core/plan-route-repair';
import { planSubnetRepair } from '../core/plan-subnet-repair';
import type { SweepResult } from '../core/report';
import { REPAIRED_STATUSES } from '../core/statuses';
import type { TargetAccount } from '../discover-target-accounts';
import { capNote, reserveWrites, settleDelays, type AccountContext, type RouteOutcome } from './context';
import { repairGateway } from './gateway';
import { readFailure } from './read-failure';
import { repairRoute } from './route';
import { planRow } from './rows';
import { writesOf } from './writes';

export type VpcPlan = Extract<RoutePlan, { kind: 'recreate-vpc' }>;

/** CreateDefaultVpc, then, where AWS did not make them (the emulator), a gateway: create, attach, route. */
export const VPC_WORST_CASE_WRITES = 4;

/**
 * Opt-in: the region has no default VPC. CreateDefaultVpc, then read the region again: AWS
 * creates the gateway, the route and the default subnets with the VPC (the emulator only the
 * subnets), so whatever is missing of them is repaired the usual way, and the result is verified
 * either way. The VPC is one write against the cap; what is still missing after it is reserved
 * then, so a recreation that AWS completes holds one write, not four.
 */
export async function recreateVpc(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
  plan: VpcPlan,
): Promise<RouteOutcome> {
  const { logger } = context.dependencies;
  let vpcId: string;
  try {
    vpcId = await createDefaultVpc(ec2);
  } catch (error) {
    const code = awsErrorCode(error);
    logger.error('default VPC repair failed', {
      accountId: account.id,
      region,
      step: 'CreateDefaultVpc',
      errorCode: code,
    });
    return {
      row: planRow(account, region, plan, 'repair-failed', `CreateDefaultVpc failed: ${code}`, code),
      network: undefined,
    };
  }
  logger.info('default VPC created', { accountId: account.id, region, action: 'CreateDefaultVpc', vpcId });

  // AWS creates the gateway, the route and the default subnets with the VPC, but a describe may
  // not show them at once: read until it does (for a few seconds), not to add a second gateway
  // beside AWS's own, nor default subnets AWS is still creating.
  const subnets = checksDefaultSubnets(context.config);
  let network: RegionNetwork;
  try {
    network = await readUntil(
      () => describeRegionNetwork(ec2, { subnets }),
      (value) => isComplete(value, subnets),
      settleDelays(context),
    );
  } catch (error) {
    const row = readFailure(context, account, region, error);
    return { row: { ...row, message: `created default VPC ${vpcId}, then ${row.message}` }, network: undefined };
  }
  const next = planRouteRepair(network, { repairInternetGateway: true });
  // Every row says the VPC was created; only a complete, verified path is `vpc-recreated`.
  const as = (row: SweepResult): RouteOutcome => ({
    row: {
      ...row,
      status: REPAIRED_STATUSES.has(row.status) || row.status === 'ok' ? 'vpc-recreated' : row.status,
      message: `created default VPC ${vpcId}; ${row.message}`,
    },
    network,
  });
  if (next.kind === 'ok') return as(planRow(account, region, next));
  if (next.kind !== 'repair' && next.kind !== 'repair-gateway') {
    logger.error('default VPC repair not verified', { accountId: account.id, region, vpcId, found: next.kind });
    return as(planRow(account, region, next, 'repair-failed', next.message, 'VerificationFailed'));
  }
  if (!reserveWrites(context, writesOf(next))) {
    return as(planRow(account, region, next, undefined, `${next.message}; ${capNote(context)}`));
  }
  return as(
    next.kind === 'repair'
      ? await repairRoute(context, account, region, ec2, next)
      : await repairGateway(context, account, region, ec2, next),
  );
}

/** A new default VPC is complete: its route, and (when they are checked) a default subnet in every zone. */
function isComplete(network: RegionNetwork, subnets: boolean): boolean {
  const plan = planRouteRepair(network);
  if (plan.kind !== 'ok') return false;
  if (!subnets || !network.subnets || 'readError' in network.subnets) return true;
  return planSubnetRepair(network.subnets, plan.vpcId, plan.internetGatewayId).missingZones.length === 0;
}
