import { janitorKeeps, nameRegex, type JanitorRoleNames } from './janitor-keeps';

/**
 * The cloud-nuke (gruntwork-io/cloud-nuke) config: `exclude` rules that keep the default path and the
 * janitor's own resources. A resource is left alone when its name matches one of `names_regex`, or
 * one of the `tags` (key exact, value a regular expression matched against the lower-cased value;
 * the keys of one rule OR'd).
 *
 * Resource type keys and rule fields, from the tool's own source: gruntwork-io/cloud-nuke at
 * 8f6f88cb05ae3bad859ddeaf9a2f5008903ef7eb, config/config.go (the `Config` struct's yaml keys,
 * `ResourceType` and `FilterRule`, read with yaml.UnmarshalStrict: an unknown key fails the run;
 * `ShouldInclude`, `matchesTags`). What each resource's name is comes from its lister,
 * aws/resources/<file>.go (named beside each entry). test/fixtures/nuke-tools/cloud-nuke.json lists
 * the same names; the tests hold this table to it.
 *
 * `cloud-nuke aws` already skips the default VPC, its default subnets, default security group,
 * default network ACL, main route table and DHCP option set (each lister's own check), but not its
 * internet gateway: keeping that is the point. The tag rules on the others keep what the guard rail
 * tagged should a later version list it.
 */

const tagged = (key: string, value: string) => ({ exclude: { tags: { [key]: `^${value.toLowerCase()}$` } } });

export function cloudNukeConfig(names: JanitorRoleNames): object {
  const keeps = janitorKeeps(names);
  const { key, value } = keeps.protectTag;
  return {
    // aws/resources/ec2_internet_gateway.go: every gateway is listed; its name is its Name tag.
    InternetGateway: tagged(key, value),
    // aws/resources/ec2_vpc.go: the name is the Name tag.
    VPC: tagged(key, value),
    // aws/resources/ec2_subnet.go: the name is the Name tag.
    EC2Subnet: tagged(key, value),
    // aws/resources/ec2_route_table.go: the name is the Name tag.
    RouteTable: tagged(key, value),
    // aws/resources/security_group.go: the name is the group's name.
    SecurityGroup: tagged(key, value),
    // aws/resources/ec2_network_acl.go: the name is the Name tag.
    NetworkACL: tagged(key, value),
    // aws/resources/iam_role.go: the name is the role's name.
    IAMRoles: { exclude: { names_regex: keeps.roles.map((match) => nameRegex(match)) } },
    // aws/resources/cloudformation_stack.go: the name is the stack's name.
    CloudFormationStack: { exclude: { names_regex: keeps.stacks.map((match) => nameRegex(match)) } },
    // aws/resources/eventbridge_rule.go: the name is `<bus name>|<rule name>`; the forwarder's bus is `default`.
    EventBridgeRule: { exclude: { names_regex: keeps.rules.map((match) => nameRegex(match, 'default\\|')) } },
  };
}
