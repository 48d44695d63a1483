import type { SweepConfig } from '../lambda/config/schema';
import { PROBE_TAG_KEY } from '../lambda/aws/event-probe';
import { IGNORE_TAG_KEY } from '../lambda/core/route-table';
import {
  MEMBER_CAUSE_ACTIONS,
  MEMBER_EGRESS_ACTIONS,
  MEMBER_EGRESS_READ_ACTIONS,
  MEMBER_GATEWAY_ACTIONS,
  MEMBER_READ_ACTIONS,
  MEMBER_SUBNET_ACTIONS,
  MEMBER_SUBNET_READ_ACTIONS,
  MEMBER_PROBE_ACTIONS,
  MEMBER_TRAIL_LIST_ACTIONS,
  MEMBER_TRAIL_READ_ACTIONS,
  MEMBER_VPC_ACTIONS,
  MEMBER_WRITE_ACTIONS,
} from '../lambda/aws/permissions';

/**
 * The CloudFormation template of the role the janitor assumes in each member account. The stack
 * deploys it with a service-managed StackSet; `npm run member-role-template` writes it to a file
 * for teams that deploy roles their own way. Parameters: the hub role's ARN, and optionally the
 * operator principals (roles that run the CLI or `doctor` through this role).
 *
 * Trust: only the hub function's role and the operator principals (with the external id, when
 * set). Permissions: exactly the EC2 calls of the engine: the describes, and in remediate mode
 * CreateRoute/ReplaceRoute on route tables of this account (and the opt-in repairs' writes), with
 * a Deny on every write to a resource tagged account-janitor:ignore=true. Nothing else.
 */

/** What the member role depends on: the sweep settings it must allow, typed once for every caller. */
export type MemberRoleConfig = Pick<
  SweepConfig,
  | 'memberRoleName'
  | 'externalId'
  | 'mode'
  | 'repairInternetGateway'
  | 'recreateDefaultVpc'
  | 'checkDefaultSubnets'
  | 'repairDefaultSubnets'
  | 'checkEgress'
  | 'repairEgress'
  | 'lookUpCauses'
> & {
  /**
   * The event-driven repair is deployed (default true): `doctor` reads, through the role, which
   * trail records the account's write management events.
   */
  readonly eventPath?: boolean;
  /**
   * `doctor --probe` may make its throwaway breaking call (default false): create a route table
   * tagged account-janitor:probe in a VPC, add and delete a route in it, delete it.
   */
  readonly eventProbe?: boolean;
};

export const HUB_ROLE_ARN_PARAMETER = 'HubRoleArn';
/** Optional: further principals (an operator role running the CLI or `doctor`) the role trusts. */
export const OPERATOR_PRINCIPALS_PARAMETER = 'OperatorPrincipalArns';
const HAS_OPERATORS = 'HasOperatorPrincipals';

export function memberRoleTemplate(config: MemberRoleConfig): Record<string, unknown> {
  const externalIdCondition = config.externalId
    ? { Condition: { StringEquals: { 'sts:ExternalId': config.externalId } } }
    : {};
  const trust = [
    {
      Sid: 'HubFunction',
      Effect: 'Allow',
      Principal: { AWS: { Ref: HUB_ROLE_ARN_PARAMETER } },
      Action: 'sts:AssumeRole',
      ...externalIdCondition,
    },
    {
      'Fn::If': [
        HAS_OPERATORS,
        {
          Sid: 'Operators',
          Effect: 'Allow',
          Principal: { AWS: { Ref: OPERATOR_PRINCIPALS_PARAMETER } },
          Action: 'sts:AssumeRole',
          ...externalIdCondition,
        },
        { Ref: 'AWS::NoValue' },
      ],
    },
  ];
  const options = config;

  const statements: Record<string, unknown>[] = [
    { Sid: 'DescribeDefaultNetwork', Effect: 'Allow', Action: [...MEMBER_READ_ACTIONS], Resource: '*' },
  ];
  if (options.lookUpCauses) {
    statements.push({ Sid: 'FindWhoBrokeIt', Effect: 'Allow', Action: [...MEMBER_CAUSE_ACTIONS], Resource: '*' });
  }
  if (options.eventPath ?? true) {
    statements.push(
      { Sid: 'ListTrails', Effect: 'Allow', Action: [...MEMBER_TRAIL_LIST_ACTIONS], Resource: '*' },
      {
        Sid: 'ReadTrailCoverage',
        Effect: 'Allow',
        Action: [...MEMBER_TRAIL_READ_ACTIONS],
        // An organization trail lives in the management account: any account's trails, read only.
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:*:trail/*' },
      },
    );
  }
  if (options.eventProbe) statements.push(...probeStatements());
  if (options.checkDefaultSubnets || options.repairDefaultSubnets) {
    statements.push({
      Sid: 'DescribeDefaultSubnets',
      Effect: 'Allow',
      Action: [...MEMBER_SUBNET_READ_ACTIONS],
      Resource: '*',
    });
  }
  if (options.checkEgress || options.repairEgress) {
    statements.push({
      Sid: 'DescribeDefaultEgress',
      Effect: 'Allow',
      Action: [...MEMBER_EGRESS_READ_ACTIONS],
      Resource: '*',
    });
  }
  if (options.mode === 'remediate') {
    // Whatever the code decides, IAM never lets the role write to a resource tagged to be ignored.
    statements.push({
      Sid: 'NeverWriteIgnoredResources',
      Effect: 'Deny',
      Action: [...memberWriteActions(options)],
      Resource: '*',
      Condition: { StringEqualsIgnoreCase: { [`ec2:ResourceTag/${IGNORE_TAG_KEY}`]: 'true' } },
    });
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
    if (options.repairEgress) {
      // IAM has no condition key for "the default group" or "the default ACL": this account's
      // security groups and network ACLs is as far as it narrows. The code writes only the
      // default ones of the default VPC, and only an allow, never a revoke or a delete.
      const [authorize, createEntry] = MEMBER_EGRESS_ACTIONS;
      statements.push(
        {
          Sid: 'RestoreDefaultSecurityGroupEgress',
          Effect: 'Allow',
          Action: authorize,
          Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:security-group/*' },
        },
        {
          Sid: 'RestoreDefaultNetworkAclEntries',
          Effect: 'Allow',
          Action: createEntry,
          Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:network-acl/*' },
        },
      );
    }
    if (options.repairInternetGateway || options.recreateDefaultVpc) {
      const [create, attach, tag] = MEMBER_GATEWAY_ACTIONS;
      statements.push(
        // CreateInternetGateway takes the gateway alone; AttachInternetGateway the gateway and the VPC.
        {
          Sid: 'CreateInternetGateway',
          Effect: 'Allow',
          Action: create,
          Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:internet-gateway/*' },
        },
        {
          Sid: 'AttachInternetGateway',
          Effect: 'Allow',
          Action: attach,
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
      [OPERATOR_PRINCIPALS_PARAMETER]: {
        Type: 'CommaDelimitedList',
        Default: '',
        Description:
          'Optional: ARNs of further roles that may assume this role, e.g. an operator role that runs the account-janitor CLI or doctor (comma-separated)',
      },
    },
    Conditions: {
      [HAS_OPERATORS]: {
        'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: OPERATOR_PRINCIPALS_PARAMETER }] }, ''] }],
      },
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: options.memberRoleName,
          Description: 'Assumed by account-janitor to check and restore the default VPC 0.0.0.0/0 route',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: trust },
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

/**
 * What doctor's probe may do, and only on route tables tagged account-janitor:probe: create one
 * (tagged on creation, with that tag alone), add and delete a route in it, and delete it. The VPC is
 * a resource of CreateRouteTable too; a table created without the tag is refused by the first.
 */
function probeStatements(): Record<string, unknown>[] {
  const routeTables = { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:route-table/*' };
  return [
    {
      Sid: 'ProbeCreateTaggedRouteTable',
      Effect: 'Allow',
      Action: 'ec2:CreateRouteTable',
      Resource: routeTables,
      Condition: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [PROBE_TAG_KEY] },
        Null: { 'aws:TagKeys': 'false', [`aws:RequestTag/${PROBE_TAG_KEY}`]: 'false' },
      },
    },
    {
      Sid: 'ProbeRouteTableInVpc',
      Effect: 'Allow',
      Action: 'ec2:CreateRouteTable',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:vpc/*' },
    },
    {
      Sid: 'ProbeTagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: routeTables,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateRouteTable' } },
    },
    {
      Sid: 'ProbeRoutesOfProbeTables',
      Effect: 'Allow',
      Action: [...MEMBER_PROBE_ACTIONS],
      Resource: routeTables,
      Condition: { Null: { [`ec2:ResourceTag/${PROBE_TAG_KEY}`]: 'false' } },
    },
  ];
}

/** Every write the role may make with this configuration (remediate mode): what the ignore-tag deny covers. */
export function memberWriteActions(config: MemberRoleConfig): string[] {
  if (config.mode !== 'remediate') return [];
  return [
    ...MEMBER_WRITE_ACTIONS,
    ...(config.recreateDefaultVpc ? MEMBER_VPC_ACTIONS : []),
    ...(config.repairDefaultSubnets ? MEMBER_SUBNET_ACTIONS : []),
    ...(config.repairEgress ? MEMBER_EGRESS_ACTIONS : []),
    ...(config.repairInternetGateway || config.recreateDefaultVpc ? MEMBER_GATEWAY_ACTIONS : []),
  ];
}
