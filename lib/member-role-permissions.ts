import {
  MEMBER_CAUSE_ACTIONS,
  MEMBER_DECODE_ACTIONS,
  MEMBER_DENY_STATEMENT_ID,
  MEMBER_PROBE_ACTIONS,
  MEMBER_READ_ACTIONS,
  MEMBER_TRAIL_LIST_ACTIONS,
  MEMBER_TRAIL_READ_ACTIONS,
  MEMBER_TRUST_READ_ACTIONS,
  PART_PERMISSIONS,
  type PartStatement,
} from '../lambda/contract/permissions';
import { memberWriteActions, memberWriteStatements } from '../lambda/core/member-writes';
import { IGNORE_TAG_KEY, PROBE_TAG_KEY } from '../lambda/contract/tags';
import type { SweepConfig } from '../lambda/config/schema';
import { PART_KEYS, ROW_PARTS, type PartSwitches } from '../lambda/core/row-parts';

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

const inAccount = (resource: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:ec2:*:\${AWS::AccountId}:${resource}/*`,
});

/** The engine's reads, with either role: the default network, who broke it, the opt-ins' reads. */
export function readStatements(config: MemberPermissionsConfig): Statement[] {
  const statements: Statement[] = [
    { Sid: 'DescribeDefaultNetwork', Effect: 'Allow', Action: [...MEMBER_READ_ACTIONS], Resource: '*' },
    // EC2 names no policy when it refuses a call: its encoded message says which one did.
    { Sid: 'ExplainRefusals', Effect: 'Allow', Action: [...MEMBER_DECODE_ACTIONS], Resource: '*' },
  ];
  if (config.lookUpCauses) {
    statements.push({ Sid: 'FindWhoBrokeIt', Effect: 'Allow', Action: [...MEMBER_CAUSE_ACTIONS], Resource: '*' });
  }
  for (const key of PART_KEYS) {
    if (ROW_PARTS[key].enabled(config)) statements.push(partStatement(PART_PERMISSIONS[key].read));
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

/** doctor's read of whom the two member roles trust (`member role trust`): GetRole of those two roles, in this account. */
export function trustReadStatements(config: Pick<SweepConfig, 'memberRoleName' | 'readOnlyRoleName'>): Statement[] {
  const role = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}` });
  return [
    {
      Sid: 'ReadMemberRolesTrust',
      Effect: 'Allow',
      Action: [...MEMBER_TRUST_READ_ACTIONS],
      Resource: [role(config.memberRoleName), role(config.readOnlyRoleName)],
    },
  ];
}

/** The writes of the enabled repairs (remediate mode; none in report mode), beside the ignore-tag deny. */
export function writeStatements(config: MemberPermissionsConfig): Statement[] {
  if (config.mode !== 'remediate') return [];
  return [
    // Whatever the code decides, IAM never lets the role write to a resource tagged to be ignored.
    {
      Sid: MEMBER_DENY_STATEMENT_ID,
      Effect: 'Deny',
      Action: [...memberWriteActions(config)],
      Resource: '*',
      Condition: { StringEqualsIgnoreCase: { [`ec2:ResourceTag/${IGNORE_TAG_KEY}`]: 'true' } },
    },
    // The route's own repairs (its gateway, its VPC) come first, then each row part's.
    ...memberWriteStatements(config).map(partStatement),
  ];
}

/** A part's statement (lambda/contract/permissions.ts) as IAM takes it, in this account. */
function partStatement({ sid, actions, resources, condition }: PartStatement): Statement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: typeof actions === 'string' ? actions : [...actions],
    Resource:
      resources === '*' ? '*' : 'type' in resources ? inAccount(resources.type) : resources.types.map(inAccount),
    ...(condition ? { Condition: condition } : {}),
  };
}

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
export { memberWriteActions };
