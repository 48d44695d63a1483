import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { plainTags, tagMap, type AwsNukeListed, type CloudNukeListed } from './nuke-listing';
import type { OrganizationFixture } from './organization-fixture';

/**
 * The janitor's kinds of resource in a member account (IAM roles and their policies, CloudFormation
 * stacks, EventBridge rules and targets), as each clean-up tool lists them: aws-nuke
 * fd1d702d1f21252efe724393a7946d85d5298e9f resources/iam-role.go, iam-role-policy.go,
 * iam-role-policy-attachments.go, cloudformation-stack.go, cloudwatchevents-rule.go,
 * cloudwatchevents-target.go; cloud-nuke 8f6f88cb05ae3bad859ddeaf9a2f5008903ef7eb
 * aws/resources/iam_role.go, cloudformation_stack.go, eventbridge_rule.go.
 */

/** The account's IAM roles (global), its stacks and its default bus's rules in a region, as both tools see them. */
export async function listJanitorKinds(
  fixture: OrganizationFixture,
  endpoint: string,
  accountId: string,
  region: string,
): Promise<{ awsNuke: AwsNukeListed[]; cloudNuke: CloudNukeListed[] }> {
  const iam = await fixture.iam(accountId);
  const credentials = await iam.config.credentials();
  const cloudFormation = new CloudFormationClient({ endpoint, region, credentials });
  const events = new EventBridgeClient({ endpoint, region, credentials });
  const awsNuke: AwsNukeListed[] = [];
  const cloudNuke: CloudNukeListed[] = [];
  try {
    for (const role of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
      const name = String(role.RoleName);
      const path = String(role.Path);
      const { Tags: tags } = await iam.send(new ListRoleTagsCommand({ RoleName: name }));
      const skippedByTool = path.startsWith('/aws-service-role/')
        ? 'cannot delete service roles'
        : path.startsWith('/aws-reserved/sso.amazonaws.com/')
          ? 'cannot delete SSO roles'
          : undefined;
      awsNuke.push({
        type: 'IAMRole',
        id: name,
        legacy: name,
        properties: { Name: name, Path: path, ...tagMap(tags) },
        ...(skippedByTool ? { skippedByTool } : {}),
      });
      for (const policy of (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? []) {
        const properties = {
          PolicyName: policy,
          'role:RoleName': name,
          'role:Path': path,
          ...tagMap(tags, 'tag:role:'),
        };
        awsNuke.push({ type: 'IAMRolePolicy', id: name, legacy: `${name} -> ${policy}`, properties });
      }
      const { AttachedPolicies: attached = [] } = await iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: name }),
      );
      for (const policy of attached) {
        const properties = {
          RoleName: name,
          RolePath: path,
          PolicyName: String(policy.PolicyName),
          PolicyArn: String(policy.PolicyArn),
          ...tagMap(tags, 'tag:role:'),
        };
        awsNuke.push({
          type: 'IAMRolePolicyAttachment',
          id: name,
          legacy: `${name} -> ${policy.PolicyName}`,
          properties,
        });
      }
      // aws/resources/iam_role.go: the organization's access role, AWS-reserved and service-linked roles are never listed.
      const neverListed =
        name.includes('OrganizationAccountAccessRole') ||
        String(role.Arn).includes('aws-reserved') ||
        name.startsWith('AWSServiceRoleFor');
      if (!neverListed) cloudNuke.push({ type: 'IAMRoles', id: name, value: { name, tags: plainTags(tags) } });
    }
    for (const stack of (await cloudFormation.send(new DescribeStacksCommand({}))).Stacks ?? []) {
      const name = String(stack.StackName);
      awsNuke.push({
        type: 'CloudFormationStack',
        id: name,
        legacy: name,
        properties: { Name: name, Status: String(stack.StackStatus), ...tagMap(stack.Tags) },
      });
      cloudNuke.push({ type: 'CloudFormationStack', id: name, value: { name, tags: plainTags(stack.Tags) } });
    }
    for (const bus of (await events.send(new ListEventBusesCommand({}))).EventBuses ?? []) {
      for (const rule of (await events.send(new ListRulesCommand({ EventBusName: bus.Name }))).Rules ?? []) {
        const name = String(rule.Name);
        const properties = {
          Name: name,
          ARN: String(rule.Arn),
          State: String(rule.State),
          EventBusName: String(bus.Name),
        };
        awsNuke.push({ type: 'CloudWatchEventsRule', id: name, legacy: `Rule: ${name}`, properties });
        const { Targets: targets = [] } = await events.send(
          new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus.Name }),
        );
        for (const target of targets) {
          const targetProperties = { TargetID: String(target.Id), Name: name, BusName: String(bus.Name) };
          awsNuke.push({
            type: 'CloudWatchEventsTarget',
            id: name,
            legacy: `Rule: ${name} Target ID: ${target.Id}`,
            properties: targetProperties,
          });
        }
        const { Tags: tags } = await events.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn }));
        cloudNuke.push({
          type: 'EventBridgeRule',
          id: name,
          value: { name: `${bus.Name}|${name}`, tags: plainTags(tags) },
        });
      }
    }
  } finally {
    cloudFormation.destroy();
    events.destroy();
  }
  return { awsNuke, cloudNuke };
}
