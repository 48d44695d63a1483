import {
  evaluatePolicy,
  type AccessRequest,
  type PolicyDocument,
  type PolicyStatement,
} from '../../lambda/core/iam-policy';
import { deliveryProblems } from '../../lambda/core/notification-delivery';

/**
 * The pure evaluator behind the alarm-to-key walk (template tests) and `doctor` (live resources).
 * Its readings follow AWS's: an explicit Deny wins, conditions must all hold, a missing key fails a
 * condition unless …IfExists, and what it cannot read it reads pessimistically.
 */

const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:alerts';
const ALARM = 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:AccountJanitor_DriftDetected';
const cloudWatch = { service: 'cloudwatch.amazonaws.com' };

const publish = (context: Record<string, string> = {}): AccessRequest => ({
  principal: cloudWatch,
  action: 'sns:Publish',
  resource: TOPIC,
  context: { 'aws:SourceArn': ALARM, 'aws:SourceAccount': '111111111111', 'aws:SecureTransport': 'true', ...context },
});

const allowCloudWatch = (condition?: PolicyDocument['Statement']) =>
  ({
    Statement: [
      {
        Sid: 'Alarms',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'SNS:Publish',
        Resource: TOPIC,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  }) as PolicyDocument;

test.each([
  ['no condition', undefined, 'allow'],
  [
    'ArnLike on the alarm prefix',
    { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:111111111111:alarm:AccountJanitor_*' } },
    'allow',
  ],
  [
    'ArnLike on another prefix',
    { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:111111111111:alarm:Other-*' } },
    'none',
  ],
  ['StringEquals on another account', { StringEquals: { 'aws:SourceAccount': '222222222222' } }, 'none'],
  ['a key the request lacks', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, 'none'],
  ['…IfExists on a key the request lacks', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, 'allow'],
  [
    'an operator it cannot read (pessimistic)',
    { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    'none',
  ],
])('an Allow for CloudWatch with %s: %s', (_, condition, decision) => {
  expect(evaluatePolicy(allowCloudWatch(condition as never), publish(), 'direct').decision).toBe(decision);
});

test('an explicit Deny wins over an Allow; the TLS deny applies only without TLS', () => {
  const policy: PolicyDocument = {
    Statement: [
      ...(allowCloudWatch().Statement as never[]),
      {
        Sid: 'TLS',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:*',
        Resource: TOPIC,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
  expect(evaluatePolicy(policy, publish(), 'direct')).toEqual({ decision: 'allow', statement: 'Alarms' });
  expect(evaluatePolicy(policy, publish({ 'aws:SecureTransport': 'false' }), 'direct')).toEqual({
    decision: 'deny',
    statement: 'TLS',
  });
});

test('an account principal hands the decision to that account: only the account reading counts it', () => {
  const role = { arn: 'arn:aws:iam::111111111111:role/janitor' };
  const policy: PolicyDocument = {
    Statement: {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  };
  const request = {
    principal: role,
    action: 'kms:Decrypt',
    resource: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    context: {},
  };
  expect(evaluatePolicy(policy, request, 'direct').decision).toBe('none');
  expect(evaluatePolicy(policy, request, 'account').decision).toBe('allow');
  expect(
    evaluatePolicy(policy, { ...request, principal: { arn: 'arn:aws:iam::222222222222:role/x' } }, 'account').decision,
  ).toBe('none');
});

test('wildcard actions compare without case; resources with wildcards', () => {
  const policy: PolicyDocument = {
    Statement: { Effect: 'Allow', Action: 'KMS:GenerateDataKey*', Resource: 'arn:aws:kms:*:111111111111:key/*' },
  };
  const request = {
    principal: cloudWatch,
    action: 'kms:GenerateDataKey',
    resource: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    context: {},
  };
  expect(evaluatePolicy(policy, request, 'identity').decision).toBe('allow');
  expect(
    evaluatePolicy(policy, { ...request, resource: 'arn:aws:kms:eu-west-1:222222222222:key/k' }, 'identity').decision,
  ).toBe('none');
});

test('a function role of the same account publishes with its own policy alone; the key needs the key policy to defer', () => {
  const role = { arn: 'arn:aws:iam::111111111111:role/janitor' };
  const keyArn = 'arn:aws:kms:eu-west-1:111111111111:key/k';
  const identity: PolicyDocument = {
    Statement: [
      { Effect: 'Allow', Action: 'sns:Publish', Resource: TOPIC },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: keyArn },
    ],
  };
  const path = { topicArn: TOPIC, topicPolicy: undefined, keyArn, keyPolicy: { Statement: [] } };
  expect(deliveryProblems({ name: 'role', principal: role, identityPolicies: [identity] }, path)).toEqual([
    expect.stringMatching(/no kms:GenerateDataKey/),
    expect.stringMatching(/no kms:Decrypt/),
  ]);
  const deferring = {
    Statement: {
      Effect: 'Allow' as const,
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  };
  expect(
    deliveryProblems(
      { name: 'role', principal: role, identityPolicies: [identity] },
      { ...path, keyPolicy: deferring },
    ),
  ).toEqual([]);
});

test("SNS's default policy (no topic policy) lets the owner account's alarms publish to an unencrypted topic, not another account's", () => {
  const path = { topicArn: TOPIC, topicPolicy: undefined };
  const alarm = (sourceArn: string) => ({ name: 'alarm', principal: cloudWatch, sourceArn });
  expect(deliveryProblems(alarm(ALARM), path)).toEqual([]);
  expect(deliveryProblems(alarm('arn:aws:cloudwatch:eu-west-1:222222222222:alarm:theirs'), path)).toHaveLength(1);
});

test('the readings AWS gives: ArnEquals takes wildcards, key names ignore case, ForAnyValue over no value fails', () => {
  const allow = (condition: Record<string, Record<string, string>>) =>
    ({
      Statement: { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC, Condition: condition },
    }) as PolicyDocument;
  expect(
    evaluatePolicy(
      allow({ ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:111111111111:alarm:*' } }),
      publish(),
      'direct',
    ).decision,
  ).toBe('allow');
  expect(
    evaluatePolicy(allow({ StringEquals: { 'AWS:SOURCEACCOUNT': '111111111111' } }), publish(), 'direct').decision,
  ).toBe('allow');
  expect(
    evaluatePolicy(allow({ 'ForAnyValue:StringNotEquals': { 'aws:PrincipalOrgPaths': 'o-x/*' } }), publish(), 'direct')
      .decision,
  ).toBe('none');
  expect(
    evaluatePolicy(allow({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'env' } }), publish(), 'direct').decision,
  ).toBe('allow');
});

test('an IAM principal sends no aws:SourceAccount: a Deny keyed on it does not spare the function role', () => {
  const role = { arn: 'arn:aws:iam::111111111111:role/janitor' };
  const identity: PolicyDocument = { Statement: { Effect: 'Allow', Action: 'sns:Publish', Resource: TOPIC } };
  const topicPolicy: PolicyDocument = {
    Statement: {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { StringNotEquals: { 'aws:SourceAccount': '111111111111' } },
    },
  };
  expect(
    deliveryProblems({ name: 'role', principal: role, identityPolicies: [identity] }, { topicArn: TOPIC, topicPolicy }),
  ).toEqual([expect.stringMatching(/denied explicitly/)]);
});

describe('multivalued keys, read as IAM reads them', () => {
  const BUS = 'arn:aws:events:eu-west-1:111111111111:event-bus/AccountJanitor-breaking-calls';
  const DETAIL_TYPE = 'AWS API Call via CloudTrail';
  const putEvents = (context: AccessRequest['context']): AccessRequest => ({
    principal: { arn: 'arn:aws:iam::222222222222:role/forwarder' },
    action: 'events:PutEvents',
    resource: BUS,
    context: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', ...context },
  });
  const busPolicy = (condition: Record<string, Record<string, unknown>>): PolicyDocument => ({
    Statement: { Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: BUS, Condition: condition },
  });
  const decide = (condition: Record<string, Record<string, unknown>>, context: AccessRequest['context']) =>
    evaluatePolicy(busPolicy(condition), putEvents(context), 'direct').decision;
  const oneEntry = { 'events:source': ['aws.ec2'], 'events:detail-type': [DETAIL_TYPE] };

  test("the bus policy as it was (StringEquals beside ForAllValues on events:source) admits no one's forwarder", () => {
    const asItWas = {
      StringEquals: {
        'aws:PrincipalOrgID': 'o-a1b2c3d4e5',
        'events:source': 'aws.ec2',
        'events:detail-type': DETAIL_TYPE,
      },
      'ForAllValues:StringEquals': { 'events:source': ['aws.ec2'], 'events:detail-type': [DETAIL_TYPE] },
    };
    expect(decide(asItWas, oneEntry)).toBe('none');
  });

  test('a single-valued operator never matches a multivalued key, negated or not', () => {
    expect(decide({ StringEquals: { 'events:source': 'aws.ec2' } }, oneEntry)).toBe('none');
    expect(decide({ StringNotEquals: { 'events:source': 'custom' } }, oneEntry)).toBe('none');
    expect(decide({ StringLikeIfExists: { 'events:source': 'aws.*' } }, oneEntry)).toBe('none');
  });

  test('ForAllValues: every value must match; the empty set matches, so a Null guard is needed', () => {
    const forAll = { 'ForAllValues:StringEquals': { 'events:source': ['aws.ec2', 'aws.s3'] } };
    expect(decide(forAll, { 'events:source': ['aws.ec2', 'aws.s3'] })).toBe('allow');
    expect(decide(forAll, { 'events:source': ['aws.ec2', 'custom'] })).toBe('none');
    expect(decide(forAll, { 'events:source': [] })).toBe('allow');
    expect(decide(forAll, {})).toBe('allow');
    const guarded = { ...forAll, Null: { 'events:source': 'false' } };
    expect(decide(guarded, { 'events:source': ['aws.ec2'] })).toBe('allow');
    expect(decide(guarded, { 'events:source': [] })).toBe('none');
    expect(decide(guarded, {})).toBe('none');
  });

  test('ForAnyValue: one value suffices; none fails; negated operators per value', () => {
    expect(decide({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['team', 'env'] })).toBe(
      'allow',
    );
    expect(decide({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': [] })).toBe('none');
    expect(
      decide({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] }),
    ).toBe('allow');
    expect(decide({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env'] })).toBe(
      'none',
    );
  });

  test('Null: true when the key is absent (or has no value), false when present', () => {
    expect(decide({ Null: { 'aws:PrincipalOrgID': 'false' } }, {})).toBe('allow');
    expect(decide({ Null: { 'aws:SourceVpce': 'true' } }, {})).toBe('allow');
    expect(decide({ Null: { 'aws:SourceVpce': 'false' } }, {})).toBe('none');
    expect(decide({ Null: { 'aws:TagKeys': 'true' } }, { 'aws:TagKeys': [] })).toBe('allow');
  });

  test('a multivalued key is no policy variable: the block cannot be read, an Allow fails', () => {
    expect(decide({ StringEquals: { 'aws:PrincipalOrgID': '${aws:TagKeys}' } }, { 'aws:TagKeys': ['x'] })).toBe('none');
  });
});

describe('service control policies: what the request may carry but doctor cannot know', () => {
  const ROLE = 'arn:aws:iam::222222222222:role/AccountJanitorMemberRole';
  const createRoute: AccessRequest = {
    principal: { arn: ROLE },
    action: 'ec2:CreateRoute',
    resource: 'arn:aws:ec2:eu-west-1:222222222222:route-table/*',
    context: { 'aws:PrincipalArn': ROLE, 'aws:RequestedRegion': 'eu-west-1' },
    unknownKeys: ['*'],
  };
  const deny = (condition: Record<string, Record<string, unknown>>, sid = 'Refuse'): PolicyDocument => ({
    Statement: { Sid: sid, Effect: 'Deny', Action: 'ec2:*', Resource: '*', Condition: condition },
  });

  test('a Deny on a key doctor cannot know denies, and says what it could not read', () => {
    expect(
      evaluatePolicy(deny({ StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } }), createRoute, 'identity'),
    ).toEqual({
      decision: 'deny',
      statement: 'Refuse',
      unsure: 'a condition on aws:PrincipalTag/team',
    });
  });

  test('one block that fails for certain spares the role, whatever the unknown ones say (the guard rail)', () => {
    const exempt = deny({
      StringEquals: { 'aws:ResourceTag/account-janitor:protected': 'true' },
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/AccountJanitorMemberRole' },
    });
    expect(evaluatePolicy(exempt, createRoute, 'identity')).toEqual({ decision: 'none' });
    const other = {
      ...createRoute,
      context: { ...createRoute.context, 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/dev' },
    };
    expect(evaluatePolicy(exempt, other, 'identity')).toMatchObject({
      decision: 'deny',
      unsure: expect.any(String) as unknown,
    });
  });

  test('a certain Deny wins over an unsure one; an Allow it cannot read leaves `none`, unsure', () => {
    const policy: PolicyDocument = {
      Statement: [
        deny({ Null: { 'aws:PrincipalTag/exempt': 'true' } }, 'Unsure').Statement as PolicyStatement,
        deny({ StringNotEquals: { 'aws:RequestedRegion': 'eu-central-1' } }, 'RegionLock').Statement as PolicyStatement,
      ],
    };
    expect(evaluatePolicy(policy, createRoute, 'identity')).toEqual({ decision: 'deny', statement: 'RegionLock' });
    const allow: PolicyDocument = {
      Statement: {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
      },
    };
    expect(evaluatePolicy(allow, createRoute, 'identity')).toEqual({
      decision: 'none',
      unsure: 'a condition on aws:CurrentTime',
    });
    expect(evaluatePolicy(allow, { ...createRoute, unknownKeys: [] }, 'identity')).toEqual({
      decision: 'none',
      unsure: 'the operator DateLessThan',
    });
  });

  test('NotAction: a region lock that spares global services still takes ec2', () => {
    const lock: PolicyDocument = {
      Statement: {
        Effect: 'Deny',
        NotAction: ['iam:*', 'organizations:*', 'sts:*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1'] } },
      },
    };
    expect(evaluatePolicy(lock, createRoute, 'identity').decision).toBe('deny');
    expect(evaluatePolicy(lock, { ...createRoute, action: 'sts:AssumeRole' }, 'identity').decision).toBe('none');
  });

  test('ArnLike matches component by component: a wildcard never spans a colon', () => {
    const exempt = (pattern: string) => deny({ ArnNotLike: { 'aws:PrincipalArn': pattern } });
    expect(evaluatePolicy(exempt('arn:aws:iam::*:role/AccountJanitor*'), createRoute, 'identity').decision).toBe(
      'none',
    );
    expect(evaluatePolicy(exempt('arn:aws:iam::*:role/*'), createRoute, 'identity').decision).toBe('none');
    // `arn:*` spans no colon: it names no ARN at all, so nobody is spared.
    expect(evaluatePolicy(exempt('arn:*:role/AccountJanitorMemberRole'), createRoute, 'identity').decision).toBe(
      'deny',
    );
  });
});
