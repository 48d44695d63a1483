import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { SweepReport } from '../../lambda/core/report';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { cloudTrailEvent, intakeSettingsFor, pendingRepairs } from '../support/event-path';
import { buildApp } from '../../lib/app';
import { freshEmulator, type Emulator } from '../support/emulator';

/**
 * The artifact that ships: synthesize the stack for real (esbuild bundling, no Docker), load the
 * bundled handler from the cloud assembly with the environment the template gives the function,
 * and invoke it with a manual console event against moto.
 */

let emulator: Emulator;
let ouId: string;
let brokenAccount: string;
let organizationId: string;

beforeAll(async () => {
  emulator = await freshEmulator();
  const { fixture } = emulator;
  const sandbox = await fixture.createSandboxOu(['broken'], ['eu-west-1']);
  ouId = sandbox.ouId;
  brokenAccount = sandbox.accounts.broken;
  await fixture.deleteInternetRoute(brokenAccount, 'eu-west-1');
  ({ organizationId } = await fixture.describeOrganization());
});

afterAll(async () => {
  await emulator.close();
});

interface FunctionResource {
  Type: string;
  Properties: {
    Handler: string;
    Runtime: string;
    Code: { S3Key: string };
    Environment: { Variables: Record<string, unknown> };
  };
}

type Handler = (event: unknown) => Promise<SweepReport>;
interface Bundle {
  file: string;
  exportName: string;
  variables: [string, string][];
}
let bundle: Bundle;
let intakeBundle: Bundle;
let distributedBundle: Bundle;

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'janitor-synth-'));
  const app = new App({
    outdir,
    context: {
      targetOuIds: ouId,
      organizationId,
      regions: 'eu-west-1,us-east-1',
      mode: 'remediate',
      fanOut: 'distributed',
    },
  });
  const { stack } = buildApp(app);
  app.synth();

  const template = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as {
    Resources: Record<string, FunctionResource>;
  };
  const assets = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const bundleOf = (logicalIdPart: string): Bundle => {
    const [fn] = Object.entries(template.Resources)
      .filter(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.includes(logicalIdPart))
      .map(([, resource]) => resource);
    expect(fn?.Properties.Runtime).toBe('nodejs24.x');
    const assetHash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
    const assetDirectory = join(outdir, String(assets.files[assetHash]?.source.path));
    const [file, exportName] = String(fn?.Properties.Handler).split('.');
    return {
      file: join(assetDirectory, `${file}.js`),
      exportName: String(exportName),
      // The function's environment as deployed; CloudFormation references (ARNs) are left out here.
      variables: Object.entries(fn?.Properties.Environment.Variables ?? {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    };
  };
  bundle = bundleOf('SweepFunction');
  intakeBundle = bundleOf('EventDrivenRepairIntake');
  distributedBundle = bundleOf('DistributedFunction');
}, 120_000);

/** Loads the bundle afresh (a cold start) with the deployed environment plus `overrides`, and calls it. */
async function coldStart<T>(
  overrides: Record<string, string>,
  use: (handler: Handler) => Promise<T>,
  loaded: Bundle = bundle,
): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, Object.fromEntries(loaded.variables), overrides);
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (require(loaded.file) as Record<string, Handler>)[loaded.exportName];
    });
    if (!handler) throw new Error('no handler exported');
    return await use(handler);
  } finally {
    write.mockRestore();
    process.env = saved;
  }
}

/** The error a promise or a function rejected with. */
async function failureOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

test('the bundled handler from cdk.out runs a manual dry run against moto', async () => {
  const report = await coldStart({}, (handler) => handler({ dryRun: true, regions: ['eu-west-1'] }));

  expect(report.mode).toBe('report');
  expect(report.results).toEqual([
    expect.objectContaining({ accountId: brokenAccount, region: 'eu-west-1', status: 'would-restore' }),
  ]);
  expect(emulator.proxy.count({ action: 'CreateRoute' })).toBe(0);
  expect(emulator.proxy.count({ service: 'ec2', action: 'DescribeVpcs' })).toBe(1);
});

test('the bundled event intake takes a batch of its queue and starts the quiet period of a breaking call: one schedule in moto', async () => {
  const scheduler = new SchedulerClient({ region: 'us-east-1' });
  const settings = await intakeSettingsFor(scheduler, 300);
  const event = cloudTrailEvent({
    accountId: brokenAccount,
    region: 'eu-west-1',
    eventName: 'DeleteRoute',
    time: new Date(),
    requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
  });
  // What Lambda's SQS event source hands the function: the queue's messages, each body one EventBridge event.
  const sqsEvent = {
    Records: [event, event].map((body, index) => ({
      messageId: `0c1d2e3f-0000-4000-8000-00000000000${index}`,
      receiptHandle: 'AQEB…',
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:AccountJanitor-Queue',
      awsRegion: 'us-east-1',
    })),
  };
  const outcome = await coldStart(
    {
      JANITOR_SWEEP_FUNCTION_ARN: settings.sweepFunctionArn,
      JANITOR_SCHEDULER_ROLE_ARN: settings.schedulerRoleArn,
      JANITOR_DEAD_LETTER_QUEUE_ARN: settings.deadLetterQueueArn,
    },
    (handler) => handler(sqsEvent),
    intakeBundle,
  );
  expect(outcome).toEqual({ batchItemFailures: [] });
  const pending = await pendingRepairs(scheduler, settings.scheduleGroupName);
  expect(pending.map((repair) => repair.input)).toEqual([
    expect.objectContaining({
      source: 'account-janitor',
      detail: expect.objectContaining({ accountId: brokenAccount }) as unknown,
    }),
  ]);
  scheduler.destroy();
});

test('the bundled distributed function plans, sweeps a batch and merges, with the run store in moto S3', async () => {
  const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'janitor-runs' }));
  const store = { JANITOR_RUN_BUCKET: 'janitor-runs' };
  const step = (payload: unknown) =>
    coldStart(store, (handler) => handler(payload) as Promise<unknown>, distributedBundle);
  const plan = (await step({ phase: 'plan', runId: 'bundled-1', input: { dryRun: true, regions: ['eu-west-1'] } })) as {
    batchesKey: string;
    batchCount: number;
    batchesSha256: string;
  };
  expect(plan).toMatchObject({ batchesKey: 'runs/bundled-1/batches.json', batchCount: 1 });
  const { Body: body } = await s3.send(new GetObjectCommand({ Bucket: 'janitor-runs', Key: plan.batchesKey }));
  const [item] = JSON.parse(String(await body?.transformToString())) as unknown[];
  // The pin travels in the execution's state, as the state machine hands it on.
  await step({ phase: 'batch', item, pin: plan.batchesSha256 });
  const merged = await step({ phase: 'merge', runId: 'bundled-1', pin: plan.batchesSha256 });
  expect(merged).toMatchObject({
    mode: 'report',
    summary: expect.objectContaining({ 'would-restore': 1 }) as unknown,
    report: 's3://janitor-runs/runs/bundled-1/report.json',
  });
  s3.destroy();
});

describe('errors keep their names in the minified bundle (the Lambda console and the dead-letter queue show them)', () => {
  test('a scheduled event carrying a field is an EventValidationError, and nothing is written', async () => {
    emulator.proxy.clear();
    const error = await coldStart({}, (handler) =>
      failureOf(() => handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', dryRun: true })),
    );
    expect(error.name).toBe('EventValidationError');
    expect(error.message).toMatch(/^invalid scheduled event: dryRun: is not a field of a scheduled event/);
    expect(emulator.proxy.requests).toHaveLength(0);
  });

  test('a bad environment fails the cold start with a ConfigError naming the variable', async () => {
    const error = await failureOf(() => coldStart({ JANITOR_CONCURRENCY: '0' }, () => Promise.resolve()));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(
      'invalid Lambda environment: JANITOR_CONCURRENCY 0: must be a whole number from 1 to 256',
    );
  });

  test('JANITOR_ORGANIZATION_ID of another organization: an OrganizationMismatchError before any account is entered', async () => {
    emulator.proxy.clear();
    const error = await coldStart({ JANITOR_ORGANIZATION_ID: 'o-0000000000' }, (handler) =>
      failureOf(() => handler({})),
    );
    expect(error.name).toBe('OrganizationMismatchError');
    expect(error.message).toMatch(/^wrong organization: expected organization o-0000000000, but these credentials/);
    expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
  });
});
