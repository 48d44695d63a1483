import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import type { SweepConfig } from '../../lambda/config/schema';
import { partitionOf } from '../../lambda/core/partition';
import { ConfigError } from '../../lambda/errors';
import { AccountJanitorPropsError } from '../account-janitor-rules';
import { fitsOnePolicy, guardRailPolicies, guardRailPolicyTexts } from '../guard-rail-policy';

/**
 * protectDefaultPath=enforce: the guard rail's service control policy (guard-rail-policy.ts),
 * attached to the target OUs and named accounts: one policy, or two when its statements pass
 * AWS's size limit together (many exempt principals). Organizations policies are made from the
 * management account, or a delegated administrator of Organizations policies.
 */

export interface GuardRailProps {
  readonly config: SweepConfig;
  /** The OUs (or root) it is attached to, besides the named accounts. */
  readonly targetOuIds: readonly string[];
  readonly exemptPrincipalArns?: readonly string[];
  /** Names the policy. */
  readonly name: string;
}

export class GuardRail extends Construct {
  /** The first (or only) policy. */
  public readonly policy: organizations.CfnPolicy;
  /** Every policy of the guard rail: one, or two when it is split. */
  public readonly policies: readonly organizations.CfnPolicy[];

  public constructor(scope: Construct, id: string, props: GuardRailProps) {
    super(scope, id);
    const targetIds = [...new Set([...props.targetOuIds, ...props.config.accountIds])];
    if (targetIds.length === 0) {
      throw new Error(
        'protectDefaultPath=enforce: no OU or account to attach the guard rail to (memberRoleTargetOuIds)',
      );
    }
    // The partition is literal when the region is known (as cdk deploy gives it); otherwise the
    // size is decided with the longest partition name, so it holds wherever the token resolves.
    const region = Stack.of(this).region;
    const known = Token.isUnresolved(region) ? undefined : partitionOf(region);
    const options = { config: props.config, exemptPrincipalArns: props.exemptPrincipalArns };
    const measured = { ...options, partition: known ?? 'aws-us-gov' };
    const split = !fitsOnePolicy(measured);
    try {
      guardRailPolicyTexts(measured, split);
    } catch (error) {
      if (error instanceof ConfigError) throw new AccountJanitorPropsError(error.problems);
      throw error;
    }
    const documents = guardRailPolicies({ ...options, partition: known ?? Aws.PARTITION }, split);
    this.policies = documents.map(
      (content, index) =>
        new organizations.CfnPolicy(this, index === 0 ? 'Policy' : `Policy${index + 1}`, {
          name: index === 0 ? `${props.name}-guard-rail` : `${props.name}-guard-rail-${index + 1}`,
          type: 'SERVICE_CONTROL_POLICY',
          description:
            index === 0
              ? 'account-janitor guard rail: refuses the calls that break the default VPC internet path on resources tagged account-janitor:protected=true, and keeps the janitor'
              : 'account-janitor guard rail (its second half): keeps the janitor roles, forwarder and StackSet instances',
          content,
          targetIds,
        }),
    );
    this.policy = this.policies[0] as organizations.CfnPolicy;
  }
}
