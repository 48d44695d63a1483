import { runCli } from '../../cli/cli';
import { keepEmulator, type KeptEmulator } from '../../demo/keep';
import { motoUrl } from '../support/emulator';
import { resetMoto } from '../support/moto-server';

/**
 * `npm run demo -- --keep`: the emulator stays up with the demo organization, and what it prints
 * works as printed: the `export` line points the CLI at it, and the commands it suggests run.
 */

let kept: KeptEmulator;
let printed = '';
const saved = { ...process.env };

beforeAll(async () => {
  const url = motoUrl();
  const moto = { url, pid: 0, reset: () => resetMoto(url), stop: () => Promise.resolve() };
  kept = await keepEmulator(moto, (text) => (printed += `${text}\n`));
}, 120_000);

afterAll(async () => {
  await kept.close();
  process.env = saved;
});

/** The printed lines that start with `prefix`, without it. */
const linesAfter = (prefix: string) =>
  printed
    .split('\n')
    .filter((line) => line.trimStart().startsWith(prefix))
    .map((line) => line.trimStart().slice(prefix.length));

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'account-janitor', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTty: false,
    env: process.env,
  });
  return { code, stdout, stderr };
}

test('it prints one export line pointing the SDK at the proxy, with the emulator credentials and a region', () => {
  const exports = linesAfter('export ');
  expect(exports).toHaveLength(1);
  const variables = Object.fromEntries(
    (exports[0] ?? '').split(' ').map((pair) => pair.split('=') as [string, string]),
  );
  expect(variables).toEqual(kept.environment);
  expect(variables['AWS_ENDPOINT_URL']).toBe(kept.proxy.url);
  expect(Object.keys(variables)).toEqual(
    expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']),
  );
});

test('the three commands it prints run as printed against the kept organization: a dry run, its HTML page, one account repaired, as JSON', async () => {
  const commands = linesAfter('npx account-janitor ').map((line) => line.split(/ [>|] /)[0]!.split(' '));
  expect(commands).toEqual(kept.commands);
  expect(commands).toHaveLength(3);
  // What a person does in the other shell: the export line, and AWS_PROFILE unset.
  const exported = (linesAfter('export ')[0] ?? '').split(' ').map((pair) => pair.split('=') as [string, string]);
  for (const [name, value] of exported) process.env[name] = value;
  delete process.env['AWS_PROFILE'];

  // In order: the third repairs the account the first two only read.
  const dryRun = await run(commands[0] ?? []);
  const page = await run(commands[1] ?? []);
  const account = await run(commands[2] ?? []);
  expect(dryRun.code).toBe(1);
  expect(dryRun.stdout).toContain('would-restore');
  // No cause lookup errors, no credentials or endpoint trouble: only the path check's warnings.
  expect(dryRun.stderr).not.toMatch(/error/i);
  expect(page.stdout).toMatch(/^<!DOCTYPE html>/i);
  const report = JSON.parse(account.stdout) as { results: { accountId: string; status: string }[] };
  expect(new Set(report.results.map((row) => row.accountId))).toEqual(
    new Set([kept.org.accounts['alpha-route-deleted']]),
  );
  expect(report.results.map((row) => row.status)).toContain('restored');
}, 120_000);
