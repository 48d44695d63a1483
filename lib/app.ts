import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STACK_NAME } from '../lambda/contract/stack-outputs';
import { ConfigError, UserInputError } from '../lambda/errors';
import { AccountJanitorPropsError } from './account-janitor-rules';
import { AccountJanitorStack } from './account-janitor-stack';
import { deploymentConfigFromContext } from './config';

/**
 * The CDK app (cdk.json → `npx tsx lib/app.ts`). Configuration comes from CDK context: each value
 * parsed before anything is built, the rules between them checked by the construct (whose props
 * have the context keys' names, so its problems are the context's); cdk-nag's AwsSolutions checks
 * run on every synth. A bad configuration is one line and exit code 2.
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

if (require.main === module) {
  try {
    buildApp().app.synth();
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  }
}
