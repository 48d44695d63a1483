import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import { eventForwarderTemplate } from '../../lib/event-forwarder-template';
import { memberRoleTemplate } from '../../lib/member-role-template';

/**
 * cfn-lint on every template that ships: the stack's (single and distributed), the member role's
 * (both modes), the event forwarder's (both switch settings). One cfn-lint run over all of them:
 * its start-up dominates.
 */

const outdir = mkdtempSync(join(tmpdir(), 'janitor-lint-'));

function stackTemplate(extra: Record<string, string>): string {
  const app = new App({
    outdir: mkdtempSync(join(outdir, 'app-')),
    context: {
      targetOuIds: 'ou-ab12-cdef3456',
      organizationId: 'o-a1b2c3d4e5',
      notificationEmails: 'ops@example.com',
      externalId: 'org-secret-1',
      // Every optional resource on (the subnet findings alarm, the opt-in permissions).
      repairDefaultSubnets: 'true',
      // Every restore trigger: its rules, forwarders, function and bus statements.
      restoreOn: 'control-tower,account-moved,innovation-sandbox,event',
      innovationSandboxEventBusArn:
        'arn:aws:events:us-east-1:444455556666:event-bus/InnovationSandboxComputeISBEventBus',
      restoreEventPrincipalArns: 'arn:aws:iam::777788889999:role/CleanupPipeline',
      'aws:cdk:bundling-stacks': [],
      ...extra,
    },
  });
  const { stack } = buildApp(app);
  app.synth();
  return join(app.outdir, `${stack.artifactId}.template.json`);
}

function written(name: string, template: unknown): string {
  const file = join(outdir, `${name}.template.json`);
  writeFileSync(file, JSON.stringify(template));
  return file;
}

const memberRole = (mode: 'remediate' | 'report') =>
  memberRoleTemplate({
    memberRoleName: 'AccountJanitorMemberRole',
    readOnlyRoleName: 'AccountJanitorReadOnlyRole',
    externalId: 'x1',
    mode,
    repairInternetGateway: true,
    recreateDefaultVpc: true,
    defaultSubnets: 'repair',
    egress: 'repair',
    protectDefaultPath: 'off',
    reach: 'check',
    lookUpCauses: true,
  });

const forwarder = (subnets: boolean) =>
  eventForwarderTemplate({
    memberRoleName: 'AccountJanitorMemberRole',
    defaultSubnets: subnets ? 'check' : 'off',
    egress: subnets ? 'check' : 'off',
    protectDefaultPath: 'off',
    reach: 'check',
  });

/**
 * The warnings the stack's templates may carry, each with why. W3005: aws-cdk-lib's `Function` and
 * `StateMachine` make themselves depend on their role (`DependsOn`, with the role's default policy,
 * so that the policy is in place before they can run), and the `Role`/`RoleArn` property's `GetAtt`
 * already orders the role first: redundant, harmless, and not ours to remove (the sweep function,
 * the intake, the organization lookup's `AwsCustomResource` function, the distributed sweep's state
 * machine).
 */
const ACCEPTED_WARNINGS = [
  /:W3005:'\w+Role\w*' dependency already enforced by a 'GetAtt' at 'Resources\/\w+\/Properties\/Role(Arn)?'$/,
];

/** Each file, and whether it may carry the accepted warnings (the stack's), or none. */
const FILES = {
  'the synthesized stack template (single)': { file: stackTemplate({}), stackTemplate: true },
  'the synthesized stack template (distributed, Step Functions)': {
    file: stackTemplate({ fanOut: 'distributed' }),
    stackTemplate: true,
  },
  'the member role template (remediate mode, every opt-in repair on)': {
    file: written('member-role-remediate', memberRole('remediate')),
    stackTemplate: false,
  },
  'the member role template (report mode)': {
    file: written('member-role-report', memberRole('report')),
    stackTemplate: false,
  },
  'the event forwarder template (subnet and egress switches off)': {
    file: written('forwarder-off', forwarder(false)),
    stackTemplate: false,
  },
  'the event forwarder template (subnet and egress switches on)': {
    file: written('forwarder-on', forwarder(true)),
    stackTemplate: false,
  },
};

/** cfn-lint's findings by file: parseable lines, file:line:column:end line:end column:rule:message. */
const findings = new Map<string, string[]>();

beforeAll(() => {
  const files = Object.values(FILES).map(({ file }) => file);
  const result = spawnSync('cfn-lint', ['--format', 'parseable', ...files], { encoding: 'utf8', timeout: 240_000 });
  if (result.error) throw new Error(`cfn-lint is not installed: pip install cfn-lint (${result.error.message})`);
  // Exit code 1: cfn-lint itself failed (a bit mask otherwise: 2 errors, 4 warnings, 8 informational).
  if (result.status === 1) throw new Error(`cfn-lint failed: ${result.stderr}`);
  for (const line of result.stdout.split('\n')) {
    const match = /^(.+?\.json):\d+:\d+:\d+:\d+:([EWI]\d+):/.exec(line);
    if (match) findings.set(match[1] ?? '', [...(findings.get(match[1] ?? '') ?? []), line]);
  }
}, 240_000);

test.each(Object.entries(FILES))('%s has no cfn-lint finding it may not have', (_, { file, stackTemplate }) => {
  const found = findings.get(file) ?? [];
  const accepted = (line: string) => stackTemplate && ACCEPTED_WARNINGS.some((warning) => warning.test(line));
  expect(found.filter((line) => !accepted(line))).toEqual([]);
});

test('the stack templates carry the accepted warning (cfn-lint still reports it: the acceptance is not stale)', () => {
  const warnings = [...findings.values()].flat().filter((line) => /:W\d+:/.test(line));
  expect(warnings.length).toBeGreaterThan(0);
  expect(warnings.filter((line) => !ACCEPTED_WARNINGS.some((warning) => warning.test(line)))).toEqual([]);
});
