import type { AwsClients } from '../../lambda/aws/clients';
import { stackInstancesByAccount, stackInstanceStatuses } from '../../lambda/aws/deployment';
import { describeTrailsByRegion } from '../../lambda/aws/cloudtrail';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describeRegionNetwork, listEnabledRegions } from '../../lambda/aws/ec2';
import { awsErrorCode } from '../../lambda/aws/error-code';
import { describeOrganization } from '../../lambda/aws/organizations';
import { assumeMemberRole, getCallerIdentity, OPERATOR_SESSION_NAME, partitionOf } from '../../lambda/aws/sts';
import type { SweepConfig } from '../../lambda/config/schema';
import { createLimiter } from '../../lambda/core/limiter';
import { defaultPathResources, isProtected, PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import { trailCoverage } from '../../lambda/core/trail-coverage';
import { discoverTargetAccounts, type TargetAccount } from '../../lambda/discover-target-accounts';
import { listSome, type CheckRow } from './checks';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * Every target account of the deployed configuration: the read-only member role can be assumed
 * (with the caller's credentials: an operator principal), one EC2 read works with it in
 * the home region, and the StackSet instance of the account is CURRENT. With the event path, the
 * forwarder's instances are CURRENT in every event region, and (in all accounts, or the sample)
 * a trail records the account's write management events there: without one, EventBridge never
 * sees the breaking calls. Healthy accounts are counted in one row; each account with a problem
 * gets its own.
 */

/** Accounts listed one per row at most; the rest are counted. */
const MAX_ACCOUNT_ROWS = 50;

interface AccountFinding {
  readonly account: TargetAccount;
  readonly problems: string[];
  readonly assumeDenied: boolean;
}

export interface MemberCheckOptions {
  /** Accounts whose trails are read (the first N by id); default all. */
  readonly trailSample?: number;
}

export async function checkMemberAccounts(
  clients: AwsClients,
  config: SweepConfig,
  outputs: StackOutputs,
  options: MemberCheckOptions = {},
): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const schedule = createLimiter(config.concurrency);
  const [organization, caller] = await Promise.all([
    describeOrganization(clients.organizations()),
    getCallerIdentity(clients.sts()),
  ]);
  const expected = config.organizationId;
  rows.push({
    check: 'organization',
    status: expected && expected !== organization.id ? 'fail' : 'ok',
    detail:
      expected && expected !== organization.id
        ? `the function expects ${expected}, but these credentials are in ${organization.id}`
        : `${organization.id}, caller ${caller.arn}`,
  });
  const { targets } = await discoverTargetAccounts(
    clients.organizations(),
    config,
    schedule,
    organization.managementAccountId,
  );
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
  const partition = partitionOf(clients.homeRegion);
  const trailAccounts = new Set(
    forwarders
      ? targets
          .map((account) => account.id)
          .sort()
          .slice(0, options.trailSample ?? targets.length)
      : [],
  );

  const findings = await Promise.all(
    targets.map((account) =>
      schedule(async (): Promise<AccountFinding> => {
        const problems: string[] = [];
        let assumeDenied = false;
        const instance = instances?.get(account.id);
        if (instances && instance !== 'CURRENT') {
          problems.push(instance ? `StackSet instance ${instance}` : 'no StackSet instance (is it in the target OUs?)');
        }
        if (forwarders) problems.push(...forwarderProblems(forwarders.get(account.id), eventRegions));
        try {
          const credentials = await assumeMemberRole(clients.sts(), {
            accountId: account.id,
            // doctor reads: the read-only role, which trusts the operators (operatorPrincipalArns).
            roleName: config.readOnlyRoleName,
            sessionName: OPERATOR_SESSION_NAME,
            externalId: config.externalId,
            partition,
          });
          try {
            await listEnabledRegions(clients.ec2(clients.homeRegion, credentials));
          } catch (error) {
            problems.push(`ec2:DescribeRegions in ${clients.homeRegion} failed: ${awsErrorCode(error)}`);
          }
          if (config.protectDefaultPath !== 'off') {
            problems.push(...(await protectionProblems(clients, credentials)));
          }
          if (trailAccounts.has(account.id)) {
            problems.push(...(await trailProblems(clients, credentials, [...eventRegions].sort())));
          }
        } catch (error) {
          const code = awsErrorCode(error);
          assumeDenied = code === 'AccessDenied';
          problems.push(`AssumeRole ${config.readOnlyRoleName} failed: ${code}`);
        }
        return { account, problems, assumeDenied };
      }),
    ),
  );

  const failing = findings.filter((finding) => finding.problems.length > 0);
  const healthy = findings.length - failing.length;
  const deniedEverywhere = findings.length > 0 && findings.every((finding) => finding.assumeDenied);
  if (deniedEverywhere) {
    // Not proof the hub is refused too: the read-only role trusts the hub and the operators only.
    rows.push({
      check: 'member accounts',
      status: 'warn',
      detail: `${caller.arn} may not assume ${config.readOnlyRoleName} in any of the ${findings.length} target accounts: add it to the read-only role's operators (context operatorPrincipalArns) to let doctor check them`,
    });
    const others = failing.filter((finding) =>
      finding.problems.some((problem) => problem.startsWith('StackSet') || problem.startsWith('no StackSet')),
    );
    for (const finding of others.slice(0, MAX_ACCOUNT_ROWS))
      rows.push(accountRow(finding, (problem) => !problem.startsWith('AssumeRole')));
    return rows;
  }
  rows.push({
    check: 'member accounts',
    status: findings.length === 0 ? 'warn' : failing.length === 0 ? 'ok' : 'fail',
    detail:
      findings.length === 0
        ? 'the configuration targets no account'
        : `${healthy} of ${findings.length} target accounts: read-only role assumed, EC2 read in ${clients.homeRegion}${instances ? ', StackSet instance CURRENT' : ''}${forwarders ? ', event forwarder CURRENT' : ''}${config.protectDefaultPath !== 'off' ? ', main route table tagged account-janitor:protected' : ''}${trailAccounts.size > 0 ? `, a trail of write management events in every event region (${trailAccounts.size === findings.length ? 'every account' : `${trailAccounts.size} accounts sampled`})` : ''}`,
  });
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

/**
 * The event regions of one account where no trail records write management events (EventBridge
 * then never sees a breaking call there), each with why; one problem for all of them.
 */
async function trailProblems(
  clients: AwsClients,
  credentials: Parameters<AwsClients['cloudTrail']>[1],
  regions: readonly string[],
): Promise<string[]> {
  const trails = await describeTrailsByRegion((region) => clients.cloudTrail(region, credentials), regions);
  const missing = regions.flatMap((region) => {
    const seen = trails.get(region) ?? [];
    if (!Array.isArray(seen)) return [`${region} (cloudtrail:DescribeTrails failed: ${seen.errorCode})`];
    const coverage = trailCoverage(seen, region);
    return coverage.covered ? [] : [`${region} (${coverage.reason})`];
  });
  if (missing.length === 0) return [];
  return [
    `no trail records write management events in ${missing.join(', ')}: breaking calls there never reach the hub (an organization trail covers every account and region)`,
  ];
}

/** The event forwarder of one account: an instance in every event region, each CURRENT. */
function forwarderProblems(regions: Map<string, string> | undefined, eventRegions: ReadonlySet<string>): string[] {
  const wait = 'breaking calls there wait for the nightly sweep';
  if (!regions || regions.size === 0) return [`no StackSet instance of the event forwarder: ${wait}`];
  const missing = [...eventRegions].filter((region) => !regions.has(region)).sort();
  const stale = [...regions]
    .filter(([, status]) => status !== 'CURRENT')
    .map(([region, status]) => `${region} ${status}`);
  return [
    ...(missing.length > 0 ? [`no event forwarder in ${missing.join(', ')}: ${wait}`] : []),
    ...(stale.length > 0 ? [`StackSet instance of the event forwarder ${stale.sort().join(', ')}: ${wait}`] : []),
  ];
}

function accountRow(finding: AccountFinding, keep: (problem: string) => boolean): CheckRow {
  const { account } = finding;
  return {
    check: `account ${account.id} (${account.name || 'unnamed'})`,
    status: 'fail',
    detail: finding.problems.filter(keep).join('; '),
  };
}

/**
 * The guard rail's tag on the default VPC's main route table in the home region (what its SCP keys
 * on): missing, the guard rail refuses nothing there. A default VPC or route table tagged
 * account-janitor:ignore is not tagged on purpose; a region without a default VPC has nothing to tag.
 */
async function protectionProblems(clients: AwsClients, credentials: AwsCredentialIdentity): Promise<string[]> {
  const region = clients.homeRegion;
  try {
    const network = await describeRegionNetwork(clients.ec2(region, credentials));
    const table = defaultPathResources(network).find((resource) => resource.kind === 'route-table');
    if (!table || isProtected(table.tags)) return [];
    return [
      `the main route table ${table.resourceId} in ${region} is not tagged ${PROTECT_TAG_KEY}: the guard rail refuses nothing there until a sweep in remediate mode tags it`,
    ];
  } catch (error) {
    return [`the default route table in ${region} could not be read: ${awsErrorCode(error)}`];
  }
}
