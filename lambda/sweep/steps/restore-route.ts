import { createInternetRoute, describeRegionNetwork, describeRouteTable, replaceInternetRoute } from '../../aws/ec2';
import { planRouteRepair, type RoutePlan } from '../../core/plan-route-repair';
import { routeTargetsGateway } from '../../core/route-table';
import type { WriteClaim } from '../budget';
import type { RegionTarget } from '../context';
import type { RepairPlan, RouteResult } from '../outcome';
import { readFailure } from '../read-failure';
import { attemptWrite, readBack, refusedMessage } from '../writes';

/** CreateRoute (missing) or ReplaceRoute (stale, blackhole) of 0.0.0.0/0 to the gateway, then verified. */
export async function restoreRoute(target: RegionTarget, plan: RepairPlan, claim: WriteClaim): Promise<RouteResult> {
  const { ec2, logger } = target;
  const write = plan.action === 'create' ? 'CreateRoute' : 'ReplaceRoute';
  const audit = {
    ...target.logFields,
    vpcId: plan.vpcId,
    routeTableId: plan.routeTableId,
    destination: '0.0.0.0/0',
    action: write,
    // 'none', not null: JSON loggers drop null attributes, and an auditor must see "no route".
    before: plan.previousTarget ?? 'none',
    after: plan.internetGatewayId,
  };
  const failed = (message: string, errorCode: string): RouteResult => ({ kind: 'failed', plan, message, errorCode });
  const sent = await attemptWrite(target, claim, () =>
    plan.action === 'create'
      ? createInternetRoute(ec2, plan.routeTableId, plan.internetGatewayId)
      : replaceInternetRoute(ec2, plan.routeTableId, plan.internetGatewayId),
  );
  if (!sent.ok) {
    if (sent.code === 'RouteAlreadyExists') return raced(target, plan);
    const { code, refusal } = sent;
    logger.error('route repair failed', { ...audit, errorCode: code, ...(refusal ? { refusedBy: refusal.kind } : {}) });
    if (refusal)
      return { kind: 'failed', plan, message: refusedMessage(write, code, refusal), errorCode: code, refusal };
    return failed(`${write} failed: ${code}`, code);
  }

  const shown = await readBack(
    target,
    () => describeRouteTable(ec2, plan.routeTableId),
    (table) => routeTargetsGateway(table, plan.internetGatewayId),
  );
  if (!shown.ok) {
    logger.error('route repair not verified', { ...audit, errorCode: shown.code });
    return failed(`${write} sent, verification failed: ${shown.code}`, shown.code);
  }
  if (!routeTargetsGateway(shown.value, plan.internetGatewayId)) {
    logger.error('route repair not verified', { ...audit, errorCode: 'VerificationFailed' });
    return failed(
      `${write} sent, but 0.0.0.0/0 does not target ${plan.internetGatewayId} afterwards`,
      'VerificationFailed',
    );
  }
  logger.info('route repaired', { ...audit, verified: true });
  return { kind: 'route-restored', plan, verifiedAt: target.run.now() };
}

/** CreateRoute found the route already there: someone else wrote it since. What is there now. */
async function raced(target: RegionTarget, plan: RepairPlan): Promise<RouteResult> {
  let now: RoutePlan;
  try {
    now = planRouteRepair(await describeRegionNetwork(target.ec2));
  } catch (error) {
    return { kind: 'unreadable', row: await readFailure(target, error) };
  }
  target.logger.warn('route changed during repair', {
    ...target.logFields,
    routeTableId: plan.routeTableId,
    now: now.kind,
  });
  return { kind: 'raced', now };
}
