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

/** Who broke it: CloudTrail's read of the account-region's recent calls (lookUpCauses, on by default). */
export const MEMBER_CAUSE_ACTIONS = ['cloudtrail:LookupEvents'] as const;

/**
 * CloudTrail reads `doctor` makes through the member role (with the event path): which trail
 * records the account-region's write management events. DescribeTrails takes no resource; the
 * other two take the trail, which for an organization trail is in the management account.
 */
export const MEMBER_TRAIL_LIST_ACTIONS = ['cloudtrail:DescribeTrails'] as const;
export const MEMBER_TRAIL_READ_ACTIONS = ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'] as const;

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
 * on the default path's resource types, remediate mode; DescribeTags verifies it (any mode).
 */
export const MEMBER_PROTECT_ACTIONS = ['ec2:CreateTags'] as const;
export const MEMBER_PROTECT_READ_ACTIONS = ['ec2:DescribeTags'] as const;

/** The event intake: starts, reads and moves the quiet-period schedules of its own schedule group. */
export const INTAKE_SCHEDULER_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:GetSchedule',
  'scheduler:UpdateSchedule',
] as const;
