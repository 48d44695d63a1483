import type { PartSwitches } from '../core/row-parts';
import type { PartKey } from '../core/statuses';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from './tags';

/**
 * The IAM actions behind the calls in this folder: the CDK stack grants exactly these, and the
 * tests check the engine sends nothing else.
 */

/** Organizations reads of the hub (the function's own account). */
export const HUB_ORGANIZATIONS_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  // The target OUs' names, for the HTML report (best effort).
  'organizations:DescribeOrganizationalUnit',
  'organizations:DescribeAccount',
  'organizations:ListTagsForResource',
  // A sweep of a few named accounts (a targeted repair) walks up from each instead of listing the OUs.
  'organizations:ListParents',
] as const;

/** Calls of the hub that need no permission: who the credentials are (logged and reported). */
export const HUB_UNGATED_ACTIONS = ['sts:GetCallerIdentity'] as const;

/** EC2 reads in member accounts: describes, which support no resource-level permissions. */
export const MEMBER_READ_ACTIONS = [
  'ec2:DescribeVpcs',
  'ec2:DescribeInternetGateways',
  'ec2:DescribeRouteTables',
  'ec2:DescribeRegions',
] as const;

/** EC2 writes in member accounts, on route tables only: remediate mode. */
export const MEMBER_WRITE_ACTIONS = ['ec2:CreateRoute', 'ec2:ReplaceRoute'] as const;

/** EC2 write for the opt-in default VPC recreation (recreateDefaultVpc), with the gateway actions. */
export const MEMBER_VPC_ACTIONS = ['ec2:CreateDefaultVpc'] as const;

/** EC2 writes for the opt-in gateway repair (repairInternetGateway), remediate mode. */
export const MEMBER_GATEWAY_ACTIONS = [
  'ec2:CreateInternetGateway',
  'ec2:AttachInternetGateway',
  'ec2:CreateTags',
] as const;

/**
 * Why a call was refused: EC2 names no policy in its `UnauthorizedOperation` ("… Encoded
 * authorization failure message: …"); the member roles decode it in their own account (both roles,
 * any mode: a read can be refused too). It takes no resource.
 */
export const MEMBER_DECODE_ACTIONS = ['sts:DecodeAuthorizationMessage'] as const;

/**
 * The statement ids (Sids) the janitor's own policies deny with, as a decoded refusal names them:
 * the write role's own deny of writes to ignored resources, and the guard rail's SCP statements.
 */
export const MEMBER_DENY_STATEMENT_ID = 'NeverWriteIgnoredResources';
export const GUARD_RAIL_STATEMENT_IDS = {
  breakingCalls: 'RefuseBreakingCallsOnTheProtectedDefaultPath',
  protectTag: 'KeepTheProtectTag',
  tagsOfProtected: 'KeepAllTagsOfProtected',
  ignoreTagOnProtected: 'NoIgnoreTagOnProtected',
  janitor: 'KeepTheJanitor',
} as const;

/** Who broke it: CloudTrail's read of the account-region's recent calls (lookUpCauses, on by default). */
export const MEMBER_CAUSE_ACTIONS = ['cloudtrail:LookupEvents'] as const;

/**
 * CloudTrail reads `doctor` makes through the member role (with the event path): which trail
 * records the account-region's write management events. DescribeTrails takes no resource; the
 * other two take the trail, which for an organization trail is in the management account.
 */
export const MEMBER_TRAIL_LIST_ACTIONS = ['cloudtrail:DescribeTrails'] as const;
export const MEMBER_TRAIL_READ_ACTIONS = ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'] as const;

/** doctor's read of the two member roles' trust policies, through the read-only role: on those two roles only. */
export const MEMBER_TRUST_READ_ACTIONS = ['iam:GetRole'] as const;

/** doctor's probe (context eventProbe): on route tables tagged account-janitor:probe only. */
export const MEMBER_PROBE_ACTIONS = ['ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:DeleteRouteTable'] as const;

/** EC2 reads for the opt-in default subnets check (checkDefaultSubnets or repairDefaultSubnets). */
export const MEMBER_SUBNET_READ_ACTIONS = ['ec2:DescribeSubnets', 'ec2:DescribeAvailabilityZones'] as const;

/** EC2 write for the opt-in default subnets repair (repairDefaultSubnets), remediate mode. */
export const MEMBER_SUBNET_ACTIONS = ['ec2:CreateDefaultSubnet'] as const;

/** EC2 reads for the opt-in egress check (checkEgress or repairEgress). */
export const MEMBER_EGRESS_READ_ACTIONS = ['ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls'] as const;

/**
 * EC2 writes for the opt-in egress repair (repairEgress), remediate mode: AWS's default allow
 * back in a default security group and a default network ACL. Never a revoke or a delete.
 */
export const MEMBER_EGRESS_ACTIONS = ['ec2:AuthorizeSecurityGroupEgress', 'ec2:CreateNetworkAclEntry'] as const;

/**
 * The guard rail's tag (protectDefaultPath): CreateTags with account-janitor:protected=true only,
 * on the default path's resource types, remediate mode; DescribeTags verifies it (any mode); the
 * default subnets are read to be tagged too (the region's read, with the subnet check's describes).
 */
export const MEMBER_PROTECT_ACTIONS = ['ec2:CreateTags'] as const;
export const MEMBER_PROTECT_READ_ACTIONS = ['ec2:DescribeTags', ...MEMBER_SUBNET_READ_ACTIONS] as const;

/**
 * The path check (reach): Block Public Access's options and exclusions, read only when the VPC's
 * mode is not `off`, and the subnets explicitly associated with a table off the path (are they
 * default subnets?), read only when there is one.
 */
export const MEMBER_REACH_READ_ACTIONS = [
  'ec2:DescribeVpcBlockPublicAccessOptions',
  'ec2:DescribeVpcBlockPublicAccessExclusions',
  'ec2:DescribeSubnets',
] as const;

/**
 * The item writes on the digest ledger, which its table's policy refuses to anyone but the
 * functions' role (that role is granted `dynamodb:UpdateItem` alone): every IAM action that
 * writes an item (TransactWriteItems is authorized as its parts).
 */
export const DIGEST_LEDGER_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;

/** The event intake: starts, reads and moves the quiet-period schedules of its own schedule group. */
export const INTAKE_SCHEDULER_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:GetSchedule',
  'scheduler:UpdateSchedule',
] as const;

/**
 * One IAM statement of a row part, as data: its actions (one action stays a string), and the
 * resources, `*` or resource types of the member account (one type stays one resource). The stack
 * (lib/member-role-permissions.ts) makes the statement of it.
 */
export interface PartStatement {
  readonly sid: string;
  readonly actions: string | readonly string[];
  readonly resources: '*' | { readonly type: string } | { readonly types: readonly string[] };
  readonly condition?: Readonly<Record<string, unknown>>;
}

/** What a row part may do in a member account: its reads when it is on, its writes when it repairs. */
export interface PartPermissions {
  /** The part's reads, with either role (describes take no resource). */
  readonly read: PartStatement;
  /** Whether the write role makes the part's writes (remediate mode is the stack's to check). */
  readonly writes: (switches: PartSwitches) => boolean;
  readonly write: readonly PartStatement[];
}

/** The settings the route's own writes depend on: its opt-in repairs of the gateway and the default VPC. */
export interface RouteRepairSwitches {
  readonly repairInternetGateway: boolean;
  readonly recreateDefaultVpc: boolean;
}

/**
 * What the route's repairs may write, as data like a part's (remediate mode is the stack's to
 * check): the route in the main table; opt-in, the default VPC again, and a gateway created,
 * tagged on creation and attached.
 */
export function routeWriteStatements(switches: RouteRepairSwitches): PartStatement[] {
  const [create, attach, tag] = MEMBER_GATEWAY_ACTIONS;
  return [
    { sid: 'RestoreDefaultRoute', actions: MEMBER_WRITE_ACTIONS, resources: { type: 'route-table' } },
    // CreateDefaultVpc has no resource type to narrow it to.
    ...(switches.recreateDefaultVpc
      ? [{ sid: 'RecreateDefaultVpc', actions: MEMBER_VPC_ACTIONS, resources: '*' } as const]
      : []),
    ...(switches.repairInternetGateway || switches.recreateDefaultVpc
      ? ([
          // CreateInternetGateway takes the gateway alone; AttachInternetGateway the gateway and the VPC.
          { sid: 'CreateInternetGateway', actions: create, resources: { type: 'internet-gateway' } },
          { sid: 'AttachInternetGateway', actions: attach, resources: { types: ['internet-gateway', 'vpc'] } },
          {
            sid: 'TagCreatedInternetGateway',
            actions: tag,
            resources: { type: 'internet-gateway' },
            condition: { StringEquals: { 'ec2:CreateAction': 'CreateInternetGateway' } },
          },
        ] as const)
      : []),
  ];
}

/** The resource types of the default path the guard rail's tag goes on. */
export const PROTECTED_RESOURCE_TYPES = [
  'vpc',
  'route-table',
  'internet-gateway',
  'subnet',
  'security-group',
  'network-acl',
] as const;

/** Each row part's permissions (core/row-parts.ts): a new part does not compile without its entry. */
export const PART_PERMISSIONS: { readonly [K in PartKey]: PartPermissions } = {
  subnets: {
    read: { sid: 'DescribeDefaultSubnets', actions: MEMBER_SUBNET_READ_ACTIONS, resources: '*' },
    writes: (switches) => switches.defaultSubnets === 'repair',
    // CreateDefaultSubnet has no resource type to narrow it to; it only ever adds a default subnet.
    write: [{ sid: 'RestoreDefaultSubnets', actions: MEMBER_SUBNET_ACTIONS, resources: '*' }],
  },
  egress: {
    read: { sid: 'DescribeDefaultEgress', actions: MEMBER_EGRESS_READ_ACTIONS, resources: '*' },
    writes: (switches) => switches.egress === 'repair',
    // IAM has no condition key for "the default group" or "the default ACL": this account's
    // security groups and network ACLs is as far as it narrows. The code writes only the
    // default ones of the default VPC, and only an allow, never a revoke or a delete.
    write: [
      {
        sid: 'RestoreDefaultSecurityGroupEgress',
        actions: MEMBER_EGRESS_ACTIONS[0],
        resources: { type: 'security-group' },
      },
      { sid: 'RestoreDefaultNetworkAclEntries', actions: MEMBER_EGRESS_ACTIONS[1], resources: { type: 'network-acl' } },
    ],
  },
  reach: {
    read: { sid: 'ExplainTheDefaultPath', actions: MEMBER_REACH_READ_ACTIONS, resources: '*' },
    // Report only: Block Public Access, a person's route and a subnet's association are never changed.
    writes: () => false,
    write: [],
  },
  protection: {
    read: { sid: 'VerifyProtectTag', actions: MEMBER_PROTECT_READ_ACTIONS, resources: '*' },
    writes: (switches) => switches.protectDefaultPath !== 'off',
    // The guard rail's tag, and that one tag only, with the value true: never the ignore tag, never another.
    write: [
      {
        sid: 'TagDefaultPathProtected',
        actions: MEMBER_PROTECT_ACTIONS,
        resources: { types: PROTECTED_RESOURCE_TYPES },
        condition: {
          'ForAllValues:StringEquals': { 'aws:TagKeys': [PROTECT_TAG_KEY] },
          StringEquals: { [`aws:RequestTag/${PROTECT_TAG_KEY}`]: PROTECT_TAG_VALUE },
          Null: { 'aws:TagKeys': 'false' },
        },
      },
    ],
  },
};
