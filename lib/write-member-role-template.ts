import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../lambda/errors';
import { deploymentConfigFromContext } from './config';
import { memberRoleTemplate } from './member-role-template';

/**
 * `npm run member-role-template [-- <file>]`: writes the member role's CloudFormation template
 * (for the role name, external id and mode of cdk.json's context) for teams that deploy
 * roles their own way. Deploy it in each target account with the parameter HubRoleArn set to the
 * stack's HubRoleArn output.
 */
function main(): void {
  const file = process.argv[2] ?? 'member-role.template.json';
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const { sweep } = deploymentConfigFromContext({
    ...cdkJson.context,
    // The template does not depend on the targets; let it be written before they are chosen.
    deployMemberRole: false,
    allAccounts: true,
  });
  const template = memberRoleTemplate(sweep);
  writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
  process.stdout.write(`wrote ${file} (role ${sweep.memberRoleName}, ${sweep.mode} mode)\n`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof UserInputError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(2);
}
