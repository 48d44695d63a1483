import { DetachPolicyCommand } from '@aws-sdk/client-organizations';
import { runSweep } from '../../lambda/sweep';
import { createAwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import { doctorJson, rowOf } from '../support/doctor-cli';
import { DeploymentFixture } from '../support/deployment-fixture';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';

/**
 * `doctor` and the guard rail (protectDefaultPath), against a deployment made in moto as the
 * template makes it: with enforce, the SCP exists and is attached to every target OU; with audit
 * or enforce, each target account's main route table carries the protect tag.
 */

const REGION = 'us-east-1';
let emulator: Emulator;
let deployer: DeploymentFixture;
let ouId: string;
let accounts: Record<'alpha' | 'beta', string>;
let organizationId: string;

beforeEach(async () => {
  emulator = await freshEmulator();
  ({ ouId, accounts } = await emulator.fixture.createSandboxOu(['alpha', 'beta'], [REGION]));
  ({ organizationId } = await emulator.fixture.describeOrganization());
  deployer = new DeploymentFixture(motoUrl(), emulator.proxy.url);
});

afterEach(async () => {
  deployer.destroy();
  await emulator.close();
});

const deploy = (protectDefaultPath: string) =>
  deployer.deploy(
    DeploymentFixture.synthesize({
      targetOuIds: ouId,
      organizationId,
      regions: REGION,
      notificationEmails: 'ops@example.com',
      eventDrivenRepair: 'false',
      protectDefaultPath,
    }),
  );

/** One sweep of the targets in remediate mode: it tags their default paths. */
async function sweepTags(protectDefaultPath: string): Promise<void> {
  const clients = createAwsClients({ homeRegion: REGION });
  try {
    await runSweep(
      parseSweepConfig({ targetOuIds: ouId, regions: REGION, protectDefaultPath }, 'test', (key) => key),
      { clients, logger: new RecordingLogger() },
    );
  } finally {
    clients.destroy();
  }
}

test('enforce: the SCP attached to the target OU and every main route table tagged is a passing doctor', async () => {
  const deployment = await deploy('enforce');
  await sweepTags('enforce');
  const { code, report } = await doctorJson();
  expect(rowOf(report, 'guard rail')).toEqual({
    check: 'guard rail',
    status: 'ok',
    detail: `AccountJanitor-guard-rail (${deployment.outputs['GuardRailPolicyId']}) is attached to ${ouId}: it refuses the breaking calls on resources tagged account-janitor:protected=true, and changes to the janitor's roles, forwarder and StackSet instances`,
  });
  expect(rowOf(report, 'member accounts')?.detail).toContain('main route table tagged account-janitor:protected');
  // The guard rail lets the write role through (aws:PrincipalArn): no SCP refuses a repair, not even "may".
  expect(rowOf(report, 'service control policies')).toMatchObject({
    status: 'ok',
    detail: expect.stringContaining('AccountJanitor-guard-rail') as unknown,
  });
  expect(report.rows.filter((item) => item.status === 'fail')).toEqual([]);
  expect(code).toBe(0);
});

test('enforce: an SCP detached from the target OU, and an account not tagged yet, each fail with what to do', async () => {
  const deployment = await deploy('enforce');
  await deployer.organizations.send(
    new DetachPolicyCommand({ PolicyId: deployment.outputs['GuardRailPolicyId'], TargetId: ouId }),
  );
  const { code, report } = await doctorJson();
  expect(rowOf(report, 'guard rail')).toMatchObject({
    status: 'fail',
    detail: `AccountJanitor-guard-rail is not attached to ${ouId}: the breaking calls there are not refused (attach it, or redeploy)`,
  });
  // No sweep has tagged anything yet.
  const routeTable = await emulator.fixture.mainRouteTableId(accounts.alpha, REGION);
  expect(rowOf(report, `account ${accounts.alpha} (alpha)`)).toMatchObject({
    status: 'fail',
    detail: expect.stringContaining(
      `the main route table ${routeTable} in ${REGION} is not tagged account-janitor:protected: the guard rail refuses nothing there until a sweep in remediate mode tags it`,
    ) as unknown,
  });
  expect(code).toBe(1);
});

test('audit: no SCP to check, the tags are', async () => {
  await deploy('audit');
  await sweepTags('audit');
  const { code, report } = await doctorJson();
  expect(rowOf(report, 'guard rail')?.detail).toMatch(/^audit: the default path is tagged/);
  expect(report.rows.filter((item) => item.status === 'fail')).toEqual([]);
  expect(code).toBe(0);
});
