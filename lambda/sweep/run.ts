import { describeOrganization } from '../aws/organizations';
import { functionSession, getCallerIdentity } from '../aws/sts';
import type { SweepConfig } from '../config/schema';
import { createLimiter, type Schedule } from '../core/limiter';
import {
  accountOusOf,
  buildReport,
  withAccountOus,
  type RunIdentity,
  type SweepReport,
  type SweepResult,
} from '../core/report';
import { discoverTargetAccounts, type TargetAccount } from '../discover-target-accounts';
import { OrganizationMismatchError, TargetSelectionError } from '../errors';
import { sweepAccount } from './account';
import { MAX_CAUSE_LOOKUPS_PER_RUN } from './cause';
import { WriteBudget } from './budget';
import type { RunContext } from './context';
import { accountRow } from './rows';
import type { SweepDependencies, SweepLogger, SweepScope } from './types';

/**
 * A run in two halves: the plan (where are we, which accounts) and the sweep of those accounts.
 * `runSweep` does both in one process; the distributed fan-out plans once and sweeps the accounts
 * in batches, each batch its own process, then merges the rows (lambda/distributed/).
 */

export interface RunPlan {
  readonly identity: RunIdentity;
  readonly startedAt: Date;
  /** The accounts to enter, in discovery order. */
  readonly targets: readonly TargetAccount[];
  /** One row per account matched but skipped (excluded, suspended, the management account). */
  readonly skippedRows: readonly SweepResult[];
  /** The OU each account (entered or skipped) was listed under, for the report; none when no account was listed under one. */
  readonly accountOus?: Readonly<Record<string, string>> | undefined;
  /** Their names, where known. */
  readonly ouNames?: Readonly<Record<string, string>> | undefined;
}

export async function runSweep(
  config: SweepConfig,
  dependencies: SweepDependencies,
  scope: SweepScope = {},
): Promise<SweepReport> {
  const schedule = createLimiter(config.concurrency);
  const plan = await planRun(config, dependencies, scope);
  const swept = await sweepTargets(config, dependencies, scope, plan.targets, { schedule, startedAt: plan.startedAt });
  const now = dependencies.now ?? (() => new Date());
  const report = buildReport(
    config.mode,
    plan.startedAt,
    now(),
    [...plan.skippedRows, ...swept.results],
    swept.repairCapReached,
    plan.identity,
  );
  return withAccountOus(report, plan.accountOus, plan.ouNames);
}

/** Where the run is (checked before anything else: a run in the wrong organization enters no account), and which accounts. */
export async function planRun(
  config: SweepConfig,
  dependencies: SweepDependencies,
  scope: SweepScope = {},
): Promise<RunPlan> {
  const now = dependencies.now ?? (() => new Date());
  const startedAt = now();
  const { clients } = dependencies;
  const [organization, caller] = await Promise.all([
    describeOrganization(clients.organizations()),
    getCallerIdentity(clients.sts()),
  ]);
  if (config.organizationId && organization.id !== config.organizationId) {
    throw new OrganizationMismatchError(config.organizationId, organization.id);
  }
  const selection = await discoverTargetAccounts(
    clients.organizations(),
    config,
    organization.managementAccountId,
    scope.accountIds,
  );
  return {
    identity: { organizationId: organization.id, callerAccountId: caller.accountId },
    startedAt,
    targets: narrowAccounts(selection.targets, scope, dependencies.logger),
    skippedRows: selection.skipped
      .filter((account) => !scope.accountIds || scope.accountIds.includes(account.id))
      .map((account) => accountRow(account, 'skipped', account.reason)),
    accountOus: accountOusOf([...selection.targets, ...selection.skipped]),
    ouNames: selection.ouNames,
  };
}

/**
 * Sweeps the accounts under one scheduler, write budget and deadline. `maxRepairs` overrides the
 * configured cap (a batch of a distributed run gets its share of it).
 */
export async function sweepTargets(
  config: SweepConfig,
  dependencies: SweepDependencies,
  scope: SweepScope,
  targets: readonly TargetAccount[],
  options: { schedule?: Schedule; startedAt?: Date; maxRepairs?: number } = {},
): Promise<{ results: SweepResult[]; repairCapReached: boolean }> {
  const now = dependencies.now ?? (() => new Date());
  const startedAt = options.startedAt ?? now();
  const deadline = scope.deadline?.getTime();
  const maxRepairs = options.maxRepairs ?? config.maxRepairsPerRun;
  let causeLookupsLeft = MAX_CAUSE_LOOKUPS_PER_RUN;
  const context: RunContext = {
    config,
    dependencies,
    schedule: options.schedule ?? createLimiter(config.concurrency),
    scope,
    progress: { accountsDone: 0, accountsTotal: targets.length, targetsDone: 0 },
    budget: new WriteBudget(maxRepairs),
    now,
    takeCauseLookup: () => causeLookupsLeft-- > 0,
    memberSession: dependencies.memberSession ?? functionSession(config),
    expired: () => deadline !== undefined && now().getTime() >= deadline,
    runId: startedAt.toISOString(),
  };
  const perAccount = await Promise.all(targets.map((account) => sweepAccount(context, account)));
  if (context.budget.reached) dependencies.logger.warn('repair cap reached', { maxRepairsPerRun: maxRepairs });
  return { results: perAccount.flat(), repairCapReached: context.budget.reached };
}

function narrowAccounts(targets: readonly TargetAccount[], scope: SweepScope, logger: SweepLogger) {
  const { accountIds } = scope;
  if (!accountIds) return targets;
  const known = new Set(targets.map((account) => account.id));
  const outside = accountIds.filter((id) => !known.has(id));
  if (outside.length > 0 && scope.outsideTargets === 'leave-alone') {
    logger.info('left alone: not a target', {
      accountIds: outside,
      reason: 'not among the accounts this configuration targets (or excluded, suspended, or the management account)',
    });
  } else if (outside.length > 0) {
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
