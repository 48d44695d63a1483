import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DetachPolicyCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { RecordedRequest } from '../support/aws-proxy';
import { doctorJson } from '../support/doctor-cli';
import { DeploymentFixture } from '../support/deployment-fixture';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';

/**
 * `doctor` and the organization's policies: the SCPs from the root down to the target accounts,
 * against the write role's repair calls (moto has SCPs, their attachments and the tree), and each
 * sampled account's effective EC2 declarative policy (moto has no declarative policy: the proxy
 * answers DescribeEffectivePolicy as Organizations does, in JSON 1.1). Moto attaches FullAWSAccess
 * to the root alone; AWS to every OU and account too, which the tests do here.
 */

const REGION = 'us-east-1';
const ROLE = 'AccountJanitorMemberRole';
let emulator: Emulator;
let deployer: DeploymentFixture;
let rootId: string;
let ouId: string;
let accounts: Record<'alpha' | 'beta', string>;
let organizations: OrganizationsClient;

beforeEach(async () => {
  emulator = await freshEmulator();
  ({ rootId, ouId, accounts } = await emulator.fixture.createSandboxOu(['alpha', 'beta'], [REGION]));
  const { organizationId } = await emulator.fixture.describeOrganization();
  deployer = new DeploymentFixture(motoUrl(), emulator.proxy.url);
  ({ organizations } = deployer);
  for (const target of [ouId, accounts.alpha, accounts.beta]) await attach('p-FullAWSAccess', target);
  await deployer.deploy(
    DeploymentFixture.synthesize({
      targetOuIds: ouId,
      organizationId,
      regions: REGION,
      notificationEmails: 'ops@example.com',
      eventDrivenRepair: 'false',
    }),
  );
});

afterEach(async () => {
  deployer.destroy();
  await emulator.close();
});

const attach = (policyId: string, targetId: string) =>
  organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));

/** A customer SCP, attached to the target. */
async function scp(name: string, statement: unknown, targetId: string): Promise<string> {
  const { Policy } = await organizations.send(
    new CreatePolicyCommand({
      Name: name,
      Description: name,
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: statement }),
    }),
  );
  const id = String(Policy?.PolicySummary?.Id);
  await attach(id, targetId);
  return id;
}

const rowsOf = async (check: string) => {
  const { code, report } = await doctorJson();
  return { code, rows: report.rows.filter((row) => row.check === check) };
};

const DENY_ROUTES = {
  Sid: 'NoRouteWrites',
  Effect: 'Deny',
  Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
  Resource: '*',
};

test('an SCP on the target OU that denies the route writes is a warning naming it (exit 0)', async () => {
  const policyId = await scp('DenyRouteWrites', [DENY_ROUTES], ouId);
  const { code, rows } = await rowsOf('service control policies');
  expect(rows).toEqual([
    {
      check: 'service control policies',
      status: 'warn',
      detail: `the SCP ${policyId} (DenyRouteWrites) on ${ouId} denies ec2:CreateRoute, ec2:ReplaceRoute to the janitor's write role ${ROLE}: exempt the role in its statement NoRouteWrites (aws:PrincipalArn), or those repairs fail there`,
    },
  ]);
  expect(code).toBe(0);
});

test('an SCP on the root is said to be attached above the target; one on an account, in it', async () => {
  const onRoot = await scp('RegionLock', [{ ...DENY_ROUTES, Sid: undefined, Action: 'ec2:*' }], rootId);
  const onAlpha = await scp(
    'NoNewGateways',
    [{ Effect: 'Deny', Action: 'ec2:ReplaceRoute', Resource: '*' }],
    accounts.alpha,
  );
  const { rows } = await rowsOf('service control policies');
  expect(rows.map((row) => row.detail)).toEqual([
    `the SCP ${onRoot} (RegionLock) on ${rootId} (above ${ouId}) denies ec2:CreateRoute, ec2:ReplaceRoute to the janitor's write role ${ROLE}: exempt the role in its statement 1 (aws:PrincipalArn), or those repairs fail there`,
    `the SCP ${onAlpha} (NoNewGateways) on account ${accounts.alpha} itself (in ${ouId}) denies ec2:ReplaceRoute to the janitor's write role ${ROLE} in 1 of 2 sampled accounts (${accounts.alpha}): exempt the role in its statement 1 (aws:PrincipalArn), or those repairs fail there`,
  ]);
});

test('an SCP that exempts the write role by aws:PrincipalArn (a sandbox write protection) is no warning', async () => {
  await scp(
    'SandboxWriteProtection',
    [
      {
        Effect: 'Deny',
        Action: ['ec2:Create*', 'ec2:Replace*', 'ec2:Delete*'],
        Resource: '*',
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::*:role/${ROLE}`, 'arn:aws:iam::*:role/Admin*'] },
        },
      },
    ],
    ouId,
  );
  const { rows } = await rowsOf('service control policies');
  expect(rows).toEqual([
    {
      check: 'service control policies',
      status: 'ok',
      detail: `2 SCPs (FullAWSAccess; SandboxWriteProtection) from the root down to 2 sampled accounts of 1 target let the janitor's write role ${ROLE} make its repair calls (ec2:CreateRoute; ec2:ReplaceRoute) in ${REGION}`,
    },
  ]);
});

test('an SCP whose Deny turns on what doctor cannot know (the role’s tags) may deny: a warning that says on what', async () => {
  const policyId = await scp(
    'PlatformTeamOnly',
    [
      {
        Sid: 'OnlyThePlatformTeam',
        Effect: 'Deny',
        Action: 'ec2:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } },
      },
    ],
    ouId,
  );
  const { rows } = await rowsOf('service control policies');
  expect(rows.map((row) => `${row.status}: ${row.detail}`)).toEqual([
    `warn: the SCP ${policyId} (PlatformTeamOnly) on ${ouId} may deny ec2:CreateRoute, ec2:ReplaceRoute to the janitor's write role ${ROLE}: its statement OnlyThePlatformTeam depends on a condition on aws:PrincipalTag/team, which doctor cannot know; if it does, exempt the role there (aws:PrincipalArn)`,
  ]);
});

test('an OU whose SCPs allow no EC2 refuses though nothing denies: SCPs are an allow list at every level', async () => {
  await scp('S3Only', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], ouId);
  await organizations.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ouId }));
  const { rows } = await rowsOf('service control policies');
  expect(rows.map((row) => `${row.status}: ${row.detail}`)).toEqual([
    `warn: no SCP on ${ouId} allows ec2:CreateRoute, ec2:ReplaceRoute to the janitor's write role ${ROLE}: SCPs are an allow list at every level, so those repairs fail there until one does`,
  ]);
});

test('each policy and each level is read once; FullAWSAccess is never read', async () => {
  await scp('DenyRouteWrites', [DENY_ROUTES], rootId);
  emulator.proxy.clear();
  await doctorJson();
  const calls = (action: string, field: string) =>
    emulator.proxy.requests
      .filter((request) => request.action === action)
      .map((request) => String((JSON.parse(request.body) as Record<string, unknown>)[field]));
  const described = calls('DescribePolicy', 'PolicyId');
  expect(described).toHaveLength(1);
  expect(described).not.toContain('p-FullAWSAccess');
  const listed = calls('ListPoliciesForTarget', 'TargetId');
  expect(listed.sort()).toEqual([rootId, ouId, accounts.alpha, accounts.beta].sort());
  expect(calls('DescribeEffectivePolicy', 'TargetId').sort()).toEqual([accounts.alpha, accounts.beta].sort());
});

/** Organizations' answer to DescribeEffectivePolicy for one account (JSON 1.1, as AWS sends it). */
function effectivePolicy(accountId: string, block: Record<string, string>): void {
  emulator.proxy.inject({
    match: { service: 'organizations', action: 'DescribeEffectivePolicy' },
    when: (request: RecordedRequest) => (JSON.parse(request.body) as { TargetId: string }).TargetId === accountId,
    reply: JSON.stringify({
      EffectivePolicy: {
        PolicyContent: JSON.stringify({
          ec2_attributes: { vpc_block_public_access: { internet_gateway_block: block } },
        }),
        LastUpdatedTimestamp: 1_767_225_600,
        TargetId: accountId,
        PolicyType: 'DECLARATIVE_POLICY_EC2',
      },
    }),
  });
}

test('a declarative policy that turns on Block Public Access in the OU is a warning: restored routes carry no traffic there', async () => {
  for (const account of Object.values(accounts)) {
    effectivePolicy(account, { mode: 'block_bidirectional', exclusions_allowed: 'disabled' });
  }
  const { code, rows } = await rowsOf('declarative policies');
  expect(rows).toEqual([
    {
      check: 'declarative policies',
      status: 'warn',
      detail: `a declarative policy turns on Block Public Access in ${ouId}: restored routes carry no traffic there (block-bidirectional, exclusions not allowed)`,
    },
  ]);
  expect(code).toBe(0);
});

test('Block Public Access off in the declarative policy, or no declarative policy at all, is no warning', async () => {
  effectivePolicy(accounts.alpha, { mode: 'off', exclusions_allowed: 'enabled' });
  const { rows } = await rowsOf('declarative policies');
  expect(rows).toEqual([
    {
      check: 'declarative policies',
      status: 'ok',
      detail: 'no declarative policy turns on Block Public Access in 2 sampled accounts of 1 target',
    },
  ]);
});

test('Organizations refusing the policy reads is a warning saying what doctor needs, not a crash', async () => {
  emulator.proxy.inject({
    match: { service: 'organizations', action: 'ListPoliciesForTarget' },
    code: 'AccessDeniedException',
    message: 'You don’t have permissions to access this resource.',
  });
  const { code, report } = await doctorJson();
  expect(report.rows.filter((row) => /policies$/.test(row.check))).toEqual([
    {
      check: 'service control policies',
      status: 'warn',
      detail:
        'could not read the service control policies: organizations:ListPoliciesForTarget was refused (AccessDeniedException); doctor needs organizations:ListParents, ListPoliciesForTarget and DescribePolicy, from the management account or a delegated administrator',
    },
    expect.objectContaining({ check: 'declarative policies', status: 'ok' }),
  ]);
  expect(code).toBe(0);
});
