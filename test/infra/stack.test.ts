import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  HUB_ORGANIZATIONS_ACTIONS,
  MEMBER_CAUSE_ACTIONS,
  MEMBER_DECODE_ACTIONS,
  MEMBER_GATEWAY_ACTIONS,
  MEMBER_REACH_READ_ACTIONS,
  MEMBER_READ_ACTIONS,
  MEMBER_TRAIL_LIST_ACTIONS,
  MEMBER_TRAIL_READ_ACTIONS,
  MEMBER_SUBNET_ACTIONS,
  MEMBER_SUBNET_READ_ACTIONS,
  MEMBER_VPC_ACTIONS,
  MEMBER_WRITE_ACTIONS,
} from '../../lambda/contract/permissions';
import { NOTIFICATION_TOPIC_VARIABLE, sweepConfigToEnvironment } from '../../lambda/config/environment';
import { deploymentConfigFromContext } from '../../lib/config';
import { buildApp } from '../../lib/app';
import { evaluatePolicy, type PolicyDocument, type RequestValue } from '../../lambda/core/iam-policy';
import { synthesizeStack, TEST_CONTEXT, TEST_ENVIRONMENT } from '../support/synth';
import { ResolvedTemplate, type CfnTemplate } from '../support/template-walk';

/** What the member role always reads: the default network, and (with the event path, on by default) the trails for doctor. */
/** The engine's reads: both member roles have them (doctor's trail reads are the read-only role's). */
// The engine's reads, and the path check's (on by default: it only reads).
const MEMBER_BASE_READS = [...MEMBER_READ_ACTIONS, ...MEMBER_REACH_READ_ACTIONS, ...MEMBER_DECODE_ACTIONS];
const TRAIL_READS: readonly string[] = [...MEMBER_TRAIL_LIST_ACTIONS, ...MEMBER_TRAIL_READ_ACTIONS];

/**
 * What the stack deploys, asserted on the synthesized template (bundling skipped; one integration
 * test bundles for real). cdk-nag's AwsSolutions pack runs at every synth of `buildApp`: a finding
 * that is not acknowledged fails the synth, so every test here also proves zero findings.
 */

const OU = 'ou-ab12-cdef3456';
const BASE_CONTEXT = { ...TEST_CONTEXT, notificationEmails: 'platform@example.com,oncall@example.com' };

const synth = (context: Record<string, unknown> = {}) => synthesizeStack({ ...BASE_CONTEXT, ...context });

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Principal?: unknown;
};

/** Every statement of every IAM policy attached to the role with this logical id prefix. */
function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy['Properties'] as { Roles: { Ref: string }[] }).Roles.some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap(
      (policy) => (policy['Properties'] as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );
}

/** The actions the statements allow (Deny statements left out). */
const actionsOf = (statements: Statement[]) =>
  statements
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .sort();

describe('the sweep function', () => {
  const { template } = synth();

  test('nodejs24.x on arm64, 15 minutes, 1,769 MB (one vCPU), never two at once, JSON logs to its own log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 900,
      MemorySize: 1769,
      ReservedConcurrentExecutions: 1,
      Handler: 'index.handler',
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: { Ref: Match.stringLikeRegexp('SweepLogs') },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('its environment is exactly the configuration, under the names the handler reads', () => {
    const config = deploymentConfigFromContext(BASE_CONTEXT);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          ...sweepConfigToEnvironment(config.sweep),
          [NOTIFICATION_TOPIC_VARIABLE]: { Ref: Match.stringLikeRegexp('NotificationsTopic') },
          NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=64',
        },
      },
    });
  });

  test('respectPrincipals (context) reaches the function, which reads it back as configured', () => {
    const patterns = 'arn:aws:iam::123456789012:role/IncidentResponse*,arn:aws:iam::123456789012:role/BreakGlass';
    const [, sweepFunction] = Object.entries(
      synth({ respectPrincipals: patterns }).template.findResources('AWS::Lambda::Function'),
    ).find(([id]) => id.startsWith('AccountJanitorSweepFunction')) ?? ['', {}];
    const variables = (sweepFunction as { Properties: { Environment: { Variables: Record<string, string> } } })
      .Properties.Environment.Variables;
    expect(variables['JANITOR_RESPECT_PRINCIPALS']).toBe(patterns);
    expect(() => synth({ respectPrincipals: patterns, lookUpCauses: 'false' })).toThrow('needs lookUpCauses');
  });

  test('a failed invocation is not retried by Lambda; it goes to the encrypted, TLS-only dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('EventBridge Scheduler runs it nightly at 03:00 UTC by default, with retries and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
        Input: Match.serializedJson({
          source: 'aws.scheduler',
          'detail-type': 'Scheduled Event',
          time: '<aws.scheduler.scheduled-time>',
        }),
      },
    });
  });

  test('the schedule and its time zone come from context', () => {
    const custom = synth({ schedule: 'cron(30 1 ? * MON-FRI *)', timeZone: 'Europe/Berlin' }).template;
    custom.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 1 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });
});

describe('IAM, least privilege', () => {
  const { template } = synth();

  test('the hub role is assumable by Lambda only and carries no managed policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      ManagedPolicyArns: Match.absent(),
      Description: Match.stringLikeRegexp('hub function'),
    });
  });

  test('the hub role may read Organizations, assume the member role in the target OUs, log, publish and count event digests: nothing else', () => {
    const statements = statementsOfRole(template, 'AccountJanitorSweepRole');
    expect(actionsOf(statements)).toEqual(
      [
        ...HUB_ORGANIZATIONS_ACTIONS,
        'sts:AssumeRole',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        // The event path's digest ledger (at most one event digest per account-region an hour).
        'dynamodb:UpdateItem',
        // Lambda's on-failure destination sends through the function's own role.
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ].sort(),
    );
    const assume = statements.find((statement) => statement.Action === 'sts:AssumeRole');
    expect(assume).toEqual({
      Sid: 'AssumeMemberRoleInTargetOus',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/AccountJanitorMemberRole']] },
      Condition: {
        StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' },
        'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': [`o-a1b2c3d4e5/*/${OU}/*`] },
      },
    });
    const publish = statements.find((statement) => statement.Action === 'sns:Publish');
    expect(publish?.Resource).toEqual({ Ref: expect.stringMatching(/NotificationsTopic/) });
    // Without the organization id (possible with eventDrivenRepair=false): any organization's path,
    // held to this one by aws:ResourceOrgID.
    const withoutId = statementsOfRole(
      synth({ organizationId: '', eventDrivenRepair: 'false' }).template,
      'AccountJanitorSweepRole',
    ).find((statement) => statement.Action === 'sts:AssumeRole');
    expect(withoutId?.Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' },
      'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': [`o-*/*/${OU}/*`] },
    });
    const logs = statements.find((statement) => actionsOf([statement]).includes('logs:PutLogEvents'));
    expect(logs?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/SweepLogs/), 'Arn'] });
  });

  test.each([
    [
      'account ids: exactly their member roles',
      { targetOuIds: '', accountIds: '111122223333,444455556666', deployMemberRole: 'false' },
      [
        {
          Sid: 'AssumeMemberRoleInTargetAccounts',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: ['111122223333', '444455556666'].map((account) => ({
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/AccountJanitorMemberRole`]],
          })),
        },
      ],
    ],
    [
      'allAccounts: any account of this organization',
      { targetOuIds: '', allAccounts: 'true', memberRoleTargetOuIds: 'r-ab12' },
      [
        {
          Sid: 'AssumeMemberRoleInOrganization',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/AccountJanitorMemberRole']] },
          Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
        },
      ],
    ],
    [
      'a root and an OU of a known organization, one account excluded: paths through them, the excluded role denied',
      { targetOuIds: `r-ab12,${OU}`, organizationId: 'o-a1b2c3d4e5', excludeAccountIds: '999988887777' },
      [
        {
          Sid: 'AssumeMemberRoleInTargetOus',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/AccountJanitorMemberRole']] },
          Condition: {
            StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' },
            'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': ['o-a1b2c3d4e5/r-ab12/*', `o-a1b2c3d4e5/*/${OU}/*`] },
          },
        },
        {
          Sid: 'NeverAssumeMemberRoleInExcludedAccounts',
          Effect: 'Deny',
          Action: 'sts:AssumeRole',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999988887777:role/AccountJanitorMemberRole']],
          },
        },
      ],
    ],
  ])('the hub may assume the member role only in its targets: %s', (_, context, expected) => {
    const statements = statementsOfRole(synth(context).template, 'AccountJanitorSweepRole').filter(
      (statement) => statement.Action === 'sts:AssumeRole',
    );
    expect(statements).toEqual(expected);
  });

  test('the schedule role may invoke the function only, and only the scheduler service of this account may assume it', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': TEST_ENVIRONMENT.account } },
          },
        ],
      },
    });
    expect(actionsOf(statementsOfRole(template, 'AccountJanitorSweepSchedulerRole'))).toEqual([
      'lambda:InvokeFunction',
      'sqs:SendMessage',
    ]);
  });
});

describe('the member role StackSet', () => {
  function memberTemplate(template: Template) {
    const stackSets = Object.values(template.findResources('AWS::CloudFormation::StackSet')).filter((stackSet) =>
      String((stackSet['Properties'] as { StackSetName: string }).StackSetName).startsWith(
        'account-janitor-member-role-',
      ),
    );
    expect(stackSets).toHaveLength(1);
    type Role = {
      Properties: {
        RoleName: string;
        AssumeRolePolicyDocument: { Statement: Statement[] };
        Policies: { PolicyDocument: { Statement: Statement[] } }[];
      };
    };
    return JSON.parse((stackSets[0]?.['Properties'] as { TemplateBody: string }).TemplateBody) as {
      Resources: { MemberRole: Role; ReadOnlyRole: Role };
    };
  }

  test('service-managed, auto-deployed to the target OUs, one region, with the hub role as parameter', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'SELF',
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: [TEST_ENVIRONMENT.region] }],
      Parameters: [
        { ParameterKey: 'HubRoleArn', ParameterValue: { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepRole'), 'Arn'] } },
        { ParameterKey: 'OperatorPrincipalArns', ParameterValue: '' },
        { ParameterKey: 'OperatorWritePrincipalArns', ParameterValue: '' },
      ],
    });
  });

  test('the write role trusts the hub role as the janitor session, and writing operators as any other; it may do exactly what the engine does', () => {
    const role = memberTemplate(synth().template).Resources.MemberRole.Properties;
    expect(role.RoleName).toBe('AccountJanitorMemberRole');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: 'HubFunction',
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'HubRoleArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:RoleSessionName': 'account-janitor' } },
      },
      // Writing operators only when the parameter names some, and never as the janitor's session.
      {
        'Fn::If': [
          'HasOperatorWritePrincipals',
          {
            Sid: 'OperatorWriters',
            Effect: 'Allow',
            Principal: { AWS: { Ref: 'OperatorWritePrincipalArns' } },
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'sts:RoleSessionName': 'account-janitor' } },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
    ]);
    const statements = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
    expect(actionsOf(statements)).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS, ...MEMBER_WRITE_ACTIONS].sort(),
    );
    expect(statements.find((statement) => actionsOf([statement]).includes('ec2:CreateRoute'))?.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:route-table/*',
    });
  });

  test('with an external id, the trust requires it; in report mode the role cannot write', () => {
    const role = memberTemplate(
      synth({ externalId: 'org-secret-1', mode: 'report', memberRoleName: 'JanitorReader' }).template,
    ).Resources.MemberRole.Properties;
    expect(role.RoleName).toBe('JanitorReader');
    expect(role.AssumeRolePolicyDocument.Statement[0]?.Condition).toEqual({
      StringEquals: { 'sts:RoleSessionName': 'account-janitor', 'sts:ExternalId': 'org-secret-1' },
    });
    expect(actionsOf(role.Policies.flatMap((policy) => policy.PolicyDocument.Statement))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS].sort(),
    );
  });

  test('repairInternetGateway adds exactly the gateway actions, tagging only at creation; never in report mode', () => {
    const statements = (context: Record<string, unknown>) =>
      memberTemplate(synth(context).template).Resources.MemberRole.Properties.Policies.flatMap(
        (policy) => policy.PolicyDocument.Statement,
      );
    const withGateway = statements({ repairInternetGateway: 'true' });
    expect(actionsOf(withGateway)).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS, ...MEMBER_WRITE_ACTIONS, ...MEMBER_GATEWAY_ACTIONS].sort(),
    );
    expect(withGateway.find((statement) => statement.Action === 'ec2:CreateTags')).toEqual({
      Sid: 'TagCreatedInternetGateway',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:internet-gateway/*' },
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateInternetGateway' } },
    });
    expect(actionsOf(statements({ repairInternetGateway: 'true', mode: 'report' }))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS].sort(),
    );
    expect(actionsOf(statements({ recreateDefaultVpc: 'true' }))).toEqual(
      [
        ...MEMBER_BASE_READS,
        ...MEMBER_CAUSE_ACTIONS,
        ...MEMBER_WRITE_ACTIONS,
        ...MEMBER_GATEWAY_ACTIONS,
        ...MEMBER_VPC_ACTIONS,
      ].sort(),
    );
    expect(actionsOf(statements({}))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS, ...MEMBER_WRITE_ACTIONS].sort(),
    );
  });

  test('egress=check and defaultSubnets=repair give the member role what their aliases give', () => {
    const statements = (context: Record<string, unknown>) =>
      actionsOf(
        memberTemplate(synth(context).template).Resources.MemberRole.Properties.Policies.flatMap(
          (policy) => policy.PolicyDocument.Statement,
        ),
      );
    expect(statements({ egress: 'check' })).toEqual(statements({ checkEgress: 'true' }));
    expect(statements({ defaultSubnets: 'repair' })).toEqual(statements({ repairDefaultSubnets: 'true' }));
    expect(statements({ egress: 'repair' })).toContain('ec2:AuthorizeSecurityGroupEgress');
  });

  test('the subnet switches add the subnet reads (any mode) and CreateDefaultSubnet (remediate, repair only)', () => {
    const statements = (context: Record<string, unknown>) =>
      memberTemplate(synth(context).template).Resources.MemberRole.Properties.Policies.flatMap(
        (policy) => policy.PolicyDocument.Statement,
      );
    expect(actionsOf(statements({ checkDefaultSubnets: 'true' }))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS, ...MEMBER_SUBNET_READ_ACTIONS, ...MEMBER_WRITE_ACTIONS].sort(),
    );
    expect(actionsOf(statements({ checkDefaultSubnets: 'true', mode: 'report' }))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS, ...MEMBER_SUBNET_READ_ACTIONS].sort(),
    );
    const repairing = statements({ repairDefaultSubnets: 'true' });
    expect(actionsOf(repairing)).toEqual(
      [
        ...MEMBER_BASE_READS,
        ...MEMBER_CAUSE_ACTIONS,
        ...MEMBER_SUBNET_READ_ACTIONS,
        ...MEMBER_WRITE_ACTIONS,
        ...MEMBER_SUBNET_ACTIONS,
      ].sort(),
    );
    expect(repairing.find((statement) => actionsOf([statement]).includes('ec2:CreateDefaultSubnet'))).toEqual({
      Sid: 'RestoreDefaultSubnets',
      Effect: 'Allow',
      Action: ['ec2:CreateDefaultSubnet'],
      Resource: '*',
    });
    expect(actionsOf(statements({ repairDefaultSubnets: 'true', mode: 'report' }))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_CAUSE_ACTIONS, ...MEMBER_SUBNET_READ_ACTIONS].sort(),
    );
    expect(actionsOf(statements({}))).not.toContain('ec2:DescribeAvailabilityZones');
    expect(actionsOf(statements({ reach: 'off' }))).not.toContain('ec2:DescribeSubnets');
  });

  test('IAM denies every write to a resource tagged account-janitor:ignore=true, whatever the code does', () => {
    const statements = (context: Record<string, unknown>) =>
      memberTemplate(synth(context).template).Resources.MemberRole.Properties.Policies.flatMap(
        (policy) => policy.PolicyDocument.Statement,
      );
    const deny = (context: Record<string, unknown>) =>
      statements(context).find((statement) => statement.Effect === 'Deny');
    const ignoreTag = { StringEqualsIgnoreCase: { 'ec2:ResourceTag/account-janitor:ignore': 'true' } };
    expect(deny({})).toEqual({
      Sid: 'NeverWriteIgnoredResources',
      Effect: 'Deny',
      Action: [...MEMBER_WRITE_ACTIONS],
      Resource: '*',
      Condition: ignoreTag,
    });
    // With every opt-in repair on, the deny covers every write the role is allowed.
    const everything = { repairInternetGateway: 'true', recreateDefaultVpc: 'true', repairDefaultSubnets: 'true' };
    const allowedWrites = actionsOf(statements(everything)).filter(
      (action) => !action.startsWith('ec2:Describe') && !action.startsWith('cloudtrail:') && !action.startsWith('sts:'),
    );
    expect([...((deny(everything)?.Action as string[]) ?? [])].sort()).toEqual(allowedWrites);
    expect(deny(everything)?.Condition).toEqual(ignoreTag);
    // Report mode writes nothing, so there is nothing to deny.
    expect(deny({ mode: 'report' })).toBeUndefined();
  });

  test('lookUpCauses adds only cloudtrail:LookupEvents (read), and lookUpCauses=false takes it away', () => {
    const statements = (context: Record<string, unknown>) =>
      memberTemplate(synth(context).template).Resources.MemberRole.Properties.Policies.flatMap(
        (policy) => policy.PolicyDocument.Statement,
      );
    expect(statements({}).find((statement) => actionsOf([statement]).includes('cloudtrail:LookupEvents'))).toEqual({
      Sid: 'FindWhoBrokeIt',
      Effect: 'Allow',
      Action: ['cloudtrail:LookupEvents'],
      Resource: '*',
    });
    expect(actionsOf(statements({ lookUpCauses: 'false' }))).toEqual(
      [...MEMBER_BASE_READS, ...MEMBER_WRITE_ACTIONS].sort(),
    );
  });

  test('with the event path the read-only role reads the trails (for doctor), by trail ARN in any account; without it, not; the write role never', () => {
    const statements = (context: Record<string, unknown>) =>
      memberTemplate(synth(context).template).Resources.ReadOnlyRole.Properties.Policies.flatMap(
        (policy) => policy.PolicyDocument.Statement,
      );
    expect(
      actionsOf(
        memberTemplate(synth().template).Resources.MemberRole.Properties.Policies.flatMap(
          (policy) => policy.PolicyDocument.Statement,
        ),
      ).filter((action) => TRAIL_READS.includes(action)),
    ).toEqual([]);
    expect(
      statements({}).filter((statement) =>
        actionsOf([statement]).some((a) => a.startsWith('cloudtrail:') && a !== 'cloudtrail:LookupEvents'),
      ),
    ).toEqual([
      { Sid: 'ListTrails', Effect: 'Allow', Action: ['cloudtrail:DescribeTrails'], Resource: '*' },
      {
        Sid: 'ReadTrailCoverage',
        Effect: 'Allow',
        Action: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:*:trail/*' },
      },
    ]);
    expect(actionsOf(statements({ eventDrivenRepair: 'false', mode: 'report', lookUpCauses: 'false' }))).toEqual(
      [...MEMBER_BASE_READS, 'iam:GetRole'].sort(),
    );
  });

  test("the read-only role may read the two member roles (doctor's member role trust), and no other role", () => {
    const statements = memberTemplate(
      synth({ readOnlyRoleName: 'JanitorReads' }).template,
    ).Resources.ReadOnlyRole.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements.filter((statement) => actionsOf([statement]).some((a) => a.startsWith('iam:')))).toEqual([
      {
        Sid: 'ReadMemberRolesTrust',
        Effect: 'Allow',
        Action: ['iam:GetRole'],
        Resource: [
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/AccountJanitorMemberRole' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/JanitorReads' },
        ],
      },
    ]);
  });

  test("eventProbe lets the read-only role make doctor's throwaway breaking call on probe-tagged route tables only; the write role never", () => {
    const member = (context: Record<string, unknown>) =>
      new ResolvedTemplate(
        memberTemplate(synth(context).template) as unknown as CfnTemplate,
        { account: '222222222222', region: 'eu-west-1', partition: 'aws' },
        { HubRoleArn: 'arn:aws:iam::111111111111:role/Hub' },
      );
    const policy = (resolved: ResolvedTemplate, role = 'ReadOnlyRole') =>
      (resolved.property(role, 'Policies') as { PolicyDocument: PolicyDocument }[])[0]?.PolicyDocument;
    const probe = policy(member({ eventProbe: 'true', mode: 'report' }));
    const table = 'arn:aws:ec2:eu-west-1:222222222222:route-table/rtb-1';
    const vpc = 'arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-1';
    const role = { arn: 'arn:aws:sts::222222222222:assumed-role/AccountJanitorReadOnlyRole/account-janitor-probe' };
    const decide = (action: string, resource: string, context: Record<string, RequestValue> = {}) =>
      evaluatePolicy(probe, { principal: role, action, resource, context }, 'identity').decision;
    const tagged = { 'aws:TagKeys': ['account-janitor:probe'], 'aws:RequestTag/account-janitor:probe': 'run' };
    expect(decide('ec2:CreateRouteTable', table, tagged)).toBe('allow');
    expect(decide('ec2:CreateRouteTable', vpc, tagged)).toBe('allow');
    // Untagged, or with another tag beside it: refused.
    expect(decide('ec2:CreateRouteTable', table)).toBe('none');
    expect(decide('ec2:CreateRouteTable', table, { ...tagged, 'aws:TagKeys': ['account-janitor:probe', 'x'] })).toBe(
      'none',
    );
    expect(decide('ec2:CreateTags', table, { 'ec2:CreateAction': 'CreateRouteTable' })).toBe('allow');
    expect(decide('ec2:CreateTags', table)).toBe('none');
    const onProbeTable = { 'ec2:ResourceTag/account-janitor:probe': 'run' };
    for (const action of ['ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:DeleteRouteTable']) {
      expect(decide(action, table, onProbeTable)).toBe('allow');
      // The main route table, or anyone's, carries no probe tag: report mode still may not write there.
      expect(decide(action, table)).toBe('none');
    }
    // The write role has none of it, even in remediate mode.
    const writer = policy(member({ eventProbe: 'true' }), 'MemberRole');
    expect(
      evaluatePolicy(
        writer,
        { principal: role, action: 'ec2:CreateRouteTable', resource: table, context: tagged },
        'identity',
      ).decision,
    ).toBe('none');
    // Without eventProbe, none of it.
    const plain = policy(member({ mode: 'report' }));
    expect(
      evaluatePolicy(
        plain,
        { principal: role, action: 'ec2:CreateRouteTable', resource: table, context: tagged },
        'identity',
      ).decision,
    ).toBe('none');
    expect(() => synth({ eventProbe: 'true', eventDrivenRepair: 'false' })).toThrow(
      'eventProbe: needs eventDrivenRepair: the probe proves the event path, which eventDrivenRepair=false leaves out',
    );
  });

  test("who may assume which role, as IAM evaluates the trust: the janitor session is the hub's alone; operators read; writing operators are listed apart", () => {
    const hub = 'arn:aws:iam::111111111111:role/AccountJanitorSweepRole';
    const reader = 'arn:aws:iam::123456789012:role/PlatformReader';
    const writer = 'arn:aws:iam::123456789012:role/PlatformOperator';
    const stranger = 'arn:aws:iam::123456789012:role/SomeoneElse';
    const trustOf = (parameters: Record<string, string>, context: Record<string, unknown> = {}) => {
      const resolved = new ResolvedTemplate(
        memberTemplate(synth(context).template) as unknown as CfnTemplate,
        { account: '222222222222', region: 'eu-west-1', partition: 'aws' },
        { HubRoleArn: hub, ...parameters },
      );
      return (role: 'MemberRole' | 'ReadOnlyRole', principal: string, session: string, externalId?: string) =>
        evaluatePolicy(
          resolved.property(role, 'AssumeRolePolicyDocument') as PolicyDocument,
          {
            principal: { arn: principal },
            action: 'sts:AssumeRole',
            resource: `arn:aws:iam::222222222222:role/${role}`,
            context: { 'sts:RoleSessionName': session, ...(externalId ? { 'sts:ExternalId': externalId } : {}) },
          },
          'direct',
        ).decision;
    };
    const may = trustOf({ OperatorPrincipalArns: reader, OperatorWritePrincipalArns: writer });
    // The hub's functions write as the janitor, and only as the janitor.
    expect(may('MemberRole', hub, 'account-janitor')).toBe('allow');
    expect(may('MemberRole', hub, 'someone')).toBe('none');
    // A reading operator: the read-only role only.
    expect(may('ReadOnlyRole', reader, 'account-janitor-operator')).toBe('allow');
    expect(may('MemberRole', reader, 'account-janitor-operator')).toBe('none');
    // A writing operator: both, but never under the janitor's session name (the forwarder would not hear it).
    expect(may('MemberRole', writer, 'account-janitor-operator')).toBe('allow');
    expect(may('MemberRole', writer, 'account-janitor')).toBe('none');
    expect(may('ReadOnlyRole', writer, 'alice')).toBe('allow');
    for (const role of ['MemberRole', 'ReadOnlyRole'] as const) expect(may(role, stranger, 'x')).toBe('none');
    // No operators by default: the hub alone.
    const none = trustOf({});
    expect(none('ReadOnlyRole', reader, 'account-janitor-operator')).toBe('none');
    expect(none('MemberRole', writer, 'account-janitor-operator')).toBe('none');
    // With an external id, every door requires it.
    const withId = trustOf(
      { OperatorPrincipalArns: reader, OperatorWritePrincipalArns: writer },
      { externalId: 'org-1' },
    );
    expect(withId('MemberRole', hub, 'account-janitor')).toBe('none');
    expect(withId('MemberRole', hub, 'account-janitor', 'org-1')).toBe('allow');
    expect(withId('MemberRole', writer, 'ops', 'org-1')).toBe('allow');
    expect(withId('ReadOnlyRole', reader, 'ops')).toBe('none');
    expect(withId('ReadOnlyRole', reader, 'ops', 'org-1')).toBe('allow');
  });

  test('the read-only role reads what the engine reads and never writes, in remediate mode too', () => {
    const role = memberTemplate(
      synth({ repairInternetGateway: 'true', repairEgress: 'true', repairDefaultSubnets: 'true' }).template,
    ).Resources.ReadOnlyRole.Properties;
    expect(role.RoleName).toBe('AccountJanitorReadOnlyRole');
    const actions = actionsOf(role.Policies.flatMap((policy) => policy.PolicyDocument.Statement));
    // sts:DecodeAuthorizationMessage is "Write" to IAM; it changes nothing: it explains a refusal.
    expect(
      actions.filter(
        (action) =>
          !/^(ec2:Describe|cloudtrail:(LookupEvents|DescribeTrails|Get)|sts:DecodeAuthorizationMessage$|iam:GetRole$)/.test(
            action,
          ),
      ),
    ).toEqual([]);
    expect(actions).toContain('sts:DecodeAuthorizationMessage');
    expect(
      memberTemplate(synth({ readOnlyRoleName: 'JanitorReads' }).template).Resources.ReadOnlyRole.Properties.RoleName,
    ).toBe('JanitorReads');
  });

  test('protectDefaultPath lets the write role put the protect tag, with the value true, and no other tag, on the default path only', () => {
    const member = new ResolvedTemplate(
      memberTemplate(synth({ protectDefaultPath: 'audit', checkEgress: 'true' }).template) as unknown as CfnTemplate,
      { account: '222222222222', region: 'eu-west-1', partition: 'aws' },
      { HubRoleArn: 'arn:aws:iam::111111111111:role/Hub' },
    );
    const policy = (member.property('MemberRole', 'Policies') as { PolicyDocument: PolicyDocument }[])[0]
      ?.PolicyDocument;
    const role = { arn: 'arn:aws:sts::222222222222:assumed-role/AccountJanitorMemberRole/account-janitor' };
    const tag = (resource: string, context: Record<string, RequestValue>) =>
      evaluatePolicy(
        policy,
        {
          principal: role,
          action: 'ec2:CreateTags',
          resource: `arn:aws:ec2:eu-west-1:222222222222:${resource}`,
          context,
        },
        'identity',
      ).decision;
    const protect = {
      'aws:TagKeys': ['account-janitor:protected'],
      'aws:RequestTag/account-janitor:protected': 'true',
    };
    for (const resource of [
      'vpc/vpc-1',
      'route-table/rtb-1',
      'internet-gateway/igw-1',
      'subnet/subnet-1',
      'security-group/sg-1',
      'network-acl/acl-1',
    ]) {
      expect([resource, tag(resource, protect)]).toEqual([resource, 'allow']);
    }
    expect(tag('instance/i-1', protect)).toBe('none');
    expect(tag('route-table/rtb-1', { ...protect, 'aws:RequestTag/account-janitor:protected': 'false' })).toBe('none');
    expect(
      tag('route-table/rtb-1', { ...protect, 'aws:TagKeys': ['account-janitor:protected', 'account-janitor:ignore'] }),
    ).toBe('none');
    expect(
      tag('route-table/rtb-1', {
        'aws:TagKeys': ['account-janitor:ignore'],
        'aws:RequestTag/account-janitor:ignore': 'true',
      }),
    ).toBe('none');
    // Never on a resource tagged to be ignored.
    expect(tag('route-table/rtb-1', { ...protect, 'ec2:ResourceTag/account-janitor:ignore': 'true' })).toBe('deny');
    // Off: no CreateTags of the protect tag at all; the read-only role never.
    const off = memberTemplate(synth().template).Resources;
    expect(JSON.stringify(off.MemberRole)).not.toContain('account-janitor:protected');
    expect(
      JSON.stringify(memberTemplate(synth({ protectDefaultPath: 'enforce' }).template).Resources.ReadOnlyRole),
    ).not.toContain('ec2:CreateTags');
  });

  test('operatorPrincipalArns and operatorWritePrincipalArns: passed to the StackSet, checked as role ARNs', () => {
    const writer = 'arn:aws:iam::123456789012:role/PlatformWriter';
    synth({ operatorWritePrincipalArns: writer }).template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      Parameters: Match.arrayWith([{ ParameterKey: 'OperatorWritePrincipalArns', ParameterValue: writer }]),
    });
    expect(() => synth({ operatorWritePrincipalArns: 'PlatformWriter' })).toThrow(
      'operatorWritePrincipalArns "PlatformWriter": must be an IAM role ARN',
    );
    const operator = 'arn:aws:iam::123456789012:role/PlatformOperator';
    synth({ operatorPrincipalArns: operator }).template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      Parameters: Match.arrayWith([{ ParameterKey: 'OperatorPrincipalArns', ParameterValue: operator }]),
    });
    expect(() => synth({ operatorPrincipalArns: 'PlatformOperator' })).toThrow(
      'operatorPrincipalArns "PlatformOperator": must be an IAM role ARN',
    );
  });

  test('memberRoleTargetOuIds overrides the OUs (beyond the targets only when said); deployMemberRole=false deploys no StackSet', () => {
    synth({ memberRoleTargetOuIds: 'r-ab12', memberRoleBeyondTargets: 'true' }).template.hasResourceProperties(
      'AWS::CloudFormation::StackSet',
      { StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] } }] },
    );
    expect(() => synth({ memberRoleTargetOuIds: 'r-ab12' })).toThrow(
      'memberRoleTargetOuIds "r-ab12": not among the targets (targetOuIds: ou-ab12-cdef3456)',
    );
    // A role that cannot write may go anywhere (two StackSets: the member role and the event forwarder).
    synth({ memberRoleTargetOuIds: 'r-ab12', mode: 'report' }).template.resourceCountIs(
      'AWS::CloudFormation::StackSet',
      2,
    );
    // A subset of the target OUs is not beyond them.
    synth({ targetOuIds: `${OU},ou-ab12-99990000`, memberRoleTargetOuIds: OU }).template.resourceCountIs(
      'AWS::CloudFormation::StackSet',
      2,
    );
    // Targets named by account id alone: the role goes to exactly those accounts of the OUs.
    synth({
      targetOuIds: '',
      accountIds: '111122223333',
      memberRoleTargetOuIds: 'r-ab12',
    }).template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ['r-ab12'],
            Accounts: ['111122223333'],
            AccountFilterType: 'INTERSECTION',
          },
        },
      ],
    });
    synth({ deployMemberRole: 'false' }).template.resourceCountIs('AWS::CloudFormation::StackSet', 0);
    synth({ stackSetCallAs: 'DELEGATED_ADMIN' }).template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
    });
  });
});

describe('notifications, alarms, dashboard', () => {
  const { template } = synth();

  test('an SNS topic under its own rotating KMS key, TLS only, with the configured e-mail subscriptions', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotificationsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const email of ['platform@example.com', 'oncall@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    }
  });

  const sweepDimensions = [
    { Name: 'Mode', Value: 'remediate' },
    { Name: 'service', Value: 'account-janitor' },
  ];
  test.each([
    ['DriftDetected', 'Sum'],
    ['RepairsFailed', 'Sum'],
    ['AccountErrors', 'Sum'],
    ['SweepIncomplete', 'Maximum'],
    ['RepairCapReached', 'Maximum'],
  ])('%s >= 1 in a run alarms, to the topic, saying what to do', (metricName, statistic) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AccountJanitor',
      MetricName: metricName,
      Dimensions: sweepDimensions,
      Statistic: statistic,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationsTopic') }],
      AlarmDescription: Match.stringLikeRegexp('.{80,}'),
    });
  });

  test('function errors, duration over 80 % of the timeout, and dead letters alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Statistic: 'Maximum',
      Threshold: 720_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  test('the heartbeat alarms when no run reported TargetsChecked for 26 hours (missing data breaches)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetsChecked',
      Dimensions: sweepDimensions,
      Statistic: 'SampleCount',
      Period: 7200,
      EvaluationPeriods: 13,
      DatapointsToAlarm: 13,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationsTopic') }],
    });
  });

  test('every alarm notifies the topic and has a description', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    // Nine of the sweep, and the event intake's errors.
    expect(alarms).toHaveLength(10);
    for (const alarm of alarms) {
      expect(alarm['Properties']).toMatchObject({
        AlarmActions: [{ Ref: expect.stringMatching(/NotificationsTopic/) }],
      });
      expect(String((alarm['Properties'] as { AlarmDescription: string }).AlarmDescription).length).toBeGreaterThan(60);
    }
  });

  test('with the default subnets checked, their findings alarm too', () => {
    const checked = synth({ checkDefaultSubnets: 'true' }).template;
    expect(Object.values(checked.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(11);
    checked.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SubnetsMisconfigured',
      Namespace: 'AccountJanitor',
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('MapPublicIpOnLaunch off'),
    });
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('SubnetsMisconfigured');
  });

  test("with respectPrincipals, a responder's change left past respectFor alarms, saying what to decide", () => {
    const respecting = synth({ respectPrincipals: 'arn:aws:iam::123456789012:role/IncidentResponse*' }).template;
    expect(Object.values(respecting.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(11);
    respecting.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('_LeftByResponderOverdue$'),
      Namespace: 'AccountJanitor',
      MetricName: 'LeftByResponderOverdue',
      Dimensions: sweepDimensions,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationsTopic') }],
      AlarmDescription: Match.stringLikeRegexp('longer than respectFor.*--repair-anyway.*account-janitor:ignore=true'),
    });
    // Without responders, or in report mode (nothing is repaired, nothing is left), no such alarm.
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('LeftByResponderOverdue');
    const reportMode = synth({ mode: 'report', respectPrincipals: 'arn:aws:iam::123456789012:role/IncidentResponse*' });
    expect(JSON.stringify(reportMode.template.findResources('AWS::CloudWatch::Alarm'))).not.toContain(
      'LeftByResponderOverdue',
    );
  });

  test('report mode: the alarms watch the report-mode metrics and say nothing was written', () => {
    synth({ mode: 'report' }).template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DriftDetected',
      Dimensions: [
        { Name: 'Mode', Value: 'report' },
        { Name: 'service', Value: 'account-janitor' },
      ],
      AlarmDescription: Match.stringLikeRegexp('wrote nothing'),
    });
  });

  test('a dashboard of runs, checks, drift, repairs, failures and duration', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.['Properties']);
    for (const metric of [
      'Invocations',
      'TargetsChecked',
      'DriftDetected',
      'RoutesRepaired',
      'RepairsFailed',
      'AccountErrors',
      'Duration',
      'Errors',
      'TimeToRepair',
    ]) {
      expect(body).toContain(metric);
    }
    // Time to repair as its median, its 90th percentile and its worst.
    expect(body).toMatch(/TimeToRepair.*p50/);
    expect(body).toMatch(/TimeToRepair.*p90/);
    expect(body).toMatch(/TimeToRepair.*Maximum/);
  });

  test('the dashboard tells the story over time: drift found and repaired per night, event-driven against nightly repairs, what was not checked', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    // The body is a Fn::Join of strings and tokens: its literal parts are the widgets' JSON.
    const join = (dashboard?.['Properties'] as { DashboardBody: { 'Fn::Join': [string, unknown[]] } }).DashboardBody;
    const body = join['Fn::Join'][1].filter((part): part is string => typeof part === 'string').join('');
    const widget = (title: string) => {
      const start = body.indexOf(`"title":"${title}"`);
      expect([title, start >= 0]).toEqual([title, true]);
      return body.slice(
        start,
        body.indexOf('"title"', start + 10) === -1 ? undefined : body.indexOf('"title"', start + 10),
      );
    };
    const perNight = widget('Drift found and repaired, per night');
    for (const metric of ['DriftDetected', 'RoutesRepaired', 'SubnetsRepaired', 'EgressRepaired']) {
      expect(perNight).toContain(`"${metric}"`);
    }
    expect(perNight).toContain('"period":86400');
    const byTrigger = widget('Repairs: within minutes (event path) or at night');
    expect(byTrigger).toContain('"EventRepairs"');
    expect(byTrigger).toContain('"NightlyRepairs"');
    const notChecked = widget('Not checked: regions disabled or denied, runs cut by the deadline');
    expect(notChecked).toContain('"RegionsDisabled"');
    expect(notChecked).toContain('"SweepIncomplete"');
  });
});

describe('cdk-nag', () => {
  test('an unacknowledged AwsSolutions finding fails the synth (the checks do run)', () => {
    const app = new App({ context: BASE_CONTEXT });
    const { stack } = buildApp(app);
    new s3.Bucket(Stack.of(stack), 'UnencryptedLoggingLessBucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
