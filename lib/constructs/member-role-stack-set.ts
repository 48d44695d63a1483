import { Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SweepConfig } from '../../lambda/config/schema';
import { STACK_SET_NAME_PREFIX } from '../../lambda/contract/names';
import {
  HUB_ROLE_ARN_PARAMETER,
  memberRoleTemplate,
  OPERATOR_PRINCIPALS_PARAMETER,
  OPERATOR_WRITE_PRINCIPALS_PARAMETER,
} from '../member-role-template';

/**
 * The member roles (write and read-only) in every account of the target OUs, through a service-managed CloudFormation
 * StackSet with automatic deployment: accounts that join the OUs later get it too. IAM is global,
 * so one region. (Service-managed StackSets never deploy to the management account itself.)
 */

/** How a StackSet is called: from the management account, or a StackSets delegated administrator. */
export type StackSetCallAs = 'SELF' | 'DELEGATED_ADMIN';

export interface MemberRoleStackSetProps {
  readonly hubRole: iam.IRole;
  readonly config: SweepConfig;
  readonly targetOuIds: readonly string[];
  /**
   * `SELF` from the management account; `DELEGATED_ADMIN` from a StackSets delegated administrator.
   * @default 'SELF'
   */
  readonly callAs?: StackSetCallAs;
  /** Roles the read-only role trusts (an operator running the CLI's --dry-run, or doctor). */
  readonly operatorPrincipalArns?: readonly string[];
  /** Roles the write role trusts too (an operator repairing with the CLI). */
  readonly operatorWritePrincipalArns?: readonly string[];
  /**
   * The event-driven repair is deployed: the role may read the account's trails for `doctor`.
   * @default true
   */
  readonly eventPath?: boolean;
  /**
   * `doctor --probe` may make its throwaway breaking call.
   * @default false
   */
  readonly eventProbe?: boolean;
}

export class MemberRoleStackSet extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;

  public constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    const template = memberRoleTemplate({
      ...props.config,
      eventPath: props.eventPath ?? true,
      eventProbe: props.eventProbe ?? false,
    });
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: `${STACK_SET_NAME_PREFIX}member-role-${Stack.of(this).stackName}`,
      description: 'account-janitor member role in every target account',
      ...serviceManagedStackSet(props.callAs),
      capabilities: ['CAPABILITY_NAMED_IAM'],
      parameters: [
        { parameterKey: HUB_ROLE_ARN_PARAMETER, parameterValue: props.hubRole.roleArn },
        {
          parameterKey: OPERATOR_PRINCIPALS_PARAMETER,
          parameterValue: (props.operatorPrincipalArns ?? []).join(','),
        },
        {
          parameterKey: OPERATOR_WRITE_PRINCIPALS_PARAMETER,
          parameterValue: (props.operatorWritePrincipalArns ?? []).join(','),
        },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: deploymentTargets(props.config, props.targetOuIds),
          regions: [Stack.of(this).region],
        },
      ],
      templateBody: JSON.stringify(template),
    });
  }
}

/**
 * Where a StackSet of the janitor goes: every account of the OUs; with targets named by account id
 * alone, only those accounts of the OUs (INTERSECTION), no others.
 */
export function deploymentTargets(
  config: SweepConfig,
  targetOuIds: readonly string[],
): cloudformation.CfnStackSet.DeploymentTargetsProperty {
  const onlyNamedAccounts = !config.allAccounts && config.targetOuIds.length === 0 && config.accountIds.length > 0;
  return onlyNamedAccounts
    ? { organizationalUnitIds: [...targetOuIds], accounts: [...config.accountIds], accountFilterType: 'INTERSECTION' }
    : { organizationalUnitIds: [...targetOuIds] };
}

/**
 * How the janitor's StackSets roll out: service-managed, to accounts that join the OUs later too
 * (and off accounts that leave), called as the management account or a delegated administrator,
 * in parallel across regions, a tenth of the accounts allowed to fail.
 */
export function serviceManagedStackSet(
  callAs: StackSetCallAs | undefined,
): Pick<
  cloudformation.CfnStackSetProps,
  'permissionModel' | 'autoDeployment' | 'callAs' | 'managedExecution' | 'operationPreferences'
> {
  return {
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    callAs: callAs ?? 'SELF',
    managedExecution: { Active: true },
    operationPreferences: {
      failureTolerancePercentage: 10,
      maxConcurrentPercentage: 50,
      regionConcurrencyType: 'PARALLEL',
    },
  };
}
