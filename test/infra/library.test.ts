import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import * as library from '../../lib';
import {
  AccountJanitor,
  AccountJanitorPropsError,
  ConfigError,
  sweepConfig,
  type AccountJanitorProps,
} from '../../lib';
import { synthesizeStack } from '../support/synth';

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

describe('the construct checks its own props, with the messages the app gives for its context', () => {
  const OU = 'ou-ab12-cdef3456';
  /** The construct's message, and the app's for the same settings as CDK context. */
  function messages(props: Partial<AccountJanitorProps>, context: Record<string, string>, region = 'eu-west-1') {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region } });
    const sweep = sweepConfig({ targetOuIds: [OU], regions: ['eu-west-1', 'us-east-1'] });
    let construct = '';
    try {
      new AccountJanitor(stack, 'J', { sweep, ...props });
    } catch (error) {
      expect(error).toBeInstanceOf(AccountJanitorPropsError);
      construct = (error as Error).message;
    }
    let fromContext = '';
    try {
      synthesizeStack(
        { targetOuIds: OU, regions: 'eu-west-1,us-east-1', ...context },
        { account: '111111111111', region },
      );
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      fromContext = (error as Error).message;
    }
    return { construct, fromContext };
  }

  test.each<[string, Partial<AccountJanitorProps>, Record<string, string>, string]>([
    [
      'a member role beyond the targets',
      { memberRoleTargetOuIds: ['r-ab12'] },
      { memberRoleTargetOuIds: 'r-ab12' },
      'memberRoleTargetOuIds "r-ab12": not among the targets (targetOuIds: ou-ab12-cdef3456): in remediate mode the hub could write there; target them, or set memberRoleBeyondTargets=true if it is meant',
    ],
    [
      'a maxQuietPeriod below the quiet period',
      { maxQuietPeriod: Duration.minutes(2) },
      { maxQuietPeriod: '2m' },
      'maxQuietPeriod "2m": must be at least quietPeriod (300 s)',
    ],
    [
      'the probe without the event path',
      { eventProbe: true, eventDrivenRepair: false },
      { eventProbe: 'true', eventDrivenRepair: 'false' },
      'eventProbe: needs eventDrivenRepair: the probe proves the event path, which eventDrivenRepair=false leaves out',
    ],
    [
      'event regions beyond the configured ones',
      { eventRegions: ['eu-west-1', 'ap-south-1'] },
      { eventRegions: 'eu-west-1,ap-south-1' },
      'eventRegions "ap-south-1": not among the configured regions (eu-west-1, us-east-1)',
    ],
    [
      'restore triggers without the event path',
      { restoreOn: ['event'], eventDrivenRepair: false },
      { restoreOn: 'event', eventDrivenRepair: 'false' },
      'restoreOn "event": needs eventDrivenRepair: the triggers reach the hub’s bus, which eventDrivenRepair=false leaves out',
    ],
    [
      'Innovation Sandbox’s bus in another region than the stack',
      {
        restoreOn: ['innovation-sandbox'],
        innovationSandboxEventBusArn: 'arn:aws:events:us-east-1:444455556666:event-bus/isb',
      },
      {
        restoreOn: 'innovation-sandbox',
        innovationSandboxEventBusArn: 'arn:aws:events:us-east-1:444455556666:event-bus/isb',
      },
      'innovationSandboxEventBusArn "arn:aws:events:us-east-1:444455556666:event-bus/isb": must be in the stack\'s region (eu-west-1): a rule lives in its bus\'s region, and the stack makes it (deploy the janitor in us-east-1, or make the rule there yourself: docs/restore-triggers.md)',
    ],
    [
      'the innovation-sandbox trigger without its bus',
      { restoreOn: ['innovation-sandbox'] },
      { restoreOn: 'innovation-sandbox' },
      'innovationSandboxEventBusArn: restoreOn innovation-sandbox needs Innovation Sandbox’s event bus ARN, where its rule listens',
    ],
  ])('%s', (_what, props, context, problem) => {
    expect(messages(props, context)).toEqual({
      construct: `invalid AccountJanitor props: ${problem}`,
      fromContext: `invalid CDK context: ${problem}`,
    });
  });

  // A principal for every account: a role of that name any member admin can create.
  const EVERY_ACCOUNT =
    'the account must be a 12-digit account id (a wildcard account matches a role any member admin can create)';
  test.each<[string, Partial<AccountJanitorProps>, Record<string, string>, string]>([
    [
      'respectPrincipals',
      {
        sweep: {
          ...sweepConfig({ targetOuIds: [OU], regions: ['eu-west-1', 'us-east-1'] }),
          respectPrincipals: ['arn:aws:iam::*:role/IncidentResponse*'],
        },
      },
      { respectPrincipals: 'arn:aws:iam::*:role/IncidentResponse*' },
      `respectPrincipals "arn:aws:iam::*:role/IncidentResponse*": ${EVERY_ACCOUNT}; must be an IAM role or user ARN or an STS session ARN such as arn:aws:iam::111122223333:role/IncidentResponse* (a 12-digit account id; wildcards * and ? in the name only)`,
    ],
    [
      'guardRailExemptPrincipalArns',
      { guardRailExemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass*'] },
      { guardRailExemptPrincipalArns: 'arn:aws:iam::*:role/BreakGlass*' },
      `guardRailExemptPrincipalArns "arn:aws:iam::*:role/BreakGlass*": ${EVERY_ACCOUNT}; must be an IAM role or user ARN such as arn:aws:iam::111122223333:role/BreakGlass* (a 12-digit account id; wildcards * and ? in the name only)`,
    ],
    [
      'operatorPrincipalArns',
      { operatorPrincipalArns: ['arn:aws:iam::111122223333:role/Operator', 'arn:aws:iam::*:role/Operator'] },
      { operatorPrincipalArns: 'arn:aws:iam::111122223333:role/Operator,arn:aws:iam::*:role/Operator' },
      `operatorPrincipalArns "arn:aws:iam::*:role/Operator": ${EVERY_ACCOUNT}; must be an IAM role ARN such as arn:aws:iam::111122223333:role/Operator (a 12-digit account id, no wildcard)`,
    ],
    [
      'operatorWritePrincipalArns',
      { operatorWritePrincipalArns: ['arn:aws:iam::111122223333:role/Repair*'] },
      { operatorWritePrincipalArns: 'arn:aws:iam::111122223333:role/Repair*' },
      'operatorWritePrincipalArns "arn:aws:iam::111122223333:role/Repair*": must be an IAM role ARN such as arn:aws:iam::111122223333:role/Operator (a 12-digit account id, no wildcard)',
    ],
    [
      'restoreEventPrincipalArns',
      { restoreOn: ['event'], restoreEventPrincipalArns: ['arn:aws:iam::*:role/CleanupPipeline'] },
      { restoreOn: 'event', restoreEventPrincipalArns: 'arn:aws:iam::*:role/CleanupPipeline' },
      `restoreEventPrincipalArns "arn:aws:iam::*:role/CleanupPipeline": ${EVERY_ACCOUNT}; must be an IAM role or user ARN such as arn:aws:iam::111122223333:role/CleanupPipeline (a 12-digit account id; wildcards * and ? in the name only)`,
    ],
  ])(
    '%s names its account: one line naming the prop, the value and what is allowed',
    (_what, props, context, problem) => {
      expect(messages(props, context)).toEqual({
        construct: `invalid AccountJanitor props: ${problem}`,
        fromContext: `invalid CDK context: ${problem}`,
      });
    },
  );

  test('chat channels outside the aws partition, and a StackSet with nowhere to go, in one message', () => {
    const { construct } = messages(
      {
        sweep: sweepConfig({ accountIds: '111122223333' }),
        slackChannels: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC01' }],
      },
      {},
      'us-gov-west-1',
    );
    expect(construct).toBe(
      'invalid AccountJanitor props: memberRoleTargetOuIds: the member role StackSet deploys to OUs: name them (or targetOuIds), or set deployMemberRole=false and deploy the role yourself; ' +
        'slackChannels: AWS Chatbot is not available in the aws-us-gov partition (the aws partition only)',
    );
  });

  test('a name that cannot prefix the alarms', () => {
    expect(
      () =>
        new AccountJanitor(new Stack(new App(), 'S'), 'J', {
          sweep: sweepConfig({ targetOuIds: OU }),
          name: 'my_janitor',
        }),
    ).toThrow('invalid AccountJanitor props: name "my_janitor": must be letters, digits and dashes, as a stack name');
  });
});

test('each @default of the props names an exported constant or a literal, never a number restated', () => {
  const exported = new Set(Object.keys(library));
  const problems: string[] = [];
  const files = readdirSync(join(ROOT, 'lib'), { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.ts'),
  );
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      readFileSync(join(ROOT, 'lib', file), 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (ts.isPropertySignature(node)) {
        const where = `${file} ${node.name.getText(source)}`;
        for (const doc of ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc)) {
          if (/\(default\b|\bby default\b/.test(ts.getTextOfJSDocComment(doc.comment) ?? '')) {
            problems.push(`${where}: a default in prose, not in @default`);
          }
        }
        for (const tag of ts.getJSDocTags(node).filter((tag) => tag.tagName.text === 'default')) {
          // Quoted literals ('SELF') aside.
          const text = (ts.getTextOfJSDocComment(tag.comment) ?? '').replace(/'[^']*'/g, "''");
          if (/\d/.test(text.replace(/[A-Za-z_][\w]*/g, '')))
            problems.push(`${where}: @default ${text} restates a number`);
          for (const [, name] of text.matchAll(/(?<![.\w])([A-Z][A-Z0-9_]+)\b/g)) {
            if (!exported.has(name ?? ''))
              problems.push(`${where}: @default names ${name}, which lib/index.ts does not export`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  expect(problems).toEqual([]);
});
