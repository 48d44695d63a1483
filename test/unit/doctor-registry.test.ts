import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor, type DoctorOptions } from '../../cli/doctor/doctor';
import { withChecksTable } from '../../cli/doctor/reference';
import { DOCTOR_CHECKS, type DoctorCheck, type Findings } from '../../cli/doctor/registry';
import { createAwsClients } from '../../lambda/aws/clients';
import type { SweepConfig } from '../../lambda/config/schema';

/**
 * doctor's registry is the one list of its checks: doctor runs each entry that applies, in the
 * registry's order, and skips those that need what a failed check did not find; the docs' table is
 * made from it. The checks themselves are run here by stand-ins that write the rows their entry
 * names (the integration tests run the real ones against moto).
 */

const DEPLOY_DOC = join(__dirname, '..', '..', 'docs', 'deploy.md');

/** What the stand-ins find: a plain deployment, without a switch or an option that adds a check. */
const PLAIN: Record<string, Partial<Findings>> = {
  stack: { outputs: { functionName: 'AccountJanitor-sweep' } },
  function: { config: { protectDefaultPath: 'off' } as SweepConfig },
  subscriptions: { confirmed: 1 },
  alarms: { alarms: [] },
  'member accounts': {
    organization: { id: 'o-a1b2c3d4e5', managementAccountId: '111111111111' },
    targets: [{ id: '111122223333', name: 'sandbox-1', ouId: 'ou-ab12-11111111' }],
  },
};

/** Everything on: the event path, chat channels, the guard rail, the member role StackSet; `--probe` and `--send-test-notification`. */
const EVERYTHING: Record<string, Partial<Findings>> = {
  ...PLAIN,
  stack: {
    outputs: {
      functionName: 'AccountJanitor-sweep',
      eventBusArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/AccountJanitor-breaking-calls',
      chatChannelArns: 'arn:aws:chatbot::111111111111:chat-configuration/slack-channel/AccountJanitor-slack-1',
      memberRoleStackSetName: 'account-janitor-member-role-AccountJanitor',
    },
  },
  function: { config: { protectDefaultPath: 'enforce' } as SweepConfig },
};
const ALL_OPTIONS = { sendTestNotification: true, probe: { accountId: '111122223333', region: 'eu-west-1' } };

/** The registry with each run replaced: it writes its entry's rows and finds `found[name]`, or fails with it. */
async function doctorWith(
  found: Record<string, Partial<Findings> | Error>,
  options: Partial<DoctorOptions> = {},
): Promise<{ ran: string[]; rows: string[] }> {
  const ran: string[] = [];
  const checks = DOCTOR_CHECKS.map((entry): DoctorCheck => ({
    ...entry,
    run: (doctor) => {
      ran.push(entry.name);
      const result = found[entry.name];
      if (result instanceof Error) return Promise.reject(result);
      for (const row of entry.rows) doctor.add(row.check, 'ok', 'stand-in');
      return Promise.resolve(result);
    },
  }));
  const clients = createAwsClients({ homeRegion: 'eu-west-1', maxAttempts: 1 });
  try {
    const report = await runDoctor({ stackName: 'AccountJanitor', ...options }, clients, checks);
    return { ran, rows: report.rows.map((row) => `${row.check}: ${row.status}`) };
  } finally {
    clients.destroy();
  }
}

test('a plain deployment: every check without a condition runs, in the order of the registry', async () => {
  const { rows } = await doctorWith(PLAIN);
  expect(rows).toEqual([
    'stack: ok',
    'function: ok',
    'schedule: ok',
    'dead-letter queue: ok',
    'subscriptions: ok',
    'alarms: ok',
    'alarm delivery: ok',
    'alarm states: ok',
    'last run: ok',
    'organization: ok',
    'member accounts: ok',
    'service control policies: ok',
    'declarative policies: ok',
  ]);
});

test('with every switch and option on, every entry runs once, and the rows follow the registry', async () => {
  const { ran, rows } = await doctorWith(EVERYTHING, ALL_OPTIONS);
  expect(ran).toEqual(DOCTOR_CHECKS.map((entry) => entry.name));
  expect(rows).toEqual(DOCTOR_CHECKS.flatMap((entry) => entry.rows.map((row) => `${row.check}: ok`)));
  expect(rows).toEqual([
    'stack: ok',
    'function: ok',
    'schedule: ok',
    'dead-letter queue: ok',
    'subscriptions: ok',
    'chat channels: ok',
    'alarms: ok',
    'alarm delivery: ok',
    'alarm states: ok',
    'last run: ok',
    'event path: ok',
    'guard rail: ok',
    'organization: ok',
    'member accounts: ok',
    'service control policies: ok',
    'declarative policies: ok',
    'innovation sandbox: ok',
    'member role trust: ok',
    'event probe: ok',
    'test notification: ok',
  ]);
});

test('each condition applies alone: a switch of the deployment or an option of doctor', async () => {
  const only = async (found: Record<string, Partial<Findings>>, options: Partial<DoctorOptions> = {}) => {
    const { ran } = await doctorWith({ ...PLAIN, ...found }, options);
    const plain = (await doctorWith(PLAIN)).ran;
    return ran.filter((name) => !plain.includes(name));
  };
  const outputs = (more: Record<string, string>) => ({ stack: { outputs: { functionName: 'f', ...more } } });
  expect(await only(outputs({ chatChannelArns: 'arn:aws:chatbot::1:chat-configuration/slack-channel/c' }))).toEqual([
    'chat channels',
  ]);
  expect(await only(outputs({ eventBusArn: 'arn:aws:events:eu-west-1:1:event-bus/b' }))).toEqual(['event path']);
  expect(await only(outputs({ memberRoleStackSetName: 'account-janitor-member-role-s' }))).toEqual([
    'member role trust',
  ]);
  expect(await only({ function: { config: { protectDefaultPath: 'audit' } as SweepConfig } })).toEqual(['guard rail']);
  expect(await only({}, { probe: ALL_OPTIONS.probe })).toEqual(['event probe']);
  expect(await only({}, { sendTestNotification: true })).toEqual(['test notification']);
});

test('a check that fails is one failed row under its name, and the checks that need what it finds are skipped', async () => {
  const failing = (name: string) =>
    doctorWith({ ...EVERYTHING, [name]: new Error(`${name} could not be read`) }, ALL_OPTIONS);

  expect((await failing('stack')).rows).toEqual(['stack: fail']);
  expect((await failing('function')).ran).toEqual([
    'stack',
    'function',
    'schedule',
    'dead-letter queue',
    'subscriptions',
    'chat channels',
    'alarms',
    'alarm delivery',
    'alarm states',
    'test notification',
  ]);
  const alarmsFailed = await failing('alarms');
  expect(alarmsFailed.rows).toContain('alarms: fail');
  expect(DOCTOR_CHECKS.map((entry) => entry.name).filter((name) => !alarmsFailed.ran.includes(name))).toEqual([
    'alarm delivery',
    'alarm states',
    'test notification',
  ]);
  // Without the confirmed count, the test notification still goes (it says 0 confirmed).
  expect((await failing('subscriptions')).ran).toContain('test notification');
  // A check that fails after finding nothing stops only its dependants: the rest go on.
  expect((await failing('member accounts')).rows.slice(-4)).toEqual([
    'member accounts: fail',
    'member role trust: ok',
    'event probe: ok',
    'test notification: ok',
  ]);
});

test('each entry is named once and documents its own row (the name of its failed row)', () => {
  const names = DOCTOR_CHECKS.map((entry) => entry.name);
  expect(new Set(names).size).toBe(names.length);
  for (const entry of DOCTOR_CHECKS) {
    expect(entry.rows.map((row) => row.check)).toContain(entry.name);
    expect(entry.reads).not.toBe('');
  }
});

test("docs/deploy.md's table of checks is what the registry makes (npm run docs)", () => {
  const markdown = readFileSync(DEPLOY_DOC, 'utf8');
  expect(withChecksTable(markdown)).toBe(markdown);
});
