import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SweepConfig } from '../lambda/config/schema';
import { ConfigError, UserInputError } from '../lambda/errors';
import { deploymentConfigFromContext, type DeploymentConfig } from './config';

/**
 * The `npm run …-template -- <file>` scripts: a member-side CloudFormation template, built from
 * the sweep settings of cdk.json's context, written for teams that deploy it their own way. The
 * template depends on neither the targets nor the organization, so it can be written before they
 * are chosen. A bad context value, or no file named, ends it with one line and exit code 2.
 */
export function writeTemplateFromContext(
  exampleFile: string,
  build: (sweep: SweepConfig, deployment: DeploymentConfig) => Record<string, unknown>,
  describe: (sweep: SweepConfig, deployment: DeploymentConfig) => string,
): void {
  runWithContext((deployment) => {
    const file = fileArgument(exampleFile);
    const { sweep } = deployment;
    writeFileSync(file, `${JSON.stringify(build(sweep, deployment), null, 2)}\n`);
    process.stdout.write(`wrote ${file} (${describe(sweep, deployment)})\n`);
  });
}

/**
 * The file a script writes: its one argument. Without one it writes nothing (no untracked file in
 * the working copy): one line saying how to name it.
 */
export function fileArgument(example: string): string {
  const file = process.argv[2];
  if (file) return file;
  // lib/write-<script>.ts is `npm run <script>`.
  const script = basename(process.argv[1] ?? '').replace(/^write-|\.[jt]s$/g, '');
  throw new ConfigError('no file to write', [{ field: '', message: `name one: npm run ${script} -- ${example}` }]);
}

/**
 * Runs a script on the deployment configuration of cdk.json's context (targets and event path set
 * aside); a bad context value, or any other UserInputError, ends it with one line and exit code 2.
 */
export function runWithContext(run: (deployment: DeploymentConfig) => void): void {
  try {
    const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
      context?: Record<string, unknown>;
    };
    // As the CDK CLI hands an app its context: cdk.json's, then CDK_CONTEXT_JSON's (-c values) over it.
    const given = JSON.parse(process.env['CDK_CONTEXT_JSON'] ?? '{}') as Record<string, unknown>;
    run(
      deploymentConfigFromContext({
        ...cdkJson.context,
        ...given,
        deployMemberRole: false,
        allAccounts: true,
        eventDrivenRepair: false,
      }),
    );
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  }
}
