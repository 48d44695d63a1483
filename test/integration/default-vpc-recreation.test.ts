import type { SweepConfigInput } from '../../lambda/config/schema';
import type { SweepReport } from '../../lambda/core/report';
import { AWS_MESSAGES } from '../support/aws-proxy';
import type { Emulator } from '../support/emulator';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The opt-in default VPC recreation (recreateDefaultVpc), against moto, whose CreateDefaultVpc
 * (unlike AWS's) adds no gateway and no route: the janitor completes the path and verifies it.
 */

const REGION = 'ap-southeast-2';
const harness = useSweepHarness();
let emulator: Emulator;
let rootId: string;
let ouId: string;
let accountId: string;

beforeEach(async () => {
  emulator = harness.emulator;
  const { fixture } = emulator;
  const sandbox = await fixture.createSandboxOu(['ci-runner'], [REGION], 'CI');
  ouId = sandbox.ouId;
  rootId = sandbox.rootId;
  accountId = sandbox.accounts['ci-runner'];
  await fixture.deleteDefaultVpc(accountId, REGION);
});

const sweep = (raw: SweepConfigInput = {}) =>
  // Moto never adds a gateway to a new default VPC: re-read as often as against AWS, without the pauses.
  harness.sweep({ targetOuIds: ouId, regions: REGION, ...raw }, { settleDelaysMs: [0, 0, 0] });
const row = (report: SweepReport) => report.results.find((result) => result.region === REGION);
const writes = () => harness.writesOnTheWire();

test('off by default, and in a dry run: reported, nothing written', async () => {
  expect(row(await sweep())?.status).toBe('no-default-vpc');
  expect(row(await sweep({ recreateDefaultVpc: true, mode: 'report' }))?.status).toBe('would-recreate-vpc');
  expect(writes()).toEqual([]);
});

test('recreates the default VPC, completes its gateway and route, verifies them; a rerun writes nothing', async () => {
  const report = await sweep({ recreateDefaultVpc: true });

  const recreated = row(report);
  expect(recreated).toMatchObject({ status: 'vpc-recreated', vpcId: expect.stringMatching(/^vpc-/) });
  expect(await emulator.fixture.defaultVpcId(accountId, REGION)).toBe(recreated?.vpcId);
  const gatewayId = await emulator.fixture.defaultVpcGatewayId(accountId, REGION);
  expect(gatewayId).toBe(recreated?.internetGatewayId);
  expect(await emulator.fixture.internetRouteTarget(accountId, REGION)).toBe(gatewayId);
  expect(writes()).toEqual(['CreateDefaultVpc', 'CreateInternetGateway', 'AttachInternetGateway', 'CreateRoute']);

  emulator.proxy.clear();
  expect(row(await sweep({ recreateDefaultVpc: true }))?.status).toBe('ok');
  expect(writes()).toEqual([]);
});

test('a recreation starts only with room for all its writes: three are not enough, four are', async () => {
  const capped = await sweep({ recreateDefaultVpc: true, maxRepairsPerRun: 3 });
  expect(row(capped)?.status).toBe('would-recreate-vpc');
  expect(capped.repairCapReached).toBe(true);
  expect(writes()).toEqual([]);

  const enough = await sweep({ recreateDefaultVpc: true, maxRepairsPerRun: 4 });
  expect(row(enough)?.status).toBe('vpc-recreated');
  expect(enough.repairCapReached).toBe(false);
  expect(writes()).toHaveLength(4);
});

test('a refused CreateDefaultVpc is repair-refused, naming the policy and the next step', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateDefaultVpc' },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) => AWS_MESSAGES.scpDeny(request),
  });
  expect(row(await sweep({ recreateDefaultVpc: true }))).toMatchObject({
    status: 'repair-refused',
    errorCode: 'UnauthorizedOperation',
    message: expect.stringMatching(
      /^CreateDefaultVpc refused \(UnauthorizedOperation\): denied by a service control policy; next: exempt the janitor's write role \(AccountJanitorMemberRole\) in that service control policy/,
    ),
  });
});

/**
 * Makes the emulator behave like AWS after CreateDefaultVpc: the new default VPC gets its gateway
 * and route, but the first describe after the creation does not show them yet (EC2 is eventually
 * consistent). The second DescribeInternetGateways of each account after its CreateDefaultVpc
 * adds them (and is throttled once, so that the SDK reads again).
 */
function createLikeAws(): { gatewayReadsSinceCreation: (account: string) => number } {
  const gatewayReadsSinceCreation = (account: string) => {
    const requests = emulator.proxy.requests.filter((request) => request.accountId === account);
    const created = requests.findIndex((request) => request.action === 'CreateDefaultVpc');
    return created < 0
      ? 0
      : requests.slice(created).filter((request) => request.action === 'DescribeInternetGateways').length;
  };
  let provisioning = '';
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'DescribeInternetGateways' },
    when: (request) => {
      provisioning = request.accountId;
      return gatewayReadsSinceCreation(request.accountId) === 2;
    },
    before: () => emulator.fixture.provisionDefaultNetwork(provisioning, REGION).then(() => undefined),
    code: 'RequestLimitExceeded',
  });
  return { gatewayReadsSinceCreation };
}

test("AWS's own gateway and route, shown late after CreateDefaultVpc, are waited for: no second gateway", async () => {
  const { gatewayReadsSinceCreation } = createLikeAws();

  const report = await sweep({ recreateDefaultVpc: true });

  expect(row(report)).toMatchObject({ status: 'vpc-recreated', internetGatewayId: expect.stringMatching(/^igw-/) });
  expect(writes()).toEqual(['CreateDefaultVpc']);
  expect(gatewayReadsSinceCreation(accountId)).toBeGreaterThanOrEqual(3);
});

test('a recreation that AWS completes costs one write of the cap, even with recreations running side by side', async () => {
  const second = await emulator.fixture.createAccount('ci-runner-b', ouId, rootId);
  await emulator.fixture.deleteDefaultVpc(second, REGION);
  createLikeAws();

  // Both at once, each needing room for four writes but holding one (the VPC): AWS makes the rest.
  // Were each to hold four, the second would not fit in five.
  const report = await sweep({ recreateDefaultVpc: true, maxRepairsPerRun: 5 });

  expect(report.results.filter((result) => result.region === REGION).map((result) => result.status)).toEqual([
    'vpc-recreated',
    'vpc-recreated',
  ]);
  expect(report.repairCapReached).toBe(false);
  expect(writes()).toEqual(['CreateDefaultVpc', 'CreateDefaultVpc']);
});
