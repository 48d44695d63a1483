import type { RoutePlan } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import type { SweepStatus } from '../core/statuses';
import type { TargetAccount } from '../discover-target-accounts';

/** Report rows: of a plan (as found, or as a repair left it), of a region, of a whole account. */

export function planRow(
  account: TargetAccount,
  region: string,
  plan: RoutePlan,
  status?: SweepStatus,
  message?: string,
  errorCode?: string,
): SweepResult {
  if (plan.kind === 'no-default-vpc' || plan.kind === 'recreate-vpc') {
    const rowStatus = status ?? (plan.kind === 'no-default-vpc' ? 'no-default-vpc' : 'would-recreate-vpc');
    return regionRow(account, region, rowStatus, message ?? plan.message, errorCode ?? null);
  }
  return {
    accountId: account.id,
    accountName: account.name,
    region,
    status: status ?? statusOfPlan(plan),
    vpcId: plan.vpcId,
    routeTableId: plan.routeTableId,
    internetGatewayId: plan.internetGatewayId,
    previousTarget: plan.previousTarget,
    errorCode: errorCode ?? (plan.kind === 'no-main-route-table' ? 'MainRouteTableNotFound' : null),
    message: message ?? plan.message,
    subnets: null,
  };
}

/** The status of a plan left as it is: a repair not (yet) made is a `would-*`. */
export function statusOfPlan(plan: Exclude<RoutePlan, { kind: 'no-default-vpc' | 'recreate-vpc' }>): SweepStatus {
  switch (plan.kind) {
    case 'repair':
      return plan.action === 'create' ? 'would-restore' : 'would-replace';
    case 'repair-gateway':
      return 'would-restore-gateway';
    case 'no-main-route-table':
      return 'error';
    default:
      return plan.kind;
  }
}

export function regionRow(
  account: TargetAccount,
  region: string,
  status: SweepResult['status'],
  message: string,
  errorCode: string | null = null,
): SweepResult {
  return {
    accountId: account.id,
    accountName: account.name,
    region,
    status,
    vpcId: null,
    routeTableId: null,
    internetGatewayId: null,
    previousTarget: null,
    errorCode,
    message,
    subnets: null,
  };
}

export function accountRow(
  account: TargetAccount,
  status: SweepResult['status'],
  message: string,
  errorCode: string | null = null,
): SweepResult {
  return { ...regionRow(account, '', status, message, errorCode), region: null };
}
