import {
  DescribeEffectivePolicyCommand,
  DescribePolicyCommand,
  EffectivePolicyNotFoundException,
  paginateListParents,
  paginateListPoliciesForTarget,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { withAction } from './error-code';
import { collect } from './pages';

/**
 * The Organizations reads of `doctor`'s policy check: the service control policies attached to a
 * root, OU or account, their content, a child's parent, and an account's effective EC2
 * declarative policy. Read-only; each needs the management account or a delegated administrator.
 */

export interface PolicySummary {
  readonly id: string;
  readonly name: string;
  /** AWS's own (FullAWSAccess), not the organization's. */
  readonly awsManaged: boolean;
}

/** The SCPs attached directly to a root, OU or account (ListPoliciesForTarget, every page). */
export async function listScpsOf(client: OrganizationsClient, targetId: string): Promise<PolicySummary[]> {
  const policies = await withAction('organizations:ListPoliciesForTarget', () =>
    collect(
      paginateListPoliciesForTarget({ client }, { TargetId: targetId, Filter: 'SERVICE_CONTROL_POLICY' }),
      (page) => page.Policies,
    ),
  );
  return policies.map((policy) => ({
    id: policy.Id ?? '',
    name: policy.Name ?? policy.Id ?? '',
    awsManaged: policy.AwsManaged ?? false,
  }));
}

/** A policy's content, as Organizations stores it (a JSON string). */
export async function policyContent(client: OrganizationsClient, policyId: string): Promise<string> {
  const { Policy } = await withAction('organizations:DescribePolicy', () =>
    client.send(new DescribePolicyCommand({ PolicyId: policyId })),
  );
  return Policy?.Content ?? '';
}

/** The OU or root an account or OU sits in; `undefined` above the root. */
export async function parentOf(
  client: OrganizationsClient,
  childId: string,
): Promise<{ readonly id: string; readonly type: string } | undefined> {
  const [parent] = await withAction('organizations:ListParents', () =>
    collect(paginateListParents({ client }, { ChildId: childId }), (page) => page.Parents),
  );
  return parent?.Id ? { id: parent.Id, type: String(parent.Type) } : undefined;
}

/** An account's effective EC2 declarative policy (its content), or `undefined` when none applies to it. */
export async function effectiveEc2Policy(client: OrganizationsClient, accountId: string): Promise<string | undefined> {
  try {
    const { EffectivePolicy } = await withAction('organizations:DescribeEffectivePolicy', () =>
      client.send(new DescribeEffectivePolicyCommand({ PolicyType: 'DECLARATIVE_POLICY_EC2', TargetId: accountId })),
    );
    return EffectivePolicy?.PolicyContent;
  } catch (error) {
    // AWS's answer when no declarative policy of the type reaches the account (or the type is not enabled).
    if (error instanceof EffectivePolicyNotFoundException) return undefined;
    throw error;
  }
}
