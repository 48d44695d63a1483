import type { AwsClients } from '../../lambda/aws/clients';
import { describeGuardRail } from '../../lambda/aws/guard-rail';
import type { SweepConfig } from '../../lambda/config/schema';
import { listSome, type CheckRow } from './checks';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * The guard rail (protectDefaultPath). With `enforce`: the stack's service control policy exists,
 * is one, and is attached to every target OU and named account. With `audit`: there is none to
 * check (the tags are checked with the member accounts).
 */
export async function checkGuardRail(
  clients: AwsClients,
  config: SweepConfig,
  outputs: StackOutputs,
): Promise<CheckRow> {
  const check = 'guard rail';
  if (config.protectDefaultPath === 'audit') {
    return {
      check,
      status: 'ok',
      detail:
        'audit: the default path is tagged and the breaking calls on it named in the digest; no SCP refuses them yet (enforce does)',
    };
  }
  if (!outputs.guardRailPolicyId) {
    return {
      check,
      status: 'fail',
      detail: 'protectDefaultPath=enforce, but the stack has no GuardRailPolicyId output: redeploy it',
    };
  }
  // One policy, or two comma-separated ids when the guard rail is split: each must be attached.
  const ids = outputs.guardRailPolicyId.split(',');
  const policies = await Promise.all(ids.map((id) => describeGuardRail(clients.organizations(), id)));
  const expected = [...config.targetOuIds, ...config.accountIds];
  for (const policy of policies) {
    if (policy.type !== 'SERVICE_CONTROL_POLICY') {
      return { check, status: 'fail', detail: `${policy.name} is a ${policy.type}, not a service control policy` };
    }
    const missing = expected.filter((id) => !policy.targetIds.includes(id));
    if (missing.length > 0 || policy.targetIds.length === 0) {
      return {
        check,
        status: 'fail',
        detail: `${policy.name} is not attached to ${missing.length > 0 ? listSome(missing) : 'any OU or account'}: the breaking calls there are not refused (attach it, or redeploy)`,
      };
    }
  }
  const [first] = policies;
  return {
    check,
    status: 'ok',
    detail: `${policies.map((policy) => policy.name).join(' and ')} (${ids.join(', ')}) ${policies.length > 1 ? 'are' : 'is'} attached to ${listSome(first?.targetIds ?? [])}: it refuses the breaking calls on resources tagged account-janitor:protected=true, and changes to the janitor's roles, forwarder and StackSet instances`,
  };
}
