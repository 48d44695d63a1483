import { Command, CommanderError, Option } from 'commander';
import { Document } from 'yaml';
import {
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_READ_ONLY_ROLE_NAME,
  ROLE_NAME_MESSAGE,
  ROLE_NAME_PATTERN,
} from '../../lambda/config/values';
import { SWEEP_SETTINGS } from '../../lambda/config/settings';
import { ConfigError, UserInputError } from '../../lambda/errors';
import { AWS_NUKE_DEFAULT_PRESET_NAME, awsNukePreset } from './aws-nuke';
import { cloudNukeConfig } from './cloud-nuke';
import type { JanitorRoleNames } from './janitor-keeps';

/**
 * `account-janitor nuke-preset --tool aws-nuke|cloud-nuke`: the config that keeps a clean-up tool off
 * the default path and off the janitor's own resources, as YAML on stdout or in `--output`. No AWS
 * call. Exit codes: 0 written, 2 bad usage.
 */

export const NUKE_TOOLS = ['aws-nuke', 'cloud-nuke'] as const;
export type NukeTool = (typeof NUKE_TOOLS)[number];

export interface NukePresetCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Writes the file of `--output`. */
  readonly writeFile: (path: string, text: string) => void;
}

export interface NukePresetOptions extends JanitorRoleNames {
  readonly tool: NukeTool;
  /** aws-nuke: the preset's key. */
  readonly presetName: string;
}

const HEADERS: Record<NukeTool, (presetName: string) => string> = {
  'aws-nuke': (presetName) =>
    [
      ' account-janitor nuke-preset for aws-nuke v3: keeps the default VPC, its internet gateway and',
      ' attachment, subnets, route tables, default security group rules, DHCP options and whatever carries',
      ' the guard rail tag, and the janitor’s own roles, StackSet instances and forwarder rule.',
      ' Merge `presets` into your config and name the preset in each account:',
      `   accounts: { "<account id>": { presets: [${presetName}] } }`,
    ].join('\n'),
  'cloud-nuke': () =>
    [
      ' account-janitor nuke-preset for cloud-nuke: keeps the internet gateways (and the rest of the',
      ' default path) that carry the guard rail tag, and the janitor’s own roles, StackSet instances and',
      ' forwarder rule. Run with `cloud-nuke aws --config <this file>`; merge it key by key into a config',
      ' you already have (a resource type that is there already: add these rules to its `exclude`).',
    ].join('\n'),
};

/** The config as YAML, with a comment that says what it keeps and how to use it. */
export function renderNukePreset(options: NukePresetOptions): string {
  const content = options.tool === 'aws-nuke' ? awsNukePreset(options, options.presetName) : cloudNukeConfig(options);
  const document = new Document(content);
  document.commentBefore = HEADERS[options.tool](options.presetName);
  return document.toString({ lineWidth: 0 });
}

const checkRoleName = (field: string, value: string) =>
  ROLE_NAME_PATTERN.test(value) ? [] : [{ field, value, message: ROLE_NAME_MESSAGE }];

/** Writes the file, or names it in a ConfigError: a path that cannot be written is the user's to fix. */
function writeOutput(io: NukePresetCliIo, path: string, text: string): void {
  try {
    io.writeFile(path, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError('invalid options', [
      { field: '--output', value: path, message: `cannot be written (${reason})` },
    ]);
  }
}

export function runNukePresetCli(argv: readonly string[], io: NukePresetCliIo): number {
  const program = new Command('account-janitor nuke-preset')
    .description(
      'Prints the config that keeps a clean-up tool (aws-nuke v3, cloud-nuke) off the default path and off the\n' +
        "janitor's own resources: merge it into the tool's config before the guard rail enforces. No AWS call.",
    )
    .addOption(new Option('--tool <name>', 'the clean-up tool').choices(NUKE_TOOLS).makeOptionMandatory())
    .option('--output <file>', 'write the config to this file instead of stdout')
    // The sweep's own options for the two names (the settings memberRoleName, readOnlyRoleName).
    .option(SWEEP_SETTINGS.memberRoleName.cli.flags, 'the write member role, as deployed', DEFAULT_MEMBER_ROLE_NAME)
    .option(
      SWEEP_SETTINGS.readOnlyRoleName.cli.flags,
      'the read-only member role, as deployed',
      DEFAULT_READ_ONLY_ROLE_NAME,
    )
    .option('--preset-name <name>', "aws-nuke: the preset's name", AWS_NUKE_DEFAULT_PRESET_NAME)
    .addHelpText(
      'after',
      `
Examples:
  account-janitor nuke-preset --tool aws-nuke --output janitor-preset.yaml
  account-janitor nuke-preset --tool cloud-nuke > cloud-nuke.yaml && cloud-nuke aws --config cloud-nuke.yaml

How to merge it into a config you have, and into Innovation Sandbox's: docs/clean-up-tools.md.

Exit codes: 0 written; 2 bad usage.`,
    )
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<{
    tool: NukeTool;
    output?: string;
    roleName: string;
    readOnlyRoleName: string;
    presetName: string;
  }>();
  try {
    const problems = [
      ...checkRoleName('--role-name', options.roleName),
      ...checkRoleName('--read-only-role-name', options.readOnlyRoleName),
      ...(/^[\w.-]{1,64}$/.test(options.presetName)
        ? []
        : [{ field: '--preset-name', value: options.presetName, message: 'must be 1-64 letters, digits or ._-' }]),
    ];
    if (problems.length > 0) throw new ConfigError('invalid options', problems);
    const text = renderNukePreset({
      tool: options.tool,
      memberRoleName: options.roleName,
      readOnlyRoleName: options.readOnlyRoleName,
      presetName: options.presetName,
    });
    if (options.output === undefined) io.stdout(text);
    else writeOutput(io, options.output, text);
    return 0;
  } catch (error) {
    if (error instanceof UserInputError) {
      io.stderr(`error: ${error.describe()} (see account-janitor nuke-preset --help)\n`);
      return 2;
    }
    throw error;
  }
}
