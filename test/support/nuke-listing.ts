import {
  DescribeDhcpOptionsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { AwsNukeItem, CloudNukeValue } from './nuke-filters';
import type { OrganizationFixture } from './organization-fixture';

/**
 * What each clean-up tool lists in one member account-region, read from moto with the calls its
 * listers make, and what it makes of each resource: aws-nuke's properties (ekristen/aws-nuke
 * fd1d702d1f21252efe724393a7946d85d5298e9f, resources/<type>.go: each lister and `Properties()`;
 * `Filter()`, the tool's own refusals, as `skippedByTool`) and cloud-nuke's `ResourceValue`
 * (gruntwork-io/cloud-nuke 8f6f88cb05ae3bad859ddeaf9a2f5008903ef7eb, aws/resources/<file>.go: the
 * resources a lister never lists, the default VPC's, are left out). Each entry names the resource it
 * is about (`id`), so a test can ask about the default path by its ids.
 */

export interface AwsNukeListed extends AwsNukeItem {
  readonly id: string;
  readonly skippedByTool?: string;
}

export interface CloudNukeListed {
  readonly type: string;
  readonly id: string;
  readonly value: CloudNukeValue;
}

export const tagMap = (tags: readonly Tag[] | undefined, prefix = 'tag:') =>
  Object.fromEntries((tags ?? []).map((tag) => [`${prefix}${tag.Key}`, String(tag.Value ?? '')]));
export const plainTags = (tags: readonly { Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((tags ?? []).map((tag) => [String(tag.Key), String(tag.Value ?? '')]));
const nameTag = (tags: readonly Tag[] | undefined) => tags?.find((tag) => tag.Key === 'Name')?.Value ?? '';
const isMain = (table: { Associations?: { Main?: boolean }[] }) => (table.Associations ?? []).some((a) => a.Main);

/** The EC2 resources of an account-region, as both tools see them. */
export async function listNetwork(
  fixture: OrganizationFixture,
  accountId: string,
  region: string,
): Promise<{ awsNuke: AwsNukeListed[]; cloudNuke: CloudNukeListed[] }> {
  const ec2 = await fixture.ec2(accountId, region);
  const [{ Vpcs: vpcs = [] }, { InternetGateways: gateways = [] }, { Subnets: subnets = [] }] = await Promise.all([
    ec2.send(new DescribeVpcsCommand({})),
    ec2.send(new DescribeInternetGatewaysCommand({})),
    ec2.send(new DescribeSubnetsCommand({})),
  ]);
  const [{ RouteTables: tables = [] }, { SecurityGroups: groups = [] }, { NetworkAcls: acls = [] }] = await Promise.all(
    [
      ec2.send(new DescribeRouteTablesCommand({})),
      ec2.send(new DescribeSecurityGroupsCommand({})),
      ec2.send(new DescribeNetworkAclsCommand({})),
    ],
  );
  const { DhcpOptions: dhcpOptions = [] } = await ec2.send(new DescribeDhcpOptionsCommand({}));
  const defaultVpc = vpcs.find((vpc) => vpc.IsDefault);
  const defaultGroups = groups.filter((group) => group.GroupName === 'default');
  const { SecurityGroupRules: rules = [] } = defaultGroups.length
    ? await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: defaultGroups.map((group) => String(group.GroupId)) }],
        }),
      )
    : {};
  const inDefaultVpc = (vpcId: string | undefined) => defaultVpc !== undefined && vpcId === defaultVpc.VpcId;
  const vpcOf = (vpcId: string | undefined) => vpcs.find((vpc) => vpc.VpcId === vpcId);
  const item = (type: string, id: string, properties: Record<string, string>, skippedByTool?: string) => ({
    type,
    id,
    properties,
    legacy: id,
    ...(skippedByTool ? { skippedByTool } : {}),
  });
  const awsNuke: AwsNukeListed[] = [
    ...vpcs.map((vpc) =>
      item('EC2VPC', String(vpc.VpcId), {
        ...tagMap(vpc.Tags),
        ID: String(vpc.VpcId),
        IsDefault: String(vpc.IsDefault ?? false),
        OwnerID: String(vpc.OwnerId),
      }),
    ),
    ...gateways.map((gateway) =>
      item('EC2InternetGateway', String(gateway.InternetGatewayId), {
        ...tagMap(gateway.Tags),
        DefaultVPC: String((gateway.Attachments ?? []).some((attachment) => inDefaultVpc(attachment.VpcId))),
        OwnerID: String(gateway.OwnerId),
      }),
    ),
    // One per VPC and gateway attached to it (the lister asks DescribeInternetGateways by attachment.vpc-id).
    ...gateways.flatMap((gateway) =>
      (gateway.Attachments ?? []).map((attachment) => {
        const vpc = vpcOf(attachment.VpcId);
        return item('EC2InternetGatewayAttachment', String(gateway.InternetGatewayId), {
          DefaultVPC: String(vpc?.IsDefault ?? false),
          'vpc:OwnerID': String(vpc?.OwnerId),
          'igw:OwnerID': String(gateway.OwnerId),
          ...tagMap(gateway.Tags, 'tag:igw:'),
          ...tagMap(vpc?.Tags, 'tag:vpc:'),
        });
      }),
    ),
    ...subnets.map((subnet) =>
      item('EC2Subnet', String(subnet.SubnetId), {
        DefaultForAz: String(subnet.DefaultForAz ?? false),
        DefaultVPC: String(inDefaultVpc(subnet.VpcId)),
        OwnerID: String(subnet.OwnerId),
        VpcID: String(subnet.VpcId),
        ...tagMap(subnet.Tags),
      }),
    ),
    ...tables.map((table) =>
      item(
        'EC2RouteTable',
        String(table.RouteTableId),
        {
          DefaultVPC: String(inDefaultVpc(table.VpcId)),
          OwnerID: String(table.OwnerId),
          vpcID: String(table.VpcId),
          'vpc:ID': String(table.VpcId),
          ...tagMap(table.Tags),
          ...tagMap(vpcOf(table.VpcId)?.Tags, 'tag:vpc:'),
        },
        isMain(table) ? 'main route tables cannot be deleted' : undefined,
      ),
    ),
    // Named by the group, so a test asks about the default group's rules by the group's id.
    ...rules.map((rule) =>
      item('EC2DefaultSecurityGroupRule', String(rule.GroupId), {
        SecurityGroupId: String(rule.GroupId),
        DefaultVPC: 'true',
      }),
    ),
    ...dhcpOptions.map((options) =>
      item('EC2DHCPOption', String(options.DhcpOptionsId), {
        DefaultVPC: String(defaultVpc !== undefined && defaultVpc.DhcpOptionsId === options.DhcpOptionsId),
        OwnerID: String(options.OwnerId),
        ...tagMap(options.Tags),
      }),
    ),
    ...groups.map((group) =>
      item(
        'EC2SecurityGroup',
        String(group.GroupId),
        {
          ID: String(group.GroupId),
          Name: String(group.GroupName),
          OwnerID: String(group.OwnerId),
          ...tagMap(group.Tags),
        },
        group.GroupName === 'default' ? "cannot delete group 'default'" : undefined,
      ),
    ),
    ...acls.map((acl) =>
      item(
        'EC2NetworkACL',
        String(acl.NetworkAclId),
        { ID: String(acl.NetworkAclId), OwnerID: String(acl.OwnerId), ...tagMap(acl.Tags) },
        acl.IsDefault ? 'cannot delete default VPC' : undefined,
      ),
    ),
  ];
  const cloud = (type: string, id: string | undefined, name: string, tags: readonly Tag[] | undefined) => ({
    type,
    id: String(id),
    value: { name, tags: plainTags(tags) },
  });
  const defaultDhcp = new Set(vpcs.filter((vpc) => vpc.IsDefault).map((vpc) => vpc.DhcpOptionsId));
  const cloudNuke: CloudNukeListed[] = [
    ...gateways.map((gateway) =>
      cloud('InternetGateway', gateway.InternetGatewayId, nameTag(gateway.Tags), gateway.Tags),
    ),
    // Listed with the filter is-default=false.
    ...vpcs.filter((vpc) => !vpc.IsDefault).map((vpc) => cloud('VPC', vpc.VpcId, nameTag(vpc.Tags), vpc.Tags)),
    ...subnets.filter((s) => !s.DefaultForAz).map((s) => cloud('EC2Subnet', s.SubnetId, nameTag(s.Tags), s.Tags)),
    ...tables.filter((t) => !isMain(t)).map((t) => cloud('RouteTable', t.RouteTableId, nameTag(t.Tags), t.Tags)),
    ...groups
      .filter((group) => group.GroupName !== 'default')
      .map((group) => cloud('SecurityGroup', group.GroupId, String(group.GroupName), group.Tags)),
    ...acls
      .filter((acl) => !acl.IsDefault)
      .map((acl) => cloud('NetworkACL', acl.NetworkAclId, nameTag(acl.Tags), acl.Tags)),
    ...dhcpOptions
      .filter((options) => !defaultDhcp.has(options.DhcpOptionsId))
      .map((options) => cloud('EC2DHCPOption', options.DhcpOptionsId, String(options.DhcpOptionsId), options.Tags)),
  ];
  return { awsNuke, cloudNuke };
}
