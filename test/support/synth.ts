import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DEFAULT_DEPLOYMENT, ResolvedTemplate, type CfnTemplate } from './template-walk';

/** Where `cdk deploy` would put the stack: a concrete account and region, as it always has them. */
export const TEST_ENVIRONMENT = { account: DEFAULT_DEPLOYMENT.account, region: DEFAULT_DEPLOYMENT.region } as const;

/**
 * The stack as `cdk deploy` builds it from this context, in a concrete environment (cdk-nag's
 * checks included: an unacknowledged finding fails here), bundling skipped; with the template
 * resolved for walks. `'agnostic'` synthesizes without an environment, as `cdk synth` without
 * credentials does.
 */
export const TEST_CONTEXT = {
  targetOuIds: 'ou-ab12-cdef3456',
  organizationId: 'o-a1b2c3d4e5',
  regions: 'eu-west-1,us-east-1',
  notificationEmails: 'platform@example.com',
} as const;

export function synthesizeStack(
  context: Record<string, unknown>,
  environment: Environment | 'agnostic' = TEST_ENVIRONMENT,
) {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app, environment === 'agnostic' ? {} : environment);
  app.synth();
  const template = Template.fromStack(stack);
  const deployment =
    environment === 'agnostic' || environment.account === undefined || environment.region === undefined
      ? DEFAULT_DEPLOYMENT
      : {
          account: environment.account,
          region: environment.region,
          partition: RegionInfo.get(environment.region).partition ?? 'aws',
        };
  return { stack, template, resolved: new ResolvedTemplate(template.toJSON() as CfnTemplate, deployment) };
}
