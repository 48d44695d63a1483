import { attachInternetGateway, createInternetGateway, isAttached } from '../../aws/ec2';
import type { WriteClaim } from '../budget';
import type { RegionTarget } from '../context';
import type { GatewayPlan, RouteResult } from '../outcome';
import { attemptWrite, readBack, refusedMessage, type WriteAttempt } from '../writes';
import { restoreRoute } from './restore-route';

/**
 * Opt-in (repairInternetGateway): the default VPC has no internet gateway. Create one, tagged with
 * the run, attach it, verify the attachment, then restore the route to it (and verify that). A
 * gateway created but not attached is left in place, tagged: the janitor never deletes anything,
 * and the next run attaches that one instead of creating another.
 */
export async function restoreInternetGateway(
  target: RegionTarget,
  plan: GatewayPlan,
  claim: WriteClaim,
): Promise<RouteResult> {
  const { ec2, logger } = target;
  const audit = { ...target.logFields, vpcId: plan.vpcId, routeTableId: plan.routeTableId };
  const failed = (step: string, code: string, internetGatewayId: string | null): RouteResult => {
    logger.error('internet gateway repair failed', { ...audit, step, internetGatewayId, errorCode: code });
    return { kind: 'failed', plan, message: `${step} failed: ${code}`, errorCode: code, internetGatewayId };
  };
  /** A write that failed: refused by a policy (named), or failed. */
  const notSent = (step: string, sent: Extract<WriteAttempt<unknown>, { ok: false }>, gateway: string | null) => {
    const { code, refusal } = sent;
    if (!refusal) return failed(step, code, gateway);
    logger.error('internet gateway repair refused', { ...audit, step, internetGatewayId: gateway, errorCode: code });
    const message = refusedMessage(step, code, refusal);
    return { kind: 'failed', plan, message, errorCode: code, refusal, internetGatewayId: gateway } as const;
  };
  let gatewayId: string;
  if (plan.reuseGatewayId) {
    gatewayId = plan.reuseGatewayId;
    logger.info('internet gateway reused', { ...audit, internetGatewayId: gatewayId });
  } else {
    const created = await attemptWrite(target, claim, () => createInternetGateway(ec2, target.run.runId));
    if (!created.ok) return notSent('CreateInternetGateway', created, null);
    gatewayId = created.value;
    logger.info('internet gateway created', {
      ...audit,
      action: 'CreateInternetGateway',
      internetGatewayId: gatewayId,
    });
  }
  const attach = await attemptWrite(target, claim, () => attachInternetGateway(ec2, gatewayId, plan.vpcId));
  if (!attach.ok) return notSent('AttachInternetGateway', attach, gatewayId);
  const attached = await readBack(
    target,
    () => isAttached(ec2, gatewayId, plan.vpcId),
    (value) => value,
  );
  if (!attached.ok) return failed('AttachInternetGateway', attached.code, gatewayId);
  if (!attached.value) return failed('AttachInternetGateway', 'VerificationFailed', gatewayId);
  logger.info('internet gateway attached', {
    ...audit,
    action: 'AttachInternetGateway',
    internetGatewayId: gatewayId,
    verified: true,
  });

  const route = await restoreRoute(
    target,
    { ...plan, kind: 'repair', action: plan.routeAction, internetGatewayId: gatewayId },
    claim,
  );
  return { kind: 'gateway-attached', gatewayId, reused: plan.reuseGatewayId !== null, vpcId: plan.vpcId, route };
}
