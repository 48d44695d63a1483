import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { SweepReport } from '../../lambda/core/report';
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

beforeAll(async () => {
  emulator = await freshEmulator();
  const { fixture } = emulator;
  const sandbox = await fixture.createSandboxOu(['broken'], ['eu-west-1']);
  ouId = sandbox.ouId;
  brokenAccount = sandbox.accounts.broken;
  await fixture.deleteInternetRoute(brokenAccount, 'eu-west-1');
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

test('the bundled handler from cdk.out runs a manual dry run against moto', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'janitor-synth-'));
  const app = new App({ outdir, context: { targetOuIds: ouId, regions: 'eu-west-1,us-east-1', mode: 'remediate' } });
  const { stack } = buildApp(app);
  app.synth();

  const template = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as {
    Resources: Record<string, FunctionResource>;
  };
  const [fn] = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
  expect(fn?.Properties.Runtime).toBe('nodejs24.x');
  const assets = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const assetHash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
  const assetDirectory = join(outdir, String(assets.files[assetHash]?.source.path));
  const [file, exportName] = String(fn?.Properties.Handler).split('.');

  // The function's environment as deployed; the topic is a CloudFormation reference, left out here.
  const variables = Object.entries(fn?.Properties.Environment.Variables ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  const saved = { ...process.env };
  Object.assign(process.env, Object.fromEntries(variables));
  let report: SweepReport | undefined;
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    let handler: ((event: unknown) => Promise<SweepReport>) | undefined;
    jest.isolateModules(() => {
      handler = (require(join(assetDirectory, `${file}.js`)) as Record<string, typeof handler>)[String(exportName)];
    });
    report = await handler?.({ dryRun: true, regions: ['eu-west-1'] });
  } finally {
    write.mockRestore();
    process.env = saved;
  }

  expect(report?.mode).toBe('report');
  expect(report?.results).toEqual([
    expect.objectContaining({ accountId: brokenAccount, region: 'eu-west-1', status: 'would-restore' }),
  ]);
  expect(emulator.proxy.count({ action: 'CreateRoute' })).toBe(0);
  expect(emulator.proxy.count({ service: 'ec2', action: 'DescribeVpcs' })).toBe(1);
});
