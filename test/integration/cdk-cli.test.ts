import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_TARGETS_HINT, UNCONFIGURED_LINE } from '../../lib/app';
import { freshEmulator, type Emulator } from '../support/emulator';

/**
 * The project's CDK app under the CDK CLI of its lockfile, as a newcomer runs it from a fresh
 * clone (cdk.json as it ships: no targets), against moto through the recording proxy.
 */

const ROOT = join(__dirname, '..', '..');
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');
let emulator: Emulator;

beforeAll(async () => {
  emulator = await freshEmulator();
});

afterAll(async () => {
  await emulator.close();
});

/** `npx cdk <args>` in the repository, its cloud assembly in a temporary folder. */
function cdk(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CDK, [...args, '--output', mkdtempSync(join(tmpdir(), 'janitor-cdk-out-'))], {
      cwd: ROOT,
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: emulator.proxy.url,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        // The CDK CLI's own AWS SDK warns of Node.js 20 too: not the app's line.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const NO_STACK_LINE = `account-janitor: no targets in the CDK context, so no stack: ${NO_TARGETS_HINT}`;

test('without targets, `cdk bootstrap aws://ACCOUNT/REGION` bootstraps (the app says once how to name targets)', async () => {
  emulator.proxy.clear();
  const { code, stdout, stderr } = await cdk(['bootstrap', 'aws://123456789012/us-east-1']);
  expect(stderr.split('\n').filter((line) => line.startsWith('account-janitor:'))).toEqual([
    `account-janitor: no targets in the CDK context, so ${UNCONFIGURED_LINE}: ${NO_TARGETS_HINT}`,
  ]);
  // The CDK CLI's own progress (on stdout with CI=true).
  expect(stdout + stderr).toContain('Environment aws://123456789012/us-east-1 bootstrapped.');
  expect(code).toBe(0);
  expect(emulator.proxy.count({ service: 'cloudformation', action: 'CreateChangeSet' })).toBeGreaterThan(0);
}, 180_000);

test.each([
  ['synth', ['synth', '--quiet']],
  ['deploy', ['deploy', '--require-approval', 'never']],
])(
  'without targets, `cdk %s` says how to name them, then stops at the CDK\'s "no stacks" (exit 1), with no AWS call',
  async (_command, args) => {
    emulator.proxy.clear();
    const { code, stdout, stderr } = await cdk(args);
    expect(stderr).toBe(`${NO_STACK_LINE}\nThis app contains no stacks\n`);
    expect(stdout).toBe('');
    expect(code).toBe(1);
    expect(emulator.proxy.requests).toHaveLength(0);
  },
  120_000,
);

test("`cdk synth` with a bad value: the app's one line and exit 2, which the CDK CLI follows with its own line and exit 1", async () => {
  const { code, stderr } = await cdk(['synth', '--quiet', '-c', 'targetOuIds=sandbox']);
  expect(stderr).toBe(
    'error: invalid CDK context: targetOuIds "sandbox": must be an OU id (ou-xxxx-xxxxxxxx) or an organization root id (r-xxxx)\n' +
      'npx tsx lib/app.ts: Subprocess exited with error 2\n',
  );
  expect(code).toBe(1);
}, 120_000);
