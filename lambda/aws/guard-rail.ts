import {
  DescribePolicyCommand,
  paginateListTargetsForPolicy,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { collect } from './pages';

/** The guard rail's service control policy as deployed: its type and the OUs and accounts it is attached to. */
export async function describeGuardRail(
  client: OrganizationsClient,
  policyId: string,
): Promise<{ readonly type: string; readonly name: string; readonly targetIds: readonly string[] }> {
  const [described, targets] = await Promise.all([
    client.send(new DescribePolicyCommand({ PolicyId: policyId })),
    collect(paginateListTargetsForPolicy({ client }, { PolicyId: policyId }), (page) => page.Targets),
  ]);
  const summary = described.Policy?.PolicySummary;
  return {
    type: summary?.Type ?? '',
    name: summary?.Name ?? policyId,
    targetIds: targets.map((target) => String(target.TargetId)),
  };
}
