import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { CONFIG_KEYS, type ConfigKey, type SweepConfigInput } from '../lambda/config/schema';
import { docOf, shownDefault, SWEEP_SETTINGS, type CliSpec, type Setting } from '../lambda/config/settings';
import type { InputProblem } from '../lambda/errors';
import { exitCodesHelp } from './exit-codes';
import { helpWidthOf, wrapParagraphs, type HelpOutput } from './help-text';

/**
 * The `account-janitor` command's options (commander). A sweep setting's option, its help and the
 * key it fills come from the settings table (lambda/config/settings.ts), so errors name the option
 * the user typed; the options that only shape the command's output are written here.
 */

export const OUTPUT_FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where the program writes its help and usage errors, and how wide its help may be. */
export type ProgramOutput = HelpOutput;

const SETTINGS: Readonly<Record<ConfigKey, Setting>> = SWEEP_SETTINGS;

/** The settings the CLI has an option for, with it. */
const CLI_SETTINGS = CONFIG_KEYS.flatMap((key) => {
  const { cli } = SETTINGS[key];
  return cli ? [{ key, cli, attribute: new Option(cli.flags).attributeName() }] : [];
});

const flagOf = (cli: CliSpec) => cli.flags.split(' ')[0] ?? cli.flags;

/** Which option sets which configuration key, so errors name the option the user typed. */
export const OPTION_OF: Readonly<Partial<Record<ConfigKey, string>>> = Object.fromEntries(
  CLI_SETTINGS.map(({ key, cli }) => [key, flagOf(cli)]),
);

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

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

/** An option's help: the setting's doc (or the option's own), whether it repeats, its default. */
function helpOf(setting: Setting, cli: CliSpec): string {
  const plain = (text: string) => text.replace(/`/g, '');
  if (setting.aliasOf) {
    const [target, mode] = setting.aliasOf;
    const targetCli = SETTINGS[target as ConfigKey].cli;
    return `alias of ${targetCli ? flagOf(targetCli) : target} ${mode}`;
  }
  const shown = shownDefault(setting);
  const takesValue = cli.flags.includes('<');
  return [
    plain(cli.help ?? docOf(setting)),
    cli.repeatable ? ' (repeatable, comma-separated)' : '',
    takesValue && !shown.startsWith('none') ? ` (default: ${plain(shown)})` : '',
  ].join('');
}

/** The sweep settings' options, in the table's order. */
function addSettingOptions(program: Command): Command {
  for (const { key, cli } of CLI_SETTINGS) {
    const option = new Option(cli.flags, helpOf(SETTINGS[key], cli));
    if (cli.repeatable) option.argParser(repeatable);
    if (cli.choices) option.choices(cli.choices);
    program.addOption(option);
  }
  return program;
}

/**
 * What the options say that the shared schema cannot see: a value given empty (`--external-id ""`,
 * often an unset shell variable) is refused rather than read as "not set", and `--repair-anyway`
 * needs a responder to repair after.
 */
export function optionProblems(options: Readonly<Record<string, unknown>>): InputProblem[] {
  const empty = CLI_SETTINGS.filter(({ cli, attribute }) => {
    const value = options[attribute];
    const values: unknown[] = Array.isArray(value) ? value : [value];
    return cli.flags.includes('<') && values.some((item) => typeof item === 'string' && item.trim() === '');
  }).map(({ cli }) => ({
    field: flagOf(cli),
    value: '',
    message: 'must not be empty (leave the option out to mean none)',
  }));
  const responders = options[attributeOf('respectPrincipals')];
  const repairAnyway =
    options['repairAnyway'] === true && !(Array.isArray(responders) && responders.length > 0)
      ? [
          {
            field: '--repair-anyway',
            message: 'repairs what a --respect-principal principal left: give --respect-principal too',
          },
        ]
      : [];
  return [...empty, ...repairAnyway];
}

const attributeOf = (key: ConfigKey) => CLI_SETTINGS.find((setting) => setting.key === key)?.attribute ?? key;

/** The sweep settings' raw values from the parsed options, for the shared schema. */
export function settingsFromOptions(options: Readonly<Record<string, unknown>>): SweepConfigInput {
  return Object.fromEntries(
    CLI_SETTINGS.map(({ key, cli, attribute }) => {
      const value = options[attribute];
      return [key, cli.toSetting ? cli.toSetting(value) : value];
    }),
  );
}

export function buildProgram(io: ProgramOutput): Command {
  const width = helpWidthOf(io);
  return addSettingOptions(new Command('account-janitor'))
    .description(
      'Checks the default VPC of every target account and region of an AWS Organization, and restores its ' +
        "main route table's 0.0.0.0/0 route to the attached internet gateway when it is missing or stale.",
    )
    .option(
      '--deadline <duration>',
      'start no new work after this long (e.g. 90s, 10m, 1h30m); the rest is not-checked',
    )
    .option('--repair-anyway', 'repair a drift left by a --respect-principal principal too (a person has cleared it)')
    .addOption(
      new Option(
        '--output <format>',
        'table (default), json (the full report), markdown (GitHub-flavoured) or html (one self-contained page: a heatmap of accounts × regions, then the table)',
      ).choices(OUTPUT_FORMATS),
    )
    .addOption(new Option('--json', 'the same as --output json').conflicts('output'))
    .option('--all', 'list every account-region, not only those that need attention, and every row of a long group')
    .option('--wide', 'add VPC, route table, gateway and previous target to the table, and cut nothing')
    .addHelpText(
      'after',
      wrapParagraphs(
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

Credentials and endpoints come from the AWS SDK's default chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL...). Organizations and STS are called in AWS_REGION (default us-east-1).

After deploying, check the deployment with: account-janitor doctor (see account-janitor doctor --help).
Keep aws-nuke or cloud-nuke off the default path: account-janitor nuke-preset --tool aws-nuke|cloud-nuke.

Exit codes (the JSON report's "outcome" says the same):
${exitCodesHelp(width)}`,
        width,
      ),
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help (also: account-janitor help [doctor|nuke-preset])')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      getOutHelpWidth: () => width,
      getErrHelpWidth: () => width,
    });
}

/** The options that are the command's own (the settings' are read with `settingsFromOptions`). */
export interface CliOptions {
  deadline?: string;
  repairAnyway?: boolean;
  json?: boolean;
  output?: OutputFormat;
  all?: boolean;
  wide?: boolean;
}
