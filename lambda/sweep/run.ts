import { describeOrganization } from '../aws/organizations';
import { getCallerIdentity } from '../aws/sts';
import type { SweepConfig } from '../config/schema';
import { createLimiter } from '../core/limiter';
import { buildReport, type SweepReport, type SweepResult } from '../core/report';
import { discoverTargetAccounts, type TargetAccount } from '../discover-target-accounts';
import { OrganizationMismatchError, TargetSelectionError } from '../errors';
import { sweepAccount } from './account';
import { MAX_CAUSE_LOOKUPS_PER_RUN } from './cause';
import { WriteBudget } from './budget';
import type { RunContext } from './context';
import { accountRow } from './rows';
import type { SweepDependencies, SweepLogger, SweepScope } from './types';

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
    scope.accountIds,
  );
  const targets = narrowAccounts(selection.targets, scope, dependencies.logger);
  const results: SweepResult[] = selection.skipped
    .filter((account) => !scope.accountIds || scope.accountIds.includes(account.id))
    .map((account) => accountRow(account, 'skipped', account.reason));

  const progress = { accountsDone: 0, accountsTotal: targets.length, targetsDone: 0 };
  const deadline = scope.deadline?.getTime();
  let causeLookupsLeft = MAX_CAUSE_LOOKUPS_PER_RUN;
  const context: RunContext = {
    config,
    dependencies,
    schedule,
    scope,
    progress,
    budget: new WriteBudget(config.maxRepairsPerRun),
    now,
    takeCauseLookup: () => causeLookupsLeft-- > 0,
    expired: () => deadline !== undefined && now().getTime() >= deadline,
    runId: startedAt.toISOString(),
  };
  const perAccount = await Promise.all(targets.map((account) => sweepAccount(context, account)));
  for (const rows of perAccount) results.push(...rows);
  if (context.budget.reached) {
    dependencies.logger.warn('repair cap reached', { maxRepairsPerRun: config.maxRepairsPerRun });
  }
  return buildReport(config.mode, startedAt, now(), results, context.budget.reached, identity);
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
