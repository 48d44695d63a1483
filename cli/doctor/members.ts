import type { AwsClients } from '../../lambda/aws/clients';
import { stackInstancesByAccount, stackInstanceStatuses } from '../../lambda/aws/deployment';
import { describeOrganization, type OrganizationIdentity } from '../../lambda/aws/organizations';
import { getCallerIdentity } from '../../lambda/aws/sts';
import type { SweepConfig } from '../../lambda/config/schema';
import { createLimiter } from '../../lambda/core/limiter';
import { discoverTargetAccounts, type TargetAccount } from '../../lambda/discover-target-accounts';
import { listSome, type CheckRow } from './checks';
import { examineAccount, type AccountFinding, type MemberSurvey } from './member-account';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * Every target account of the deployed configuration: the read-only member role can be assumed
 * (with the caller's credentials: an operator principal), one EC2 read works with it in
 * the home region, and the StackSet instance of the account is CURRENT. With the event path, the
 * forwarder's instances are CURRENT in every event region, and (in all accounts, or the sample)
 * a trail records the account's write management events there: without one, EventBridge never
 * sees the breaking calls. Healthy accounts are counted in one row; each account with a problem
 * gets its own. Each account is examined in `member-account.ts`; here, the organization, the
 * survey they share, and the rows.
 */

/** Accounts listed one per row at most; the rest are counted. */
const MAX_ACCOUNT_ROWS = 50;

export interface MemberCheckOptions {
  /** Accounts whose trails are read (the first N by id); default all. */
  readonly trailSample?: number;
}

/** The rows, and what later checks read: the organization and the target accounts. */
export interface MemberCheck {
  readonly rows: CheckRow[];
  readonly organization: OrganizationIdentity;
  readonly targets: readonly TargetAccount[];
}

export async function checkMemberAccounts(
  clients: AwsClients,
  config: SweepConfig,
  outputs: StackOutputs,
  options: MemberCheckOptions = {},
): Promise<MemberCheck> {
  const schedule = createLimiter(config.concurrency);
  const [organization, caller] = await Promise.all([
    describeOrganization(clients.organizations()),
    getCallerIdentity(clients.sts()),
  ]);
  const expected = config.organizationId;
  const organizationRow: CheckRow = {
    check: 'organization',
    status: expected && expected !== organization.id ? 'fail' : 'ok',
    detail:
      expected && expected !== organization.id
        ? `the function expects ${expected}, but these credentials are in ${organization.id}`
        : `${organization.id}, caller ${caller.arn}`,
  };
  const { targets } = await discoverTargetAccounts(clients.organizations(), config, organization.managementAccountId);
  const survey = await surveyMembers(clients, outputs, targets, options);
  const findings = await Promise.all(
    targets.map((account) => schedule(() => examineAccount(clients, config, survey, account))),
  );
  const summary = { clients, config, survey, callerArn: caller.arn };
  return { rows: [organizationRow, ...memberRows(summary, findings)], organization, targets };
}

/** The StackSets' instances (member role, event forwarder), the event regions, the accounts whose trails are read. */
async function surveyMembers(
  clients: AwsClients,
  outputs: StackOutputs,
  targets: readonly TargetAccount[],
  options: MemberCheckOptions,
): Promise<MemberSurvey> {
  const callAs = outputs.stackSetCallAs ?? 'SELF';
  const [instances, forwarders] = await Promise.all([
    outputs.memberRoleStackSetName ? stackInstanceStatuses(clients, outputs.memberRoleStackSetName, callAs) : undefined,
    // The event path's member side: the rule that forwards breaking calls, in each event region.
    outputs.eventForwardingStackSetName
      ? stackInstancesByAccount(clients, outputs.eventForwardingStackSetName, callAs)
      : undefined,
  ]);
  // Every event region: the regions the forwarder has an instance in, in any account.
  const eventRegions = new Set([...(forwarders?.values() ?? [])].flatMap((regions) => [...regions.keys()]));
  const trailAccounts = new Set(
    forwarders
      ? targets
          .map((account) => account.id)
          .sort()
          .slice(0, options.trailSample ?? targets.length)
      : [],
  );
  return { instances, forwarders, eventRegions, trailAccounts };
}

/** What the member rows say besides the findings. */
interface MemberSummary {
  readonly clients: AwsClients;
  readonly config: SweepConfig;
  readonly survey: MemberSurvey;
  readonly callerArn: string;
}

/** The `member accounts` row counting the healthy accounts, then a row per account with a problem. */
function memberRows(summary: MemberSummary, findings: readonly AccountFinding[]): CheckRow[] {
  const failing = findings.filter((finding) => finding.problems.length > 0);
  const deniedEverywhere = findings.length > 0 && findings.every((finding) => finding.assumeDenied);
  if (deniedEverywhere) return deniedEverywhereRows(summary, findings.length, failing);
  const rows: CheckRow[] = [
    {
      check: 'member accounts',
      status: findings.length === 0 ? 'warn' : failing.length === 0 ? 'ok' : 'fail',
      detail:
        findings.length === 0
          ? 'the configuration targets no account'
          : healthyDetail(summary, findings.length - failing.length, findings.length),
    },
  ];
  for (const finding of failing.slice(0, MAX_ACCOUNT_ROWS)) rows.push(accountRow(finding, () => true));
  if (failing.length > MAX_ACCOUNT_ROWS) {
    rows.push({
      check: 'member accounts',
      status: 'fail',
      detail: `and ${failing.length - MAX_ACCOUNT_ROWS} more accounts with problems: ${listSome(
        failing.slice(MAX_ACCOUNT_ROWS).map((finding) => finding.account.id),
      )}`,
    });
  }
  return rows;
}

/** `3 of 4 target accounts: read-only role assumed, EC2 read in …`: what each healthy account passed. */
function healthyDetail(summary: MemberSummary, healthy: number, total: number): string {
  const { clients, config, survey } = summary;
  const { trailAccounts } = survey;
  return `${healthy} of ${total} target accounts: read-only role assumed, EC2 read in ${clients.homeRegion}${survey.instances ? ', StackSet instance CURRENT' : ''}${survey.forwarders ? ', event forwarder CURRENT' : ''}${config.protectDefaultPath !== 'off' ? ', main route table tagged account-janitor:protected' : ''}${trailAccounts.size > 0 ? `, a trail of write management events in every event region (${trailAccounts.size === total ? 'every account' : `${trailAccounts.size} accounts sampled`})` : ''}`;
}

/**
 * The caller may assume the read-only role nowhere: a warning, and the StackSet problems only.
 * Not proof the hub is refused too: the read-only role trusts the hub and the operators only.
 */
function deniedEverywhereRows(summary: MemberSummary, total: number, failing: readonly AccountFinding[]): CheckRow[] {
  const { callerArn, config } = summary;
  const rows: CheckRow[] = [
    {
      check: 'member accounts',
      status: 'warn',
      detail: `${callerArn} may not assume ${config.readOnlyRoleName} in any of the ${total} target accounts: add it to the read-only role's operators (context operatorPrincipalArns) to let doctor check them`,
    },
  ];
  const others = failing.filter((finding) =>
    finding.problems.some((problem) => problem.startsWith('StackSet') || problem.startsWith('no StackSet')),
  );
  for (const finding of others.slice(0, MAX_ACCOUNT_ROWS))
    rows.push(accountRow(finding, (problem) => !problem.startsWith('AssumeRole')));
  return rows;
}

function accountRow(finding: AccountFinding, keep: (problem: string) => boolean): CheckRow {
  const { account } = finding;
  return {
    check: `account ${account.id} (${account.name || 'unnamed'})`,
    status: 'fail',
    detail: finding.problems.filter(keep).join('; '),
  };
}
