import type { SweepReport } from '../../lambda/core/report';
import { AWS_MESSAGES } from '../support/aws-proxy';
import type { Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * Failures moto never produces, injected by the proxy in front of it: a denied member role, a
 * disabled region, a failing read, a failing write, a write that does not take, a route written
 * by someone else in the middle of a repair. Each is reported on its own row, with its AWS error
 * code; every other target still completes.
 */

const REGIONS = ['us-east-1', 'eu-west-1'];
const harness = useSweepHarness({ maxAttempts: 2 });
let emulator: Emulator;
let ouId: string;
let accounts: Record<'denied' | 'regional' | 'flaky', string>;

beforeEach(async () => {
  emulator = harness.emulator;
  const { fixture } = emulator;
  ({ ouId, accounts } = await fixture.createSandboxOu(['denied', 'regional', 'flaky'], REGIONS));
  for (const accountId of Object.values(accounts)) {
    for (const region of REGIONS) await fixture.deleteInternetRoute(accountId, region);
  }
});

const sweep = (logger = new RecordingLogger()) => harness.sweep({ targetOuIds: ouId, regions: REGIONS }, { logger });

function statusOf(report: SweepReport, accountId: string, region: string | null) {
  return report.results.find((result) => result.accountId === accountId && result.region === region);
}

test('each failure stays on its own row, with its AWS error code, and everything else is repaired', async () => {
  const { proxy } = emulator;
  proxy.inject({
    match: { service: 'sts', action: 'AssumeRole' },
    when: (request) => request.params.get('RoleArn')?.includes(accounts.denied) ?? false,
    code: 'AccessDenied',
    status: 403,
  });
  proxy.inject({
    match: { service: 'ec2', accountId: accounts.regional, region: 'eu-west-1' },
    code: 'AuthFailure',
    status: 401,
    message: AWS_MESSAGES.optInRegion,
  });
  proxy.inject({
    match: { service: 'ec2', action: 'CreateRoute', accountId: accounts.regional, region: 'us-east-1' },
    code: 'UnauthorizedOperation',
    status: 403,
  });
  proxy.inject({
    match: { service: 'ec2', action: 'DescribeInternetGateways', accountId: accounts.flaky, region: 'us-east-1' },
    code: 'InternalError',
  });

  const report = await sweep();

  expect(report.results.filter((result) => result.accountId === accounts.denied)).toEqual([
    expect.objectContaining({
      region: null,
      status: 'access-denied',
      errorCode: 'AccessDenied',
      message: 'AssumeRole AccountJanitorMemberRole failed: AccessDenied',
    }),
  ]);
  expect(statusOf(report, accounts.regional, 'eu-west-1')).toMatchObject({
    status: 'region-disabled',
    errorCode: 'AuthFailure',
  });
  // Refused by a policy its message does not name: refused, not failed.
  expect(statusOf(report, accounts.regional, 'us-east-1')).toMatchObject({
    status: 'repair-refused',
    errorCode: 'UnauthorizedOperation',
  });
  expect(statusOf(report, accounts.flaky, 'us-east-1')).toMatchObject({ status: 'error', errorCode: 'InternalError' });
  expect(statusOf(report, accounts.flaky, 'eu-west-1')).toMatchObject({ status: 'restored' });
  expect(await emulator.fixture.internetRouteTarget(accounts.flaky, 'eu-west-1')).toMatch(/^igw-/);
  expect(await emulator.fixture.internetRouteTarget(accounts.regional, 'us-east-1')).toBeNull();
  // The failing read was retried (maxAttempts 2), the denied account was tried once.
  expect(
    proxy.count({ service: 'ec2', action: 'DescribeInternetGateways', accountId: accounts.flaky, region: 'us-east-1' }),
  ).toBe(2);
  expect(
    proxy.requests.filter(
      (request) => request.action === 'AssumeRole' && request.params.get('RoleArn')?.includes(accounts.denied),
    ),
  ).toHaveLength(1);
});

test('a write that is acknowledged but does not take is repair-failed, not restored', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateRoute', accountId: accounts.flaky, region: 'eu-west-1' },
    reply:
      '<CreateRouteResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><return>true</return></CreateRouteResponse>',
  });

  const report = await sweep();

  expect(statusOf(report, accounts.flaky, 'eu-west-1')).toMatchObject({
    status: 'repair-failed',
    errorCode: 'VerificationFailed',
  });
  expect(report.summary.restored).toBe(5);
});

test('a route written by someone else between detection and repair is reported as found, not as an error', async () => {
  // The fixture restores the route itself right before the janitor's CreateRoute is answered.
  const fixture = emulator.fixture;
  const routeTableId = await fixture.mainRouteTableId(accounts.flaky, 'us-east-1');
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateRoute', accountId: accounts.flaky, region: 'us-east-1' },
    before: () => fixture.restoreInternetRoute(accounts.flaky, 'us-east-1'),
    code: 'RouteAlreadyExists',
    times: 1,
  });

  const report = await sweep();

  const row = statusOf(report, accounts.flaky, 'us-east-1');
  expect(row).toMatchObject({ status: 'ok', routeTableId, errorCode: null });
  expect(row?.message).toContain('written by someone else');
  expect(
    emulator.proxy.count({ service: 'ec2', action: 'CreateRoute', accountId: accounts.flaky, region: 'us-east-1' }),
  ).toBe(1);
  expect(emulator.proxy.count({ service: 'ec2', action: 'ReplaceRoute' })).toBe(0);
});
