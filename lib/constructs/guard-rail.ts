import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import type { SweepConfig } from '../../lambda/config/schema';
import { partitionOf } from '../../lambda/core/partition';
import { guardRailPolicy, guardRailPolicyText } from '../guard-rail-policy';

/**
 * protectDefaultPath=enforce: the guard rail's service control policy (guard-rail-policy.ts),
 * attached to the target OUs and named accounts. Organizations policies are made from the
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
  public readonly policy: organizations.CfnPolicy;

  public constructor(scope: Construct, id: string, props: GuardRailProps) {
    super(scope, id);
    const targetIds = [...new Set([...props.targetOuIds, ...props.config.accountIds])];
    if (targetIds.length === 0) {
      throw new Error(
        'protectDefaultPath=enforce: no OU or account to attach the guard rail to (memberRoleTargetOuIds)',
      );
    }
    // The partition is literal when the region is known (as cdk deploy gives it); the size is
    // checked with the longest partition name, so it holds wherever the token resolves.
    const region = Stack.of(this).region;
    const partition = Token.isUnresolved(region) ? Aws.PARTITION : partitionOf(region);
    guardRailPolicyText({
      config: props.config,
      partition: 'aws-us-gov',
      exemptPrincipalArns: props.exemptPrincipalArns,
    });
    this.policy = new organizations.CfnPolicy(this, 'Policy', {
      name: `${props.name}-guard-rail`,
      type: 'SERVICE_CONTROL_POLICY',
      description:
        'account-janitor guard rail: refuses the calls that break the default VPC internet path on resources tagged account-janitor:protected=true',
      content: guardRailPolicy({ config: props.config, partition, exemptPrincipalArns: props.exemptPrincipalArns }),
      targetIds,
    });
  }
}
