import type { SweepConfig } from '../../lambda/config/schema';

/**
 * Who may put breaking calls on the bus: only the targets' principals, as IAM can name them. With
 * OU targets, principals whose organization path runs through one of them (`aws:PrincipalOrgPaths`,
 * multivalued); with account ids, those accounts (`aws:PrincipalAccount`); with `allAccounts` (or
 * tags alone, which IAM cannot see), any account of the organization. One statement per selector,
 * each also held to the organization.
 */
export function busStatements(
  config: Pick<SweepConfig, 'allAccounts' | 'targetOuIds' | 'accountIds'>,
  organizationId: string,
): { sid: string; principalCondition: Record<string, Record<string, unknown>> }[] {
  if (config.allAccounts || (config.targetOuIds.length === 0 && config.accountIds.length === 0)) {
    return [{ sid: 'OrganizationForwardsBreakingCalls', principalCondition: {} }];
  }
  const statements: { sid: string; principalCondition: Record<string, Record<string, unknown>> }[] = [];
  if (config.targetOuIds.length > 0) {
    statements.push({
      sid: 'TargetOusForwardBreakingCalls',
      principalCondition: {
        'ForAnyValue:StringLike': {
          'aws:PrincipalOrgPaths': config.targetOuIds.map((id) =>
            id.startsWith('r-') ? `${organizationId}/${id}/*` : `${organizationId}/*/${id}/*`,
          ),
        },
      },
    });
  }
  if (config.accountIds.length > 0) {
    statements.push({
      sid: 'TargetAccountsForwardBreakingCalls',
      principalCondition: { StringEquals: { 'aws:PrincipalAccount': [...config.accountIds] } },
    });
  }
  return statements;
}
