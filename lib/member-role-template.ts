import type { Mode } from '../lambda/config/schema';
import {
  MEMBER_GATEWAY_ACTIONS,
  MEMBER_READ_ACTIONS,
  MEMBER_SUBNET_ACTIONS,
  MEMBER_SUBNET_READ_ACTIONS,
  MEMBER_VPC_ACTIONS,
  MEMBER_WRITE_ACTIONS,
} from '../lambda/aws/permissions';

/**
 * The CloudFormation template of the role the janitor assumes in each member account. The stack
 * deploys it with a service-managed StackSet; `npm run member-role-template` writes it to a file
 * for teams that deploy roles their own way. The hub role's ARN is its one parameter.
 *
 * Trust: only the hub function's role (and the external id, when set). Permissions: exactly the
 * EC2 calls of the engine: the four describes, and in remediate mode CreateRoute/ReplaceRoute on
 * route tables of this account. Nothing else.
 */

export interface MemberRoleTemplateOptions {
  readonly roleName: string;
  readonly externalId?: string | undefined;
  readonly mode: Mode;
  /** The opt-in gateway repair: adds CreateInternetGateway, AttachInternetGateway, CreateTags. */
  readonly repairInternetGateway?: boolean;
  /** The opt-in default VPC recreation: adds CreateDefaultVpc, and the gateway actions to finish it. */
  readonly recreateDefaultVpc?: boolean;
  /** The opt-in default subnets check: adds DescribeSubnets, DescribeAvailabilityZones. */
  readonly checkDefaultSubnets?: boolean;
  /** The opt-in default subnets repair: adds the check's reads, and CreateDefaultSubnet in remediate mode. */
  readonly repairDefaultSubnets?: boolean;
}

export const HUB_ROLE_ARN_PARAMETER = 'HubRoleArn';

export function memberRoleTemplate(options: MemberRoleTemplateOptions): Record<string, unknown> {
  const trust: Record<string, unknown> = {
    Effect: 'Allow',
    Principal: { AWS: { Ref: HUB_ROLE_ARN_PARAMETER } },
    Action: 'sts:AssumeRole',
  };
  if (options.externalId) trust['Condition'] = { StringEquals: { 'sts:ExternalId': options.externalId } };

  const statements: Record<string, unknown>[] = [
    { Sid: 'DescribeDefaultNetwork', Effect: 'Allow', Action: [...MEMBER_READ_ACTIONS], Resource: '*' },
  ];
  if (options.checkDefaultSubnets || options.repairDefaultSubnets) {
    statements.push({
      Sid: 'DescribeDefaultSubnets',
      Effect: 'Allow',
      Action: [...MEMBER_SUBNET_READ_ACTIONS],
      Resource: '*',
    });
  }
  if (options.mode === 'remediate') {
    statements.push({
      Sid: 'RestoreDefaultRoute',
      Effect: 'Allow',
      Action: [...MEMBER_WRITE_ACTIONS],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:route-table/*' },
    });
    if (options.recreateDefaultVpc) {
      // CreateDefaultVpc has no resource type to narrow it to.
      statements.push({ Sid: 'RecreateDefaultVpc', Effect: 'Allow', Action: [...MEMBER_VPC_ACTIONS], Resource: '*' });
    }
    if (options.repairDefaultSubnets) {
      // CreateDefaultSubnet has no resource type to narrow it to; it only ever adds a default subnet.
      statements.push({
        Sid: 'RestoreDefaultSubnets',
        Effect: 'Allow',
        Action: [...MEMBER_SUBNET_ACTIONS],
        Resource: '*',
      });
    }
    if (options.repairInternetGateway || options.recreateDefaultVpc) {
      const [create, attach, tag] = MEMBER_GATEWAY_ACTIONS;
      statements.push(
        {
          Sid: 'RestoreInternetGateway',
          Effect: 'Allow',
          Action: [create, attach],
          Resource: [
            { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:internet-gateway/*' },
            { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:vpc/*' },
          ],
        },
        {
          Sid: 'TagCreatedInternetGateway',
          Effect: 'Allow',
          Action: tag,
          Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:internet-gateway/*' },
          Condition: { StringEquals: { 'ec2:CreateAction': 'CreateInternetGateway' } },
        },
      );
    }
  }

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'account-janitor member role: lets the janitor hub function check, and restore, the default VPC internet route of this account.',
    Parameters: {
      [HUB_ROLE_ARN_PARAMETER]: {
        Type: 'String',
        Description: "ARN of the account-janitor function's role in the hub (management or tooling) account",
        AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$',
      },
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: options.roleName,
          Description: 'Assumed by account-janitor to check and restore the default VPC 0.0.0.0/0 route',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [trust] },
          Policies: [
            {
              PolicyName: 'account-janitor-default-route',
              PolicyDocument: { Version: '2012-10-17', Statement: statements },
            },
          ],
        },
      },
    },
    Outputs: {
      MemberRoleArn: { Description: 'The member role', Value: { 'Fn::GetAtt': ['MemberRole', 'Arn'] } },
    },
  };
}
