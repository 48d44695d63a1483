import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NOTIFICATION_TOPIC_VARIABLE } from '../../lambda/config/environment';
import { buildApp } from '../../lib/app';
import {
  alarmDeliveryProblems,
  digestDeliveryProblems,
  ResolvedTemplate,
  type CfnResource,
  type CfnTemplate,
} from '../support/template-walk';

/**
 * Alarms must reach a person. Moto enforces no topic or key policy, so this walks the synthesized
 * template as AWS would evaluate it: every alarm action → topic → topic policy → key policy, and
 * the function role → its policies → the same topic and key (the run digest). Each mutation below
 * is a way the path has been broken in real deployments; the walk must catch every one.
 */

function synthesize(context: Record<string, unknown> = {}): CfnTemplate {
  const app = new App({
    context: {
      targetOuIds: 'ou-ab12-cdef3456',
      organizationId: 'o-a1b2c3d4e5',
      notificationEmails: 'platform@example.com',
      repairDefaultSubnets: 'true',
      'aws:cdk:bundling-stacks': [],
      ...context,
    },
  });
  const { stack } = buildApp(app);
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

const template = synthesize();
const copy = (): CfnTemplate => structuredClone(template);

function resourcesOfType(source: CfnTemplate, type: string): CfnResource[] {
  return Object.values(source.Resources).filter((resource) => resource.Type === type);
}

type Statement = { Sid?: string; Condition?: Record<string, Record<string, unknown>> };
function statementsOf(resource: CfnResource, property: 'PolicyDocument' | 'KeyPolicy'): Statement[] {
  return (resource.Properties?.[property] as { Statement: Statement[] }).Statement;
}

describe('as synthesized', () => {
  test('every alarm (eleven, with the subnet switch and the event intake) can publish to the topic, through its policy and its key', () => {
    const resolved = new ResolvedTemplate(template);
    expect(resolved.ofType('AWS::CloudWatch::Alarm')).toHaveLength(11);
    expect(alarmDeliveryProblems(resolved)).toEqual([]);
  });

  test('the function role can publish the digest to the topic and use its key', () => {
    expect(digestDeliveryProblems(new ResolvedTemplate(template), NOTIFICATION_TOPIC_VARIABLE)).toEqual([]);
  });

  test.each([
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
  ])('the same holds in the %s partition (%s): no ARN is written for aws only', (partition, region) => {
    const resolved = new ResolvedTemplate(template, { account: '222222222222', region, partition });
    expect(alarmDeliveryProblems(resolved)).toEqual([]);
    expect(digestDeliveryProblems(resolved, NOTIFICATION_TOPIC_VARIABLE)).toEqual([]);
    expect(JSON.stringify(template)).not.toMatch(/arn:aws:/);
  });
});

describe('broken paths are caught', () => {
  test('a topic policy with no statement for CloudWatch (only the TLS deny): every alarm fails', () => {
    const broken = copy();
    for (const policy of resourcesOfType(broken, 'AWS::SNS::TopicPolicy')) {
      const document = policy.Properties?.['PolicyDocument'] as { Statement: Statement[] };
      document.Statement = document.Statement.filter((statement) => statement.Sid !== 'CloudWatchAlarmsPublish');
    }
    const problems = alarmDeliveryProblems(new ResolvedTemplate(broken));
    expect(problems).toHaveLength(11);
    expect(problems[0]).toMatch(/the topic policy of .* allows cloudwatch.amazonaws.com no sns:Publish/);
  });

  test('a guard Deny for principals outside the organization (aws:PrincipalOrgID) also stops CloudWatch', () => {
    // A service principal has no aws:PrincipalOrgID: StringNotEquals on a missing key holds, so AWS denies.
    const broken = copy();
    for (const policy of resourcesOfType(broken, 'AWS::SNS::TopicPolicy')) {
      const document = policy.Properties?.['PolicyDocument'] as { Statement: unknown[] };
      document.Statement.push({
        Sid: 'OnlyOurOrganization',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      });
    }
    const problems = alarmDeliveryProblems(new ResolvedTemplate(broken));
    expect(problems).toHaveLength(11);
    expect(problems[0]).toMatch(/sns:Publish on .* is denied explicitly$/);
  });

  test('a key policy without the CloudWatch grant: every alarm fails on the key, twice', () => {
    const broken = copy();
    const [key] = resourcesOfType(broken, 'AWS::KMS::Key');
    const policy = key?.Properties?.['KeyPolicy'] as { Statement: Statement[] };
    policy.Statement = policy.Statement.filter((statement) => statement.Sid !== 'CloudWatchAlarmsPublish');
    const problems = alarmDeliveryProblems(new ResolvedTemplate(broken));
    expect(problems).toHaveLength(22);
    expect(problems).toContainEqual(expect.stringMatching(/key policy .* no kms:GenerateDataKey/));
    expect(problems).toContainEqual(expect.stringMatching(/key policy .* no kms:Decrypt/));
  });

  test('an alarm named outside the prefix the policies allow (aws:SourceArn) cannot publish', () => {
    const broken = copy();
    const [alarm] = resourcesOfType(broken, 'AWS::CloudWatch::Alarm');
    if (alarm?.Properties) alarm.Properties['AlarmName'] = 'someone-elses-alarm';
    expect(alarmDeliveryProblems(new ResolvedTemplate(broken))).toEqual([
      expect.stringMatching(/^alarm someone-elses-alarm: the topic policy/),
      expect.stringMatching(/^alarm someone-elses-alarm: the key policy .* kms:GenerateDataKey/),
      expect.stringMatching(/^alarm someone-elses-alarm: the key policy .* kms:Decrypt/),
    ]);
  });

  test('the conditions bind this account: a policy for another account (aws:SourceAccount) fails', () => {
    const broken = copy();
    for (const policy of resourcesOfType(broken, 'AWS::SNS::TopicPolicy')) {
      for (const statement of statementsOf(policy, 'PolicyDocument')) {
        if (statement.Condition?.['StringEquals'])
          statement.Condition['StringEquals']['aws:SourceAccount'] = '999999999999';
      }
    }
    expect(alarmDeliveryProblems(new ResolvedTemplate(broken))).toHaveLength(11);
  });

  test('an alarm without an action, or pointing elsewhere, is reported', () => {
    const broken = copy();
    const [first, second] = resourcesOfType(broken, 'AWS::CloudWatch::Alarm');
    if (first?.Properties) first.Properties['AlarmActions'] = [];
    if (second?.Properties) second.Properties['AlarmActions'] = ['arn:aws:sns:eu-west-1:111111111111:elsewhere'];
    const problems = alarmDeliveryProblems(new ResolvedTemplate(broken));
    expect(problems).toContainEqual(expect.stringMatching(/has no alarm action$/));
    expect(problems).toContainEqual(expect.stringMatching(/no topic arn:aws:sns:eu-west-1:111111111111:elsewhere/));
  });

  test('the AWS managed SNS key: no alarm could publish', () => {
    const broken = copy();
    for (const topic of resourcesOfType(broken, 'AWS::SNS::Topic')) {
      if (topic.Properties) topic.Properties['KmsMasterKeyId'] = 'alias/aws/sns';
    }
    expect(alarmDeliveryProblems(new ResolvedTemplate(broken))).toContainEqual(
      expect.stringMatching(/AWS managed key alias\/aws\/sns/),
    );
  });

  test('a function role without sns:Publish or the key grant cannot send the digest', () => {
    const withoutPublish = copy();
    for (const policy of resourcesOfType(withoutPublish, 'AWS::IAM::Policy')) {
      const document = policy.Properties?.['PolicyDocument'] as { Statement: { Action: unknown }[] };
      document.Statement = document.Statement.filter((statement) => statement.Action !== 'sns:Publish');
    }
    expect(digestDeliveryProblems(new ResolvedTemplate(withoutPublish), NOTIFICATION_TOPIC_VARIABLE)).toEqual([
      expect.stringMatching(/^the role of AccountJanitorSweepFunction\w+: (neither|the topic policy)/),
    ]);

    const withoutKey = copy();
    for (const policy of resourcesOfType(withoutKey, 'AWS::IAM::Policy')) {
      const document = policy.Properties?.['PolicyDocument'] as { Statement: { Action: unknown }[] };
      document.Statement = document.Statement.filter((statement) => !JSON.stringify(statement.Action).includes('kms:'));
    }
    expect(digestDeliveryProblems(new ResolvedTemplate(withoutKey), NOTIFICATION_TOPIC_VARIABLE)).toHaveLength(2);
  });
});
