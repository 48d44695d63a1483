import type { EC2Client } from '@aws-sdk/client-ec2';
import { attachInternetGateway, createInternetGateway, isAttached } from '../aws/ec2';
import { awsErrorCode } from '../aws/error-code';
import { readUntil } from '../aws/eventual-consistency';
import type { RoutePlan } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import type { TargetAccount } from '../discover-target-accounts';
import { releaseWrites, settleDelays, type AccountContext } from './context';
import { repairRoute } from './route';
import { planRow } from './rows';

export type GatewayPlan = Extract<RoutePlan, { kind: 'repair-gateway' }>;

/**
 * Opt-in: the default VPC has no internet gateway. Create one, tagged with the run, attach it,
 * verify the attachment, then restore the route to it (and verify that). A gateway created but
 * not attached is left in place, tagged: the janitor never deletes anything, and the next run
 * attaches that one instead of creating another.
 */
export async function repairGateway(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
  plan: GatewayPlan,
): Promise<SweepResult> {
  const { logger } = context.dependencies;
  const audit = { accountId: account.id, region, vpcId: plan.vpcId, routeTableId: plan.routeTableId };
  const failed = (step: string, code: string, internetGatewayId: string | null) => {
    logger.error('internet gateway repair failed', { ...audit, step, internetGatewayId, errorCode: code });
    return { ...planRow(account, region, plan, 'repair-failed', `${step} failed: ${code}`, code), internetGatewayId };
  };
  let gatewayId: string;
  if (plan.reuseGatewayId) {
    gatewayId = plan.reuseGatewayId;
    logger.info('internet gateway reused', { ...audit, internetGatewayId: gatewayId });
  } else {
    try {
      gatewayId = await createInternetGateway(ec2, context.runId);
    } catch (error) {
      releaseWrites(context, 2);
      return failed('CreateInternetGateway', awsErrorCode(error), null);
    }
    logger.info('internet gateway created', {
      ...audit,
      action: 'CreateInternetGateway',
      internetGatewayId: gatewayId,
    });
  }
  try {
    await attachInternetGateway(ec2, gatewayId, plan.vpcId);
    const attached = await readUntil(
      () => isAttached(ec2, gatewayId, plan.vpcId),
      (value) => value,
      settleDelays(context),
    );
    if (!attached) {
      releaseWrites(context, 1);
      return failed('AttachInternetGateway', 'VerificationFailed', gatewayId);
    }
  } catch (error) {
    releaseWrites(context, 1);
    return failed('AttachInternetGateway', awsErrorCode(error), gatewayId);
  }
  logger.info('internet gateway attached', {
    ...audit,
    action: 'AttachInternetGateway',
    internetGatewayId: gatewayId,
    verified: true,
  });

  const route = await repairRoute(context, account, region, ec2, {
    ...plan,
    kind: 'repair',
    action: plan.routeAction,
    internetGatewayId: gatewayId,
  });
  const restored = route.status === 'restored' || route.status === 'replaced';
  return restored
    ? {
        ...route,
        status: 'gateway-restored',
        message: `no gateway was attached: attached ${plan.reuseGatewayId ? 'detached' : 'new'} ${gatewayId} to ${plan.vpcId}, 0.0.0.0/0 → ${gatewayId}`,
      }
    : route;
}
