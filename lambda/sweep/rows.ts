import type { RoutePlan } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import { emptyParts, partsRepaired } from '../core/row-parts';
import { REPAIRED_STATUSES, type SweepStatus } from '../core/statuses';
import type { TargetAccount } from '../discover-target-accounts';
import type { RegionTarget } from './context';
import type { RouteResult } from './outcome';

/**
 * Report rows, built in this one place: an account-region's row from the outcomes of its steps
 * (status, message and fields come from the outcomes, never from rewriting another row), and the
 * rows of a plan, of a region, of a whole account.
 */

/**
 * The row of an account-region: its route's outcome, and the fields the steps after the route
 * filled (the default subnets' status, when they were checked).
 */
export function targetRow(target: RegionTarget, route: RouteResult, parts: Partial<SweepResult> = {}): SweepResult {
  const row = { ...routeRow(target, route), ...parts };
  // A repair of the steps after the route (default subnets, egress) dates the row too (TimeToRepair).
  return row.repairedAt || !partsRepaired(row) ? row : { ...row, repairedAt: target.run.now().toISOString() };
}

const RACE_NOTE = '0.0.0.0/0 was written by someone else during the repair';

function routeRow(target: RegionTarget, result: RouteResult): SweepResult {
  const { account, region } = target;
  switch (result.kind) {
    case 'as-found':
      return planRow(account, region, result.plan, {
        message: result.capped ? `${result.plan.message}; ${target.capNote}` : undefined,
      });
    case 'route-restored':
      return {
        ...planRow(account, region, result.plan, { status: result.plan.action === 'create' ? 'restored' : 'replaced' }),
        repairedAt: result.verifiedAt.toISOString(),
      };
    case 'failed': {
      const row = planRow(account, region, result.plan, {
        status: result.refusal ? 'repair-refused' : 'repair-failed',
        message: result.message,
        errorCode: result.errorCode,
      });
      return result.internetGatewayId === undefined ? row : { ...row, internetGatewayId: result.internetGatewayId };
    }
    case 'raced': {
      const leftFor = result.now.kind === 'repair' ? '; left for the next run' : '';
      return planRow(account, region, result.now, { message: `${RACE_NOTE}${leftFor}: ${result.now.message}` });
    }
    case 'unreadable':
      return result.row;
    case 'gateway-attached': {
      const row = routeRow(target, result.route);
      if (result.route.kind !== 'route-restored') return row;
      const attached = `attached ${result.reused ? 'detached' : 'new'} ${result.gatewayId} to ${result.vpcId}`;
      return {
        ...row,
        status: 'gateway-restored',
        message: `no gateway was attached: ${attached}, 0.0.0.0/0 → ${result.gatewayId}`,
      };
    }
    case 'vpc-created': {
      const row = routeRow(target, result.then);
      if (result.rereadFailed) return { ...row, message: `created default VPC ${result.vpcId}, then ${row.message}` };
      // Every row says the VPC was created; only a complete, verified path is `vpc-recreated`.
      const complete = REPAIRED_STATUSES.has(row.status) || row.status === 'ok';
      return {
        ...row,
        status: complete ? 'vpc-recreated' : row.status,
        message: `created default VPC ${result.vpcId}; ${row.message}`,
        repairedAt: complete ? (row.repairedAt ?? result.rereadAt.toISOString()) : null,
      };
    }
  }
}

/** What a row says instead of the plan's own status, message and error code. */
interface RowOverrides {
  readonly status?: SweepStatus | undefined;
  readonly message?: string | undefined;
  readonly errorCode?: string | undefined;
}

/** The row of a plan: as found, or with what a repair made of it. */
export function planRow(
  account: TargetAccount,
  region: string,
  plan: RoutePlan,
  { status, message, errorCode }: RowOverrides = {},
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
    ...emptyParts(),
    cause: null,
    repairedAt: null,
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
    ...emptyParts(),
    cause: null,
    repairedAt: null,
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
