import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { doctorJson } from '../support/doctor-cli';
import { DeploymentFixture } from '../support/deployment-fixture';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';

/**
 * `doctor`'s `member role trust` against a deployment made in moto as the template makes it (the
 * StackSet's instances create the two member roles in each target account): the live trust of
 * the write and read-only roles is compared with what the StackSet's template gives them; a
 * member admin's edit of it, or a role gone, fails the check, naming the account and the statement.
 */

const REGION = 'us-east-1';
const WRITE_ROLE = 'AccountJanitorMemberRole';
let emulator: Emulator;
let deployer: DeploymentFixture;
let accounts: Record<'alpha' | 'beta', string>;

beforeEach(async () => {
  emulator = await freshEmulator();
  let ouId: string;
  ({ ouId, accounts } = await emulator.fixture.createSandboxOu(['alpha', 'beta'], [REGION]));
  const { organizationId } = await emulator.fixture.describeOrganization();
  deployer = new DeploymentFixture(motoUrl(), emulator.proxy.url);
  await deployer.deploy(
    DeploymentFixture.synthesize({
      targetOuIds: ouId,
      organizationId,
      regions: REGION,
      notificationEmails: 'ops@example.com',
      eventDrivenRepair: 'false',
      protectDefaultPath: 'audit',
    }),
  );
});

afterEach(async () => {
  deployer.destroy();
  await emulator.close();
});

const trustRows = async (...args: string[]) =>
  (await doctorJson(...args)).report.rows.filter((row) => row.check === 'member role trust');

test('the roles as the StackSet made them: one passing row, read through the read-only role', async () => {
  const rows = await trustRows();
  expect(rows).toEqual([
    {
      check: 'member role trust',
      status: 'ok',
      detail: `2 of 2 target accounts: ${WRITE_ROLE} and AccountJanitorReadOnlyRole trust what the member role StackSet's template says`,
    },
  ]);
  // Read as the read-only role, which may GetRole those two roles only.
  const reads = emulator.proxy.requests.filter((request) => request.action === 'GetRole');
  expect(reads).toHaveLength(4);
});

test("a member admin's edit of the write role's trust fails it, naming the account and the statement; --sample reads fewer", async () => {
  const iam = await emulator.fixture.iam(accounts.alpha);
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: WRITE_ROLE }));
  const live = JSON.parse(decodeURIComponent(String(Role?.AssumeRolePolicyDocument))) as {
    Statement: Record<string, unknown>[];
  };
  const intruder = `arn:aws:iam::${accounts.alpha}:role/Admin`;
  const added = { Effect: 'Allow', Principal: { AWS: intruder }, Action: 'sts:AssumeRole' };
  await iam.send(
    new UpdateAssumeRolePolicyCommand({
      RoleName: WRITE_ROLE,
      // (moto's CloudFormation leaves AWS::NoValue in the list as null: IAM would refuse it back)
      PolicyDocument: JSON.stringify({ ...live, Statement: [...live.Statement.filter(Boolean), added] }),
    }),
  );
  const { code, report } = await doctorJson();
  const rows = report.rows.filter((row) => row.check === 'member role trust');
  expect(code).toBe(1);
  expect(rows[0]).toMatchObject({
    status: 'fail',
    detail: expect.stringMatching(/^1 of 2 target accounts: /) as unknown,
  });
  expect(rows[1]?.status).toBe('fail');
  expect(rows[1]?.detail).toMatch(
    new RegExp(
      `^account ${accounts.alpha} \\(alpha\\): ${WRITE_ROLE} trusts other than its template says: added .*${intruder}`,
    ),
  );
  expect(rows[1]?.detail).not.toContain('missing');
  // --sample 1: the first account by id only.
  const sampled = await trustRows('--sample', '1');
  const first = [accounts.alpha, accounts.beta].sort()[0];
  expect(sampled[0]?.detail).toMatch(/of 1 of 2 target accounts \(sampled\)/);
  expect(sampled.length).toBe(first === accounts.alpha ? 2 : 1);
});

test('a write role that is gone fails it', async () => {
  const iam = await emulator.fixture.iam(accounts.beta);
  await iam.send(new DeleteRolePolicyCommand({ RoleName: WRITE_ROLE, PolicyName: 'account-janitor-default-route' }));
  await iam.send(new DeleteRoleCommand({ RoleName: WRITE_ROLE }));
  const rows = await trustRows();
  expect(rows[1]).toEqual({
    check: 'member role trust',
    status: 'fail',
    detail: `account ${accounts.beta} (beta): ${WRITE_ROLE} is gone`,
  });
});
