import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountJanitor, ConfigError, sweepConfig } from '../../lib';

/**
 * The construct as a library: built on its own in a plain Stack (no app of ours, no context), and
 * imported by its package name from the built package, as another CDK app would.
 */

const ROOT = join(__dirname, '..', '..');

test('new AccountJanitor(new Stack(app, "S"), "J", props): the whole janitor in an existing stack', () => {
  // GIVEN an app of someone else's, bundling skipped
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });

  // WHEN
  const janitor = new AccountJanitor(stack, 'J', {
    sweep: sweepConfig({ targetOuIds: ['ou-ab12-cdef3456'], regions: ['eu-west-1'], organizationId: 'o-a1b2c3d4e5' }),
    schedule: 'cron(0 3 * * ? *)',
    timeZone: 'Europe/Berlin',
    notificationEmails: ['platform@example.com'],
    deployMemberRole: true,
    memberRoleTargetOuIds: ['ou-ab12-cdef3456'],
  });

  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Environment: { Variables: Match.objectLike({ JANITOR_TARGET_OU_IDS: 'ou-ab12-cdef3456' }) },
  });
  template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpressionTimezone: 'Europe/Berlin' });
  // The member role, and the forwarder of the breaking calls.
  template.resourceCountIs('AWS::CloudFormation::StackSet', 2);
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'S_DriftDetected' });
  expect(janitor.alarmNamePrefix).toBe('S_');
});

test('sweepConfig refuses bad settings with the key, the value and what is allowed', () => {
  expect(() => sweepConfig({ targetOuIds: 'sandbox' })).toThrow(ConfigError);
  expect(() => sweepConfig({ targetOuIds: 'sandbox' })).toThrow(
    'invalid account-janitor settings: targetOuIds "sandbox": must be an OU id',
  );
});

test("the built package: require('account-janitor') gives the construct and its config helper", () => {
  // Node resolves a package's own name through its "exports" (self-reference), as an app's import would.
  const script = `
    const { App, Stack } = require('aws-cdk-lib');
    const { AccountJanitor, sweepConfig } = require('account-janitor');
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Consumer');
    new AccountJanitor(stack, 'Janitor', {
      sweep: sweepConfig({ accountIds: '111122223333', regions: 'us-east-1', organizationId: 'o-a1b2c3d4e5' }),
      schedule: 'rate(1 day)', timeZone: 'UTC', notificationEmails: [],
      deployMemberRole: false, memberRoleTargetOuIds: [],
    });
    const types = Object.values(app.synth().getStackByName('Consumer').template.Resources).map((r) => r.Type);
    process.stdout.write(JSON.stringify([...new Set(types)].sort()));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual(
    expect.arrayContaining([
      'AWS::Lambda::Function',
      'AWS::Scheduler::Schedule',
      'AWS::SNS::Topic',
      'AWS::CloudWatch::Alarm',
    ]),
  );
});
