import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { ResolvedTemplate, type CfnTemplate } from './template-walk';

/**
 * The stack as `cdk synth` builds it from this context (cdk-nag's checks included: an
 * unacknowledged finding fails here), bundling skipped; with the template resolved for walks.
 */
export const TEST_CONTEXT = {
  targetOuIds: 'ou-ab12-cdef3456',
  organizationId: 'o-a1b2c3d4e5',
  regions: 'eu-west-1,us-east-1',
  notificationEmails: 'platform@example.com',
} as const;

export function synthesizeStack(context: Record<string, unknown>) {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app);
  app.synth();
  const template = Template.fromStack(stack);
  return { stack, template, resolved: new ResolvedTemplate(template.toJSON() as CfnTemplate) };
}
