import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { createAwsClients } from '../../lambda/aws/clients';
import { runCli } from '../../cli/cli';
import { nodeSupportNotice } from '../../cli/node-support';
import { CLI_RUNTIME_FLAGS } from '../../lambda/contract/runtime';
import type { SweepReport } from '../../lambda/core/report';
import { capturedIo } from '../support/cli-io';
import { freshEmulator, type Emulator } from '../support/emulator';
import { runInTerminal } from '../support/pty';

/**
 * The `account-janitor` command: the real binary (bin/ → dist/, built by `npm ci` and `npm test`)
 * in a child process for exit codes and messages, and `runCli` in-process for the output.
 */

const BIN = join(__dirname, '..', '..', 'bin', 'account-janitor.js');
let emulator: Emulator;
let ouId: string;
let brokenAccount: string;
let healthyAccount: string;

beforeAll(async () => {
  emulator = await freshEmulator();
  const { fixture } = emulator;
  const sandbox = await fixture.createSandboxOu(['broken', 'healthy'], ['eu-west-1']);
  ouId = sandbox.ouId;
  brokenAccount = sandbox.accounts.broken;
  healthyAccount = sandbox.accounts.healthy;
  await fixture.deleteInternetRoute(brokenAccount, 'eu-west-1');
});

afterAll(async () => {
  await emulator.close();
});

/**
 * Runs the installed command as a user would, against the emulator through the recording proxy
 * (asynchronously: the proxy lives in this process).
 */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, AWS_ENDPOINT_URL: emulator.proxy.url },
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

const captured = capturedIo;

/** What the command prints on stderr before its first AWS call on this Node.js: one line on a Node.js older than 22. */
const NOTICE = nodeSupportNotice(process.version);
const NODE_LINES = NOTICE ? `${NOTICE}\n` : '';

describe('bad usage: one line naming the option and value, exit code 2, no AWS call', () => {
  test.each<[string, string[], string]>([
    [
      'an OU id of the wrong form',
      ['--ou', 'sandbox'],
      'error: --ou "sandbox": must be an OU id (ou-xxxx-xxxxxxxx) or an organization root id (r-xxxx) (see --help)',
    ],
    [
      'no target at all',
      ['--region', 'eu-west-1'],
      'error: no target accounts: choose --ou, --account or --all-accounts (see --help)',
    ],
    [
      'a short account id',
      ['--account', '1234,111122223333'],
      'error: --account "1234": must be a 12-digit AWS account id (see --help)',
    ],
    [
      'a malformed region',
      ['--all-accounts', '--region', 'EU-WEST'],
      'error: --region "EU-WEST": must be a region name such as eu-west-1, or "all" (see --help)',
    ],
    [
      'zero concurrency',
      ['--all-accounts', '--concurrency', '0'],
      'error: --concurrency 0: must be a whole number from 1 to 256 (see --help)',
    ],
    [
      'a huge concurrency',
      ['--all-accounts', '--concurrency', '5000'],
      'error: --concurrency 5000: must be a whole number from 1 to 256 (see --help)',
    ],
    [
      'a tag without a value separator',
      ['--all-accounts', '--account-tag', 'env'],
      'error: --account-tag "env": must be key=value (see --help)',
    ],
    [
      'an unknown region',
      ['--all-accounts', '--region', 'eu-west-1,us-east-9'],
      'error: --region "us-east-9": is not an AWS region this version knows (e.g. eu-west-1); for newer regions use "all" (see --help)',
    ],
    [
      'a negative repair cap',
      ['--all-accounts', '--max-repairs', '-1'],
      'error: --max-repairs -1: must be a whole number from 0 to 100000 (see --help)',
    ],
    [
      'zero attempts',
      ['--all-accounts', '--max-attempts', '0'],
      'error: --max-attempts 0: must be a whole number from 1 to 20 (see --help)',
    ],
    [
      'a malformed deadline',
      ['--all-accounts', '--deadline', 'soon'],
      'error: --deadline "soon": must be a duration such as 90s, 10m or 1h30m (see --help)',
    ],
    [
      'a malformed external id',
      ['--all-accounts', '--external-id', 'a b'],
      'error: --external-id "a b": must be 2-1224 letters',
    ],
    [
      'a malformed organization id',
      ['--all-accounts', '--expect-organization', 'my-org'],
      'error: --expect-organization "my-org": must be an organization id such as o-a1b2c3d4e5 (see --help)',
    ],
    [
      'a responder pattern for every account',
      ['--all-accounts', '--respect-principal', 'arn:aws:iam::*:role/IncidentResponse*'],
      'error: --respect-principal "arn:aws:iam::*:role/IncidentResponse*": the account must be a 12-digit account id (a wildcard account matches a role any member admin can create); must be an IAM role or user ARN or an STS session ARN such as arn:aws:iam::111122223333:role/IncidentResponse* (a 12-digit account id; wildcards * and ? in the name only) (see --help)',
    ],
    [
      'an empty external id (an unset shell variable)',
      ['--all-accounts', '--external-id', ''],
      'error: --external-id "": must not be empty (leave the option out to mean none) (see --help)',
    ],
    [
      'an empty responder pattern',
      ['--all-accounts', '--respect-principal', ''],
      'error: --respect-principal "": must not be empty (leave the option out to mean none) (see --help)',
    ],
    [
      '--repair-anyway without a responder',
      ['--all-accounts', '--repair-anyway'],
      'error: --repair-anyway: repairs what a --respect-principal principal left: give --respect-principal too (see --help)',
    ],
    ['an unknown option', ['--all-accounts', '--regoin', 'eu-west-1'], "error: unknown option '--regoin'"],
    ['an option without its value', ['--ou'], "error: option '--ou <id>' argument missing"],
    ['a stray argument', ['--all-accounts', 'eu-west-1'], 'error: too many arguments'],
  ])('%s', async (_what, args, message) => {
    emulator.proxy.clear();
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]?.startsWith(message)).toBe(true);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(emulator.proxy.requests).toHaveLength(0);
  });
});

test('--help documents every option, with examples and the exit codes', async () => {
  const { code, stdout } = await cli(['--help']);
  expect(code).toBe(0);
  for (const option of [
    '--ou',
    '--account',
    '--all-accounts',
    '--account-tag',
    '--exclude-account',
    '--region',
    '--role-name',
    '--external-id',
    '--dry-run',
    '--concurrency',
    '--max-repairs',
    '--deadline',
    '--repair-internet-gateway',
    '--recreate-default-vpc',
    '--check-default-subnets',
    '--repair-default-subnets',
    '--expect-organization',
    '--no-causes',
    '--read-only-role-name',
    '--respect-principal',
    '--repair-anyway',
    '--protect-default-path',
    '--egress',
    '--default-subnets',
    '--version',
    '--json',
  ]) {
    expect(stdout).toContain(option);
  }
  expect(stdout).toContain('Examples:');
  expect(stdout).toMatch(
    /^Exit codes \(the JSON report's "outcome" says the same\):\n {2}0 {2}nothing is left broken\n {2}1 {2}something needs attention: a row is left access-denied, .*\n(?: {5}.*\n)+ {2}2 {2}bad input: .*\n(?: {5}.*\n)* {2}3 {2}the run could not complete: no usable credentials, the organization\n/m,
  );
  // Wrapped to 80 columns when piped, as commander wraps the options: no line broken twice.
  for (const line of stdout.split('\n').filter((text) => !/^ {2}(account-janitor|AWS_PROFILE=)/.test(text))) {
    expect(line.length).toBeLessThanOrEqual(80);
  }
});

test('the installed command runs the sweep with the Node.js flags of the functions (a 64 MB young generation)', () => {
  const record = join(mkdtempSync(join(tmpdir(), 'janitor-argv-')), 'argv.jsonl');
  const preload = join(__dirname, '..', 'support', 'record-exec-argv.js');
  const result = spawnSync(process.execPath, [BIN, '--version'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${preload}`, RECORD_EXEC_ARGV: record },
  });
  expect(result.status).toBe(0);
  // The command as started, then the command it started once more with the flags (and no further).
  const processes = readFileSync(record, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
  expect(processes).toEqual([[], [...CLI_RUNTIME_FLAGS]]);
  expect(CLI_RUNTIME_FLAGS).toContain('--max-semi-space-size=64');
});

test('--version prints the package version; help and help doctor print the helps', async () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  await expect(cli(['--version'])).resolves.toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  const help = await cli(['help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: account-janitor [options]');
  const doctorHelp = await cli(['help', 'doctor']);
  expect(doctorHelp.code).toBe(0);
  expect(doctorHelp.stdout).toContain('Usage: account-janitor doctor [options]');
});

test('the installed command: a dry run as JSON finds the broken route and exits 1 (outcome "attention"); it writes nothing', async () => {
  emulator.proxy.clear();
  const { code, stdout, stderr } = await cli(['--ou', ouId, '--region', 'eu-west-1', '--dry-run', '--json']);
  expect(stderr).toBe(NODE_LINES);
  expect(code).toBe(1);
  const report = JSON.parse(stdout) as SweepReport & { outcome: string };
  expect(report.outcome).toBe('attention');
  expect(report.mode).toBe('report');
  expect(report.summary).toMatchObject({ ok: 1, 'would-restore': 1 });
  expect(report.results.find((result) => result.accountId === brokenAccount)).toMatchObject({
    status: 'would-restore',
    region: 'eu-west-1',
  });
  expect(emulator.proxy.count({ action: 'CreateRoute' })).toBe(0);
  // A dry run reads through the read-only role, as an operator's session.
  expect(assumedRoles()).toEqual(['AccountJanitorReadOnlyRole account-janitor-operator']);
});

describe('exit codes: 0 all well, 1 attention, 2 bad input (above), 3 the run could not complete', () => {
  const run = async (args: string[]) => {
    const output = captured();
    const code = await runCli(['node', 'account-janitor', ...args], output.io);
    return { code, stdout: output.stdout(), stderr: output.stderr() };
  };

  test('0: nothing left broken, outcome "ok"', async () => {
    const { code, stdout } = await run(['--account', healthyAccount, '--region', 'eu-west-1', '--dry-run', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'ok', summary: { ok: 1 } });
  });

  /** The installed command with no credentials anywhere the SDK looks, as a user's shell might be. */
  const withoutCredentials = (args: string[]) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL: emulator.proxy.url,
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'janitor-no-such-credentials'),
      AWS_CONFIG_FILE: join(tmpdir(), 'janitor-no-such-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    // The test processes turn the AWS SDK's Node.js warning off; a user's shell does not.
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
    ]) {
      delete env[name];
    }
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
  };

  test('3: no credentials (the installed command): one line naming the error; the JSON says "run-failed"; no request sent', async () => {
    emulator.proxy.clear();
    const { code, stdout, stderr } = await withoutCredentials(['--ou', ouId, '--region', 'eu-west-1', '--json']);
    expect(code).toBe(3);
    // On a Node.js older than 22: the command's one line, and not the SDK's nine.
    expect(stderr).toMatch(
      new RegExp(`^${escape(NODE_LINES)}error: the run could not complete: CredentialsProviderError: [^\\n]+\\n$`),
    );
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'run-failed', error: { name: 'CredentialsProviderError' } });
    expect(emulator.proxy.requests).toHaveLength(0);
  });

  test('3: doctor without credentials could not complete either', async () => {
    const { code, stdout, stderr } = await withoutCredentials(['doctor']);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(`^${escape(NODE_LINES)}error: doctor could not complete: CredentialsProviderError: [^\\n]+\\n$`),
    );
  });

  test('3: the organization unreadable (DescribeOrganization refused): no account entered', async () => {
    emulator.proxy.clear();
    emulator.proxy.inject({
      match: { service: 'organizations', action: 'DescribeOrganization' },
      code: 'AccessDeniedException',
      status: 400,
      message: "You don't have permissions to access this resource.",
    });
    try {
      const { code, stdout, stderr } = await run(['--ou', ouId, '--region', 'eu-west-1', '--json']);
      expect(code).toBe(3);
      expect(stderr).toBe(
        "error: the run could not complete: AccessDeniedException: You don't have permissions to access this resource.\n",
      );
      expect(JSON.parse(stdout)).toEqual({
        outcome: 'run-failed',
        error: { name: 'AccessDeniedException', message: "You don't have permissions to access this resource." },
      });
      expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
    } finally {
      emulator.proxy.clear();
    }
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The member roles the CLI assumed, and the session names it gave, since the proxy was cleared. */
const assumedRoles = () => [
  ...new Set(
    emulator.proxy.requests
      .filter((request) => request.action === 'AssumeRole')
      .map((request) => `${request.params.get('RoleArn')?.split('/')[1]} ${request.params.get('RoleSessionName')}`),
  ),
];

describe('--expect-organization', () => {
  test('another organization: exit 2 with one line naming both ids, before any account is entered', async () => {
    emulator.proxy.clear();
    const { code, stdout, stderr } = await cli([
      '--ou',
      ouId,
      '--region',
      'eu-west-1',
      '--expect-organization',
      'o-0000000000',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(NODE_LINES)).toBe(true);
    expect(stderr.slice(NODE_LINES.length)).toMatch(
      /^error: expected organization o-0000000000, but these credentials are in organization o-[a-z0-9]{10}: no account was entered \(see --help\)\n$/,
    );
    expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
    expect(emulator.proxy.count({ service: 'ec2' })).toBe(0);
    expect(emulator.proxy.count({ service: 'organizations', action: 'ListAccountsForParent' })).toBe(0);
  });

  test('the right organization: the sweep runs, and the table and the JSON report name the organization and the caller', async () => {
    const { organizationId } = await emulator.fixture.describeOrganization();
    const table = captured();
    const args = ['node', 'account-janitor', '--ou', ouId, '--region', 'eu-west-1', '--dry-run'];
    await runCli([...args, '--expect-organization', organizationId], table.io);
    expect(table.stdout().split('\n')[0]).toBe(`Organization ${organizationId}, caller account 123456789012`);
    expect(table.stdout()).toMatch(/would-restore/);

    const json = captured();
    await runCli([...args, '--json'], json.io);
    expect(JSON.parse(json.stdout())).toMatchObject({ organizationId, callerAccountId: '123456789012' });
  });
});

test('in-process: usage errors never build AWS clients', async () => {
  const output = captured();
  const createClients = jest.fn(() => createAwsClients({ homeRegion: 'us-east-1' }));
  expect(await runCli(['node', 'account-janitor', '--account', 'nope'], output.io, { createClients })).toBe(2);
  expect(createClients).not.toHaveBeenCalled();
});

test('in-process: a remediation prints the table, logs the repair on stderr, and exits 0 when all is fixed', async () => {
  emulator.proxy.clear();
  const output = captured();
  const code = await runCli(['node', 'account-janitor', '--ou', ouId, '--region', 'eu-west-1'], output.io);
  expect(code).toBe(0);
  expect(output.stdout()).toMatch(new RegExp(`^broken \\(${brokenAccount}\\)\\s+eu-west-1\\s+restored`, 'm'));
  expect(output.stdout()).toContain('Nothing is left broken.');
  expect(output.stderr()).toMatch(
    new RegExp(
      `^info route repaired accountId=${brokenAccount} region=eu-west-1 .*action=CreateRoute before=none after=igw-`,
      'm',
    ),
  );
  expect(output.stderr()).not.toContain('checked');
  // To repair, the write role (which trusts only operatorWritePrincipalArns), never as the janitor's own session.
  expect(assumedRoles()).toEqual(['AccountJanitorMemberRole account-janitor-operator']);
});

test('in-process: progress goes to stderr only when it is a terminal', async () => {
  const output = captured(true);
  await runCli(['node', 'account-janitor', '--ou', ouId, '--region', 'eu-west-1', '--dry-run'], output.io);
  expect(output.stderr()).toContain('checked 2/2 accounts, 2 account-regions');
  expect(output.stdout()).not.toContain('checked 2/2');
});

test('in-process: an OU that does not exist is a usage error (exit 2), not a crash', async () => {
  const output = captured();
  const code = await runCli(
    ['node', 'account-janitor', '--ou', 'ou-zzzz-missing1', '--region', 'eu-west-1'],
    output.io,
  );
  expect(code).toBe(2);
  expect(output.stderr()).toBe('error: OU "ou-zzzz-missing1": does not exist in this organization (see --help)\n');
});

test('in-process: --repair-default-subnets shows the subnets column with the zones, and logs each CreateDefaultSubnet', async () => {
  const healthy = healthyAccount;
  await emulator.fixture.deleteDefaultSubnets(healthy, 'eu-west-1', ['eu-west-1c']);
  const args = ['node', 'account-janitor', '--account', healthy, '--region', 'eu-west-1'];

  const check = captured();
  expect(await runCli([...args, '--check-default-subnets'], check.io)).toBe(1);
  expect(check.stdout()).toMatch(
    new RegExp(`^healthy \\(${healthy}\\) +eu-west-1 +subnets-missing +subnets: no default subnet in eu-west-1c$`, 'm'),
  );
  expect(check.stdout()).toContain('default subnets: 1 subnets-missing');
  expect(check.stdout()).toContain('1 row needs attention (subnets-missing).');

  const repair = captured();
  expect(await runCli([...args, '--repair-default-subnets'], repair.io)).toBe(0);
  expect(repair.stdout()).toMatch(
    new RegExp(
      `^healthy \\(${healthy}\\) +eu-west-1 +subnets-restored +subnets: created the default subnet of eu-west-1c`,
      'm',
    ),
  );
  expect(repair.stdout()).toContain('Nothing is left broken.');
  expect(repair.stderr()).toMatch(
    new RegExp(
      `^info default subnet created accountId=${healthy} region=eu-west-1 vpcId=vpc-\\w+ action=CreateDefaultSubnet availabilityZone=eu-west-1c before=none after=subnet-`,
      'm',
    ),
  );
  expect(
    (await emulator.fixture.defaultSubnets(healthy, 'eu-west-1')).map((subnet) => subnet.AvailabilityZone),
  ).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
});

test('in-process: --repair-internet-gateway and --recreate-default-vpc reach the engine (dry run: would-*)', async () => {
  // Outside the fixture's region, moto's default VPC has no gateway (as after a clean-up); in
  // us-west-2 the default VPC is deleted.
  await emulator.fixture.deleteDefaultVpc(healthyAccount, 'us-west-2');
  const args = [
    'node',
    'account-janitor',
    '--account',
    healthyAccount,
    '--region',
    'ap-southeast-2,us-west-2',
    '--json',
  ];
  const statuses = async (extra: string[]) => {
    const output = captured();
    await runCli([...args, '--dry-run', ...extra], output.io);
    const report = JSON.parse(output.stdout()) as SweepReport;
    return report.results.map((result) => `${result.region}: ${result.status}`);
  };
  expect(await statuses([])).toEqual(['ap-southeast-2: no-internet-gateway', 'us-west-2: no-default-vpc']);
  expect(await statuses(['--repair-internet-gateway', '--recreate-default-vpc'])).toEqual([
    'ap-southeast-2: would-restore-gateway',
    'us-west-2: would-recreate-vpc',
  ]);
});

test('in-process: --egress check reports a stripped default security group (exit 1), as its alias --check-egress does; --egress repair puts it back (exit 0)', async () => {
  const groupId = await emulator.fixture.stripDefaultSecurityGroup(healthyAccount, 'eu-west-1');
  const args = ['node', 'account-janitor', '--account', healthyAccount, '--region', 'eu-west-1', '--json'];
  const run = async (extra: string[]) => {
    const output = captured();
    const code = await runCli([...args, ...extra], output.io);
    return { code, report: JSON.parse(output.stdout()) as SweepReport, stderr: output.stderr() };
  };
  for (const flags of [['--egress', 'check'], ['--check-egress']]) {
    const check = await run(flags);
    expect(check.code).toBe(1);
    expect(check.report.results[0]?.egress).toMatchObject({ status: 'egress-blocked' });
    expect(check.report.egressSummary['egress-blocked']).toBe(1);
  }
  // A mode that is none: a usage error (exit 2) naming the choices.
  const bad = captured();
  expect(await runCli([...args, '--egress', 'fix'], bad.io)).toBe(2);
  expect(bad.stderr()).toContain("argument 'fix' is invalid. Allowed choices are off, check, repair.");

  const repair = await run(['--egress', 'repair']);
  expect(repair.code).toBe(0);
  expect(repair.report.results[0]?.egress).toMatchObject({
    status: 'egress-restored',
    repaired: [`${groupId} egress all traffic to 0.0.0.0/0`],
  });
  expect(repair.stderr).toMatch(
    new RegExp(`^info egress rule restored accountId=${healthyAccount} region=eu-west-1 .*before=no egress rule`, 'm'),
  );
});

describe('the human report (issue 15)', () => {
  beforeAll(async () => {
    // The tests above repaired the broken route: break it again.
    if ((await emulator.fixture.internetRouteTarget(brokenAccount, 'eu-west-1')) !== null) {
      await emulator.fixture.deleteInternetRoute(brokenAccount, 'eu-west-1');
    }
  });
  const terminalEnv = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: emulator.proxy.url, TERM: 'xterm-256color' };
    delete env['NO_COLOR'];
    delete env['FORCE_COLOR'];
    return env;
  };
  const tableOf = (output: string) => {
    const lines = stripVTControlCharacters(output).split('\n');
    const start = lines.findIndex((line) => line.startsWith('ACCOUNT'));
    return lines.slice(start, lines.indexOf('', start));
  };

  test('in a terminal (a pseudo-terminal 72 columns wide): fitted, coloured, attention first', async () => {
    const { code, output } = await runInTerminal(
      72,
      [process.execPath, BIN, '--ou', ouId, '--region', 'eu-west-1', '--dry-run', '--no-causes'],
      terminalEnv(),
    );
    expect(code).toBe(1);
    const table = tableOf(output);
    expect(table[0]).toMatch(/^ACCOUNT\s+REGION\s+STATUS\s+MESSAGE$/);
    expect(table[1]).toBe('Would repair: dry run, or beyond the repair cap (1)');
    expect(table[2]).toMatch(
      new RegExp(`^broken \\(${brokenAccount}\\) +eu-west-1 +would-restore +0\\.0\\.0\\.0/0 is m.*…$`),
    );
    for (const line of table) expect(line.length).toBeLessThanOrEqual(72);
    expect(output).toContain('\u001b[33mwould-restore\u001b[39m');
    expect(stripVTControlCharacters(output)).toContain('Not listed: 1 account-region ok (--all lists every row).');

    const noColor = await runInTerminal(
      72,
      [process.execPath, BIN, '--ou', ouId, '--region', 'eu-west-1', '--dry-run', '--no-causes'],
      { ...terminalEnv(), NO_COLOR: '1' },
    );
    expect(tableOf(noColor.output)[2]).toMatch(/…$/);
    expect(noColor.output).not.toContain('\u001b[33m');
  });

  test('piped: nothing cut, no colour; --all lists the healthy row; --wide adds the route columns', async () => {
    const args = ['node', 'account-janitor', '--ou', ouId, '--region', 'eu-west-1', '--dry-run'];
    const piped = captured();
    await runCli([...args, '--all'], piped.io);
    expect(piped.stdout()).toMatch(new RegExp(`^healthy \\(${healthyAccount}\\) +eu-west-1 +ok `, 'm'));
    expect(piped.stdout()).toContain('No attention needed (1)');
    expect(piped.stdout()).not.toContain('\u001b[');

    const wide = captured();
    await runCli([...args, '--wide'], { ...wide.io, stdoutIsTty: true, stdoutColumns: 60 });
    const table = tableOf(wide.stdout());
    expect(table[0]).toMatch(/^ACCOUNT\s+REGION\s+STATUS\s+VPC\s+ROUTE TABLE\s+GATEWAY\s+BEFORE\s+MESSAGE$/);
    expect(table[2]).toMatch(/ vpc-\w+ +rtb-\w+ +igw-\w+ +\(none\) +0\.0\.0\.0\/0 is missing; route to igw-\w+$/);
  });

  test('--output markdown prints a GitHub table, html one page; --json is --output json; a bad format or both is exit 2', async () => {
    const args = ['node', 'account-janitor', '--ou', ouId, '--region', 'eu-west-1', '--dry-run'];
    const markdown = captured();
    expect(await runCli([...args, '--output', 'markdown'], markdown.io)).toBe(1);
    expect(markdown.stdout()).toMatch(/^### account-janitor dry run: 2 accounts, 2 account-regions, /);
    expect(markdown.stdout()).toContain('| Account | Region | Status | Message |\n|---|---|---|---|\n');
    expect(markdown.stdout()).toMatch(
      // Parentheses escaped, as all link syntax is: the account renders as "broken (…)".
      new RegExp(`^\\| broken \\\\\\(${brokenAccount}\\\\\\) \\| eu-west-1 \\| would-restore \\| `, 'm'),
    );

    const json = captured();
    await runCli([...args, '--output', 'json'], json.io);
    const alias = captured();
    await runCli([...args, '--json'], alias.io);
    const statuses = (text: string) => (JSON.parse(text) as SweepReport).results.map((row) => row.status).sort();
    expect(statuses(json.stdout())).toEqual(statuses(alias.stdout()));

    const html = captured();
    expect(await runCli([...args, '--output', 'html'], html.io)).toBe(1);
    expect(html.stdout()).toMatch(/^<!doctype html>/);
    expect(html.stdout()).toContain(`OU Sandboxes (${ouId}) (2 accounts)`);
    expect(html.stdout()).toContain(`title="${brokenAccount} eu-west-1: would-restore — 0.0.0.0/0 is missing`);

    const bad = captured();
    expect(await runCli([...args, '--output', 'pdf'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain("argument 'pdf' is invalid. Allowed choices are table, json, markdown, html.");
    const both = captured();
    expect(await runCli([...args, '--json', '--output', 'markdown'], both.io)).toBe(2);
    expect(both.stderr()).toContain("option '--json' cannot be used with option '--output <format>'");
  });
});
