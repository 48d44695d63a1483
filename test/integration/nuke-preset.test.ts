import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  AssociateDhcpOptionsCommand,
  CreateDhcpOptionsCommand,
  CreateSubnetCommand,
  DescribeInternetGatewaysCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { parse } from 'yaml';
import { renderNukePreset, type NukeTool } from '../../cli/nuke-preset/cli';
import { motoUrl } from '../support/emulator';
import { awsNukeAccountFilters, awsNukeFilters, cloudNukeIncludes } from '../support/nuke-filters';
import { listNetwork, type AwsNukeListed, type CloudNukeListed } from '../support/nuke-listing';
import { listJanitorKinds } from '../support/nuke-listing-janitor';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The presets against what the tools would list in the organization fixture's accounts (AWS's real
 * default network, the janitor's member roles, StackSet instances and forwarder rule, beside a
 * team's own VPC, role, stack and rule): with the preset merged, each tool keeps the whole default
 * path and the janitor's resources, and still deletes the team's.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness({ per: 'file' });
const ROLES = [
  'AccountJanitorMemberRole',
  'AccountJanitorReadOnlyRole',
  `account-janitor-forwarder-${REGION}`,
  'stacksets-exec-0a1b2c3d',
];
const STACK = 'StackSet-account-janitor-member-role-AccountJanitor-7d3c5d6e-0b7c-4c1e-9d0a-2f3e4d5c6b7a';
const RULE = 'account-janitor-breaking-calls';
const READS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
});
let accounts: Record<'swept' | 'unswept', string>;
/** The team's own resources, which the presets must leave to the tools. */
let theirs: { vpcId: string; subnetId: string; gatewayId: string };

/** A member account's janitor resources (as the StackSets leave them) and a team's, of each kind. */
async function deployJanitorAndTeam(accountId: string): Promise<void> {
  const { fixture } = harness.emulator;
  const iam = await fixture.iam(accountId);
  const { Policy: policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'reads', PolicyDocument: READS }));
  for (const role of [...ROLES, 'ci-temp-role']) {
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }],
    };
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'inline', PolicyDocument: READS }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: policy?.Arn }));
  }
  const credentials = await iam.config.credentials();
  const cloudFormation = new CloudFormationClient({ endpoint: motoUrl(), region: REGION, credentials });
  const events = new EventBridgeClient({ endpoint: motoUrl(), region: REGION, credentials });
  const template = JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });
  for (const name of [STACK, 'app-stack'])
    await cloudFormation.send(new CreateStackCommand({ StackName: name, TemplateBody: template }));
  for (const name of [RULE, 'app-rule']) {
    await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['aws.ec2'] }) }));
    await events.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [{ Id: 'hub', Arn: `arn:aws:events:${REGION}:111122223333:event-bus/default` }],
      }),
    );
  }
  cloudFormation.destroy();
  events.destroy();
}

/**
 * AWS creates a DHCP option set with each default VPC (domain name `<region>.compute.internal`, the
 * Amazon-provided DNS); moto leaves the VPC on `default` (none), so it is made here.
 */
async function giveDefaultDhcpOptions(accountId: string): Promise<void> {
  const { fixture } = harness.emulator;
  const ec2 = await fixture.ec2(accountId, REGION);
  const { DhcpOptions: options } = await ec2.send(
    new CreateDhcpOptionsCommand({
      DhcpConfigurations: [
        { Key: 'domain-name', Values: [`${REGION}.compute.internal`] },
        { Key: 'domain-name-servers', Values: ['AmazonProvidedDNS'] },
      ],
    }),
  );
  const vpcId = await fixture.defaultVpcId(accountId, REGION);
  await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: options?.DhcpOptionsId, VpcId: vpcId }));
}

beforeAll(async () => {
  const { fixture } = harness.emulator;
  ({ accounts } = await fixture.createSandboxOu(['swept', 'unswept'], [REGION]));
  for (const account of Object.values(accounts)) await giveDefaultDhcpOptions(account);
  // The rollout's first step: a sweep with the guard rail on audit tags the swept account's default path.
  await harness.sweep({ accountIds: accounts.swept, regions: REGION, protectDefaultPath: 'audit', checkEgress: true });
  const { vpcId } = await fixture.createNonDefaultVpc(accounts.swept, REGION);
  const ec2 = await fixture.ec2(accounts.swept, REGION);
  const { Subnet: subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }));
  const { InternetGateways: gateways } = await ec2.send(
    new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
  );
  theirs = {
    vpcId,
    subnetId: String(subnet?.SubnetId),
    gatewayId: String(gateways?.[0]?.InternetGatewayId),
  };
  for (const account of Object.values(accounts)) await deployJanitorAndTeam(account);
}, 120_000);

/** The default path's ids in an account-region: the VPC, its gateway, main route table, default subnets, default group and ACL, DHCP options. */
async function defaultPathIds(accountId: string): Promise<string[]> {
  const { fixture } = harness.emulator;
  const { group, acl } = await fixture.defaultEgress(accountId, REGION);
  const ec2 = await fixture.ec2(accountId, REGION);
  const { Vpcs: vpcs } = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  const dhcpOptionsId = vpcs?.[0]?.DhcpOptionsId;
  expect(dhcpOptionsId).toMatch(/^dopt-/);
  return [
    String(dhcpOptionsId),
    await fixture.defaultVpcId(accountId, REGION),
    String(await fixture.defaultVpcGatewayId(accountId, REGION)),
    await fixture.mainRouteTableId(accountId, REGION),
    ...(await fixture.defaultSubnets(accountId, REGION)).map((subnet) => String(subnet.SubnetId)),
    String(group.GroupId),
    String(acl.NetworkAclId),
  ];
}

const presetOf = (tool: NukeTool) =>
  parse(
    renderNukePreset({
      tool,
      memberRoleName: ROLES[0] ?? '',
      readOnlyRoleName: ROLES[1] ?? '',
      presetName: 'account-janitor',
    }),
  ) as Record<string, unknown>;

/** What aws-nuke keeps of what it listed in the account, with the preset named in the account's config. */
function awsNukeKept(accountId: string, items: readonly AwsNukeListed[]): (item: AwsNukeListed) => boolean {
  const config = { ...presetOf('aws-nuke'), accounts: { [accountId]: { presets: ['account-janitor'] } } };
  const filters = awsNukeAccountFilters(config, accountId);
  expect(items.length).toBeGreaterThan(0);
  return (item) => item.skippedByTool !== undefined || awsNukeFilters(filters, item);
}

const cloudNukeKept = (item: CloudNukeListed) => !cloudNukeIncludes(presetOf('cloud-nuke'), item.type, item.value);

async function listed(accountId: string) {
  const { fixture } = harness.emulator;
  const network = await listNetwork(fixture, accountId, REGION);
  const janitor = await listJanitorKinds(fixture, motoUrl(), accountId, REGION);
  return { awsNuke: [...network.awsNuke, ...janitor.awsNuke], cloudNuke: [...network.cloudNuke, ...janitor.cloudNuke] };
}

test.each(['aws-nuke', 'cloud-nuke'] as const)(
  '%s keeps every resource of the default path and the janitor’s own, and deletes the team’s',
  async (tool) => {
    const ours = [...(await defaultPathIds(accounts.swept)), ...ROLES, STACK, RULE];
    const team = [theirs.vpcId, theirs.subnetId, theirs.gatewayId, 'ci-temp-role', 'app-stack', 'app-rule'];
    const { awsNuke, cloudNuke } = await listed(accounts.swept);
    const items: readonly (AwsNukeListed | CloudNukeListed)[] = tool === 'aws-nuke' ? awsNuke : cloudNuke;
    const kept = tool === 'aws-nuke' ? awsNukeKept(accounts.swept, awsNuke) : cloudNukeKept;
    const verdicts = (ids: readonly string[]) =>
      items
        .filter((item) => ids.includes(item.id))
        .map((item) => `${item.type} ${item.id}: ${kept(item as never) ? 'kept' : 'deleted'}`);

    expect(verdicts(ours).filter((line) => line.endsWith('deleted'))).toEqual([]);
    expect(verdicts(team).filter((line) => line.endsWith('kept'))).toEqual([]);
    // The team's resources are listed (the filters are not keep-everything); each role with its policies.
    expect(verdicts(team).length).toBeGreaterThanOrEqual(tool === 'aws-nuke' ? 9 : 4);
    if (tool === 'aws-nuke') expect(verdicts(ours).length).toBeGreaterThan(ours.length);
  },
);

test('before its first sweep tags an account, aws-nuke still keeps the default path by its DefaultVPC and IsDefault properties; cloud-nuke, which has none for a gateway, would delete the default gateway', async () => {
  const ids = await defaultPathIds(accounts.unswept);
  const gateway = String(await harness.emulator.fixture.defaultVpcGatewayId(accounts.unswept, REGION));
  const { awsNuke, cloudNuke } = await listed(accounts.unswept);
  const kept = awsNukeKept(accounts.unswept, awsNuke);
  expect(awsNuke.filter((item) => ids.includes(item.id) && !kept(item))).toEqual([]);
  expect(
    cloudNuke.filter((item) => ids.includes(item.id) && !cloudNukeKept(item)).map((item) => [item.type, item.id]),
  ).toEqual([['InternetGateway', gateway]]);
});
