import { parseSweepConfig } from '../../lambda/config/parse';
import { SWEEP_SETTINGS, type SettingKey } from '../../lambda/config/settings';
import { statusesOf } from '../../lambda/core/report';
import { PART_KEYS, ROW_PARTS, type ProtectionResult } from '../../lambda/core/row-parts';
import { STATUS_TRAITS, statusesOfPart, type RowStatus } from '../../lambda/core/statuses';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import { rowMessage } from '../../lambda/report/attention';
import { renderDigest } from '../../lambda/report/digest';
import { egress, report, result, subnets } from '../support/results';

/** The row parts, defined once (row-parts.ts), are what every report and metric loops over. */

const protection = (overrides: Partial<ProtectionResult> = {}): ProtectionResult => ({
  status: 'protect-failed',
  resources: ['vpc-1', 'rtb-1', 'igw-1'],
  tagged: [],
  errorCode: 'UnauthorizedOperation',
  message: 'CreateTags failed: UnauthorizedOperation',
  ...overrides,
});

test('every part has statuses in the status table, and every status belongs to the account, the route or a part', () => {
  for (const key of PART_KEYS) expect([key, statusesOfPart(key).length > 0]).toEqual([key, true]);
  const parts = new Set<string>(['account', 'target', ...PART_KEYS]);
  for (const status of Object.keys(STATUS_TRAITS) as RowStatus[]) {
    expect([status, parts.has(STATUS_TRAITS[status].part)]).toEqual([status, true]);
  }
});

test('a protect-failed row says why in its message and the digest names its error code (it printed nothing)', () => {
  const row = result('ok', { protection: protection() });
  expect(rowMessage(row)).toBe('protection: CreateTags failed: UnauthorizedOperation');
  expect(renderDigest(report([row]))?.message).toContain(
    'protect-failed [UnauthorizedOperation]: protection: CreateTags failed: UnauthorizedOperation',
  );
});

test("a row's statuses and messages follow the parts' order: route, default subnets, egress, protection", () => {
  const row = result('restored', {
    subnets: subnets('subnets-missing'),
    egress: egress('egress-blocked'),
    protection: protection(),
  });
  expect(statusesOf(row)).toEqual(['restored', 'subnets-missing', 'egress-blocked', 'protect-failed']);
  expect(rowMessage(row)).toBe(
    'restored message; subnets: subnets-missing message; egress: egress-blocked message; protection: CreateTags failed: UnauthorizedOperation',
  );
});

test("each part's metrics come from its definition, over the rows that carry it", () => {
  const values = sweepMetrics(
    report([
      result('ok', { subnets: subnets('subnets-restored', { zonesRepaired: ['eu-west-1b', 'eu-west-1c'] }) }),
      result('ok', {
        region: 'us-east-1',
        protection: protection({ status: 'protected', tagged: ['vpc-1', 'rtb-1'] }),
      }),
    ]),
  );
  expect([values.SubnetsRepaired, values.DefaultPathTagged, values.EgressRepaired]).toEqual([2, 2, 0]);
});

test('a switch is off unless it or an alias says otherwise, and each part reads its mode', () => {
  const switches = (Object.keys(SWEEP_SETTINGS) as SettingKey[]).filter((key) => 'switch' in SWEEP_SETTINGS[key]);
  expect(switches).toEqual(['defaultSubnets', 'egress']);
  const parse = (raw: Record<string, unknown>) => parseSweepConfig({ allAccounts: true, ...raw }, 'test', (key) => key);
  const plain = parse({});
  expect(switches.map((key) => plain[key as 'egress'])).toEqual(['off', 'off']);
  // The path check is the one part on by default: it only reads.
  expect(PART_KEYS.filter((key) => ROW_PARTS[key].enabled(plain))).toEqual(['reach']);
  const aliased = parse({ repairDefaultSubnets: true, checkEgress: true, protectDefaultPath: 'audit', reach: 'off' });
  expect([aliased.defaultSubnets, aliased.egress]).toEqual(['repair', 'check']);
  expect(PART_KEYS.filter((key) => ROW_PARTS[key].enabled(aliased))).toEqual(['subnets', 'egress', 'protection']);
});
