import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_REPAIRS_PER_RUN,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_READ_ONLY_ROLE_NAME,
  CONFIG_KEYS,
  MAX_CONCURRENCY,
  SWITCH_MODES,
  type ConfigKey,
} from '../lambda/config/schema';
import { SWEEP_SETTINGS } from '../lambda/config/settings';
import { UNRESOLVED_STATUSES } from '../lambda/core/statuses';

/**
 * The `account-janitor` command's options (commander): what each one sets, its help, and the
 * configuration key it fills, so that errors name the option the user typed.
 */

export const OUTPUT_FORMATS = ['table', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where the program writes its help and usage errors. */
export interface ProgramOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Which option sets which configuration key, so errors name the option the user typed. */
export const OPTION_OF = Object.fromEntries(CONFIG_KEYS.map((key) => [key, SWEEP_SETTINGS[key].cli])) as Readonly<
  Record<ConfigKey, string>
>;

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

/** Text cut into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** This package's version, from its package.json (beside lambda/ in the sources, beside dist/ when built). */
export function packageVersion(): string {
  for (const up of [['..'], ['..', '..']]) {
    try {
      const manifest = JSON.parse(readFileSync(join(__dirname, ...up, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'account-janitor' && manifest.version) return manifest.version;
    } catch {
      // not this level
    }
  }
  return 'unknown';
}

export function buildProgram(io: ProgramOutput): Command {
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
    .option(
      '--role-name <name>',
      `role assumed in each member account to repair (default: ${DEFAULT_MEMBER_ROLE_NAME}; it trusts only operatorWritePrincipalArns besides the hub)`,
    )
    .option(
      '--read-only-role-name <name>',
      `role assumed with --dry-run and by doctor (default: ${DEFAULT_READ_ONLY_ROLE_NAME}; it trusts operatorPrincipalArns)`,
    )
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
    .addOption(
      new Option(
        '--default-subnets <mode>',
        'opt-in: check reports zones without a default subnet and misconfigured ones; repair also creates the missing ones',
      ).choices(SWITCH_MODES),
    )
    .addOption(
      new Option(
        '--egress <mode>',
        "opt-in: check reports whether the default security group and network ACL let traffic out; repair puts AWS's default allow back",
      ).choices(SWITCH_MODES),
    )
    .option('--check-default-subnets', 'alias of --default-subnets check')
    .option('--repair-default-subnets', 'alias of --default-subnets repair')
    .option('--check-egress', 'alias of --egress check')
    .option('--repair-egress', 'alias of --egress repair')
    .option(
      '--expect-organization <id>',
      'stop with exit code 2, before entering any account, unless the credentials are in this organization (o-...)',
    )
    .option('--no-causes', 'do not look up in CloudTrail who broke each drifted account-region')
    .option(
      '--protect-default-path',
      'tag the default path account-janitor:protected=true, what the guard rail SCP (protectDefaultPath) keys on; a write, counted in --max-repairs',
    )
    .option(
      '--respect-principal <arn-pattern>',
      'leave alone a drift this principal caused (incident response, break-glass): reported left-by-responder; IAM-style ARN pattern, * and ? (repeatable)',
      repeatable,
    )
    .option('--repair-anyway', 'repair a drift left by a --respect-principal principal too (a person has cleared it)')
    .addOption(
      new Option('--output <format>', 'table (default), json (the full report) or markdown (GitHub-flavoured)').choices(
        OUTPUT_FORMATS,
      ),
    )
    .addOption(new Option('--json', 'the same as --output json').conflicts('output'))
    .option('--all', 'list every account-region, not only those that need attention')
    .option('--wide', 'add VPC, route table, gateway and previous target to the table, and cut nothing')
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

  # In CI, a dry run as a GitHub job summary:
  account-janitor --ou ou-ab12-cdef3456 --dry-run --output markdown >> "$GITHUB_STEP_SUMMARY"

Credentials and endpoints come from the AWS SDK's default chain (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL...). Organizations and STS are called in AWS_REGION (default us-east-1).

After deploying, check the deployment with: account-janitor doctor (see account-janitor doctor --help).

${wrap(`Exit codes: 0 nothing left broken; 1 a row is left ${[...UNRESOLVED_STATUSES].join(', ')};`, 100)}
2 bad usage (no AWS call made).`,
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help (also: account-janitor help [doctor])')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

export interface CliOptions {
  ou?: string[];
  account?: string[];
  allAccounts?: boolean;
  accountTag?: string[];
  excludeAccount?: string[];
  region?: string[];
  roleName?: string;
  readOnlyRoleName?: string;
  externalId?: string;
  dryRun?: boolean;
  concurrency?: string;
  maxRepairs?: string;
  maxAttempts?: string;
  deadline?: string;
  repairInternetGateway?: boolean;
  recreateDefaultVpc?: boolean;
  defaultSubnets?: string;
  egress?: string;
  checkDefaultSubnets?: boolean;
  repairDefaultSubnets?: boolean;
  checkEgress?: boolean;
  repairEgress?: boolean;
  expectOrganization?: string;
  causes?: boolean;
  protectDefaultPath?: boolean;
  respectPrincipal?: string[];
  repairAnyway?: boolean;
  json?: boolean;
  output?: OutputFormat;
  all?: boolean;
  wide?: boolean;
}
