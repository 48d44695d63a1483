import { DEPLOYMENT_KEYS } from '../../lib/config';
import { DEPLOYMENT_SETTINGS } from '../../lib/deployment-settings';
import { PROP_OF_SETTING } from '../../lib/account-janitor-stack';
import { synthesizeStack, TEST_CONTEXT, TEST_ENVIRONMENT } from '../support/synth';

/**
 * Every deployment setting reaches the construct by type (PROP_OF_SETTING, typed over the table:
 * a new entry without its prop and its line there fails tsc), and this test shows it does
 * something: set to a value that is not its default, beside the settings it needs, it changes the
 * synthesized template. A setting marked `synthGuard` in its table entry is a synth-time guard and
 * changes nothing. A new entry needs its value here too (the record is over the table's keys).
 */

type DeploymentKey = keyof typeof DEPLOYMENT_SETTINGS;

const OU = TEST_CONTEXT.targetOuIds;
/** Innovation Sandbox's bus, in the test stack's region. */
const ISB_BUS = `arn:aws:events:${TEST_ENVIRONMENT.region}:444455556666:event-bus/InnovationSandboxComputeISBEventBus`;
const TEAMS =
  '5f8e3c2a-1b4d-4e6f-9a0b-7c8d9e0f1a2b/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2/0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

/** A value that is not the default, and the settings it needs to matter (in both templates). */
const NOT_DEFAULT: { readonly [K in DeploymentKey]: { value: string; with?: Record<string, string> } } = {
  schedule: { value: 'rate(1 day)' },
  timeZone: { value: 'Europe/Berlin' },
  notificationEmails: { value: 'oncall@example.com' },
  deployMemberRole: { value: 'false' },
  memberRoleTargetOuIds: { value: OU, with: { targetOuIds: `${OU},ou-ab12-99990000` } },
  memberRoleBeyondTargets: { value: 'true' },
  operatorPrincipalArns: { value: 'arn:aws:iam::123456789012:role/PlatformReader' },
  guardRailExemptPrincipalArns: {
    value: 'arn:aws:iam::123456789012:role/BreakGlass*',
    with: { protectDefaultPath: 'enforce' },
  },
  operatorWritePrincipalArns: { value: 'arn:aws:iam::123456789012:role/PlatformWriter' },
  eventDrivenRepair: { value: 'false' },
  eventProbe: { value: 'true' },
  intakeConcurrency: { value: '7' },
  intakeLogRetention: { value: '30' },
  quietPeriod: { value: '10m' },
  maxQuietPeriod: { value: '2h' },
  eventRegions: { value: 'eu-west-1' },
  fanOut: { value: 'distributed' },
  batchSize: { value: '50', with: { fanOut: 'distributed' } },
  maxBatchesInFlight: { value: '3', with: { fanOut: 'distributed' } },
  slackChannels: { value: 'T07EA123LEP/C07EZ1ABC01' },
  teamsChannels: { value: TEAMS },
  htmlReport: { value: 'true' },
  stackSetCallAs: { value: 'DELEGATED_ADMIN' },
  restoreOn: { value: 'control-tower' },
  innovationSandboxEventBusArn: {
    value: ISB_BUS,
    // Another bus of the same region: the one tried replaces it.
    with: {
      restoreOn: 'innovation-sandbox',
      innovationSandboxEventBusArn: ISB_BUS.replace('444455556666', '444455557777'),
    },
  },
  restoreEventPrincipalArns: {
    value: 'arn:aws:iam::123456789012:role/CleanupPipeline',
    with: { restoreOn: 'event' },
  },
};

const templates = new Map<string, unknown>();
function templateOf(context: Record<string, string>): unknown {
  const key = JSON.stringify(context);
  if (!templates.has(key)) templates.set(key, synthesizeStack({ ...TEST_CONTEXT, ...context }).template.toJSON());
  return templates.get(key);
}

test('the props are derived from the table: one line of PROP_OF_SETTING per setting', () => {
  expect(Object.keys(PROP_OF_SETTING).sort()).toEqual([...DEPLOYMENT_KEYS].sort());
});

describe.each(DEPLOYMENT_KEYS.map((key) => [key] as const))('%s', (key) => {
  const { value, with: needs = {} } = NOT_DEFAULT[key];
  const setting: { schema: { parse: (input: unknown) => unknown }; synthGuard?: true } = DEPLOYMENT_SETTINGS[key];

  test('the value tried is not its default', () => {
    expect(setting.schema.parse(value)).not.toEqual(setting.schema.parse(undefined));
  });

  if (setting.synthGuard) {
    test('marked synthGuard: setting it changes nothing in the template', () => {
      expect(templateOf({ ...needs, [key]: value })).toEqual(templateOf(needs));
    });
  } else {
    test('it reaches the construct: setting it changes the synthesized template', () => {
      expect(templateOf({ ...needs, [key]: value })).not.toEqual(templateOf(needs));
    });
  }
});
