import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfig } from '../../lambda/config/schema';
import type { SweepResult } from '../../lambda/core/report';
import { runSweep } from '../../lambda/sweep';
import { buildDemoOrganization, DEMO_REGIONS, type DemoOrganization } from '../../demo/scenario';
import { freshEmulator, type Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';

// GIVEN the demo organization in moto: nested OUs, ten accounts, three regions, broken by a clean-up
let emulator: Emulator;
let org: DemoOrganization;
let clients: AwsClients;

beforeAll(async () => {
  emulator = await freshEmulator();
  org = await buildDemoOrganization(emulator.fixture);
  clients = createAwsClients({ homeRegion: 'us-east-1' });
});

afterAll(async () => {
  clients.destroy();
  await emulator.close();
});

function configFor(overrides: Record<string, unknown> = {}): SweepConfig {
  return parseSweepConfig({ ...org.config, ...overrides }, 'test', (key) => key);
}

function row(results: readonly SweepResult[], account: keyof DemoOrganization['accounts'], region: string | null) {
  const accountId = org.accounts[account];
  return results.find((result) => result.accountId === accountId && result.region === region);
}

test('a dry run reports every broken route and writes nothing', async () => {
  emulator.proxy.clear();
  const report = await runSweep(configFor({ mode: 'report' }), { clients, logger: new RecordingLogger() });

  expect(row(report.results, 'alpha-healthy', 'us-east-1')?.status).toBe('ok');
  expect(row(report.results, 'alpha-route-deleted', 'us-east-1')?.status).toBe('would-restore');
  expect(row(report.results, 'beta-stale-gateway', 'eu-west-1')?.status).toBe('would-replace');
  expect(row(report.results, 'beta-no-gateway', 'ap-southeast-2')?.status).toBe('no-internet-gateway');
  expect(row(report.results, 'beta-suspended', null)?.status).toBe('skipped');
  expect(row(report.results, 'ci-runner-2', 'ap-southeast-2')?.status).toBe('no-default-vpc');
  expect(row(report.results, 'ci-runner-2', 'us-east-1')?.status).toBe('conflict');
  expect(row(report.results, 'ci-ignored', 'us-east-1')?.status).toBe('ignored');
  expect(row(report.results, 'ci-excluded', null)?.status).toBe('skipped');
  expect(report.results.some((result) => result.accountId === org.accounts['prod-outside'])).toBe(false);
  expect(emulator.proxy.count({ service: 'ec2', action: 'CreateRoute' })).toBe(0);
  expect(emulator.proxy.count({ service: 'ec2', action: 'ReplaceRoute' })).toBe(0);
  expect(report.results.filter((result) => result.region !== null)).toHaveLength(7 * DEMO_REGIONS.length);
});
