import type { EC2Client } from '@aws-sdk/client-ec2';
import { createInternetRoute, describeRegionNetwork, describeRouteTable, replaceInternetRoute } from '../aws/ec2';
import { awsErrorCode } from '../aws/error-code';
import { readUntil } from '../aws/eventual-consistency';
import { planRouteRepair, type RoutePlan } from '../core/plan-route-repair';
import { routeTargetsGateway } from '../core/route-table';
import type { SweepResult } from '../core/report';
import type { TargetAccount } from '../discover-target-accounts';
import { settleDelays, type AccountContext } from './context';
import { readFailure } from './read-failure';
import { planRow } from './rows';

/** The route repair: CreateRoute or ReplaceRoute of 0.0.0.0/0 to the gateway, then verified. */

export type RepairPlan = Extract<RoutePlan, { kind: 'repair' }>;

export async function repairRoute(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
  plan: RepairPlan,
): Promise<SweepResult> {
  const { logger } = context.dependencies;
  const write = plan.action === 'create' ? 'CreateRoute' : 'ReplaceRoute';
  const audit = {
    accountId: account.id,
    region,
    vpcId: plan.vpcId,
    routeTableId: plan.routeTableId,
    destination: '0.0.0.0/0',
    action: write,
    // 'none', not null: JSON loggers drop null attributes, and an auditor must see "no route".
    before: plan.previousTarget ?? 'none',
    after: plan.internetGatewayId,
  };
  try {
    if (plan.action === 'create') await createInternetRoute(ec2, plan.routeTableId, plan.internetGatewayId);
    else await replaceInternetRoute(ec2, plan.routeTableId, plan.internetGatewayId);
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'RouteAlreadyExists') return raceRow(context, account, region, ec2, plan);
    logger.error('route repair failed', { ...audit, errorCode: code });
    return planRow(account, region, plan, 'repair-failed', `${write} failed: ${code}`, code);
  }

  let verified: boolean;
  try {
    verified = routeTargetsGateway(
      await readUntil(
        () => describeRouteTable(ec2, plan.routeTableId),
        (table) => routeTargetsGateway(table, plan.internetGatewayId),
        settleDelays(context),
      ),
      plan.internetGatewayId,
    );
  } catch (error) {
    const code = awsErrorCode(error);
    logger.error('route repair not verified', { ...audit, errorCode: code });
    return planRow(account, region, plan, 'repair-failed', `${write} sent, verification failed: ${code}`, code);
  }
  if (!verified) {
    logger.error('route repair not verified', { ...audit, errorCode: 'VerificationFailed' });
    return planRow(
      account,
      region,
      plan,
      'repair-failed',
      `${write} sent, but 0.0.0.0/0 does not target ${plan.internetGatewayId} afterwards`,
      'VerificationFailed',
    );
  }
  logger.info('route repaired', { ...audit, verified: true });
  return planRow(account, region, plan, plan.action === 'create' ? 'restored' : 'replaced');
}

/** CreateRoute found the route already there: someone else wrote it since. Report what is there now. */
export async function raceRow(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
  plan: RepairPlan,
): Promise<SweepResult> {
  let now: RoutePlan;
  try {
    now = planRouteRepair(await describeRegionNetwork(ec2));
  } catch (error) {
    return readFailure(context, account, region, error);
  }
  const note = '0.0.0.0/0 was written by someone else during the repair';
  context.dependencies.logger.warn('route changed during repair', {
    accountId: account.id,
    region,
    routeTableId: plan.routeTableId,
    now: now.kind,
  });
  const leftFor = now.kind === 'repair' ? '; left for the next run' : '';
  return planRow(account, region, now, undefined, `${note}${leftFor}: ${now.message}`);
}
