import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STACK_NAME } from '../lambda/contract/stack-outputs';
import { UserInputError } from '../lambda/errors';
import { AccountJanitorStack } from './account-janitor-stack';
import { deploymentConfigFromContext } from './config';

/**
 * The CDK app (cdk.json → `npx tsx lib/app.ts`). Configuration comes from CDK context, validated
 * before anything is built; cdk-nag's AwsSolutions checks run on every synth.
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
  const stack = new AccountJanitorStack(app, STACK_NAME, config, { env });
  return { app, stack };
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
