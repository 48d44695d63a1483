import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsClients } from '../../lambda/aws/clients';
import { describeTrailsByRegion } from '../../lambda/aws/cloudtrail';
import { describeRegionNetwork, listEnabledRegions } from '../../lambda/aws/ec2';
import { awsErrorCode } from '../../lambda/aws/error-code';
import { assumeReadOnlyRole } from './read-only-session';
import type { SweepConfig } from '../../lambda/config/schema';
import { defaultPathResources, isProtected, PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import { trailCoverage } from '../../lambda/core/trail-coverage';
import type { TargetAccount } from '../../lambda/discover-target-accounts';

/**
 * One target account, as `doctor` examines it: its StackSet instances (read once for all accounts,
 * the survey), then through the read-only member role one EC2 read in the home region, the guard
 * rail's tag (with protectDefaultPath) and its trails in every event region (in the sampled accounts).
 */

/** What every account's examination shares: read once, before the first account. */
export interface MemberSurvey {
  /** The member role StackSet's instance status by account, when the stack deploys the role. */
  readonly instances: ReadonlyMap<string, string> | undefined;
  /** The event forwarder StackSet's instances by account, then region → status, with the event path. */
  readonly forwarders: ReadonlyMap<string, Map<string, string>> | undefined;
  /** Every event region: the regions the forwarder has an instance in, in any account. */
  readonly eventRegions: ReadonlySet<string>;
  /** The accounts whose trails are read (all, or the sample). */
  readonly trailAccounts: ReadonlySet<string>;
}

export interface AccountFinding {
  readonly account: TargetAccount;
  readonly problems: string[];
  readonly assumeDenied: boolean;
}

export async function examineAccount(
  clients: AwsClients,
  config: SweepConfig,
  survey: MemberSurvey,
  account: TargetAccount,
): Promise<AccountFinding> {
  const problems: string[] = [];
  let assumeDenied = false;
  const { instances, forwarders, eventRegions } = survey;
  const instance = instances?.get(account.id);
  if (instances && instance !== 'CURRENT') {
    problems.push(instance ? `StackSet instance ${instance}` : 'no StackSet instance (is it in the target OUs?)');
  }
  if (forwarders) problems.push(...forwarderProblems(forwarders.get(account.id), eventRegions));
  try {
    const credentials = await assumeReadOnlyRole(clients, config, account.id);
    problems.push(...(await readProblems(clients, config, survey, account, credentials)));
  } catch (error) {
    const code = awsErrorCode(error);
    assumeDenied = code === 'AccessDenied';
    problems.push(`AssumeRole ${config.readOnlyRoleName} failed: ${code}`);
  }
  return { account, problems, assumeDenied };
}

/** What the read-only role reads in the account: one EC2 read, the guard rail's tag, the trails. */
async function readProblems(
  clients: AwsClients,
  config: SweepConfig,
  survey: MemberSurvey,
  account: TargetAccount,
  credentials: AwsCredentialIdentity,
): Promise<string[]> {
  const problems: string[] = [];
  try {
    await listEnabledRegions(clients.ec2(clients.homeRegion, credentials));
  } catch (error) {
    problems.push(`ec2:DescribeRegions in ${clients.homeRegion} failed: ${awsErrorCode(error)}`);
  }
  if (config.protectDefaultPath !== 'off') {
    problems.push(...(await protectionProblems(clients, credentials)));
  }
  if (survey.trailAccounts.has(account.id)) {
    problems.push(...(await trailProblems(clients, credentials, [...survey.eventRegions].sort())));
  }
  return problems;
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
