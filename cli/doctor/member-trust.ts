import type { AwsClients } from '../../lambda/aws/clients';
import { awsErrorCode } from '../../lambda/aws/error-code';
import { describeStackSetTemplate, roleTrustPolicy } from '../../lambda/aws/member-role-trust';
import { describeOrganization } from '../../lambda/aws/organizations';
import { partitionOf } from '../../lambda/aws/sts';
import { assumeReadOnlyRole } from './read-only-session';
import type { SweepConfig } from '../../lambda/config/schema';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';
import type { PolicyDocument } from '../../lambda/core/iam-policy';
import { createLimiter } from '../../lambda/core/limiter';
import { discoverTargetAccounts, type TargetAccount } from '../../lambda/discover-target-accounts';
import { listSome, type CheckRow } from './checks';
import { templateTrusts, trustDifference } from './trust-policy';

/**
 * `member role trust`: in each sampled target account, through the read-only role, the live trust
 * policy of the write role and of the read-only role (IAM GetRole) against what the member role
 * StackSet's template gives them with its parameters. A difference fails: someone changed whom the
 * janitor's roles trust (the guard rail's `enforce` refuses it; `audit` cannot hear it). A role
 * that is gone fails too. An account doctor may not enter is the `member accounts` check's row.
 */

const CHECK = 'member role trust';
/** Accounts listed one per row at most; the rest are counted. */
const MAX_ACCOUNT_ROWS = 20;
/** The longest statement a row quotes. */
const MAX_STATEMENT_TEXT = 300;

export interface MemberTrustOptions {
  /** Accounts read (the first N by id); default all. */
  readonly sample?: number;
}

type AccountTrust =
  | { readonly account: TargetAccount; readonly kind: 'same' }
  | { readonly account: TargetAccount; readonly kind: 'different'; readonly problems: readonly string[] }
  | { readonly account: TargetAccount; readonly kind: 'unread'; readonly call: string; readonly code: string };

export async function checkMemberTrust(
  clients: AwsClients,
  config: SweepConfig,
  outputs: StackOutputs,
  options: MemberTrustOptions = {},
): Promise<CheckRow[]> {
  const stackSet = await describeStackSetTemplate(
    clients,
    String(outputs.memberRoleStackSetName),
    outputs.stackSetCallAs ?? 'SELF',
  );
  const trusts = templateTrusts(stackSet.templateBody, stackSet.parameters);
  const roles = [config.memberRoleName, config.readOnlyRoleName];
  const absent = roles.filter((role) => !trusts.has(role));
  if (absent.length > 0) {
    return [
      {
        check: CHECK,
        status: 'fail',
        detail: `the member role StackSet's template has no role ${absent.join(' or ')}: it is not the janitor's, or the function's memberRoleName/readOnlyRoleName changed since it was deployed`,
      },
    ];
  }
  const schedule = createLimiter(config.concurrency);
  const organization = await describeOrganization(clients.organizations());
  const { targets } = await discoverTargetAccounts(clients.organizations(), config, organization.managementAccountId);
  const sampled = [...targets].sort((a, b) => a.id.localeCompare(b.id)).slice(0, options.sample ?? targets.length);
  const found = await Promise.all(
    sampled.map((account) => schedule(() => accountTrust(clients, config, trusts, account))),
  );
  return trustRows(found, roles, targets.length);
}

async function accountTrust(
  clients: AwsClients,
  config: SweepConfig,
  trusts: ReadonlyMap<string, PolicyDocument>,
  account: TargetAccount,
): Promise<AccountTrust> {
  const partition = partitionOf(clients.homeRegion);
  let call = 'AssumeRole';
  try {
    const credentials = await assumeReadOnlyRole(clients, config, account.id);
    call = 'iam:GetRole';
    const problems: string[] = [];
    for (const [role, expected] of trusts) {
      const live = await roleTrustPolicy(credentials, role, partition);
      if (live === null) {
        problems.push(`${role} is gone`);
        continue;
      }
      const { missing, added } = trustDifference(expected, JSON.parse(live) as PolicyDocument);
      if (missing.length + added.length === 0) continue;
      const quoted = (statements: readonly string[]) =>
        listSome(statements.map((statement) => statement.slice(0, MAX_STATEMENT_TEXT)));
      problems.push(
        `${role} trusts other than its template says${added.length > 0 ? `: added ${quoted(added)}` : ''}${missing.length > 0 ? `; missing ${quoted(missing)}` : ''}`,
      );
    }
    return problems.length === 0 ? { account, kind: 'same' } : { account, kind: 'different', problems };
  } catch (error) {
    return { account, kind: 'unread', call, code: awsErrorCode(error) };
  }
}

/** One row counting the accounts read, then one per account whose roles trust other than the template says. */
function trustRows(found: readonly AccountTrust[], roles: readonly string[], total: number): CheckRow[] {
  const different = found.filter((item) => item.kind === 'different');
  const unread = found.filter((item) => item.kind === 'unread');
  const same = found.length - different.length - unread.length;
  const sampled =
    found.length === total ? `${total} target accounts` : `${found.length} of ${total} target accounts (sampled)`;
  // A GetRole refused: a read-only role deployed before it could read the two roles' trust.
  const refusedGetRole = unread.some((item) => item.call === 'iam:GetRole' && item.code === 'AccessDenied');
  const unreadNote =
    unread.length > 0
      ? `; not read in ${unread.length}: ${listSome(unread.map((item) => `${item.account.id} (${item.call} ${item.code})`))}${refusedGetRole ? ' (update the member role StackSet: its read-only role may then read the two roles)' : ''}`
      : '';
  const rows: CheckRow[] = [
    {
      check: CHECK,
      status: different.length > 0 ? 'fail' : unread.length > 0 || found.length === 0 ? 'warn' : 'ok',
      detail: `${same} of ${sampled}: ${roles.join(' and ')} trust what the member role StackSet's template says${unreadNote}`,
    },
  ];
  for (const item of different.slice(0, MAX_ACCOUNT_ROWS)) {
    rows.push({
      check: CHECK,
      status: 'fail',
      detail: `account ${item.account.id} (${item.account.name || 'unnamed'}): ${item.problems.join('; ')}`,
    });
  }
  if (different.length > MAX_ACCOUNT_ROWS) {
    rows.push({
      check: CHECK,
      status: 'fail',
      detail: `and ${different.length - MAX_ACCOUNT_ROWS} more accounts: ${listSome(different.slice(MAX_ACCOUNT_ROWS).map((item) => item.account.id))}`,
    });
  }
  return rows;
}
