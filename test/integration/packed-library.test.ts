import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepReport } from '../../lambda/core/report';
import { installPackedPackage } from '../support/packed-package';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * `restoreAccountDefaults` from the package as a clean-up script's project installs it (`npm
 * pack`, test/support/packed-package.ts): a TypeScript script, type-checked against the shipped
 * declarations and compiled, runs last after a clean-up, with the account's own credentials in
 * the environment, against moto. It loads no aws-cdk-lib or constructs module.
 */

const ROOT = join(__dirname, '..', '..');
const REGION = 'eu-west-1';

const SCRIPT = `
import { exitCodeFor, restoreAccountDefaults, RestoreOptionsError, type SweepReport } from 'account-janitor';

/** The CDK's modules this process has loaded. */
const cdkModules = (): string[] =>
  Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/](aws-cdk-lib|constructs)[\\\\/]/.test(path));

async function main(): Promise<void> {
  const [accountId = '', region = '', dryRun] = process.argv.slice(2);
  // aws-nuke or cloud-nuke ran before this line: put the account's default path back.
  const report: SweepReport = await restoreAccountDefaults({
    accountId,
    regions: [region],
    dryRun: dryRun === '--dry-run',
    repairInternetGateway: true,
    recreateDefaultVpc: true,
  });
  let refused = '';
  try {
    await restoreAccountDefaults({ accountId, regions: region, recreateDefaultVPC: true } as never);
  } catch (error) {
    if (error instanceof RestoreOptionsError) refused = error.message;
  }
  process.stdout.write(JSON.stringify({ report, exitCode: exitCodeFor(report), refused, cdkModules: cdkModules() }));
}

void main();
`;

const harness = useSweepHarness();
let consumer: string;

beforeAll(() => {
  consumer = installPackedPackage('janitor-cleanup-').dir;
  writeFileSync(join(consumer, 'restore.ts'), SCRIPT);
  const tsc = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      ...['--strict', '--module', 'commonjs', '--moduleResolution', 'node10', '--target', 'es2022'],
      ...['--types', 'node', '--skipLibCheck', '--outDir', 'out', 'restore.ts'],
    ],
    { cwd: consumer, encoding: 'utf8', timeout: 120_000 },
  );
  if (tsc.status !== 0) throw new Error(`the clean-up script does not compile: ${tsc.stdout}${tsc.stderr}`);
}, 240_000);

interface ScriptOutput {
  readonly report: SweepReport;
  readonly exitCode: number;
  readonly refused: string;
  readonly cdkModules: string[];
}

/** Runs the compiled script with the member account's own credentials, against moto (asynchronously: the proxy lives here). */
async function runScript(accountId: string, ...args: string[]): Promise<ScriptOutput> {
  const credentials = await harness.emulator.fixture.memberCredentials(accountId);
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: harness.emulator.proxy.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
  };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [join('out', 'restore.js'), accountId, REGION, ...args], {
        cwd: consumer,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    },
  );
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as ScriptOutput;
}

test('a clean-up script restores the default VPC deleted by the clean-up; its dry run writes nothing; no CDK module is loaded', async () => {
  const { fixture } = harness.emulator;
  const { accounts } = await fixture.createSandboxOu(['sandbox'], [REGION]);
  const accountId = accounts.sandbox;
  await fixture.deleteDefaultVpc(accountId, REGION);
  harness.emulator.proxy.clear();

  const dryRun = await runScript(accountId, '--dry-run');
  expect(dryRun.report.results).toEqual([
    expect.objectContaining({ accountId, region: REGION, status: 'would-recreate-vpc' }),
  ]);
  expect(dryRun.exitCode).toBe(1);
  expect(harness.writesOnTheWire()).toEqual([]);

  const restored = await runScript(accountId);
  expect(restored.report.results).toEqual([
    expect.objectContaining({ accountId, region: REGION, status: 'vpc-recreated' }),
  ]);
  expect(restored.exitCode).toBe(0);
  expect(await fixture.internetRouteTarget(accountId, REGION)).toBe(
    await fixture.defaultVpcGatewayId(accountId, REGION),
  );
  expect(restored.refused).toMatch(
    /^invalid restoreAccountDefaults options: recreateDefaultVPC: is not an option \(allowed: accountId, regions, /,
  );
  expect(restored.cdkModules).toEqual([]);
}, 120_000);

test('the construct is still exported, loaded when used: from CommonJS and from an ES module', () => {
  const loaded = `Object.keys(require.cache).filter((path) => path.includes('aws-cdk-lib')).length > 0`;
  const commonJs = spawnSync(
    process.execPath,
    [
      '-e',
      `const p = require('account-janitor'); const before = ${loaded}; process.stdout.write(JSON.stringify([before, typeof p.AccountJanitor, ${loaded}]))`,
    ],
    { cwd: consumer, encoding: 'utf8', timeout: 60_000 },
  );
  expect(JSON.parse(commonJs.stdout)).toEqual([false, 'function', true]);
  const esm = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { AccountJanitor, restoreAccountDefaults } from 'account-janitor'; process.stdout.write(typeof AccountJanitor + ' ' + typeof restoreAccountDefaults)`,
    ],
    { cwd: consumer, encoding: 'utf8', timeout: 60_000 },
  );
  expect(esm.stdout).toBe('function function');
}, 120_000);

test("an ES module imports 'account-janitor/restore' without loading the CDK, which the main entry loads; its types resolve under every module resolution", () => {
  const loaded = (entry: string) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          `import { createRequire } from 'node:module';`,
          `import { exitCodeFor, restoreAccountDefaults, RestoreOptionsError } from '${entry}';`,
          `const cdk = Object.keys(createRequire(import.meta.url).cache).some((path) => /[\\\\/]node_modules[\\\\/](aws-cdk-lib|constructs)[\\\\/]/.test(path));`,
          `process.stdout.write(JSON.stringify([typeof restoreAccountDefaults, typeof exitCodeFor, typeof RestoreOptionsError, cdk]));`,
        ].join('\n'),
      ],
      { cwd: consumer, encoding: 'utf8', timeout: 60_000 },
    ).stdout;
  expect(JSON.parse(loaded('account-janitor/restore'))).toEqual(['function', 'function', 'function', false]);
  expect(JSON.parse(loaded('account-janitor'))).toEqual(['function', 'function', 'function', true]);

  writeFileSync(
    join(consumer, 'subpath.ts'),
    `import { exitCodeFor, type SweepReport } from 'account-janitor/restore';\nexport const code = (report: SweepReport): number => exitCodeFor(report);\n`,
  );
  for (const [module, resolution] of [
    ['commonjs', 'node10'],
    ['node16', 'node16'],
    ['nodenext', 'nodenext'],
  ]) {
    const tsc = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        ...['--strict', '--module', module ?? '', '--moduleResolution', resolution ?? '', '--target', 'es2022'],
        ...['--types', 'node', '--skipLibCheck', '--noEmit', 'subpath.ts'],
      ],
      { cwd: consumer, encoding: 'utf8', timeout: 120_000 },
    );
    expect({ resolution, out: `${tsc.stdout}${tsc.stderr}` }).toEqual({ resolution, out: '' });
  }
}, 240_000);
