import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AssociateVpcCidrBlockCommand,
  AuthorizeSecurityGroupEgressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteNetworkAclEntryCommand,
  DeleteRouteCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupEgressCommand,
  type NetworkAcl,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
} from '@aws-sdk/client-ec2';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * Builds an AWS Organization in moto as AWS would have it, then breaks it the ways clean-up
 * scripts do. Moto gives a default VPC only its `local` route and no internet gateway, so
 * `provisionDefaultNetwork` adds what AWS creates with every default VPC: an attached internet
 * gateway and the 0.0.0.0/0 route to it in the main route table.
 */

export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const FIXTURE_ROLE = 'OrganizationAccountAccessRole';
const INTERNET = '0.0.0.0/0';

/** Points every AWS SDK client of this process at the emulator, with dummy credentials. */
export function useEmulator(endpointUrl: string, environment: NodeJS.ProcessEnv = process.env): void {
  environment['AWS_ENDPOINT_URL'] = endpointUrl;
  environment['AWS_ACCESS_KEY_ID'] = EMULATOR_CREDENTIALS.accessKeyId;
  environment['AWS_SECRET_ACCESS_KEY'] = EMULATOR_CREDENTIALS.secretAccessKey;
  environment['AWS_REGION'] = 'us-east-1';
  environment['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  delete environment['AWS_PROFILE'];
  delete environment['AWS_SESSION_TOKEN'];
}

export interface DefaultNetwork {
  readonly vpcId: string;
  readonly internetGatewayId: string;
  readonly routeTableId: string;
}

export class OrganizationFixture {
  private readonly organizations: OrganizationsClient;
  private readonly sts: STSClient;
  private readonly ec2Clients = new Map<string, EC2Client>();

  public constructor(private readonly endpoint: string) {
    const common = { endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS };
    this.organizations = new OrganizationsClient(common);
    this.sts = new STSClient(common);
  }

  /** Creates the organization; the caller (moto's default account) becomes its management account. */
  public async createOrganization(): Promise<{ rootId: string; managementAccountId: string }> {
    const { Organization } = await this.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const { Roots } = await this.organizations.send(new ListRootsCommand({}));
    return {
      rootId: required(Roots?.[0]?.Id, 'root id'),
      managementAccountId: required(Organization?.MasterAccountId, 'management account id'),
    };
  }

  public async describeOrganization(): Promise<{ organizationId: string; managementAccountId: string }> {
    const { Organization } = await this.organizations.send(new DescribeOrganizationCommand({}));
    return {
      organizationId: required(Organization?.Id, 'organization id'),
      managementAccountId: required(Organization?.MasterAccountId, 'management account id'),
    };
  }

  public async createOu(parentId: string, name: string): Promise<string> {
    const { OrganizationalUnit } = await this.organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }),
    );
    return required(OrganizationalUnit?.Id, 'OU id');
  }

  /** Creates an account under a parent (root or OU), optionally tagged. */
  public async createAccount(
    name: string,
    parentId: string,
    rootId: string,
    tags: Record<string, string> = {},
  ): Promise<string> {
    const { CreateAccountStatus } = await this.organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    const accountId = required(CreateAccountStatus?.AccountId, 'account id');
    if (parentId !== rootId) {
      await this.organizations.send(
        new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: parentId }),
      );
    }
    const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (tagList.length > 0) {
      await this.organizations.send(new TagResourceCommand({ ResourceId: accountId, Tags: tagList }));
    }
    return accountId;
  }

  /**
   * A new organization with one OU of accounts, each with AWS's default network in these regions:
   * the usual start of a test.
   */
  public async createSandboxOu<Name extends string>(
    names: readonly Name[],
    regions: readonly string[],
    ouName = 'Sandboxes',
  ): Promise<{ rootId: string; ouId: string; accounts: Record<Name, string> }> {
    const { rootId } = await this.createOrganization();
    const ouId = await this.createOu(rootId, ouName);
    const accounts = {} as Record<Name, string>;
    for (const name of names) {
      accounts[name] = await this.createAccount(name, ouId, rootId);
      for (const region of regions) await this.provisionDefaultNetwork(accounts[name], region);
    }
    return { rootId, ouId, accounts };
  }

  /** Closes the account: Organizations then reports it SUSPENDED. */
  public async suspendAccount(accountId: string): Promise<void> {
    await this.organizations.send(new CloseAccountCommand({ AccountId: accountId }));
  }

  /** An EC2 client inside a member account (through AssumeRole, as a person would get one). */
  public async ec2(accountId: string, region: string): Promise<EC2Client> {
    const key = `${accountId}/${region}`;
    const cached = this.ec2Clients.get(key);
    if (cached) return cached;
    const client = new EC2Client({
      endpoint: this.endpoint,
      region,
      credentials: await this.memberCredentials(accountId),
    });
    this.ec2Clients.set(key, client);
    return client;
  }

  /** An IAM client inside a member account (a member admin, say, editing the janitor's roles). */
  public async iam(accountId: string): Promise<IAMClient> {
    return new IAMClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: await this.memberCredentials(accountId),
    });
  }

  /** A member account's own credentials, as its administrator (or a clean-up tool) holds them. */
  public async memberCredentials(accountId: string): Promise<AwsCredentialIdentity> {
    const { Credentials } = await this.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${FIXTURE_ROLE}`, RoleSessionName: 'fixture' }),
    );
    return {
      accessKeyId: required(Credentials?.AccessKeyId, 'access key'),
      secretAccessKey: required(Credentials?.SecretAccessKey, 'secret key'),
      sessionToken: Credentials?.SessionToken,
    };
  }

  /**
   * A multi-region trail of the account, logging, as an organization trail looks from a member
   * account (moto keeps no organization trail): EventBridge gets the account's breaking calls only
   * with one. `stopped` leaves it not logging; `readOnly` logs read management events only.
   */
  public async recordManagementEvents(
    accountId: string,
    region: string,
    options: { stopped?: boolean; readOnly?: boolean } = {},
  ): Promise<string> {
    const credentials = await this.memberCredentials(accountId);
    const common = { endpoint: this.endpoint, region, credentials };
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    const cloudTrail = new CloudTrailClient(common);
    try {
      const bucket = `trail-${accountId}-${region}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const name = 'organization-trail';
      const { TrailARN: arn } = await cloudTrail.send(
        new CreateTrailCommand({ Name: name, S3BucketName: bucket, IsMultiRegionTrail: true }),
      );
      if (!options.stopped) await cloudTrail.send(new StartLoggingCommand({ Name: name }));
      if (options.readOnly) {
        await cloudTrail.send(
          new PutEventSelectorsCommand({
            TrailName: name,
            EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
          }),
        );
      }
      return required(arn, 'trail ARN');
    } finally {
      s3.destroy();
      cloudTrail.destroy();
    }
  }

  /** AWS's real defaults: an internet gateway attached to the default VPC, and 0.0.0.0/0 to it. */
  public async provisionDefaultNetwork(accountId: string, region: string): Promise<DefaultNetwork> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const internetGatewayId = await this.attachNewGateway(ec2, vpcId);
    const routeTableId = await this.mainRouteTableId(accountId, region, vpcId);
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: INTERNET,
        GatewayId: internetGatewayId,
      }),
    );
    return { vpcId, internetGatewayId, routeTableId };
  }

  /** What a "delete everything" script does to the route. */
  public async deleteInternetRoute(accountId: string, region: string): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    const routeTableId = await this.mainRouteTableId(accountId, region);
    await ec2.send(new DeleteRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: INTERNET }));
  }

  /** Someone puts the route back by hand, to the attached gateway. */
  public async restoreInternetRoute(accountId: string, region: string): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const gatewayId = required(await this.attachedGatewayId(accountId, region, vpcId), 'attached internet gateway');
    const routeTableId = await this.mainRouteTableId(accountId, region, vpcId);
    await ec2.send(
      new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: INTERNET, GatewayId: gatewayId }),
    );
  }

  /** The gateway is deleted and a new one attached, so the route names a gateway that is gone. */
  public async replaceInternetGateway(
    accountId: string,
    region: string,
  ): Promise<{ oldGatewayId: string; newGatewayId: string }> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const oldGatewayId = await this.detachAndDeleteGateway(accountId, region);
    const newGatewayId = await this.attachNewGateway(ec2, vpcId);
    return { oldGatewayId, newGatewayId };
  }

  /** The gateway is detached and deleted: the default VPC has none, the route is stale. */
  public async detachAndDeleteGateway(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const gatewayId = required(await this.attachedGatewayId(accountId, region, vpcId), 'attached internet gateway');
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gatewayId }));
    return gatewayId;
  }

  /** Deletes the default VPC with its subnets and gateway, as many organizations do on purpose. */
  public async deleteDefaultVpc(accountId: string, region: string): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const gatewayId = await this.attachedGatewayId(accountId, region, vpcId);
    if (gatewayId) await this.detachAndDeleteGateway(accountId, region);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    for (const subnet of Subnets ?? []) await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  }

  /** The default subnets of the default VPC, in zone order. */
  public async defaultSubnets(accountId: string, region: string): Promise<Subnet[]> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'default-for-az', Values: ['true'] },
        ],
      }),
    );
    return (Subnets ?? []).sort((a, b) => String(a.AvailabilityZone).localeCompare(String(b.AvailabilityZone)));
  }

  /** A clean-up deletes the default subnets of these zones. */
  public async deleteDefaultSubnets(accountId: string, region: string, zones: readonly string[]): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    for (const subnet of await this.defaultSubnets(accountId, region)) {
      if (zones.includes(String(subnet.AvailabilityZone))) {
        await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
      }
    }
  }

  /** Someone turns off public IPs on launch for the zone's default subnet; returns its id. */
  public async turnOffPublicIps(accountId: string, region: string, zone: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const subnetId = await this.defaultSubnetId(accountId, region, zone);
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: false } }));
    return subnetId;
  }

  /**
   * Someone associates the zone's default subnet with a route table of the default VPC that has no
   * 0.0.0.0/0 route; returns the table's id.
   */
  public async associateWithPrivateTable(accountId: string, region: string, zone: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const subnetId = await this.defaultSubnetId(accountId, region, zone);
    const { RouteTable: table } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const routeTableId = required(table?.RouteTableId, 'route table id');
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
    return routeTableId;
  }

  /** A human sends 0.0.0.0/0 through a NAT gateway instead: the janitor must leave it alone. */
  public async pointRouteAtNatGateway(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { NatGateway } = await ec2.send(
      new CreateNatGatewayCommand({ SubnetId: Subnets?.[0]?.SubnetId, AllocationId }),
    );
    const natGatewayId = required(NatGateway?.NatGatewayId, 'NAT gateway id');
    const routeTableId = await this.mainRouteTableId(accountId, region, vpcId);
    await ec2.send(
      new ReplaceRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: INTERNET,
        NatGatewayId: natGatewayId,
      }),
    );
    return natGatewayId;
  }

  /**
   * Someone sends both halves of the IPv4 space, 0.0.0.0/1 and 128.0.0.0/1, to a network interface
   * in a default subnet (an inspection appliance, say), leaving 0.0.0.0/0 to the gateway in place:
   * the more specific routes win, and nothing reaches the gateway. Returns the interface's id.
   */
  public async shadowInternetRoute(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const [subnet] = await this.defaultSubnets(accountId, region);
    const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet?.SubnetId }));
    const networkInterfaceId = required(NetworkInterface?.NetworkInterfaceId, 'network interface id');
    const routeTableId = await this.mainRouteTableId(accountId, region);
    for (const destination of ['0.0.0.0/1', '128.0.0.0/1']) {
      await ec2.send(
        new CreateRouteCommand({
          RouteTableId: routeTableId,
          DestinationCidrBlock: destination,
          NetworkInterfaceId: networkInterfaceId,
        }),
      );
    }
    return networkInterfaceId;
  }

  /** The default VPC's default security group and default network ACL, as EC2 describes them now. */
  public async defaultEgress(accountId: string, region: string): Promise<{ group: SecurityGroup; acl: NetworkAcl }> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const [{ SecurityGroups: groups }, { NetworkAcls: acls }] = await Promise.all([
      ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: ['default'] },
          ],
        }),
      ),
      ec2.send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'default', Values: ['true'] },
          ],
        }),
      ),
    ]);
    const group = groups?.[0];
    const acl = acls?.[0];
    required(group?.GroupId, 'default security group');
    required(acl?.NetworkAclId, 'default network ACL');
    return { group: group as SecurityGroup, acl: acl as NetworkAcl };
  }

  /** What aws-nuke's EC2DefaultSecurityGroupRule leaves: the default security group without any egress rule. */
  public async stripDefaultSecurityGroup(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const { group } = await this.defaultEgress(accountId, region);
    const groupId = required(group.GroupId, 'default security group');
    if ((group.IpPermissionsEgress ?? []).length > 0) {
      await ec2.send(
        new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: group.IpPermissionsEgress }),
      );
    }
    return groupId;
  }

  /** Someone (not the janitor) gives the default security group its all-traffic egress back. */
  public async restoreDefaultSecurityGroupEgress(accountId: string, region: string): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    const { group } = await this.defaultEgress(accountId, region);
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: group.GroupId,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
  }

  /** A person narrowed the default security group: egress to https only. */
  public async narrowDefaultSecurityGroup(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const groupId = await this.stripDefaultSecurityGroup(accountId, region);
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    return groupId;
  }

  /** What an ACL clean-up leaves: the default network ACL's allow entries deleted, its final denies left. */
  public async stripDefaultNetworkAcl(
    accountId: string,
    region: string,
    directions: readonly ('inbound' | 'outbound')[] = ['inbound', 'outbound'],
  ): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const { acl } = await this.defaultEgress(accountId, region);
    const aclId = required(acl.NetworkAclId, 'default network ACL');
    for (const entry of acl.Entries ?? []) {
      const direction = entry.Egress ? 'outbound' : 'inbound';
      if ((entry.RuleNumber ?? 0) >= 32767 || !directions.includes(direction)) continue;
      await ec2.send(
        new DeleteNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: entry.RuleNumber, Egress: entry.Egress }),
      );
    }
    return aclId;
  }

  /** A person narrowed the default network ACL: outbound rule 100 allows https only. */
  public async narrowDefaultNetworkAcl(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const aclId = await this.stripDefaultNetworkAcl(accountId, region, ['outbound']);
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: aclId,
        Egress: true,
        RuleNumber: 100,
        Protocol: '6',
        PortRange: { From: 443, To: 443 },
        RuleAction: 'allow',
        CidrBlock: '0.0.0.0/0',
      }),
    );
    return aclId;
  }

  /** Gives the default VPC an Amazon-provided IPv6 block (AWS's defaults then cover ::/0 too). */
  public async addIpv6(accountId: string, region: string): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, AmazonProvidedIpv6CidrBlock: true }));
  }

  /**
   * Tags the default VPC, its main route table, its default security group or network ACL, or the
   * default subnet of a zone `account-janitor:ignore=true`.
   */
  public async tagIgnored(
    accountId: string,
    region: string,
    what: 'vpc' | 'route-table' | 'security-group' | 'network-acl' | { subnetOf: string },
  ): Promise<void> {
    const ec2 = await this.ec2(accountId, region);
    const vpcId = await this.defaultVpcId(accountId, region);
    const resource =
      what === 'vpc'
        ? vpcId
        : what === 'route-table'
          ? await this.mainRouteTableId(accountId, region, vpcId)
          : what === 'security-group'
            ? required((await this.defaultEgress(accountId, region)).group.GroupId, 'default security group')
            : what === 'network-acl'
              ? required((await this.defaultEgress(accountId, region)).acl.NetworkAclId, 'default network ACL')
              : await this.defaultSubnetId(accountId, region, what.subnetOf);
    await ec2.send(
      new CreateTagsCommand({ Resources: [resource], Tags: [{ Key: 'account-janitor:ignore', Value: 'true' }] }),
    );
  }

  /** A VPC of the account's own, with a gateway but no 0.0.0.0/0 route: not the janitor's business. */
  public async createNonDefaultVpc(
    accountId: string,
    region: string,
  ): Promise<{ vpcId: string; routeTableId: string }> {
    const ec2 = await this.ec2(accountId, region);
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const vpcId = required(Vpc?.VpcId, 'VPC id');
    await this.attachNewGateway(ec2, vpcId);
    return { vpcId, routeTableId: await this.mainRouteTableId(accountId, region, vpcId) };
  }

  /** Every route table of the account-region, routes included, for before/after comparisons. */
  public async routeTables(accountId: string, region: string): Promise<RouteTable[]> {
    const ec2 = await this.ec2(accountId, region);
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({}));
    return (RouteTables ?? []).sort((a, b) => String(a.RouteTableId).localeCompare(String(b.RouteTableId)));
  }

  /** The 0.0.0.0/0 target of the default VPC's main route table (`null`: no such route). */
  public async internetRouteTarget(accountId: string, region: string): Promise<string | null> {
    const ec2 = await this.ec2(accountId, region);
    const routeTableId = await this.mainRouteTableId(accountId, region);
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }));
    const route = RouteTables?.[0]?.Routes?.find((candidate) => candidate.DestinationCidrBlock === INTERNET);
    return route ? (route.GatewayId ?? route.NatGatewayId ?? 'other') : null;
  }

  /** The internet gateway attached to the default VPC, if any. */
  public async defaultVpcGatewayId(accountId: string, region: string): Promise<string | undefined> {
    return this.attachedGatewayId(accountId, region, await this.defaultVpcId(accountId, region));
  }

  public async defaultVpcId(accountId: string, region: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    return required(Vpcs?.[0]?.VpcId, `default VPC of ${accountId} in ${region}`);
  }

  public async mainRouteTableId(accountId: string, region: string, vpcId?: string): Promise<string> {
    const ec2 = await this.ec2(accountId, region);
    const vpc = vpcId ?? (await this.defaultVpcId(accountId, region));
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    return required(RouteTables?.[0]?.RouteTableId, `main route table of ${vpc}`);
  }

  public async defaultSubnetId(accountId: string, region: string, zone: string): Promise<string> {
    const subnets = await this.defaultSubnets(accountId, region);
    return required(subnets.find((subnet) => subnet.AvailabilityZone === zone)?.SubnetId, `default subnet in ${zone}`);
  }

  public destroy(): void {
    this.organizations.destroy();
    this.sts.destroy();
    for (const client of this.ec2Clients.values()) client.destroy();
    this.ec2Clients.clear();
  }

  private async attachedGatewayId(accountId: string, region: string, vpcId: string): Promise<string | undefined> {
    const ec2 = await this.ec2(accountId, region);
    const { InternetGateways } = await ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
    );
    return InternetGateways?.[0]?.InternetGatewayId;
  }

  private async attachNewGateway(ec2: EC2Client, vpcId: string): Promise<string> {
    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
    const gatewayId = required(InternetGateway?.InternetGatewayId, 'internet gateway id');
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    return gatewayId;
  }
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`emulator returned no ${what}`);
  return value;
}
