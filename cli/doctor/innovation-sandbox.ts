import type { AwsClients } from '../../lambda/aws/clients';
import { ACCESS_DENIED_CODES, awsErrorCode, failedAction } from '../../lambda/aws/error-code';
import { ORGANIZATIONS_CONCURRENCY } from '../../lambda/aws/organizations';
import type { SweepConfig } from '../../lambda/config/schema';
import { parsePolicy } from '../../lambda/core/iam-policy';
import { createLimiter } from '../../lambda/core/limiter';
import type { AttachedScp } from '../../lambda/core/scp-evaluation';
import type { TargetAccount } from '../../lambda/discover-target-accounts';
import { listSome, type CheckRow } from './checks';
import { PolicyReader } from './policy-reader';

/**
 * Innovation Sandbox on AWS recycles its pool's accounts with aws-nuke, whose config has no filter
 * for the default path or the janitor's roles and stacks: once the guard rail enforces, the
 * clean-up's deletes there are refused and Innovation Sandbox fails the clean-up, unless the
 * `nuke-preset` is merged into its nuke config (docs/clean-up-tools.md). doctor cannot see that
 * config; it sees Innovation Sandbox's service control policies on the pool's OUs, and warns.
 *
 * Innovation Sandbox's SCPs, from aws-solutions/innovation-sandbox-on-aws at
 * dea7503f587e1e0ae4bcf1d9994409ef1cb2306b: their names, source/infrastructure/lib/isb-account-pool-resources.ts
 * (each `CfnPolicy`'s `name`, attached to the pool OU `<namespace>_InnovationSandboxAccountPool` and,
 * the write protection, to its Available, CleanUp, Quarantine, Entry and Exit OUs); their statement
 * ids, source/infrastructure/lib/components/service-control-policies/*.json, for a policy renamed.
 */

export const INNOVATION_SANDBOX_SCP_NAMES: readonly string[] = [
  'InnovationSandboxAwsNukeSupportedServicesScp',
  'InnovationSandboxRestrictionsScp',
  'InnovationSandboxProtectISBResourcesScp',
  'InnovationSandboxLimitRegionsScp',
  'InnovationSandboxWriteProtectionScp',
];

/** Statement ids only Innovation Sandbox's SCPs carry (isb-protect-control-plane-resource-scp.json and two more). */
export const INNOVATION_SANDBOX_SIDS: readonly string[] = [
  'ProtectIsbControlPlaneResources',
  'DenyAllExceptIsbRoles',
  'DenyAllExceptAwsNukeSupportedServices',
];

/** Whether a policy's content (a JSON string) is Innovation Sandbox's: one of its statements carries one of its ids. */
export function isInnovationSandboxContent(content: string): boolean {
  try {
    return carriesInnovationSandboxSid(parsePolicy(content));
  } catch {
    return false;
  }
}

function carriesInnovationSandboxSid(document: unknown): boolean {
  const statement = (document as { Statement?: unknown } | undefined)?.Statement;
  const statements: unknown[] = Array.isArray(statement) ? statement : [statement];
  return statements.some((one) =>
    INNOVATION_SANDBOX_SIDS.includes(String((one as { Sid?: unknown } | undefined)?.Sid)),
  );
}

/** An SCP attached to a level is Innovation Sandbox's: by its name, or (renamed) by its statement ids. */
const isInnovationSandboxScp = (scp: AttachedScp): boolean =>
  INNOVATION_SANDBOX_SCP_NAMES.includes(scp.name) || carriesInnovationSandboxSid(scp.document);

const CHECK = 'innovation sandbox';

/** Where an Innovation Sandbox SCP applies to a target account: the policy and the OU or account it is attached to. */
interface Carrier {
  readonly policy: string;
  readonly attachedTo: string;
  readonly accountId: string;
}

/**
 * With `protectDefaultPath=enforce`: the SCPs attached to each target account's OU and the OUs
 * above it (and to an account named by id), read once per OU; a warning naming each Innovation
 * Sandbox SCP that applies to a target, where it is attached and which accounts it covers.
 */
export async function checkInnovationSandbox(
  clients: AwsClients,
  config: SweepConfig,
  targets: readonly TargetAccount[],
): Promise<CheckRow> {
  const reads = new PolicyReader(clients.organizations(), createLimiter(ORGANIZATIONS_CONCURRENCY));
  try {
    const carriers: Carrier[] = [];
    for (const account of targets) {
      // An account listed under an OU: that OU and those above it; one named by id: the account too.
      const below = account.ouId ?? account.id;
      const levels = [...(await reads.pathOf(below)), below];
      if (account.ouId && config.accountIds.includes(account.id)) levels.push(account.id);
      for (const level of levels) {
        for (const scp of (await reads.scpsOf(level)).filter(isInnovationSandboxScp)) {
          carriers.push({ policy: scp.name, attachedTo: level, accountId: account.id });
        }
      }
    }
    return rowOf(carriers);
  } catch (error) {
    const code = awsErrorCode(error);
    if (!ACCESS_DENIED_CODES.has(code)) throw error;
    return {
      check: CHECK,
      status: 'warn',
      detail: `could not read the SCPs above the target accounts: ${failedAction(error) ?? 'a read'} was refused (${code}); doctor needs organizations:ListParents, ListPoliciesForTarget and DescribePolicy`,
    };
  }
}

function rowOf(carriers: readonly Carrier[]): CheckRow {
  if (carriers.length === 0) {
    return { check: CHECK, status: 'ok', detail: 'no Innovation Sandbox SCP applies to a target account' };
  }
  const byPolicy = new Map<string, { attachedTo: Set<string>; accounts: Set<string> }>();
  for (const { policy, attachedTo, accountId } of carriers) {
    const entry = byPolicy.get(policy) ?? { attachedTo: new Set(), accounts: new Set() };
    entry.attachedTo.add(attachedTo);
    entry.accounts.add(accountId);
    byPolicy.set(policy, entry);
  }
  const found = [...byPolicy].map(
    ([policy, { attachedTo, accounts }]) =>
      `${policy} (attached to ${listSome([...attachedTo])}; ${accounts.size} target account${accounts.size === 1 ? '' : 's'})`,
  );
  return {
    check: CHECK,
    status: 'warn',
    detail: `Innovation Sandbox's SCPs apply to target accounts: ${listSome(found)}. Its clean-up runs aws-nuke, whose deletes of the default path and of the janitor's roles and stacks the guard rail refuses: each clean-up then fails. Merge \`account-janitor nuke-preset --tool aws-nuke\` into its nuke config (docs/clean-up-tools.md)`,
  };
}
