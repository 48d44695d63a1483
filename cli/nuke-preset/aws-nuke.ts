import { janitorKeeps, type JanitorRoleNames, type NameMatch } from './janitor-keeps';

/**
 * The aws-nuke (v3, ekristen/aws-nuke) preset: one entry of the config's `presets`, whose filters
 * keep the default path and the janitor's own resources. A resource is kept when any of its type's
 * filters matches (filters of one group are OR'd).
 *
 * Resource and property names, from the tool's own sources:
 * - ekristen/aws-nuke at fd1d702d1f21252efe724393a7946d85d5298e9f: each resource's registered
 *   name and its `Properties()` in resources/<file>.go (the file is named beside each entry below);
 * - ekristen/libnuke at 29dae5d59a41288f1ac1e7018fd1e1a7575fd9a9: the filter's fields and types
 *   (pkg/filter/filter.go), a tag's property `tag:<key>` and a prefixed one's `tag:<prefix>:<key>`
 *   (pkg/types/properties.go), booleans written as `true`/`false` (`fmt.Sprint`).
 * test/fixtures/nuke-tools/aws-nuke.json lists the same names, with their paths; the tests hold this
 * table to it.
 */

export const AWS_NUKE_DEFAULT_PRESET_NAME = 'account-janitor';

/** A filter as aws-nuke reads it: `property` (the legacy name string when absent), `type` (default exact), `value`. */
export interface AwsNukeFilter {
  readonly property: string;
  readonly type?: 'exact' | 'glob';
  readonly value: string;
}

/**
 * The default path, by resource type: the property that is `true` on the default VPC's resources,
 * and the property that holds the guard rail's tag (none where the resource has no tags, or where the
 * janitor never tags it).
 */
const DEFAULT_PATH = {
  // resources/ec2-vpc.go: IsDefault, tags.
  EC2VPC: { isDefault: 'IsDefault', tag: 'tag:' },
  // resources/ec2-internet-gateway.go: DefaultVPC (attached to the default VPC), tags.
  EC2InternetGateway: { isDefault: 'DefaultVPC', tag: 'tag:' },
  // resources/ec2-internet-gateway-attachment.go: DefaultVPC, the gateway's tags as `tag:igw:<key>`.
  EC2InternetGatewayAttachment: { isDefault: 'DefaultVPC', tag: 'tag:igw:' },
  // resources/ec2-subnet.go: DefaultVPC (any subnet of the default VPC), tags.
  EC2Subnet: { isDefault: 'DefaultVPC', tag: 'tag:' },
  // resources/ec2-route-table.go: DefaultVPC, tags (a main route table is never deleted: its Filter()).
  EC2RouteTable: { isDefault: 'DefaultVPC', tag: 'tag:' },
  // resources/ec2-default-security-group-rule.go: DefaultVPC (always true: the rules of default groups), no tags.
  EC2DefaultSecurityGroupRule: { isDefault: 'DefaultVPC', tag: undefined },
  // resources/ec2-dhcp-option.go: DefaultVPC (the default VPC's option set); the janitor tags none.
  EC2DHCPOption: { isDefault: 'DefaultVPC', tag: undefined },
} as const satisfies Record<string, { isDefault: string; tag: string | undefined }>;

/** The janitor's resources, by resource type: the property that names the role, stack or rule. */
const JANITOR = {
  // resources/iam-role.go: Name (NewPropertiesFromStruct).
  IAMRole: { kind: 'roles', property: 'Name' },
  // resources/iam-role-policy.go: the role's name as `role:RoleName`.
  IAMRolePolicy: { kind: 'roles', property: 'role:RoleName' },
  // resources/iam-role-policy-attachments.go: RoleName.
  IAMRolePolicyAttachment: { kind: 'roles', property: 'RoleName' },
  // resources/cloudformation-stack.go: Name (NewPropertiesFromStruct).
  CloudFormationStack: { kind: 'stacks', property: 'Name' },
  // resources/cloudwatchevents-rule.go: Name (NewPropertiesFromStruct).
  CloudWatchEventsRule: { kind: 'rules', property: 'Name' },
  // resources/cloudwatchevents-target.go: Name, the rule's name (NewPropertiesFromStruct).
  CloudWatchEventsTarget: { kind: 'rules', property: 'Name' },
} as const satisfies Record<string, { kind: 'roles' | 'stacks' | 'rules'; property: string }>;

export type AwsNukeResourceType = keyof typeof DEFAULT_PATH | keyof typeof JANITOR;

const nameFilter = (property: string, match: NameMatch): AwsNukeFilter =>
  'exact' in match ? { property, value: match.exact } : { property, type: 'glob', value: `${match.prefix}*` };

/** The preset's filters, by resource type. */
export function awsNukeFilters(names: JanitorRoleNames): Record<AwsNukeResourceType, AwsNukeFilter[]> {
  const keeps = janitorKeeps(names);
  const defaultPath = Object.entries(DEFAULT_PATH).map(([type, { isDefault, tag }]) => [
    type,
    [
      { property: isDefault, value: 'true' },
      ...(tag === undefined ? [] : [{ property: `${tag}${keeps.protectTag.key}`, value: keeps.protectTag.value }]),
    ],
  ]);
  const janitor = Object.entries(JANITOR).map(([type, { kind, property }]) => [
    type,
    keeps[kind].map((match) => nameFilter(property, match)),
  ]);
  return Object.fromEntries([...defaultPath, ...janitor]) as Record<AwsNukeResourceType, AwsNukeFilter[]>;
}

/** The config to merge: `presets: { <name>: { filters } }`. */
export function awsNukePreset(names: JanitorRoleNames, presetName = AWS_NUKE_DEFAULT_PRESET_NAME): object {
  return { presets: { [presetName]: { filters: awsNukeFilters(names) } } };
}
