import { App, CfnWaitConditionHandle, Stack, Validations, type Environment } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STACK_NAME } from '../lambda/contract/stack-outputs';
import { ConfigError, UserInputError } from '../lambda/errors';
import { AccountJanitorPropsError } from './account-janitor-rules';
import { AccountJanitorStack } from './account-janitor-stack';
import { deploymentConfigFromContext, NoTargetsError } from './config';

/**
 * The CDK app (cdk.json → `npx tsx lib/app.ts`). Configuration comes from CDK context: each value
 * parsed before anything is built, the rules between them checked by the construct (whose props
 * have the context keys' names, so its problems are the context's); cdk-nag's AwsSolutions checks
 * run on every synth. A bad configuration is one line and exit code 2; no targets, no stack
 * (`synthesizeApp`).
 */

export const STACK_NAME = DEFAULT_STACK_NAME;

/**
 * @param env the stack's account and region: by default what the CDK CLI puts in
 *   CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (concrete with credentials, as `cdk deploy` runs).
 */
export function buildApp(
  app: App = new App(),
  env: Environment = { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
): { app: App; stack: AccountJanitorStack } {
  const config = deploymentConfigFromContext(app.node.getAllContext() as Record<string, unknown>);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    return { app, stack: new AccountJanitorStack(app, STACK_NAME, config, { env }) };
  } catch (error) {
    if (error instanceof AccountJanitorPropsError) {
      throw new ConfigError('invalid CDK context', error.problems, { cause: error });
    }
    throw error;
  }
}

/** The stack the app builds when the context names no target, so that `cdk bootstrap` has one. */
export const UNCONFIGURED_STACK_NAME = `${DEFAULT_STACK_NAME}-NotConfigured`;

/**
 * What the CDK CLI gets from the app (`cdk synth`, `deploy`, `bootstrap`…), and the exit code.
 * Without targets (cdk.json as it ships) the app says in one line how to give them, and builds no
 * stack: `cdk synth` and `cdk deploy` then stop at the CDK's "This app contains no stacks", before
 * any AWS call. `cdk bootstrap` needs a stack to read, but bundles none (the CDK CLI sets the
 * context `aws:cdk:bundling-stacks` to `[]` for it, as for `list` and `destroy`, and to the stacks
 * to bundle for `synth`, `diff` and `deploy`): then it gets an empty one, UNCONFIGURED_STACK_NAME.
 * Its name is not the deployed stack's, so that what else bundles nothing (`cdk destroy`, and
 * `cdk deploy --exclusively` without a stack name) can only ever reach the empty one. A bad value
 * is one line and exit code 2 (the CDK CLI adds a line of its own and exits 1).
 */
export function synthesizeApp(app: App, stderr: (text: string) => void): number {
  try {
    buildApp(app).app.synth();
    return 0;
  } catch (error) {
    if (error instanceof NoTargetsError) {
      const bundling = app.node.tryGetContext(BUNDLING_STACKS) as unknown;
      const bundlesNothing = Array.isArray(bundling) && bundling.length === 0;
      if (bundlesNothing) unconfiguredStack(app);
      const built = bundlesNothing ? UNCONFIGURED_LINE : 'no stack';
      stderr(`account-janitor: no targets in the CDK context, so ${built}: ${NO_TARGETS_HINT}\n`);
      app.synth();
      return 0;
    }
    if (!(error instanceof UserInputError)) throw error;
    stderr(`error: ${error.message}\n`);
    return 2;
  }
}

/** An empty stack: its one resource creates nothing (a template needs one; the CDK's own orphan placeholder). */
function unconfiguredStack(app: App): Stack {
  const stack = new Stack(app, UNCONFIGURED_STACK_NAME, {
    description: 'account-janitor without targets: deploys nothing',
  });
  new CfnWaitConditionHandle(stack, 'NothingDeployed');
  return stack;
}

/** What the app builds without targets for `cdk bootstrap` (and `list`, `destroy`), in its one line. */
export const UNCONFIGURED_LINE = `only the empty stack ${UNCONFIGURED_STACK_NAME}, for cdk bootstrap (not the deployed ${DEFAULT_STACK_NAME}: cdk destroy needs the context it was deployed with)`;

/** How to give the targets, in the app's one line when there are none. */
export const NO_TARGETS_HINT =
  'name them, e.g. npx cdk deploy -c targetOuIds=ou-xxxx-xxxxxxxx (or accountIds, allAccounts=true; see docs/deploy.md)';

if (require.main === module) {
  // No synth on the way out (the CDK's autoSynth, on beforeExit): a bad context has built part of
  // a stack, which must not be synthesized after its one line.
  process.exitCode = synthesizeApp(new App({ autoSynth: false }), (text) => process.stderr.write(text));
}
