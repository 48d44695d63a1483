import { AttachPolicyCommand, CreatePolicyCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { doctorJson, rowOf } from '../support/doctor-cli';
import { DeploymentFixture } from '../support/deployment-fixture';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';

/**
 * `doctor` with the guard rail enforcing, in an organization where Innovation Sandbox on AWS keeps
 * its pool: its SCPs (by their names, or by their statement ids when renamed) on a target OU or an
 * OU above it are a warning that its clean-up will fail without the nuke preset.
 */

const REGION = 'us-east-1';
let emulator: Emulator;
let deployer: DeploymentFixture;
let organizations: OrganizationsClient;
let rootId: string;
let poolOuId: string;
let cleanUpOuId: string;

beforeEach(async () => {
  emulator = await freshEmulator();
  const { fixture } = emulator;
  ({ rootId } = await fixture.createOrganization());
  // As Innovation Sandbox lays it out: the pool OU, and below it the OUs its accounts move between.
  poolOuId = await fixture.createOu(rootId, 'isb_InnovationSandboxAccountPool');
  cleanUpOuId = await fixture.createOu(poolOuId, 'CleanUp');
  const account = await fixture.createAccount('sandbox-1', cleanUpOuId, rootId);
  await fixture.provisionDefaultNetwork(account, REGION);
  const { organizationId } = await fixture.describeOrganization();
  deployer = new DeploymentFixture(motoUrl(), emulator.proxy.url);
  ({ organizations } = deployer);
  await deployer.deploy(
    DeploymentFixture.synthesize({
      targetOuIds: cleanUpOuId,
      organizationId,
      regions: REGION,
      notificationEmails: 'ops@example.com',
      eventDrivenRepair: 'false',
      protectDefaultPath: 'enforce',
    }),
  );
});

afterEach(async () => {
  deployer.destroy();
  await emulator.close();
});

async function attachScp(name: string, sid: string, targetId: string): Promise<void> {
  const statement = {
    Sid: sid,
    Effect: 'Deny',
    Action: 'iam:DeleteRole',
    Resource: 'arn:aws:iam::*:role/InnovationSandbox-isb*',
  };
  const { Policy } = await organizations.send(
    new CreatePolicyCommand({
      Name: name,
      Description: name,
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    }),
  );
  await organizations.send(new AttachPolicyCommand({ PolicyId: Policy?.PolicySummary?.Id, TargetId: targetId }));
}

test('enforce: Innovation Sandbox’s SCP on the pool OU above the target, and a renamed one on the target, are one warning naming both', async () => {
  await attachScp('InnovationSandboxProtectISBResourcesScp', 'ProtectIsbControlPlaneResources', poolOuId);
  await attachScp('pool-write-protection', 'DenyAllExceptIsbRoles', cleanUpOuId);
  await attachScp('our-own-guard', 'DenyRoleDeletes', cleanUpOuId);
  const { report } = await doctorJson();
  const row = rowOf(report, 'innovation sandbox');
  expect(row?.status).toBe('warn');
  expect(row?.detail).toContain(
    `Innovation Sandbox's SCPs apply to target accounts: InnovationSandboxProtectISBResourcesScp (attached to ${poolOuId}; 1 target account); pool-write-protection (attached to ${cleanUpOuId}; 1 target account)`,
  );
  expect(row?.detail).toContain('Merge `account-janitor nuke-preset --tool aws-nuke` into its nuke config');
  expect(row?.detail).not.toContain('our-own-guard');
});

test('enforce without Innovation Sandbox: the row says none applies', async () => {
  await attachScp('our-own-guard', 'DenyRoleDeletes', cleanUpOuId);
  const { report } = await doctorJson();
  expect(rowOf(report, 'innovation sandbox')).toEqual({
    check: 'innovation sandbox',
    status: 'ok',
    detail: 'no Innovation Sandbox SCP applies to a target account',
  });
});
