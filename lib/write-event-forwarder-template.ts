import { eventForwarderTemplate, HUB_EVENT_BUS_ARN_PARAMETER } from './event-forwarder-template';
import { writeTemplateFromContext } from './write-template';

/**
 * `npm run event-forwarder-template -- <file>`: writes the breaking-call forwarder's
 * CloudFormation template (for the member role name and subnet switches of cdk.json's context)
 * for teams that deploy the member side their own way (deployMemberRole=false). Deploy it in each
 * target account and event region with the parameter HubEventBusArn set to the stack's
 * EventBusArn output.
 */
writeTemplateFromContext(
  'event-forwarder.template.json',
  eventForwarderTemplate,
  (sweep) => `leaves out ${sweep.memberRoleName}'s own calls; parameter ${HUB_EVENT_BUS_ARN_PARAMETER}`,
);
