import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import { eventForwarderTemplate } from '../../lib/event-forwarder-template';
import { memberRoleTemplate } from '../../lib/member-role-template';

/** cfn-lint on every template that ships: the stack's, the member role's (both modes), the event forwarder's. */

function cfnLint(files: string[]) {
  const result = spawnSync('cfn-lint', ['--format', 'parseable', ...files], { encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`cfn-lint is not installed: pip install cfn-lint (${result.error.message})`);
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational (1: cfn-lint itself failed). */
const WITHOUT_ERRORS = [0, 4, 8, 12];

test.each([
  ['single', {}],
  ['distributed (Step Functions)', { fanOut: 'distributed' }],
])('the synthesized stack template (%s) has no cfn-lint error', (_, extra) => {
  const outdir = mkdtempSync(join(tmpdir(), 'janitor-lint-'));
  const app = new App({
    outdir,
    context: {
      targetOuIds: 'ou-ab12-cdef3456',
      organizationId: 'o-a1b2c3d4e5',
      notificationEmails: 'ops@example.com',
      externalId: 'org-secret-1',
      // Every optional resource on (the subnet findings alarm, the opt-in permissions).
      repairDefaultSubnets: 'true',
      'aws:cdk:bundling-stacks': [],
      ...extra,
    },
  });
  const { stack } = buildApp(app);
  app.synth();
  const { code, output } = cfnLint([join(outdir, `${stack.artifactId}.template.json`)]);
  if (!WITHOUT_ERRORS.includes(code)) throw new Error(`cfn-lint exit code ${code}:\n${output}`);
});

test.each(['remediate', 'report'] as const)(
  'the member role template (%s mode, every opt-in repair on) has no cfn-lint finding',
  (mode) => {
    const file = join(mkdtempSync(join(tmpdir(), 'janitor-lint-')), 'member-role.template.json');
    writeFileSync(
      file,
      JSON.stringify(
        memberRoleTemplate({
          memberRoleName: 'AccountJanitorMemberRole',
          readOnlyRoleName: 'AccountJanitorReadOnlyRole',
          externalId: 'x1',
          mode,
          repairInternetGateway: true,
          recreateDefaultVpc: true,
          checkDefaultSubnets: false,
          repairDefaultSubnets: true,
          checkEgress: false,
          repairEgress: true,
          lookUpCauses: true,
        }),
      ),
    );
    expect(cfnLint([file])).toEqual({ code: 0, output: '' });
  },
);

test.each([false, true])(
  'the event forwarder template (subnet and egress switches %s) has no cfn-lint finding',
  (subnets) => {
    const file = join(mkdtempSync(join(tmpdir(), 'janitor-lint-')), 'event-forwarder.template.json');
    writeFileSync(
      file,
      JSON.stringify(
        eventForwarderTemplate({
          memberRoleName: 'AccountJanitorMemberRole',
          checkDefaultSubnets: subnets,
          repairDefaultSubnets: false,
          checkEgress: subnets,
          repairEgress: false,
        }),
      ),
    );
    expect(cfnLint([file])).toEqual({ code: 0, output: '' });
  },
);
