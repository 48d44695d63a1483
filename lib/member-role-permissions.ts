import { PROBE_TAG_KEY } from '../lambda/contract/names';
import {
  MEMBER_CAUSE_ACTIONS,
  MEMBER_EGRESS_ACTIONS,
  MEMBER_EGRESS_READ_ACTIONS,
  MEMBER_GATEWAY_ACTIONS,
  MEMBER_PROBE_ACTIONS,
  MEMBER_PROTECT_ACTIONS,
  MEMBER_PROTECT_READ_ACTIONS,
  MEMBER_READ_ACTIONS,
  MEMBER_SUBNET_ACTIONS,
  MEMBER_SUBNET_READ_ACTIONS,
  MEMBER_TRAIL_LIST_ACTIONS,
  MEMBER_TRAIL_READ_ACTIONS,
  MEMBER_VPC_ACTIONS,
  MEMBER_WRITE_ACTIONS,
} from '../lambda/contract/permissions';
import type { SweepConfig } from '../lambda/config/schema';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from '../lambda/core/plan-protection';
import { IGNORE_TAG_KEY } from '../lambda/core/route-table';
import { PART_KEYS, ROW_PARTS, type PartSwitches } from '../lambda/core/row-parts';
import type { PartKey } from '../lambda/core/statuses';

/**
 * What the two member roles may do, statement by statement: the reads of the engine (both roles),
 * the writes of the enabled repairs (the write role, remediate mode only, never on a resource
 * tagged account-janitor:ignore), and doctor's reads and probe (the read-only role). Exactly the EC2
 * calls the engine makes; nothing else.
 */

type Statement = Record<string, unknown>;

/** The settings the member roles depend on. */
export type MemberPermissionsConfig = Pick<
  SweepConfig,
  'mode' | 'repairInternetGateway' | 'recreateDefaultVpc' | 'lookUpCauses'
> &
  PartSwitches;

/** The resource types of the default path the guard rail's tag goes on. */
export const PROTECTED_RESOURCE_TYPES = [
  'vpc',
  'route-table',
  'internet-gateway',
  'subnet',
  'security-group',
  'network-acl',
] as const;

const inAccount = (resource: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${resource}/*`,
});

/** The engine's reads, with either role: the default network, who broke it, the opt-ins' reads. */
export function readStatements(config: MemberPermissionsConfig): Statement[] {
  const statements: Statement[] = [
    { Sid: 'DescribeDefaultNetwork', Effect: 'Allow', Action: [...MEMBER_READ_ACTIONS], Resource: '*' },
  ];
  if (config.lookUpCauses) {
    statements.push({ Sid: 'FindWhoBrokeIt', Effect: 'Allow', Action: [...MEMBER_CAUSE_ACTIONS], Resource: '*' });
  }
  for (const key of PART_KEYS) {
    if (ROW_PARTS[key].enabled(config)) statements.push(PART_PERMISSIONS[key].read);
  }
  return statements;
}

/** doctor's read of which trail records the account's write management events (with the event path). */
export function trailStatements(): Statement[] {
  return [
    { Sid: 'ListTrails', Effect: 'Allow', Action: [...MEMBER_TRAIL_LIST_ACTIONS], Resource: '*' },
    {
      Sid: 'ReadTrailCoverage',
      Effect: 'Allow',
      Action: [...MEMBER_TRAIL_READ_ACTIONS],
      // An organization trail lives in the management account: any account's trails, read only.
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:*:trail/*' },
    },
  ];
}

/** The writes of the enabled repairs (remediate mode; none in report mode), beside the ignore-tag deny. */
export function writeStatements(config: MemberPermissionsConfig): Statement[] {
  if (config.mode !== 'remediate') return [];
  const statements: Statement[] = [
    // Whatever the code decides, IAM never lets the role write to a resource tagged to be ignored.
    {
      Sid: 'NeverWriteIgnoredResources',
      Effect: 'Deny',
      Action: [...memberWriteActions(config)],
      Resource: '*',
      Condition: { StringEqualsIgnoreCase: { [`ec2:ResourceTag/${IGNORE_TAG_KEY}`]: 'true' } },
    },
    {
      Sid: 'RestoreDefaultRoute',
      Effect: 'Allow',
      Action: [...MEMBER_WRITE_ACTIONS],
      Resource: inAccount('route-table'),
    },
  ];
  if (config.recreateDefaultVpc) {
    // CreateDefaultVpc has no resource type to narrow it to.
    statements.push({ Sid: 'RecreateDefaultVpc', Effect: 'Allow', Action: [...MEMBER_VPC_ACTIONS], Resource: '*' });
  }
  for (const key of ['subnets', 'egress'] as const) {
    if (PART_PERMISSIONS[key].writes(config)) statements.push(...PART_PERMISSIONS[key].write);
  }
  if (config.repairInternetGateway || config.recreateDefaultVpc) {
    const [create, attach, tag] = MEMBER_GATEWAY_ACTIONS;
    statements.push(
      // CreateInternetGateway takes the gateway alone; AttachInternetGateway the gateway and the VPC.
      { Sid: 'CreateInternetGateway', Effect: 'Allow', Action: create, Resource: inAccount('internet-gateway') },
      {
        Sid: 'AttachInternetGateway',
        Effect: 'Allow',
        Action: attach,
        Resource: [inAccount('internet-gateway'), inAccount('vpc')],
      },
      {
        Sid: 'TagCreatedInternetGateway',
        Effect: 'Allow',
        Action: tag,
        Resource: inAccount('internet-gateway'),
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateInternetGateway' } },
      },
    );
  }
  // The route's gateway and VPC come first; the guard rail's tag last.
  if (PART_PERMISSIONS.protection.writes(config)) statements.push(...PART_PERMISSIONS.protection.write);
  return statements;
}

interface PartPermissions {
  /** The reads of the part, with either role, when it is switched on. */
  readonly read: Statement;
  /** Whether the write role makes the part's writes (remediate mode is the caller's to check). */
  readonly writes: (config: MemberPermissionsConfig) => boolean;
  readonly write: readonly Statement[];
  /** The actions of `write`: what the ignore-tag deny covers. */
  readonly writeActions: readonly string[];
}

/** Each row part's reads and writes (core/row-parts.ts): a new part does not compile without its entry. */
const PART_PERMISSIONS: { readonly [K in PartKey]: PartPermissions } = {
  subnets: {
    read: { Sid: 'DescribeDefaultSubnets', Effect: 'Allow', Action: [...MEMBER_SUBNET_READ_ACTIONS], Resource: '*' },
    writes: (config) => config.defaultSubnets === 'repair',
    // CreateDefaultSubnet has no resource type to narrow it to; it only ever adds a default subnet.
    write: [{ Sid: 'RestoreDefaultSubnets', Effect: 'Allow', Action: [...MEMBER_SUBNET_ACTIONS], Resource: '*' }],
    writeActions: MEMBER_SUBNET_ACTIONS,
  },
  egress: {
    read: { Sid: 'DescribeDefaultEgress', Effect: 'Allow', Action: [...MEMBER_EGRESS_READ_ACTIONS], Resource: '*' },
    writes: (config) => config.egress === 'repair',
    // IAM has no condition key for "the default group" or "the default ACL": this account's
    // security groups and network ACLs is as far as it narrows. The code writes only the
    // default ones of the default VPC, and only an allow, never a revoke or a delete.
    write: [
      {
        Sid: 'RestoreDefaultSecurityGroupEgress',
        Effect: 'Allow',
        Action: MEMBER_EGRESS_ACTIONS[0],
        Resource: inAccount('security-group'),
      },
      {
        Sid: 'RestoreDefaultNetworkAclEntries',
        Effect: 'Allow',
        Action: MEMBER_EGRESS_ACTIONS[1],
        Resource: inAccount('network-acl'),
      },
    ],
    writeActions: MEMBER_EGRESS_ACTIONS,
  },
  protection: {
    read: { Sid: 'VerifyProtectTag', Effect: 'Allow', Action: [...MEMBER_PROTECT_READ_ACTIONS], Resource: '*' },
    writes: (config) => ROW_PARTS.protection.enabled(config),
    // The guard rail's tag, and that one tag only, with the value true: never the ignore tag, never another.
    write: [
      {
        Sid: 'TagDefaultPathProtected',
        Effect: 'Allow',
        Action: [...MEMBER_PROTECT_ACTIONS],
        Resource: PROTECTED_RESOURCE_TYPES.map(inAccount),
        Condition: {
          'ForAllValues:StringEquals': { 'aws:TagKeys': [PROTECT_TAG_KEY] },
          StringEquals: { [`aws:RequestTag/${PROTECT_TAG_KEY}`]: PROTECT_TAG_VALUE },
          Null: { 'aws:TagKeys': 'false' },
        },
      },
    ],
    writeActions: MEMBER_PROTECT_ACTIONS,
  },
};

/**
 * What doctor's probe may do, and only on route tables tagged account-janitor:probe: create one
 * (tagged on creation, with that tag alone), add and delete a route in it, and delete it. The VPC is
 * a resource of CreateRouteTable too; a table created without the tag is refused by the first.
 */
export function probeStatements(): Statement[] {
  const routeTables = inAccount('route-table');
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
    { Sid: 'ProbeRouteTableInVpc', Effect: 'Allow', Action: 'ec2:CreateRouteTable', Resource: inAccount('vpc') },
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

/** Every write the write role may make with this configuration (remediate mode): what the ignore-tag deny covers. */
export function memberWriteActions(config: MemberPermissionsConfig): string[] {
  if (config.mode !== 'remediate') return [];
  const part = (key: PartKey) => (PART_PERMISSIONS[key].writes(config) ? PART_PERMISSIONS[key].writeActions : []);
  const actions: string[] = [
    ...MEMBER_WRITE_ACTIONS,
    ...(config.recreateDefaultVpc ? MEMBER_VPC_ACTIONS : []),
    ...part('subnets'),
    ...part('egress'),
    ...(config.repairInternetGateway || config.recreateDefaultVpc ? MEMBER_GATEWAY_ACTIONS : []),
    ...part('protection'),
  ];
  return [...new Set(actions)];
}
