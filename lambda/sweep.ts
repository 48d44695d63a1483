import type { EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsClients } from './aws/clients';
import {
  attachInternetGateway,
  createDefaultVpc,
  createInternetGateway,
  createInternetRoute,
  describeRegionNetwork,
  describeRouteTable,
  isAttached,
  listEnabledRegions,
  replaceInternetRoute,
} from './aws/ec2';
import { awsErrorCode, classifyReadFailure } from './aws/error-code';
import { readUntil } from './aws/eventual-consistency';
import { describeOrganization } from './aws/organizations';
import { assumeMemberRole, getCallerIdentity, partitionOf } from './aws/sts';
import { checksDefaultSubnets, type SweepConfig } from './config/schema';
import { createLimiter } from './core/limiter';
import { planRouteRepair, routeTargetsGateway, type RegionNetwork, type RoutePlan } from './core/plan-route-repair';
import { planSubnetRepair } from './core/plan-subnet-repair';
import { buildReport, type SweepReport, type SweepResult } from './core/report';
import { REPAIRED_STATUSES, type SweepStatus } from './core/statuses';
import { discoverTargetAccounts, type TargetAccount } from './discover-target-accounts';
import {
  capNote,
  releaseWrites,
  reserveWrites,
  settleDelays,
  type AccountContext,
  type RouteOutcome,
} from './sweep-context';
import { sweepDefaultSubnets } from './sweep-default-subnets';
import { OrganizationMismatchError, TargetSelectionError } from './errors';

/**
 * The sweep engine, shared by the Lambda handler, the CLI and the demo: find the target accounts,
 * assume the member role once per account, and check (and in `remediate` mode, repair and verify)
 * the default VPC's internet route in every account-region, at most `concurrency` at a time.
 */

/** The subset of Powertools' Logger the engine uses; the CLI supplies its own. */
export interface SweepLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface SweepProgress {
  readonly accountsDone: number;
  readonly accountsTotal: number;
  readonly targetsDone: number;
}

/** What one run covers, narrower than the configuration: accounts, regions, and time. */
export interface SweepScope {
  /** Check only these accounts; each must be one the configuration targets. */
  readonly accountIds?: readonly string[] | undefined;
  /** Check only these regions (intersected with the account's enabled regions under `regions: all`). */
  readonly regions?: readonly string[] | undefined;
  /**
   * Start no new work after this moment: what is in flight finishes, what was not started is
   * reported `not-checked`.
   */
  readonly deadline?: Date | undefined;
}

export interface SweepDependencies {
  readonly clients: AwsClients;
  readonly logger: SweepLogger;
  readonly now?: () => Date;
  readonly onProgress?: (progress: SweepProgress) => void;
  /**
   * Pauses between the reads that verify a write, while EC2 does not show it yet (eventual
   * consistency); default DEFAULT_SETTLE_DELAYS_MS.
   */
  readonly settleDelaysMs?: readonly number[];
}

export async function runSweep(
  config: SweepConfig,
  dependencies: SweepDependencies,
  scope: SweepScope = {},
): Promise<SweepReport> {
  const now = dependencies.now ?? (() => new Date());
  const startedAt = now();
  const schedule = createLimiter(config.concurrency);
  const { clients } = dependencies;

  // Where are we? Checked before anything else: a run in the wrong organization enters no account.
  const [organization, caller] = await Promise.all([
    schedule(() => describeOrganization(clients.organizations())),
    schedule(() => getCallerIdentity(clients.sts())),
  ]);
  if (config.organizationId && organization.id !== config.organizationId) {
    throw new OrganizationMismatchError(config.organizationId, organization.id);
  }
  const identity = { organizationId: organization.id, callerAccountId: caller.accountId };
  const selection = await discoverTargetAccounts(
    clients.organizations(),
    config,
    schedule,
    organization.managementAccountId,
  );
  const targets = narrowAccounts(selection.targets, scope.accountIds);
  const results: SweepResult[] = selection.skipped
    .filter((account) => !scope.accountIds || scope.accountIds.includes(account.id))
    .map((account) => accountRow(account, 'skipped', account.reason));

  const progress = { accountsDone: 0, accountsTotal: targets.length, targetsDone: 0 };
  const deadline = scope.deadline?.getTime();
  const context: AccountContext = {
    config,
    dependencies,
    schedule,
    scope,
    progress,
    repairs: { started: 0, capReached: false },
    expired: () => deadline !== undefined && now().getTime() >= deadline,
    runId: startedAt.toISOString(),
  };
  const perAccount = await Promise.all(targets.map((account) => sweepAccount(context, account)));
  for (const rows of perAccount) results.push(...rows);
  if (context.repairs.capReached) {
    dependencies.logger.warn('repair cap reached', { maxRepairsPerRun: config.maxRepairsPerRun });
  }
  return buildReport(config.mode, startedAt, now(), results, context.repairs.capReached, identity);
}

function narrowAccounts(targets: readonly TargetAccount[], accountIds: readonly string[] | undefined) {
  if (!accountIds) return targets;
  const known = new Set(targets.map((account) => account.id));
  const outside = accountIds.filter((id) => !known.has(id));
  if (outside.length > 0) {
    throw new TargetSelectionError('scope', [
      {
        field: 'accountIds',
        value: outside.join(','),
        message:
          'not among the accounts this configuration targets (or excluded, suspended, or the management account)',
      },
    ]);
  }
  const wanted = new Set(accountIds);
  return targets.filter((account) => wanted.has(account.id));
}

const NOT_REACHED = 'not reached before the deadline';
/** Work inside an entered account goes before entering the next account. */
const URGENT = true;

async function sweepAccount(context: AccountContext, account: TargetAccount): Promise<SweepResult[]> {
  const { config, dependencies, schedule } = context;
  const { clients, logger } = dependencies;
  try {
    let credentials: AwsCredentialIdentity | undefined;
    try {
      credentials = await schedule(() =>
        context.expired()
          ? Promise.resolve(undefined)
          : assumeMemberRole(clients.sts(), {
              accountId: account.id,
              roleName: config.memberRoleName,
              externalId: config.externalId,
              partition: partitionOf(clients.homeRegion),
            }),
      );
    } catch (error) {
      const code = awsErrorCode(error);
      logger.warn('cannot assume the member role', { accountId: account.id, errorCode: code, error: String(error) });
      return [accountRow(account, 'access-denied', `AssumeRole ${config.memberRoleName} failed: ${code}`, code)];
    }
    if (!credentials) return [accountRow(account, 'not-checked', NOT_REACHED)];
    const entered = credentials;

    let regions: readonly string[] | undefined;
    try {
      regions = await resolveRegions(context, entered);
    } catch (error) {
      const failure = classifyReadFailure(error);
      logger.error('cannot list the account regions', { accountId: account.id, errorCode: failure.code });
      const denied = failure.kind === 'access-denied' || failure.kind === 'region-denied';
      return [
        denied
          ? accountRow(
              account,
              'access-denied',
              `${failure.action} denied to ${config.memberRoleName}${failure.kind === 'region-denied' ? ` ${failure.reason}` : ''} (${failure.code})`,
              failure.code,
            )
          : accountRow(account, 'error', `DescribeRegions failed: ${failure.code}`, failure.code),
      ];
    }
    if (!regions) return [accountRow(account, 'not-checked', NOT_REACHED)];

    const rows = await Promise.all(
      regions.map((region) =>
        schedule(async () => {
          if (context.expired()) return regionRow(account, region, 'not-checked', NOT_REACHED);
          const result = await sweepRegion(context, account, region, clients.ec2(region, entered));
          context.progress.targetsDone += 1;
          return result;
        }, URGENT),
      ),
    );
    return deniedEverywhere(context, rows);
  } finally {
    context.progress.accountsDone += 1;
    dependencies.onProgress?.({ ...context.progress });
  }
}

/** The account's regions to check; `undefined` when the deadline passed before they were known. */
async function resolveRegions(
  context: AccountContext,
  credentials: AwsCredentialIdentity,
): Promise<readonly string[] | undefined> {
  const { config, scope, schedule, dependencies } = context;
  if (config.regions !== 'all') {
    return scope.regions ? config.regions.filter((region) => scope.regions?.includes(region)) : config.regions;
  }
  const { clients } = dependencies;
  const enabled = await schedule(
    () =>
      context.expired() ? Promise.resolve(undefined) : listEnabledRegions(clients.ec2(clients.homeRegion, credentials)),
    URGENT,
  );
  if (!enabled) return undefined;
  return scope.regions ? enabled.filter((region) => scope.regions?.includes(region)) : enabled;
}

async function sweepRegion(
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

type VpcPlan = Extract<RoutePlan, { kind: 'recreate-vpc' }>;

/** CreateDefaultVpc, then, where AWS did not make them (the emulator), a gateway: create, attach, route. */
const VPC_WORST_CASE_WRITES = 4;

/**
 * Opt-in: the region has no default VPC. CreateDefaultVpc, then read the region again: AWS
 * creates the gateway, the route and the default subnets with the VPC (the emulator only the
 * subnets), so whatever is missing of them is repaired the usual way, and the result is verified
 * either way. The VPC is one write against the cap; what is still missing after it is reserved
 * then, so a recreation that AWS completes holds one write, not four.
 */
async function recreateVpc(
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

/**
 * The writes a plan may make, reserved against the cap before the first of them: a route is one,
 * a gateway three (create, attach, route; two when a detached one is reused), a default VPC one
 * (then its gateway and route, if AWS did not create them, as such). Writes not made are given back.
 */
function writesOf(plan: RoutePlan): number {
  switch (plan.kind) {
    case 'repair':
      return 1;
    case 'repair-gateway':
      return plan.reuseGatewayId ? 2 : 3;
    case 'recreate-vpc':
      return 1; // then what AWS did not create, reserved once the VPC is read again
    default:
      return 0;
  }
}

type RepairPlan = Extract<RoutePlan, { kind: 'repair' }>;
type GatewayPlan = Extract<RoutePlan, { kind: 'repair-gateway' }>;

/**
 * Opt-in: the default VPC has no internet gateway. Create one, tagged with the run, attach it,
 * verify the attachment, then restore the route to it (and verify that). A gateway created but
 * not attached is left in place, tagged: the janitor never deletes anything, and the next run
 * attaches that one instead of creating another.
 */
async function repairGateway(
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

async function repairRoute(
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
async function raceRow(
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

/**
 * A read that failed: a region the account cannot use is `region-disabled`, one an SCP denies is
 * `region-denied` (both expected, not errors); a member role that may not read is `access-denied`
 * (a failure: its policy was detached or edited); anything else is an `error`.
 */
function readFailure(context: AccountContext, account: TargetAccount, region: string, error: unknown): SweepResult {
  const failure = classifyReadFailure(error, { listedEnabled: context.config.regions === 'all' });
  const { logger } = context.dependencies;
  switch (failure.kind) {
    case 'region-disabled':
      return regionRow(
        account,
        region,
        'region-disabled',
        `EC2 answered ${failure.code}: the region is not enabled for this account`,
        failure.code,
      );
    case 'region-denied':
      return regionRow(
        account,
        region,
        'region-denied',
        `${failure.action} denied ${failure.reason} (${failure.code})`,
        failure.code,
      );
    case 'access-denied':
      logger.error('the member role cannot read', {
        accountId: account.id,
        region,
        action: failure.action,
        errorCode: failure.code,
      });
      return regionRow(
        account,
        region,
        'access-denied',
        `${failure.action} denied to ${context.config.memberRoleName} (${failure.code}): check the member role's policy`,
        failure.code,
      );
    default:
      logger.error('cannot describe the default network', { accountId: account.id, region, errorCode: failure.code });
      return regionRow(account, region, 'error', `describe failed: ${failure.code}`, failure.code);
  }
}

/**
 * An SCP that denies every region checked is not a region-deny SCP but an account the janitor
 * cannot see at all: its rows become `access-denied`, a failure, so the account does not go quiet.
 */
function deniedEverywhere(context: AccountContext, rows: SweepResult[]): SweepResult[] {
  if (rows.length === 0 || !rows.every((row) => row.status === 'region-denied')) return rows;
  context.dependencies.logger.error('every region of the account is denied', { accountId: rows[0]?.accountId });
  return rows.map((row) => ({
    ...row,
    status: 'access-denied',
    message: `${row.message}, in every region checked: the janitor sees nothing of this account`,
  }));
}

function planRow(
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
function statusOfPlan(plan: Exclude<RoutePlan, { kind: 'no-default-vpc' | 'recreate-vpc' }>): SweepStatus {
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

function regionRow(
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

function accountRow(
  account: TargetAccount,
  status: SweepResult['status'],
  message: string,
  errorCode: string | null = null,
): SweepResult {
  return { ...regionRow(account, '', status, message, errorCode), region: null };
}
