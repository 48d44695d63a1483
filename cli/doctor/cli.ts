import { Command, CommanderError } from 'commander';
import type { AwsClients } from '../../lambda/aws/clients';
import { ConfigError, UserInputError } from '../../lambda/errors';
import { doctorExitCode } from './checks';
import { EXIT_RUN_FAILED } from '../exit-codes';
import { helpWidthOf, wrapParagraphs, type HelpOutput } from '../help-text';
import { runDoctor } from './doctor';
import { parseProbeTarget } from './probe';
import { renderDoctorJson, renderDoctorTable } from './render';
import { DEFAULT_STACK_NAME, STACK_NAME_PATTERN } from '../../lambda/contract/stack-outputs';

/**
 * `account-janitor doctor`: run after `cdk deploy`, with the same credentials and AWS_REGION.
 * Exit codes: 0 the deployment works (warnings allowed), 1 a check failed, 2 bad usage, 3 doctor
 * could not run (credentials, a crash).
 */

export type DoctorCliIo = HelpOutput;

export async function runDoctorCli(
  argv: readonly string[],
  io: DoctorCliIo,
  createClients: () => AwsClients,
): Promise<number> {
  const width = helpWidthOf(io);
  const program = new Command('account-janitor doctor')
    .description(
      'Checks that a deployed account-janitor works: its stack, function and configuration, schedule, ' +
        'dead-letter queue, topic subscriptions, alarms and whether CloudWatch may publish to the topic, ' +
        'the last run, and the read-only member role in every target account. Run it with the credentials and ' +
        'AWS_REGION that deployed the stack.',
    )
    .option('--stack-name <name>', 'the deployed stack', DEFAULT_STACK_NAME)
    .option(
      '--send-test-notification',
      'set one alarm to ALARM and back, so that every subscriber (e-mails, Slack or Teams channels) gets it',
    )
    .option('--json', 'print the checks as JSON')
    .option(
      '--probe <account/region>',
      'prove the event path there: a throwaway route table gets one route added and deleted through the read-only role ' +
        '(deploy with context eventProbe=true), then doctor waits up to 3 minutes for the repair to be scheduled',
    )
    .option(
      '--sample <accounts>',
      "read the trails (in each event region) and the member roles' trust of only this many target accounts (the first by id); default: all",
    )
    .addHelpText(
      'after',
      wrapParagraphs(
        `
The member accounts are checked by assuming the read-only member role (AccountJanitorReadOnlyRole) with your credentials: deploy with context operatorPrincipalArns=<your role ARN> so that it trusts you. doctor never assumes the write role.

Exit codes:
  0  the deployment works (warnings are listed)
  1  a check failed
  2  bad usage (no AWS call made)
  3  doctor could not complete: no usable credentials, a crash`,
        width,
      ),
    )
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      getOutHelpWidth: () => width,
      getErrHelpWidth: () => width,
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<{
    stackName: string;
    sendTestNotification?: boolean;
    json?: boolean;
    sample?: string;
    probe?: string;
  }>();
  let clients: AwsClients | undefined;
  try {
    if (!STACK_NAME_PATTERN.test(options.stackName)) {
      throw new ConfigError('invalid options', [
        { field: '--stack-name', value: options.stackName, message: 'must be a CloudFormation stack name' },
      ]);
    }
    const trailSample = options.sample === undefined ? undefined : Number(options.sample);
    if (trailSample !== undefined && !(Number.isInteger(trailSample) && trailSample >= 1)) {
      throw new ConfigError('invalid options', [
        { field: '--sample', value: options.sample, message: 'must be a whole number of accounts, 1 or more' },
      ]);
    }
    const probe = options.probe === undefined ? undefined : parseProbeTarget(options.probe);
    clients = createClients();
    const report = await runDoctor(
      {
        stackName: options.stackName,
        sendTestNotification: options.sendTestNotification ?? false,
        ...(trailSample === undefined ? {} : { trailSample }),
        ...(probe ? { probe } : {}),
      },
      clients,
    );
    io.stdout(options.json ? renderDoctorJson(report) : renderDoctorTable(report));
    return doctorExitCode(report);
  } catch (error) {
    if (error instanceof UserInputError) {
      io.stderr(`error: ${error.describe()} (see account-janitor doctor --help)\n`);
      return 2;
    }
    io.stderr(
      `error: doctor could not complete: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    return EXIT_RUN_FAILED;
  } finally {
    clients?.destroy();
  }
}
