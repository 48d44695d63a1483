import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { listEnabledRegions } from '../aws/ec2';
import { awsErrorCode, classifyReadFailure } from '../aws/error-code';
import { assumeMemberRole, partitionOf } from '../aws/sts';
import type { SweepResult } from '../core/report';
import type { TargetAccount } from '../discover-target-accounts';
import { RegionTarget, type RunContext } from './context';
import { sweepRegion } from './region';
import { refusalOf } from './refusal';
import { accountRow, regionRow } from './rows';

/**
 * One account: assume the member role once, list its regions (with regions: all), and sweep each
 * region under the shared scheduler, urgently, so entered accounts finish before new ones start.
 */

const NOT_REACHED = 'not reached before the deadline';
/** Work inside an entered account goes before entering the next account. */
const URGENT = true;

export async function sweepAccount(context: RunContext, account: TargetAccount): Promise<SweepResult[]> {
  const { dependencies, schedule, memberSession } = context;
  const { clients, logger } = dependencies;
  try {
    let credentials: AwsCredentialIdentity | undefined;
    try {
      credentials = await schedule(() => (context.expired() ? Promise.resolve(undefined) : enter(context, account)));
    } catch (error) {
      const code = awsErrorCode(error);
      const how = dependencies.accountCredentials ? 'the given credentials' : `AssumeRole ${memberSession.roleName}`;
      logger.warn('cannot enter the account', { accountId: account.id, errorCode: code, error: String(error) });
      return [accountRow(account, 'access-denied', `${how} failed: ${code}`, code)];
    }
    if (!credentials) return [accountRow(account, 'not-checked', NOT_REACHED)];
    const entered = credentials;

    let regions: readonly string[] | undefined;
    try {
      regions = await resolveRegions(context, entered);
    } catch (error) {
      return [await regionsUnknownRow(context, account, error, () => clients.memberSts(entered))];
    }
    if (!regions) return [accountRow(account, 'not-checked', NOT_REACHED)];

    const rows = await Promise.all(
      regions.map((region) =>
        schedule(async () => {
          if (context.expired()) return regionRow(account, region, 'not-checked', NOT_REACHED);
          const target = new RegionTarget(
            context,
            account,
            region,
            clients.ec2(region, entered),
            () => clients.cloudTrail(region, entered),
            () => clients.memberSts(entered),
          );
          const result = await sweepRegion(target);
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

/** The account's credentials: the ones given (a library call), or the member role's. */
function enter(context: RunContext, account: TargetAccount): Promise<AwsCredentialIdentity> {
  const { config, dependencies, memberSession } = context;
  const { clients, accountCredentials } = dependencies;
  if (accountCredentials) return accountCredentials(account.id);
  return assumeMemberRole(clients.sts(), {
    accountId: account.id,
    roleName: memberSession.roleName,
    sessionName: memberSession.sessionName,
    externalId: config.externalId,
    partition: partitionOf(clients.homeRegion),
  });
}

/**
 * The account's row when its regions could not be listed: denied (the role, an SCP: EC2's encoded
 * message decoded with the account's STS client), or an error.
 */
async function regionsUnknownRow(
  context: RunContext,
  account: TargetAccount,
  error: unknown,
  sts: () => STSClient,
): Promise<SweepResult> {
  const { logger } = context.dependencies;
  const refusal = await refusalOf({ sts, logger, logFields: { accountId: account.id }, run: context }, error);
  const failure = classifyReadFailure(error, { refusal });
  logger.error('cannot list the account regions', {
    accountId: account.id,
    errorCode: failure.code,
  });
  if (failure.kind !== 'access-denied' && failure.kind !== 'region-denied') {
    return accountRow(account, 'error', `DescribeRegions failed: ${failure.code}`, failure.code);
  }
  const reason = failure.kind === 'region-denied' ? ` ${failure.reason}` : '';
  const message = `${failure.action} denied to ${context.memberSession.roleName}${reason} (${failure.code})`;
  return accountRow(account, 'access-denied', message, failure.code);
}

/** The account's regions to check; `undefined` when the deadline passed before they were known. */
async function resolveRegions(
  context: RunContext,
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

/**
 * An SCP that denies every region checked is not a region-deny SCP but an account the janitor
 * cannot see at all: its rows become `access-denied`, a failure, so the account does not go quiet.
 */
function deniedEverywhere(context: RunContext, rows: SweepResult[]): SweepResult[] {
  if (rows.length === 0 || !rows.every((row) => row.status === 'region-denied')) return rows;
  context.dependencies.logger.error('every region of the account is denied', { accountId: rows[0]?.accountId });
  return rows.map((row) => ({
    ...row,
    status: 'access-denied',
    message: `${row.message}, in every region checked: the janitor sees nothing of this account`,
  }));
}
