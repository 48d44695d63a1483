import { Match } from 'aws-cdk-lib/assertions';
import { evaluatePolicy, type PolicyDocument } from '../../lambda/core/iam-policy';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';
import { DEFAULT_DEPLOYMENT } from '../support/template-walk';

/**
 * fanOut=distributed as synthesized: the state machine built with the CDK Step Functions
 * constructs (plan → Distributed Map over the run bucket → merge), its schedule, its function (the
 * sweep function's role, so the member roles trust it), its alarm. (test/integration has moto's
 * Step Functions parse its definition.)
 */

const BASE_CONTEXT = { ...TEST_CONTEXT, fanOut: 'distributed' };

const synth = (context: Record<string, unknown> = {}) => synthesizeStack({ ...BASE_CONTEXT, ...context });

interface Definition {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
}

const { template, resolved } = synth();
const [machineId] = resolved.ofType('AWS::StepFunctions::StateMachine')[0] ?? [''];
const definitionText = String(resolved.property(machineId, 'DefinitionString'));
const definition = JSON.parse(definitionText) as Definition;

test('plan → Distributed Map over the batches in the run bucket → merge; a failed batch caught; Lambda throttling retried', () => {
  expect(definition.StartAt).toBe('Plan');
  expect(definition.States['Plan']).toMatchObject({
    Next: 'AnyBatch',
    Parameters: { phase: 'plan', 'runId.$': '$$.Execution.Name', 'input.$': '$' },
  });
  // A plan with no target account skips the Map.
  expect(definition.States['AnyBatch']).toMatchObject({
    Type: 'Choice',
    Choices: [{ Variable: '$.batchCount', NumericEquals: 0, Next: 'Merge' }],
    Default: 'Batches',
  });
  const map = definition.States['Batches'] as Record<string, unknown> & {
    ItemProcessor: { ProcessorConfig: unknown; States: Record<string, Record<string, unknown>> };
  };
  expect(map).toMatchObject({
    Type: 'Map',
    Next: 'Merge',
    ResultPath: null,
    MaxConcurrency: 20,
    ItemSelector: { phase: 'batch', 'item.$': '$$.Map.Item.Value', 'pin.$': '$.batchesSha256' },
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: expect.stringMatching(/DistributedRuns/) as unknown, 'Key.$': '$.batchesKey' },
    },
  });
  expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
  // The batch task hands the function its item as it is; a batch that still fails is caught.
  expect(map.ItemProcessor.States['Batch']).not.toHaveProperty('Parameters');
  // Each batch's result in the Map stays tiny, failed or not.
  expect(map.ItemProcessor.States['Batch']).toMatchObject({
    ResultSelector: { 'index.$': '$.index' },
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'BatchNotFinished' }],
  });
  expect(map.ItemProcessor.States['BatchNotFinished']).toMatchObject({
    Type: 'Pass',
    Result: { notFinished: true },
    End: true,
  });
  expect(definition.States['Merge']).toMatchObject({
    End: true,
    Parameters: { phase: 'merge', 'runId.$': '$.runId', 'pin.$': '$.batchesSha256' },
  });
  for (const task of [definition.States['Plan'], map.ItemProcessor.States['Batch'], definition.States['Merge']]) {
    const retried = (task?.['Retry'] as { ErrorEquals: string[] }[]).flatMap((retry) => retry.ErrorEquals);
    expect(retried).toEqual(
      expect.arrayContaining([
        'Lambda.ServiceException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ]),
    );
  }
  const custom = synth({ maxBatchesInFlight: '50', batchSize: '25' }).resolved;
  const [customId] = custom.ofType('AWS::StepFunctions::StateMachine')[0] ?? [''];
  expect(String(custom.property(customId, 'DefinitionString'))).toContain('"MaxConcurrency":50');
});

test('a Standard state machine with X-Ray tracing and every event logged; the schedule starts it, with retries and the dead-letter queue', () => {
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
    StateMachineType: 'STANDARD',
    TracingConfiguration: { Enabled: true },
    LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
  });
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    Target: {
      Arn: { Ref: Match.stringLikeRegexp('DistributedStateMachine') },
      RetryPolicy: { MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
    },
  });
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: Match.stringLikeRegexp('SchedulerRole') }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: 'states:StartExecution',
          Resource: { Ref: Match.stringLikeRegexp('StateMachine') },
        }),
      ]),
    },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'AccountJanitor_DistributedRunFailed' });
  template.hasOutput('StateMachineArn', {});
});

test("the distributed function runs with the sweep function's role, knows its bucket and batch size; the bucket is private, encrypted, TLS-only, expiring", () => {
  const functions = resolved.ofType('AWS::Lambda::Function');
  const roleOf = (part: string) =>
    JSON.stringify(functions.find(([id]) => id.includes(part))?.[1].Properties?.['Role'] ?? null);
  expect(roleOf('DistributedFunction')).toBe(roleOf('SweepFunction'));
  const [, distributed] = functions.find(([id]) => id.includes('DistributedFunction')) ?? ['', {}];
  expect(JSON.stringify(distributed.Properties?.['Environment'])).toMatch(/"JANITOR_BATCH_SIZE":"100"/);
  expect(JSON.stringify(distributed.Properties?.['Environment'])).toMatch(
    /"JANITOR_RUN_BUCKET":\{"Ref":"AccountJanitorDistributedRuns/,
  );
  expect(distributed.Properties?.['ReservedConcurrentExecutions']).toBeUndefined();
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 14, Status: 'Enabled' })] },
  });
  // Reading a batch that never finished must say NoSuchKey, not AccessDenied: ListBucket on runs/.
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['runs/*'] } } }),
      ]),
    },
  });
});

test('fanOut=single (the default) deploys none of it; bad values are named', () => {
  const single = synth({ fanOut: '' }).template;
  single.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  single.hasResourceProperties('AWS::Scheduler::Schedule', {
    Target: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepFunction'), 'Arn'] } },
  });
  expect(() => synth({ fanOut: 'parallel' })).toThrow('fanOut "parallel": must be one of: single, distributed');
  expect(() => synth({ batchSize: '0' })).toThrow('batchSize 0: must be a whole number from 1 to 1000');
  expect(() => synth({ maxBatchesInFlight: 'many' })).toThrow('maxBatchesInFlight "many": must be a whole number');
});

test("only the functions' role may write or delete the run objects, whatever other principals' IAM allows", () => {
  const [policyId] = resolved.ofType('AWS::S3::BucketPolicy')[0] ?? [''];
  const policy = resolved.property(policyId, 'PolicyDocument') as PolicyDocument;
  const [functionId] = resolved.ofType('AWS::Lambda::Function').find(([id]) => id.includes('DistributedFunction')) ?? [
    '',
  ];
  const functionRole = String(resolved.property(functionId, 'Role'));
  const [bucketId] = resolved.ofType('AWS::S3::Bucket')[0] ?? [''];
  const object = `${resolved.getAttArn(bucketId)}/runs/run-1/batches.json`;
  const request = (principal: string, action: string) => ({
    principal: { arn: principal },
    action,
    resource: object,
    context: { 'aws:PrincipalArn': principal, 'aws:SecureTransport': 'true' },
  });
  const admin = `arn:aws:iam::${DEFAULT_DEPLOYMENT.account}:role/Admin`;
  for (const action of ['s3:PutObject', 's3:DeleteObject']) {
    expect(evaluatePolicy(policy, request(functionRole, action), 'account').decision).not.toBe('deny');
    expect(evaluatePolicy(policy, request(admin, action), 'account').decision).toBe('deny');
  }
  // Reading stays with IAM: the state machine's role reads the batches.
  expect(evaluatePolicy(policy, request(admin, 's3:GetObject'), 'account').decision).not.toBe('deny');
});
