import { MEMBER_EGRESS_ACTIONS, MEMBER_EGRESS_READ_ACTIONS } from '../../lambda/contract/permissions';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfigInput } from '../../lambda/config/schema';
import { BREAKING_CALLS } from '../../lambda/core/breaking-calls';
import { evaluatePolicy, type Decision, type PolicyDocument } from '../../lambda/core/iam-policy';
import { memberRoleTemplate } from '../../lib/member-role-template';
import { callsHeardWith } from '../support/breaking-calls';

/**
 * The member role's egress permissions (issue 14), as IAM would read them (moto checks no IAM):
 * the reads with either switch; the two writes only with the repair, in remediate mode, only on
 * this account's security groups and network ACLs, never on one tagged account-janitor:ignore=true.
 */

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/AccountJanitorMemberRole/account-janitor`;

/** The member role's policy, with the template's Fn::Sub resolved as CloudFormation would in ACCOUNT. */
function memberPolicy(raw: SweepConfigInput): PolicyDocument {
  const config = parseSweepConfig({ allAccounts: true, ...raw }, 'test', (key) => key);
  const template = memberRoleTemplate(config) as {
    Resources: { MemberRole: { Properties: { Policies: { PolicyDocument: unknown }[] } } };
  };
  const text = JSON.stringify(template.Resources.MemberRole.Properties.Policies[0]?.PolicyDocument);
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && 'Fn::Sub' in value) {
      const sub = (value as { 'Fn::Sub': string })['Fn::Sub'];
      return sub.replaceAll('${AWS::Partition}', 'aws').replaceAll('${AWS::AccountId}', ACCOUNT);
    }
    return value;
  }) as PolicyDocument;
}

function decide(policy: PolicyDocument, action: string, resource: string, tags: Record<string, string> = {}): Decision {
  const context = Object.fromEntries(Object.entries(tags).map(([key, value]) => [`ec2:ResourceTag/${key}`, value]));
  return evaluatePolicy(policy, { principal: { arn: ROLE }, action, resource, context }, 'identity').decision;
}

const group = (account = ACCOUNT) => `arn:aws:ec2:eu-west-1:${account}:security-group/sg-0123456789abcdef0`;
const acl = (account = ACCOUNT) => `arn:aws:ec2:eu-west-1:${account}:network-acl/acl-0123456789abcdef0`;
const [AUTHORIZE, CREATE_ENTRY] = MEMBER_EGRESS_ACTIONS;

test('with the repair in remediate mode: both writes on this account only, and never on an ignored group or ACL', () => {
  const policy = memberPolicy({ repairEgress: true });
  expect(decide(policy, AUTHORIZE, group())).toBe('allow');
  expect(decide(policy, CREATE_ENTRY, acl())).toBe('allow');
  expect(decide(policy, AUTHORIZE, group(OTHER))).toBe('none');
  expect(decide(policy, CREATE_ENTRY, acl(OTHER))).toBe('none');
  // Each write is allowed on its own resource type only.
  expect(decide(policy, AUTHORIZE, acl())).toBe('none');
  expect(decide(policy, CREATE_ENTRY, group())).toBe('none');
  expect(decide(policy, AUTHORIZE, group(), { 'account-janitor:ignore': 'TRUE' })).toBe('deny');
  expect(decide(policy, CREATE_ENTRY, acl(), { 'account-janitor:ignore': 'true' })).toBe('deny');
  // Revokes and deletes are never allowed, whatever the switches.
  for (const call of callsHeardWith('egress')) {
    expect(decide(policy, `ec2:${call}`, BREAKING_CALLS[call].touches === 'security-group' ? group() : acl())).toBe(
      'none',
    );
  }
  for (const read of MEMBER_EGRESS_READ_ACTIONS) expect(decide(policy, read, '*')).toBe('allow');
});

test.each([
  ['the check alone', { checkEgress: true }],
  ['the repair in report mode', { repairEgress: true, mode: 'report' }],
])('%s: the reads, no write', (_, raw) => {
  const policy = memberPolicy(raw);
  for (const read of MEMBER_EGRESS_READ_ACTIONS) expect(decide(policy, read, '*')).toBe('allow');
  expect(decide(policy, AUTHORIZE, group())).toBe('none');
  expect(decide(policy, CREATE_ENTRY, acl())).toBe('none');
});

test('neither switch: not even the reads', () => {
  const policy = memberPolicy({});
  for (const read of MEMBER_EGRESS_READ_ACTIONS) expect(decide(policy, read, '*')).toBe('none');
  expect(decide(policy, AUTHORIZE, group())).toBe('none');
});
