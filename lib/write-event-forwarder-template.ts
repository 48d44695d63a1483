import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../lambda/errors';
import { deploymentConfigFromContext } from './config';
import { eventForwarderTemplate, HUB_EVENT_BUS_ARN_PARAMETER } from './event-forwarder-template';

/**
 * `npm run event-forwarder-template [-- <file>]`: writes the breaking-call forwarder's
 * CloudFormation template (for the member role name and subnet switches of cdk.json's context)
 * for teams that deploy the member side their own way (deployMemberRole=false). Deploy it in each
 * target account and event region with the parameter HubEventBusArn set to the stack's
 * EventBusArn output.
 */
function main(): void {
  const file = process.argv[2] ?? 'event-forwarder.template.json';
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const { sweep } = deploymentConfigFromContext({
    ...cdkJson.context,
    // The template does not depend on the targets or the organization; let it be written before they are chosen.
    deployMemberRole: false,
    allAccounts: true,
    eventDrivenRepair: false,
  });
  writeFileSync(file, `${JSON.stringify(eventForwarderTemplate(sweep), null, 2)}\n`);
  process.stdout.write(
    `wrote ${file} (leaves out ${sweep.memberRoleName}'s own calls; parameter ${HUB_EVENT_BUS_ARN_PARAMETER})\n`,
  );
}

try {
  main();
} catch (error) {
  if (!(error instanceof UserInputError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(2);
}
