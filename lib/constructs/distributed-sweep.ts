import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { NOTIFICATION_TOPIC_VARIABLE } from '../../lambda/config/environment';
import type { SweepConfig } from '../../lambda/config/schema';
import { DISTRIBUTED_ENVIRONMENT_VARIABLES } from '../../lambda/contract/names';
import { FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT, type JanitorFunction } from './janitor-function';
import { janitorFunctionDefaults, janitorLogGroup, onlyRoleWrites } from './function-defaults';
import { nagEnvironment } from './nag';

/**
 * The sweep past one function (fanOut=distributed): a Standard state machine built from the CDK
 * Step Functions constructs. plan (discover once, write the batches to the run bucket) →
 * Distributed Map (one invocation of the same engine per batch of accounts, at most
 * maxBatchesInFlight at once; a batch that fails does not fail the run: its accounts come out
 * not-checked) → merge (one report, metrics and digest once). Its function runs with the sweep
 * function's role (the member roles trust that one), plus the run bucket.
 */

export interface DistributedSweepProps {
  readonly config: SweepConfig;
  readonly sweep: JanitorFunction;
  readonly notificationTopic: sns.ITopic;
  /** Accounts per batch. */
  readonly batchSize: number;
  /** Batches swept at once (the Distributed Map's MaxConcurrency). */
  readonly maxBatchesInFlight: number;
}

/** How long a run's objects stay in the bucket: long enough to read a report, not to pile up. */
const RUN_RETENTION = Duration.days(14);

export class DistributedSweep extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly function: nodejs.NodejsFunction;
  public readonly stateMachine: sfn.StateMachine;

  public constructor(scope: Construct, id: string, props: DistributedSweepProps) {
    super(scope, id);
    this.bucket = this.runBucket();
    // The plan's batches and the batches' rows steer what runs and what is reported: no principal
    // but the functions' role may write or delete them, whatever its own IAM policies allow.
    onlyRoleWrites(this.bucket, 'runs/', props.sweep.role, 'OnlyTheJanitorWritesRuns');
    const logGroup = janitorLogGroup(this, 'Logs');
    logGroup.grantWrite(props.sweep.role);
    this.grantRunStore(props.sweep.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...janitorFunctionDefaults('distributed/handler', props.config, {
        [NOTIFICATION_TOPIC_VARIABLE]: props.notificationTopic.topicArn,
        [DISTRIBUTED_ENVIRONMENT_VARIABLES.bucket]: this.bucket.bucketName,
        [DISTRIBUTED_ENVIRONMENT_VARIABLES.batchSize]: String(props.batchSize),
      }),
      timeout: FUNCTION_TIMEOUT,
      memorySize: FUNCTION_MEMORY_MB,
      role: props.sweep.role,
      logGroup,
      description: 'account-janitor distributed sweep: plan, one batch of accounts, or merge',
    });
    const definition = this.definition(props.maxBatchesInFlight);
    const stateMachineLogs = janitorLogGroup(this, 'StateMachineLogs');
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(12),
      tracingEnabled: true,
      logs: { destination: stateMachineLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'account-janitor: the sweep in batches of accounts (plan, Distributed Map, merge)',
    });
    this.acknowledgeStateMachinePolicy();
  }

  /** The run store: runs/ expires, the HTML reports (htmlReport) share it and are kept longer. */
  private runBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Runs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The runs' objects only: the HTML reports (htmlReport) share the bucket and are kept longer.
      lifecycleRules: [{ prefix: 'runs/', expiration: RUN_RETENTION }],
      // Kept when the stack goes (as the log groups are); its objects expire on their own.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Transient run data (batches, rows, the report), written and read only by the janitor and expired after 14 days; the function logs every run.',
    });
    return bucket;
  }

  /**
   * Objects of runs/, and the listing of runs/: without s3:ListBucket a missing object (a batch
   * that never wrote its rows) answers AccessDenied instead of NoSuchKey.
   */
  private grantRunStore(role: iam.IRole): void {
    const runStore = new iam.Policy(this, 'RunStorePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'RunObjects',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.bucket.arnForObjects('runs/*')],
        }),
        new iam.PolicyStatement({
          sid: 'ListRuns',
          actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': ['runs/*'] } },
        }),
      ],
    });
    runStore.attachToRole(role);
    const bucketLogicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    Validations.of(runStore).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/runs/*]`,
      reason: "The run store's objects, one prefix per run; nothing else in any bucket.",
    });
  }

  /** A task that invokes the function; without a payload it hands the function its state input (the batch item). */
  private invoke(id: string, payload?: sfn.TaskInput, resultSelector?: Record<string, unknown>): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: this.function,
      ...(payload ? { payload } : {}),
      ...(resultSelector ? { resultSelector } : {}),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    // Lambda's transient errors (retryOnServiceExceptions), and throttling, are the state machine's to retry.
    task.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 4,
    });
    return task;
  }

  /** plan → (any batch?) Distributed Map of the batches → merge. */
  private definition(maxBatchesInFlight: number): sfn.IChainable {
    const plan = this.invoke(
      'Plan',
      sfn.TaskInput.fromObject({ phase: 'plan', runId: sfn.JsonPath.executionName, input: sfn.JsonPath.entirePayload }),
    );
    const batches = new sfn.DistributedMap(this, 'Batches', {
      itemReader: new sfn.S3JsonItemReader({ bucket: this.bucket, key: sfn.JsonPath.stringAt('$.batchesKey') }),
      // Each batch gets the plan's pin of the batches from the execution's state, not from the bucket.
      itemSelector: { phase: 'batch', 'item.$': '$$.Map.Item.Value', 'pin.$': '$.batchesSha256' },
      maxConcurrency: maxBatchesInFlight,
      resultPath: sfn.JsonPath.DISCARD,
    });
    // A batch that still fails after the retries (or times out) does not fail the run: it wrote no
    // rows, and the merge reports its accounts not-checked (SweepIncomplete).
    // Each batch's result in the Map stays tiny (its index), failed or not: the Map's results must
    // not grow with the batches.
    const batch = this.invoke('Batch', undefined, { 'index.$': '$.index' }).addCatch(
      new sfn.Pass(this, 'BatchNotFinished', {
        comment: 'Its accounts come out not-checked in the merge',
        result: sfn.Result.fromObject({ notFinished: true }),
      }),
      { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD },
    );
    batches.itemProcessor(batch);
    const merge = this.invoke(
      'Merge',
      sfn.TaskInput.fromObject({
        phase: 'merge',
        runId: sfn.JsonPath.stringAt('$.runId'),
        pin: sfn.JsonPath.stringAt('$.batchesSha256'),
      }),
    );
    // A plan with no target account has no batch to map over: straight to the merge.
    return plan.next(
      new sfn.Choice(this, 'AnyBatch')
        .when(sfn.Condition.numberEquals('$.batchCount', 0), merge)
        .otherwise(batches.next(merge)),
    );
  }

  /** The state machine role's wildcards, as cdk-nag names them (the environment literal or pseudo). */
  private acknowledgeStateMachinePolicy(): void {
    const stack = Stack.of(this);
    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    const machine = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(this.stateMachine)}"}]}]}`;
    const { partition, region, account } = nagEnvironment(this);
    const executions = `arn:${partition}:states:${region}:${account}:execution`;
    Validations.of(this.stateMachine).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(this.function)}.Arn>:*]`,
        reason: 'Added by the LambdaInvoke tasks for the distributed function and its versions; this function only.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::<${logicalId(this.bucket)}>/*]`,
        reason: "Added by the Distributed Map's S3 item reader: the run bucket's objects (the batches it reads).",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (PutTraceSegments, PutTelemetryRecords…) and CloudWatch Logs delivery for the state machine take no resource narrower than *.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${executions}:${machine}:*]`,
        reason: "Added for the Distributed Map: this state machine's own executions.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${executions}:${machine}/*:*]`,
        reason: "Added for the Distributed Map: this state machine's own child executions.",
      },
    );
  }
}
