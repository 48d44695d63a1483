import { memberRoleTemplate } from './member-role-template';
import { writeTemplateFromContext } from './write-template';

/**
 * `npm run member-role-template -- <file>`: writes the member role's CloudFormation template
 * (for the role name, external id and mode of cdk.json's context) for teams that deploy
 * roles their own way. Deploy it in each target account with the parameter HubRoleArn set to the
 * stack's HubRoleArn output.
 */
writeTemplateFromContext(
  'member-role.template.json',
  memberRoleTemplate,
  (sweep) => `role ${sweep.memberRoleName}, ${sweep.mode} mode`,
);
