import type { PolicyDocument, PolicyStatement } from '../../lambda/core/iam-policy';
import { memberRoleTemplate } from '../../lib/member-role-template';
import { authorizationFindings, policiesOf, type FoundPolicy } from '../support/authorization-data';
import { ResolvedTemplate, type CfnTemplate } from '../support/template-walk';

/**
 * The checker behind the deployment matrix (test/infra/deploy-matrix.test.ts): each mutation a
 * policy could suffer, judged against AWS's Service Authorization Reference, is caught; the
 * policies as written pass.
 */

const ACCOUNT = '222222222222';
const BUS = `arn:aws:events:us-east-1:111111111111:event-bus/AccountJanitor-breaking-calls`;
const DETAIL_TYPE = 'AWS API Call via CloudTrail';

const identity = (statement: PolicyStatement): FoundPolicy => ({
  where: 'MemberRole',
  kind: 'identity',
  document: { Statement: [statement] },
});
const findings = (policy: FoundPolicy) => authorizationFindings([policy], 'aws');

const routeWrites: PolicyStatement = {
  Sid: 'RestoreDefaultRoute',
  Effect: 'Allow',
  Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
  Resource: `arn:aws:ec2:*:${ACCOUNT}:route-table/*`,
};

const busStatement = (condition: PolicyStatement['Condition']): FoundPolicy => ({
  where: 'Bus Policy',
  kind: 'resource',
  document: {
    Statement: [
      { Sid: 'Org', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: BUS, Condition: condition },
    ],
  },
});

test('the route writes as written pass', async () => {
  expect(await findings(identity(routeWrites))).toEqual([]);
});

test('a misspelt action is caught', async () => {
  expect(await findings(identity({ ...routeWrites, Action: ['ec2:CreateRoutes'] }))).toEqual([
    'MemberRole RestoreDefaultRoute: action ec2:CreateRoutes does not exist',
  ]);
  expect(await findings(identity({ ...routeWrites, Action: ['ec3:CreateRoute'] }))).toEqual([
    'MemberRole RestoreDefaultRoute: action ec3:CreateRoute does not exist',
  ]);
  // A wildcard must name at least one action.
  expect(await findings(identity({ ...routeWrites, Action: ['ec2:CreateRouteTabel*'] }))).toHaveLength(1);
});

test('a route-table action given a VPC ARN is caught', async () => {
  expect(await findings(identity({ ...routeWrites, Resource: `arn:aws:ec2:*:${ACCOUNT}:vpc/*` }))).toEqual([
    `MemberRole RestoreDefaultRoute: arn:aws:ec2:*:${ACCOUNT}:vpc/* is no resource type of ec2:CreateRoute (it takes route-table)`,
    `MemberRole RestoreDefaultRoute: arn:aws:ec2:*:${ACCOUNT}:vpc/* is no resource type of ec2:ReplaceRoute (it takes route-table)`,
  ]);
});

test('* on an action that supports a resource type needs a reason; an ARN on one that supports none never matches', async () => {
  expect(await findings(identity({ ...routeWrites, Resource: '*' }))).toEqual([
    'MemberRole RestoreDefaultRoute: ec2:CreateRoute on * although it supports route-table (narrow it, or give the reason in WILDCARD_REASONS)',
    'MemberRole RestoreDefaultRoute: ec2:ReplaceRoute on * although it supports route-table (narrow it, or give the reason in WILDCARD_REASONS)',
  ]);
  expect(
    await findings(
      identity({
        Sid: 'Read',
        Effect: 'Allow',
        Action: 'ec2:DescribeRouteTables',
        Resource: `arn:aws:ec2:*:${ACCOUNT}:route-table/*`,
      }),
    ),
  ).toEqual([
    `MemberRole Read: ec2:DescribeRouteTables takes no resource type, so arn:aws:ec2:*:${ACCOUNT}:route-table/* never matches: use *`,
  ]);
  // A Deny over * needs no resource type: it covers everything.
  expect(await findings(identity({ ...routeWrites, Effect: 'Deny', Resource: '*' }))).toEqual([]);
});

test('a condition key of another service is caught; a service key of the action and a global key pass', async () => {
  expect(await findings(identity({ ...routeWrites, Condition: { StringLike: { 's3:prefix': 'runs/*' } } }))).toEqual([
    'MemberRole RestoreDefaultRoute: condition key s3:prefix is supported by none of ec2:CreateRoute, ec2:ReplaceRoute',
  ]);
  expect(
    await findings(
      identity({
        ...routeWrites,
        Condition: {
          StringEqualsIgnoreCase: { 'ec2:ResourceTag/account-janitor:ignore': 'true' },
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
        },
      }),
    ),
  ).toEqual([]);
  expect(await findings(identity({ ...routeWrites, Condition: { StringEquals: { 'ec2:NoSuchKey': 'x' } } }))).toEqual([
    'MemberRole RestoreDefaultRoute: condition key ec2:NoSuchKey does not exist',
  ]);
});

test('StringEquals on the multivalued events:source is caught, as is ForAllValues without its Null guard', async () => {
  expect(
    await findings(
      busStatement({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'events:source': 'aws.ec2' } }),
    ),
  ).toEqual([
    'Bus Policy Org: events:source is multivalued (ArrayOfString): StringEquals never matches it, use a set operator',
  ]);
  expect(await findings(busStatement({ 'ForAllValues:StringEquals': { 'events:source': ['aws.ec2'] } }))).toEqual([
    'Bus Policy Org: ForAllValues on events:source in an Allow takes the empty set: add Null { events:source: false }',
  ]);
  expect(
    await findings(
      busStatement({
        StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
        'ForAllValues:StringEquals': { 'events:source': ['aws.ec2'], 'events:detail-type': [DETAIL_TYPE] },
        Null: { 'events:source': 'false', 'events:detail-type': 'false' },
      }),
    ),
  ).toEqual([]);
  // A single-valued key never under a set operator.
  expect(
    await findings(busStatement({ 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })),
  ).toEqual(['Bus Policy Org: aws:PrincipalOrgID is single-valued: no ForAnyValue: on it']);
});

test('an ARN of another partition is caught', async () => {
  expect(
    await authorizationFindings(
      [identity({ ...routeWrites, Resource: `arn:aws:ec2:*:${ACCOUNT}:route-table/*` })],
      'aws-cn',
    ),
  ).toEqual([
    `MemberRole RestoreDefaultRoute: resource arn:aws:ec2:*:${ACCOUNT}:route-table/* is in partition aws, the stack in aws-cn`,
  ]);
});

test('the member role of every opt-in, as the template writes it, passes; its old gateway statement did not', async () => {
  const config = {
    memberRoleName: 'AccountJanitorMemberRole',
    readOnlyRoleName: 'AccountJanitorReadOnlyRole',
    externalId: '',
    mode: 'remediate',
    repairInternetGateway: true,
    recreateDefaultVpc: true,
    defaultSubnets: 'repair',
    egress: 'repair',
    protectDefaultPath: 'off',
    reach: 'check',
    lookUpCauses: true,
  } as const;
  const template = memberRoleTemplate(config) as unknown as CfnTemplate;
  const resolved = new ResolvedTemplate(
    template,
    { account: ACCOUNT, region: 'us-east-1', partition: 'aws' },
    {
      HubRoleArn: 'arn:aws:iam::111111111111:role/Hub',
    },
  );
  expect(await authorizationFindings(policiesOf(resolved), 'aws')).toEqual([]);

  // Before: CreateInternetGateway and AttachInternetGateway shared the gateway and VPC ARNs.
  const gatewayBefore: PolicyStatement = {
    Sid: 'RestoreInternetGateway',
    Effect: 'Allow',
    Action: ['ec2:CreateInternetGateway', 'ec2:AttachInternetGateway'],
    Resource: [`arn:aws:ec2:*:${ACCOUNT}:internet-gateway/*`, `arn:aws:ec2:*:${ACCOUNT}:vpc/*`],
  };
  expect(await findings(identity(gatewayBefore))).toEqual([
    `MemberRole RestoreInternetGateway: arn:aws:ec2:*:${ACCOUNT}:vpc/* is no resource type of ec2:CreateInternetGateway (it takes internet-gateway)`,
  ]);
});

test('policiesOf finds every kind of document a template writes', () => {
  const document: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }] };
  const template: CfnTemplate = {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: document, Policies: [{ PolicyName: 'P', PolicyDocument: document }] },
      },
      Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: document } },
      TopicPolicy: { Type: 'AWS::SNS::TopicPolicy', Properties: { PolicyDocument: document } },
      BucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: document } },
      QueuePolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { PolicyDocument: document } },
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: document } },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'b', Policy: document } },
      Function: { Type: 'AWS::Lambda::Function', Properties: {} },
      Permission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['Function', 'Arn'] },
          Principal: 'events.amazonaws.com',
        },
      },
    },
  };
  const found = policiesOf(new ResolvedTemplate(template));
  expect(found.map((policy) => `${policy.where}:${policy.kind}`)).toEqual([
    'Role AssumeRolePolicyDocument:trust',
    'Role P:identity',
    'Policy:identity',
    'TopicPolicy:resource',
    'BucketPolicy:resource',
    'QueuePolicy:resource',
    'Key:key',
    'Bus Policy:resource',
    'Permission:resource',
  ]);
});
