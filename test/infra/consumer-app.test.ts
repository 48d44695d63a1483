import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_OUTPUTS } from '../../lambda/contract/stack-outputs';
import { installPackedPackage } from '../support/packed-package';

/**
 * The package as someone else's CDK app gets it (installPackedPackage: `npm pack`, unpacked into
 * a fresh app's node_modules), then the app, plain JavaScript, synthesizes a stack with `AccountJanitor`
 * and only the settings it must give. The functions bundle with the declared esbuild (no Docker),
 * and the stack carries the outputs `doctor` reads.
 */

const APP = `
const { App, Stack } = require('aws-cdk-lib');
const { AccountJanitor, sweepConfig } = require('account-janitor');
const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'eu-west-1' } });
new AccountJanitor(stack, 'Janitor', {
  sweep: sweepConfig({ targetOuIds: 'ou-ab12-cdef3456', organizationId: 'o-a1b2c3d4e5' }),
});
app.synth();
`;

let app: string;
let packed: readonly string[];

beforeAll(() => {
  ({ dir: app, files: packed } = installPackedPackage('janitor-consumer-'));
  writeFileSync(join(app, 'app.js'), APP);
}, 180_000);

test('the tarball ships the compiled code and its types, no tests, and no source map of a source it does not ship', () => {
  expect(packed).toEqual(
    expect.arrayContaining(['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lambda/handler.js']),
  );
  expect(packed.filter((file) => file.endsWith('.map'))).toEqual([]);
  expect(packed.filter((file) => /\.test\.|^test\/|^lambda\/|^lib\//.test(file))).toEqual([]);
});

test('a consumer app synthesizes AccountJanitor with only its sweep settings: bundled by esbuild, with the outputs doctor reads', () => {
  const outdir = join(app, 'cdk.out');
  const synth = spawnSync(process.execPath, ['app.js', outdir], { cwd: app, encoding: 'utf8', timeout: 240_000 });
  expect(synth.stderr).not.toMatch(/docker/i);
  expect(synth.status).toBe(0);
  const template = JSON.parse(readFileSync(join(outdir, 'Consumer.template.json'), 'utf8')) as {
    Outputs: Record<string, unknown>;
    Resources: Record<string, { Type: string }>;
  };
  for (const key of [
    'functionName',
    'notificationTopicArn',
    'scheduleName',
    'alarmNamePrefix',
    'memberRoleStackSetName',
  ] as const) {
    expect(Object.keys(template.Outputs)).toContain(STACK_OUTPUTS[key]);
  }
  const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
  expect(functions.length).toBeGreaterThanOrEqual(2);
  // Every asset is a bundle: one index.js each.
  const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
  expect(assets.length).toBeGreaterThanOrEqual(2);
  for (const asset of assets) expect(readdirSync(join(outdir, asset))).toContain('index.js');
}, 240_000);
