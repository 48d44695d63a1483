import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePolicy, type PolicyDocument, type RequestValue } from '../../lambda/core/iam-policy';
import { PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import {
  GUARD_RAIL_ACTIONS,
  guardRailPolicy,
  guardRailPolicyText,
  SCP_MAX_CHARACTERS,
} from '../../lib/guard-rail-policy';
import { authorizationFindings } from '../support/authorization-data';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';
import { MATRIX } from '../support/deploy-matrix-cases';

/**
 * The guard rail's service control policy (protectDefaultPath=enforce), walked as AWS evaluates an
 * SCP (moto checks none): the breaking calls on a tagged resource are refused to a clean-up and
 * let through for the janitor's role and the exempt principals; the protect tag cannot be removed
 * or overwritten by anyone else. It is checked against the Service Authorization Reference, and its
 * size against AWS's limit, in every configuration.
 */

const ACCOUNT = '222222222222';
const CLEANUP = `arn:aws:iam::${ACCOUNT}:role/ci-cleanup`;
const JANITOR = `arn:aws:iam::${ACCOUNT}:role/AccountJanitorMemberRole`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
const policy = guardRailPolicy({
  config: { memberRoleName: 'AccountJanitorMemberRole' },
  partition: 'aws',
  exemptPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/BreakGlass*`],
}) as unknown as PolicyDocument;
const table = `arn:aws:ec2:eu-west-1:${ACCOUNT}:route-table/rtb-1`;
const tagged = { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: 'true' };

/** What the SCP says of a call: `deny`, or `none` (an SCP of denies lets the rest through to IAM). */
const decide = (principal: string, action: string, context: Record<string, RequestValue> = {}, resource = table) =>
  evaluatePolicy(
    policy,
    { principal: { arn: principal }, action, resource, context: { 'aws:PrincipalArn': principal, ...context } },
    'identity',
  ).decision;

test('a clean-up is refused every breaking call on a tagged resource, and none on an untagged one', () => {
  for (const action of GUARD_RAIL_ACTIONS) {
    expect([action, decide(CLEANUP, action, tagged)]).toEqual([action, 'deny']);
    expect([action, decide(CLEANUP, action)]).toEqual([action, 'none']);
  }
  // Another value of the tag is not the guard rail's.
  expect(decide(CLEANUP, 'ec2:DeleteRoute', { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: 'false' })).toBe('none');
});

test("the janitor's write role and an exempt principal go through", () => {
  expect(decide(JANITOR, 'ec2:ReplaceRoute', tagged)).toBe('none');
  expect(decide(BREAK_GLASS, 'ec2:DeleteRoute', tagged)).toBe('none');
  // The exemption names its account: a role of the same name in another account is anyone's.
  expect(decide('arn:aws:iam::333333333333:role/BreakGlassAdmin', 'ec2:DeleteRoute', tagged)).toBe('deny');
  // A role of the same name in a path, or a look-alike, is not the janitor.
  expect(decide(`arn:aws:iam::${ACCOUNT}:role/AccountJanitorMemberRole2`, 'ec2:DeleteRoute', tagged)).toBe('deny');
});

test('the protect tag: removing or overwriting it is refused to others; other tags are theirs', () => {
  const keys = (list: string[]) => ({ 'aws:TagKeys': list });
  expect(decide(CLEANUP, 'ec2:DeleteTags', { ...tagged, ...keys([PROTECT_TAG_KEY]) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:CreateTags', { ...tagged, ...keys(['Name', PROTECT_TAG_KEY]) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:DeleteTags', { ...tagged, ...keys(['Name']) })).toBe('none');
  expect(decide(CLEANUP, 'ec2:CreateTags', { ...tagged, ...keys(['Name']) })).toBe('none');
  // DeleteTags without keys removes every tag: refused on a protected resource only.
  expect(decide(CLEANUP, 'ec2:DeleteTags', tagged)).toBe('deny');
  expect(decide(CLEANUP, 'ec2:DeleteTags')).toBe('none');
  // The janitor tags.
  expect(decide(JANITOR, 'ec2:CreateTags', keys([PROTECT_TAG_KEY]))).toBe('none');
});

test("every action, resource and condition key is one AWS's authorization data knows, as an SCP uses it", async () => {
  expect(await authorizationFindings([{ where: 'guard rail', kind: 'identity', document: policy }], 'aws')).toEqual([]);
});

test('its size stays within the 5,120 characters of an SCP in every configuration of the matrix; too many exempt principals fail the synth', () => {
  for (const matrixCase of MATRIX) {
    const text = guardRailPolicyText({
      config: { memberRoleName: matrixCase.context['memberRoleName'] ?? 'AccountJanitorMemberRole' },
      partition: matrixCase.partition,
      exemptPrincipalArns: matrixCase.context['guardRailExemptPrincipalArns']?.split(','),
    });
    expect(text.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  }
  // The longest role name IAM allows, and twenty exempt principals of a typical length.
  const twenty = Array.from(
    { length: 20 },
    (_, index) => `arn:aws-us-gov:iam::${ACCOUNT}:role/BreakGlass-Team-${index}-*`,
  );
  expect(
    guardRailPolicyText({
      config: { memberRoleName: 'R'.repeat(64) },
      partition: 'aws-us-gov',
      exemptPrincipalArns: twenty,
    }).length,
  ).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  const many = Array.from({ length: 120 }, (_, index) => `arn:aws:iam::${ACCOUNT}:role/BreakGlass-Team-${index}-*`);
  expect(() =>
    synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: 'enforce', guardRailExemptPrincipalArns: many }),
  ).toThrow(
    /guardRailExemptPrincipalArns: the guard rail policy would be \d+ characters, over the 5120 of a service control policy/,
  );
});

describe('the stack', () => {
  const { template, resolved } = synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: 'enforce' });

  test('with enforce, attaches the SCP to the target OUs and outputs its id', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: [TEST_CONTEXT.targetOuIds],
      Content: guardRailPolicy({
        config: { memberRoleName: 'AccountJanitorMemberRole' },
        partition: 'aws',
        exemptPrincipalArns: [],
      }),
    });
    expect(Object.keys(template.findOutputs('GuardRailPolicyId'))).toEqual(['GuardRailPolicyId']);
    expect(resolved.ofType('AWS::Organizations::Policy')).toHaveLength(1);
  });

  test('with audit or off, no SCP; the tags alone (audit)', () => {
    for (const mode of ['audit', 'off']) {
      synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: mode }).template.resourceCountIs(
        'AWS::Organizations::Policy',
        0,
      );
    }
    expect(() => synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: 'always' })).toThrow(
      'protectDefaultPath "always": must be one of: off, audit, enforce',
    );
  });
});

test('npm run guard-rail-policy writes the same policy, for teams that manage SCPs elsewhere', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'janitor-scp-')), 'guard-rail-policy.json');
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(__dirname, '..', '..', 'lib', 'write-guard-rail-policy.ts'), file], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, AWS_REGION: 'eu-west-1' },
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(
    new RegExp(`^wrote ${file} \\(aws partition; lets through AccountJanitorMemberRole; \\d+ characters\\)\\n$`),
  );
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(
    guardRailPolicy({
      config: { memberRoleName: 'AccountJanitorMemberRole' },
      partition: 'aws',
      exemptPrincipalArns: [],
    }),
  );
});
