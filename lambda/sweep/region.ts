import type { EC2Client } from '@aws-sdk/client-ec2';
import { describeRegionNetwork } from '../aws/ec2';
import { checksDefaultSubnets } from '../config/schema';
import { planRouteRepair, type RegionNetwork } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import type { TargetAccount } from '../discover-target-accounts';
import { capNote, reserveWrites, type AccountContext, type RouteOutcome } from './context';
import { sweepDefaultSubnets } from './default-subnets';
import { recreateVpc, VPC_WORST_CASE_WRITES, type VpcPlan } from './default-vpc';
import { repairGateway } from './gateway';
import { readFailure } from './read-failure';
import { repairRoute } from './route';
import { planRow } from './rows';
import { writesOf } from './writes';

/** One account-region: read its default network once, then the route (and the opt-in steps). */

export async function sweepRegion(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
): Promise<SweepResult> {
  const subnets = checksDefaultSubnets(context.config);
  let network: RegionNetwork;
  try {
    network = await describeRegionNetwork(ec2, { subnets });
  } catch (error) {
    return readFailure(context, account, region, error);
  }
  const route = await sweepRoute(context, account, region, ec2, network);
  return subnets ? sweepDefaultSubnets(context, account, region, ec2, route) : route.row;
}

async function sweepRoute(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
  network: RegionNetwork,
): Promise<RouteOutcome> {
  const plan = planRouteRepair(network, {
    repairInternetGateway: context.config.repairInternetGateway,
    recreateDefaultVpc: context.config.recreateDefaultVpc,
  });
  const as = (row: SweepResult): RouteOutcome => ({ row, network });
  const writes = writesOf(plan);
  if (writes === 0 || context.config.mode === 'report') return as(planRow(account, region, plan));
  // A recreation starts only with room for its worst case (the VPC, then a gateway of three
  // writes), so it is not left half done; it holds one write, and reserves the rest as needed.
  const room = plan.kind === 'recreate-vpc' ? VPC_WORST_CASE_WRITES : writes;
  if (!reserveWrites(context, writes, room)) {
    return as(planRow(account, region, plan, undefined, `${plan.message}; ${capNote(context)}`));
  }
  if (plan.kind === 'repair') return as(await repairRoute(context, account, region, ec2, plan));
  if (plan.kind === 'repair-gateway') return as(await repairGateway(context, account, region, ec2, plan));
  return recreateVpc(context, account, region, ec2, plan as VpcPlan);
}
