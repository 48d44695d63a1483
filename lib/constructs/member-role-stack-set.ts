import { Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SweepConfig } from '../../lambda/config/schema';
import { HUB_ROLE_ARN_PARAMETER, memberRoleTemplate, OPERATOR_PRINCIPALS_PARAMETER } from '../member-role-template';

/**
 * The member role in every account of the target OUs, through a service-managed CloudFormation
 * StackSet with automatic deployment: accounts that join the OUs later get it too. IAM is global,
 * so one region. (Service-managed StackSets never deploy to the management account itself.)
 */

export interface MemberRoleStackSetProps {
  readonly hubRole: iam.IRole;
  readonly config: SweepConfig;
  readonly targetOuIds: readonly string[];
  /** `SELF` from the management account; `DELEGATED_ADMIN` from a StackSets delegated administrator. */
  readonly callAs?: 'SELF' | 'DELEGATED_ADMIN';
  /** Further roles the member role trusts (an operator running the CLI or doctor). */
  readonly operatorPrincipalArns?: readonly string[];
}

export class MemberRoleStackSet extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;

  public constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    const template = memberRoleTemplate(props.config);
    // Targets named by account id alone: the role goes to those accounts of the OUs, no others.
    const onlyNamedAccounts =
      !props.config.allAccounts && props.config.targetOuIds.length === 0 && props.config.accountIds.length > 0;
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: `account-janitor-member-role-${Stack.of(this).stackName}`,
      description: 'account-janitor member role in every target account',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs ?? 'SELF',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: 10,
        maxConcurrentPercentage: 50,
        regionConcurrencyType: 'PARALLEL',
      },
      parameters: [
        { parameterKey: HUB_ROLE_ARN_PARAMETER, parameterValue: props.hubRole.roleArn },
        {
          parameterKey: OPERATOR_PRINCIPALS_PARAMETER,
          parameterValue: (props.operatorPrincipalArns ?? []).join(','),
        },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: onlyNamedAccounts
            ? {
                organizationalUnitIds: [...props.targetOuIds],
                accounts: [...props.config.accountIds],
                accountFilterType: 'INTERSECTION',
              }
            : { organizationalUnitIds: [...props.targetOuIds] },
          regions: [Stack.of(this).region],
        },
      ],
      templateBody: JSON.stringify(template),
    });
  }
}
