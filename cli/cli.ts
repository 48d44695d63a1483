import { writeFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { createAwsClients, type AwsClients } from '../lambda/aws/clients';
import { parseSweepConfig } from '../lambda/config/parse';
import type { ConfigKey } from '../lambda/config/schema';
import { buildProgram, OPTION_OF, optionProblems, settingsFromOptions, type CliOptions } from './cli-program';
import { parseDuration } from '../lambda/core/duration';
import { exitCodeFor, reportJson, type SweepReport } from '../lambda/core/report';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE } from './exit-codes';
import { runDoctorCli } from './doctor/cli';
import { runNukePresetCli } from './nuke-preset/cli';
import { nodeSupportNotice, silenceSdkNodeWarning } from './node-support';
import { ConfigError, UserInputError } from '../lambda/errors';
import { renderMarkdown } from './report/render-markdown';
import { renderHtml } from '../lambda/report/render-html';
import { renderJson, renderTable } from './report/render-table';
import { colorWanted } from './report/style';
import { progressLine, textLogger } from './report/cli-log';
import { operatorSession } from '../lambda/aws/sts';
import { runSweep } from '../lambda/sweep';

/**
 * The `account-janitor` command: parses options into the shared configuration, runs the sweep with
 * the caller's own AWS credentials (default credential chain, AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL), prints the report. Exit codes (cli/exit-codes.ts): 0 nothing left broken, 1
 * something needs attention, 2 bad input (and then no AWS call is made), 3 the run could not complete.
 */

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
  /** stdout is a terminal: the table is fitted to `stdoutColumns` and coloured (NO_COLOR, FORCE_COLOR). */
  readonly stdoutIsTty?: boolean;
  readonly stdoutColumns?: number | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** The Node.js running the command (`process.version`): older than 22, one line says so before the first AWS call. */
  readonly nodeVersion?: string;
}

export interface CliDependencies {
  /** Builds the AWS clients; called only once the options are valid. */
  readonly createClients?: (homeRegion: string) => AwsClients;
}

export async function runCli(argv: readonly string[], io: CliIo, dependencies: CliDependencies = {}): Promise<number> {
  // `account-janitor help [doctor]`: the help of the command, or of doctor.
  if (argv[2] === 'help') {
    const command = argv[3] === 'doctor' || argv[3] === 'nuke-preset' ? [argv[3]] : [];
    return runCli([...argv.slice(0, 2), ...command, '--help'], io, dependencies);
  }
  if (argv[2] === 'nuke-preset') {
    return runNukePresetCli(argv.slice(3), { ...io, writeFile: (path, text) => writeFileSync(path, text) });
  }
  if (argv[2] === 'doctor') {
    return runDoctorCli(argv.slice(3), io, () => {
      announceNodeSupport(io);
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
    const problems = optionProblems(program.opts());
    if (problems.length > 0) throw new ConfigError('invalid options', problems);
    const config = parseSweepConfig(
      settingsFromOptions(program.opts()),
      'invalid options',
      (key) => OPTION_OF[key as ConfigKey] ?? key,
    );
    const deadline = parseDeadline(options.deadline);
    const homeRegion = homeRegionOf(io.env);
    const createClients =
      dependencies.createClients ??
      ((region: string) => createAwsClients({ homeRegion: region, maxAttempts: config.maxAttempts }));
    announceNodeSupport(io);
    clients = createClients(homeRegion);
    const progress = io.stderrIsTty ? progressLine(io.stderr) : undefined;
    const report = await runSweep(
      config,
      {
        clients,
        logger: textLogger(io.stderr, progress),
        onProgress: progress?.update,
        // The read-only role for --dry-run; the write role only to repair (operatorWritePrincipalArns).
        memberSession: operatorSession(config),
      },
      { deadline, repairAnyway: options.repairAnyway ?? false },
    );
    progress?.clear();
    const exitCode = exitCodeFor(report);
    io.stdout(render(report, options, io));
    return exitCode;
  } catch (error) {
    if (error instanceof UserInputError) {
      io.stderr(`error: ${error.describe()} (see --help)\n`);
      return EXIT_USAGE;
    }
    // Credentials, the organization's reads, a crash: the job is broken, not the organization.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: the run could not complete: ${name}: ${message}\n`);
    if (jsonWanted(options)) io.stdout(renderJson({ outcome: 'run-failed', error: { name, message } }));
    return EXIT_RUN_FAILED;
  } finally {
    clients?.destroy();
  }
}

/** The report as the options ask: JSON, Markdown, or the table (fitted and coloured on a terminal). */
function render(report: SweepReport, options: CliOptions, io: CliIo): string {
  const format = options.json ? 'json' : (options.output ?? 'table');
  if (format === 'json') return renderJson(reportJson(report));
  if (format === 'markdown') return renderMarkdown(report, { all: options.all ?? false });
  if (format === 'html') return renderHtml(report, { all: options.all ?? false });
  const tty = io.stdoutIsTty ?? false;
  return renderTable(report, {
    all: options.all ?? false,
    wide: options.wide ?? false,
    columns: tty ? io.stdoutColumns : undefined,
    color: colorWanted(io.env, tty),
  });
}

/** On a Node.js older than 22, one line on stderr (the AWS SDK's own nine are turned off by `main`). */
function announceNodeSupport(io: CliIo): void {
  const notice = io.nodeVersion === undefined ? undefined : nodeSupportNotice(io.nodeVersion);
  if (notice) io.stderr(`${notice}\n`);
}

const jsonWanted = (options: CliOptions) => options.json === true || options.output === 'json';

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
  silenceSdkNodeWarning(process.env, process.version);
  process.exitCode = await runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    stdoutIsTty: process.stdout.isTTY === true,
    stdoutColumns: process.stdout.columns,
    env: process.env,
    nodeVersion: process.version,
  });
}

if (require.main === module) {
  void main();
}
