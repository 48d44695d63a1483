import type { AwsClients } from '../../lambda/aws/clients';
import { ACCESS_DENIED_CODES, awsErrorCode, failedAction } from '../../lambda/aws/error-code';
import { ORGANIZATIONS_CONCURRENCY, type OrganizationIdentity } from '../../lambda/aws/organizations';
import type { SweepConfig } from '../../lambda/config/schema';
import { declaredBpa, DeclarativePolicyError } from '../../lambda/core/declarative-policy';
import { createLimiter } from '../../lambda/core/limiter';
import { memberWriteStatements } from '../../lambda/core/member-writes';
import { partitionOf } from '../../lambda/core/partition';
import { repairCallsOf, requestsOf, scpRefusals, type ScpLevel } from '../../lambda/core/scp-evaluation';
import type { TargetAccount } from '../../lambda/discover-target-accounts';
import type { CheckRow } from './checks';
import { PolicyReader } from './policy-reader';
import { bpaRows, readRefusedRow, scpRows, type BpaSample, type ScpFinding, type Target } from './policy-rows';

/**
 * The organization's policies that undo the janitor's work where it cannot see them. The service
 * control policies on the way from the root down to a sample of each target's accounts, evaluated
 * against the write role's repair calls (`lambda/core/scp-evaluation.ts`): a Deny, or a level
 * allowing none of them, is a warning naming the SCP and where it is attached. And the same
 * sample's effective EC2 declarative policy: Block Public Access turned on by one is a warning, for
 * the routes the janitor restores there carry no traffic. A target is a target OU (or root), a
 * named account, or the root with allAccounts; its sample is its first accounts by id.
 */

/** Accounts sampled per target OU: their effective declarative policy, and the SCPs below the OU. */
export const POLICY_SAMPLE_SIZE = 3;

export interface PolicyCheckInput {
  readonly clients: AwsClients;
  readonly config: SweepConfig;
  readonly organization: OrganizationIdentity;
  readonly targets: readonly TargetAccount[];
}

export async function checkOrganizationPolicies(input: PolicyCheckInput): Promise<CheckRow[]> {
  const { config } = input;
  const reader = new PolicyReader(input.clients.organizations(), createLimiter(ORGANIZATIONS_CONCURRENCY));
  let samples: TargetSample[];
  try {
    samples = await sampleTargets(reader, config, input.targets);
  } catch (error) {
    // ListParents, which both need.
    const refused = refusedRead(error, 'service control policies');
    if (!refused) throw error;
    return [refused, refusedRead(error, 'declarative policies') ?? refused];
  }
  const [scps, bpa] = await Promise.all([
    orRefused('service control policies', () => checkScps(reader, input, samples)),
    orRefused('declarative policies', () => checkDeclaredBpa(reader, samples)),
  ]);
  return [...scps, ...bpa];
}

/** A read Organizations refuses is a warning saying what doctor needs, not a crash. */
async function orRefused(check: string, run: () => Promise<CheckRow[]>): Promise<CheckRow[]> {
  try {
    return await run();
  } catch (error) {
    const refused = refusedRead(error, check);
    if (!refused) throw error;
    return [refused];
  }
}

function refusedRead(error: unknown, check: string): CheckRow | undefined {
  const code = awsErrorCode(error);
  return ACCESS_DENIED_CODES.has(code) ? readRefusedRow(check, failedAction(error), code) : undefined;
}

/** One sampled account of a target, with the root and OUs above it (root first). */
interface SampledAccount {
  readonly id: string;
  readonly path: readonly string[];
}

type TargetSample = Target & { readonly accounts: readonly SampledAccount[] };

/**
 * Each target and its sample: a named account is its own target; an account listed under an OU
 * belongs to the nearest target OU above it (found by walking up from that OU: one ListParents per
 * OU); with allAccounts, the others belong to the root. Only the sampled accounts are walked to
 * the root.
 */
async function sampleTargets(
  reader: PolicyReader,
  config: SweepConfig,
  targets: readonly TargetAccount[],
): Promise<TargetSample[]> {
  const targetOus = new Set(config.targetOuIds);
  const named = new Set(config.accountIds);
  const ofRoot = Symbol('the root');
  const targetOf = async (account: TargetAccount): Promise<string | typeof ofRoot | undefined> => {
    if (named.has(account.id)) return account.id;
    if (!account.ouId) return config.allAccounts ? ofRoot : undefined;
    reader.knowParent(account.id, account.ouId);
    const path = await reader.pathOf(account.id);
    return [...path].reverse().find((id) => targetOus.has(id)) ?? (config.allAccounts ? ofRoot : undefined);
  };
  const sorted = [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const targetIds = await Promise.all(sorted.map(targetOf));
  const byTarget = new Map<string | typeof ofRoot, TargetAccount[]>();
  sorted.forEach((account, index) => {
    const target = targetIds[index];
    if (target === undefined) return;
    const sample = byTarget.get(target) ?? [];
    if (sample.length < POLICY_SAMPLE_SIZE) sample.push(account);
    byTarget.set(target, sample);
  });
  return Promise.all(
    [...byTarget].map(async ([target, accounts]) => {
      const sampled = await Promise.all(
        accounts.map(async (account) => ({ id: account.id, path: await reader.pathOf(account.id) })),
      );
      return { id: typeof target === 'string' ? target : (sampled[0]?.path[0] ?? 'the root'), accounts: sampled };
    }),
  );
}

/**
 * Each sampled account's SCPs, root to account, against each repair call in each region the
 * janitor sweeps (with `regions=all`, doctor's own). The management account is left out of the
 * sample: no SCP applies to it.
 */
async function checkScps(reader: PolicyReader, input: PolicyCheckInput, samples: readonly TargetSample[]) {
  const { config, organization, clients } = input;
  const calls = repairCallsOf(memberWriteStatements(config));
  const regions = config.regions === 'all' ? [clients.homeRegion] : config.regions;
  const targets = samples
    .map((target) => ({
      ...target,
      accounts: target.accounts.filter((a) => a.id !== organization.managementAccountId),
    }))
    .filter((target) => target.accounts.length > 0);
  const read = calls.length === 0 ? [] : await Promise.all(targets.flatMap((target) => levelsOf(reader, target)));
  const findings = new Map<string, ScpFinding>();
  for (const { target, account, levels } of read) {
    for (const region of regions) {
      const site = {
        partition: partitionOf(region),
        accountId: account.id,
        region,
        roleName: config.memberRoleName,
        organizationId: organization.id,
        path: account.path,
      };
      for (const call of calls) {
        for (const refusal of requestsOf(call, site).flatMap((request) => scpRefusals(levels, request))) {
          const scpId = refusal.kind === 'deny' ? refusal.scp.id : '';
          const key = [target.id, refusal.kind, scpId, refusal.targetId, refusal.unsure ?? ''].join('|');
          const finding = findings.get(key) ?? { target, account, refusal, ...noneYet() };
          finding.actions.add(call.action);
          finding.accounts.add(account.id);
          finding.regions.add(region);
          findings.set(key, finding);
        }
      }
    }
  }
  const policies = new Map(
    read.flatMap(({ levels }) => levels.flatMap((level) => level.scps.map((scp) => [scp.id, scp.name]))),
  );
  return scpRows({
    config,
    calls,
    regions,
    samples: targets,
    accounts: read.length,
    policies: [...policies.values()],
    findings: [...findings.values()],
  });
}

const noneYet = () => ({ actions: new Set<string>(), accounts: new Set<string>(), regions: new Set<string>() });

/** The SCPs on the way to each sampled account of a target: the root, each OU, the account. */
function levelsOf(reader: PolicyReader, target: TargetSample) {
  return target.accounts.map(async (account) => ({
    target,
    account,
    levels: await Promise.all(
      [...account.path, account.id].map(async (targetId): Promise<ScpLevel> => ({
        targetId,
        scps: await reader.scpsOf(targetId),
      })),
    ),
  }));
}

/** Each sampled account's effective EC2 declarative policy: Block Public Access, by target. */
async function checkDeclaredBpa(reader: PolicyReader, samples: readonly TargetSample[]): Promise<CheckRow[]> {
  const read = await Promise.all(
    samples.map(async (target) => ({
      target,
      accounts: await Promise.all(
        target.accounts.map(async (account): Promise<BpaSample> => {
          const content = await reader.effectiveEc2Policy(account.id);
          try {
            return { accountId: account.id, declared: content === undefined ? undefined : declaredBpa(content) };
          } catch (error) {
            if (!(error instanceof DeclarativePolicyError)) throw error;
            return { accountId: account.id, unreadable: error.message };
          }
        }),
      ),
    })),
  );
  return bpaRows(read);
}
