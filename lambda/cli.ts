import { Command, CommanderError, Option } from 'commander';
import { createAwsClients, type AwsClients } from './aws/clients';
import { parseSweepConfig } from './config/parse';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_REPAIRS_PER_RUN,
  DEFAULT_MEMBER_ROLE_NAME,
  MAX_CONCURRENCY,
  type ConfigKey,
} from './config/schema';
import { parseDuration } from './core/duration';
import { exitCodeFor } from './core/report';
import { runDoctorCli } from './doctor/cli';
import { ConfigError, UserInputError } from './errors';
import { renderJson, renderTable } from './report/render-table';
import { progressLine, textLogger } from './report/cli-log';
import { runSweep } from './sweep';

/**
 * The `account-janitor` command: parses options into the shared configuration, runs the sweep with
 * the caller's own AWS credentials (default credential chain, AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL), prints the report. Exit codes: 0 nothing left broken, 1 something is, 2 bad
 * usage (and then no AWS call is made).
 */

export const EXIT_OK = 0;
export const EXIT_ATTENTION = 1;
export const EXIT_USAGE = 2;

/** Which option sets which configuration key, so errors name the option the user typed. */
const OPTION_OF: Readonly<Record<ConfigKey, string>> = {
  targetOuIds: '--ou',
  accountIds: '--account',
  allAccounts: '--all-accounts',
  accountTags: '--account-tag',
  excludeAccountIds: '--exclude-account',
  regions: '--region',
  memberRoleName: '--role-name',
  externalId: '--external-id',
  mode: '--dry-run',
  concurrency: '--concurrency',
  maxAttempts: '--max-attempts',
  maxRepairsPerRun: '--max-repairs',
  repairInternetGateway: '--repair-internet-gateway',
  recreateDefaultVpc: '--recreate-default-vpc',
  checkDefaultSubnets: '--check-default-subnets',
  repairDefaultSubnets: '--repair-default-subnets',
  organizationId: '--expect-organization',
  lookUpCauses: '--no-causes',
};

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export interface CliDependencies {
  /** Builds the AWS clients; called only once the options are valid. */
  readonly createClients?: (homeRegion: string) => AwsClients;
}

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

function buildProgram(io: CliIo): Command {
  return new Command('account-janitor')
    .description(
      'Checks the default VPC of every target account and region of an AWS Organization, and restores its\n' +
        "main route table's 0.0.0.0/0 route to the attached internet gateway when it is missing or stale.",
    )
    .option(
      '--ou <id>',
      'OU or root id: every account below it, through nested OUs (repeatable, comma-separated)',
      repeatable,
    )
    .option(
      '--account <id>',
      'account id (repeatable, comma-separated); the only way to include the management account',
      repeatable,
    )
    .option('--all-accounts', 'every account of the organization (explicit opt-in)')
    .option('--account-tag <key=value>', 'keep only accounts with this tag (repeatable; all must match)', repeatable)
    .option('--exclude-account <id>', 'never check this account (repeatable, comma-separated)', repeatable)
    .option(
      '--region <name>',
      'region to check (repeatable, comma-separated), or "all" for every enabled region (default: all)',
      repeatable,
    )
    .option('--role-name <name>', `role assumed in each member account (default: ${DEFAULT_MEMBER_ROLE_NAME})`)
    .option('--external-id <id>', 'external id for AssumeRole, if the member role requires one')
    .option('--dry-run', 'report what would be repaired; make no write call at all')
    .addOption(
      new Option(
        '--concurrency <n>',
        `account-regions checked at once, 1-${MAX_CONCURRENCY} (default: ${DEFAULT_CONCURRENCY})`,
      ),
    )
    .option(
      '--max-repairs <n>',
      `writes this run may make at most; further drift is reported would-* (default: ${DEFAULT_MAX_REPAIRS_PER_RUN})`,
    )
    .option('--max-attempts <n>', `attempts per AWS request, retries included (default: ${DEFAULT_MAX_ATTEMPTS})`)
    .option(
      '--deadline <duration>',
      'start no new work after this long (e.g. 90s, 10m, 1h30m); the rest is not-checked',
    )
    .option(
      '--repair-internet-gateway',
      'opt-in: when a default VPC has no internet gateway, create one (tagged), attach it and restore the route',
    )
    .option(
      '--recreate-default-vpc',
      'opt-in: when a region has no default VPC, create it again (CreateDefaultVpc) with its gateway and route',
    )
    .option(
      '--check-default-subnets',
      'opt-in: also report zones without a default subnet, and default subnets without public IPs or internet route',
    )
    .option(
      '--repair-default-subnets',
      'opt-in: create the default subnet of each zone that has none (CreateDefaultSubnet); implies the check',
    )
    .option(
      '--expect-organization <id>',
      'stop with exit code 2, before entering any account, unless the credentials are in this organization (o-...)',
    )
    .option('--no-causes', 'do not look up in CloudTrail who broke each drifted account-region')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  # What is broken in two OUs, three regions (no write):
  account-janitor --ou ou-ab12-cdef3456 --ou ou-ab12-99990000 --region us-east-1,eu-west-1,eu-central-1 --dry-run

  # Repair every enabled region of the accounts tagged env=sandbox, except one:
  account-janitor --all-accounts --account-tag env=sandbox --exclude-account 111122223333

  # One account, report as JSON:
  AWS_PROFILE=org-admin account-janitor --account 111122223333 --region eu-west-1 --json > report.json

Credentials and endpoints come from the AWS SDK's default chain (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL...). Organizations and STS are called in AWS_REGION (default us-east-1).

After deploying, check the deployment with: account-janitor doctor (see account-janitor doctor --help).

Exit codes: 0 nothing left broken; 1 a target is left would-*, conflict, no-internet-gateway,
repair-failed, error, access-denied, not-checked or subnets-missing/-misconfigured/-repair-failed;
2 bad usage (no AWS call made).`,
    )
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

interface CliOptions {
  ou?: string[];
  account?: string[];
  allAccounts?: boolean;
  accountTag?: string[];
  excludeAccount?: string[];
  region?: string[];
  roleName?: string;
  externalId?: string;
  dryRun?: boolean;
  concurrency?: string;
  maxRepairs?: string;
  maxAttempts?: string;
  deadline?: string;
  repairInternetGateway?: boolean;
  recreateDefaultVpc?: boolean;
  checkDefaultSubnets?: boolean;
  repairDefaultSubnets?: boolean;
  expectOrganization?: string;
  causes?: boolean;
  json?: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo, dependencies: CliDependencies = {}): Promise<number> {
  if (argv[2] === 'doctor') {
    return runDoctorCli(argv.slice(3), io, () => {
      const homeRegion = homeRegionOf(io.env);
      return dependencies.createClients?.(homeRegion) ?? createAwsClients({ homeRegion });
    });
  }
  const program = buildProgram(io);
  try {
    program.parse([...argv], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    throw error;
  }
  const options = program.opts<CliOptions>();

  let clients: AwsClients | undefined;
  try {
    const config = parseSweepConfig(
      {
        targetOuIds: options.ou,
        accountIds: options.account,
        allAccounts: options.allAccounts ?? false,
        accountTags: options.accountTag,
        excludeAccountIds: options.excludeAccount,
        regions: options.region,
        memberRoleName: options.roleName,
        externalId: options.externalId,
        mode: options.dryRun ? 'report' : 'remediate',
        concurrency: options.concurrency,
        maxAttempts: options.maxAttempts,
        maxRepairsPerRun: options.maxRepairs,
        repairInternetGateway: options.repairInternetGateway ?? false,
        recreateDefaultVpc: options.recreateDefaultVpc ?? false,
        checkDefaultSubnets: options.checkDefaultSubnets ?? false,
        repairDefaultSubnets: options.repairDefaultSubnets ?? false,
        organizationId: options.expectOrganization,
        lookUpCauses: options.causes ?? true,
      },
      'invalid options',
      (key) => OPTION_OF[key as ConfigKey] ?? key,
    );
    const deadline = parseDeadline(options.deadline);
    const homeRegion = homeRegionOf(io.env);
    const createClients =
      dependencies.createClients ??
      ((region: string) => createAwsClients({ homeRegion: region, maxAttempts: config.maxAttempts }));
    clients = createClients(homeRegion);
    const progress = io.stderrIsTty ? progressLine(io.stderr) : undefined;
    const report = await runSweep(
      config,
      { clients, logger: textLogger(io.stderr, progress), onProgress: progress?.update },
      { deadline },
    );
    progress?.clear();
    io.stdout(options.json ? renderJson(report) : renderTable(report));
    return exitCodeFor(report);
  } catch (error) {
    if (error instanceof UserInputError) {
      io.stderr(`error: ${error.describe()} (see --help)\n`);
      return EXIT_USAGE;
    }
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: the sweep failed: ${name}: ${message}\n`);
    return EXIT_ATTENTION;
  } finally {
    clients?.destroy();
  }
}

function homeRegionOf(env: NodeJS.ProcessEnv): string {
  return env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
}

function parseDeadline(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const milliseconds = parseDuration(text);
  if (milliseconds === undefined) {
    throw new ConfigError('invalid options', [
      { field: '--deadline', value: text, message: 'must be a duration such as 90s, 10m or 1h30m' },
    ]);
  }
  return new Date(Date.now() + milliseconds);
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  // `account-janitor … | head`: a reader that stops reading is not an error of ours; the exit
  // code stays the run's.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.exitCode = await runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    env: process.env,
  });
}

if (require.main === module) {
  void main();
}
