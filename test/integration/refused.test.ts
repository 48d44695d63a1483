import { runCli } from '../../cli/cli';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import { renderDigest } from '../../lambda/report/digest';
import { AWS_MESSAGES, decodedDenial, injectEncodedDenial } from '../support/aws-proxy';
import { capturedIo } from '../support/cli-io';
import type { Emulator } from '../support/emulator';
import { callsNotAllowed } from '../support/permissions';
import { rowOf, useSweepHarness } from '../support/sweep-harness';

/**
 * A write refused by a policy, named: moto enforces no policy and has no DecodeAuthorizationMessage,
 * so the proxy answers as AWS does, in both forms. Another service names the policy in clear
 * ("… with an explicit deny in a service control policy"); EC2 answers UnauthorizedOperation with
 * only an encoded message, which the member role decodes in its own account, in the home region
 * (sts:DecodeAuthorizationMessage, STS's XML). Each refused write is its own status, naming the
 * policy and the next step; a decoding that fails says "denied by a policy", and fails nothing more.
 */

const REGION = 'eu-west-1';
const HOME = 'us-east-1';
const ROLE = 'AccountJanitorMemberRole';
const harness = useSweepHarness();
let emulator: Emulator;

beforeEach(() => {
  emulator = harness.emulator;
});

const decodings = () =>
  emulator.proxy.requests.filter(
    (request) => request.service === 'sts' && request.action === 'DecodeAuthorizationMessage',
  );

test('a refused route write, named in clear or decoded from EC2: repair-refused with the policy and the next step', async () => {
  const { fixture, proxy } = emulator;
  const { ouId, accounts } = await fixture.createSandboxOu(['clear', 'encoded', 'undecodable', 'healthy'], [REGION]);
  for (const name of ['clear', 'encoded', 'undecodable', 'healthy'] as const) {
    await fixture.deleteInternetRoute(accounts[name], REGION);
  }
  proxy.clear();
  proxy.inject({
    match: { service: 'ec2', action: 'CreateRoute', accountId: accounts.clear },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) => AWS_MESSAGES.scpDeny(request),
  });
  injectEncodedDenial(proxy, {
    match: { action: 'CreateRoute', accountId: accounts.encoded },
    encodedMessage: 'encodedRouteRefusal-1',
    decoded: decodedDenial({ explicitDeny: true, statementIds: ['DenyRouteChanges'], accountId: accounts.encoded }),
  });
  injectEncodedDenial(proxy, {
    match: { action: 'CreateRoute', accountId: accounts.undecodable },
    encodedMessage: 'encodedRouteRefusal-2',
  });

  const raw = { targetOuIds: ouId, regions: REGION };
  const report = await harness.sweep(raw);
  const next = `next: exempt the janitor's write role (${ROLE}) in that`;
  expect(rowOf(report, accounts.clear, REGION)).toMatchObject({
    status: 'repair-refused',
    errorCode: 'UnauthorizedOperation',
    message: `CreateRoute refused (UnauthorizedOperation): denied by a service control policy; ${next} service control policy, e.g. an ArnNotLike aws:PrincipalArn condition naming arn:aws:iam::*:role/${ROLE}`,
  });
  expect(rowOf(report, accounts.encoded, REGION)).toMatchObject({
    status: 'repair-refused',
    message: expect.stringMatching(
      new RegExp(
        `^CreateRoute refused \\(UnauthorizedOperation\\): denied by a policy outside the member role's own \\(a service control policy or a permissions boundary; statement DenyRouteChanges\\); next: exempt the janitor's write role \\(${ROLE}\\) in that policy`,
      ),
    ) as unknown,
  });
  expect(rowOf(report, accounts.undecodable, REGION)).toMatchObject({
    status: 'repair-refused',
    message: expect.stringMatching(
      /^CreateRoute refused \(UnauthorizedOperation\): denied by a policy \(EC2's encoded message could not be decoded: AccessDenied\); next: decode it in the account/,
    ) as unknown,
  });
  expect(rowOf(report, accounts.healthy, REGION)?.status).toBe('restored');

  // Decoded in each refused account, in the home region, once; never for the clear text.
  expect(
    decodings()
      .map((request) => [request.accountId, request.region])
      .sort(),
  ).toEqual(
    [
      [accounts.encoded, HOME],
      [accounts.undecodable, HOME],
    ].sort(),
  );
  expect(
    callsNotAllowed(
      proxy.requests,
      parseSweepConfig(raw, 'test', (key) => key),
    ),
  ).toEqual([]);
  expect(sweepMetrics(report)).toMatchObject({ WritesRefused: 3, RepairsFailed: 3, RoutesRepaired: 1 });
  const digest = renderDigest(report)?.message ?? '';
  expect(digest).toContain('Failed (3):');
  expect(digest).toMatch(
    new RegExp(
      `\\n  ${accounts.clear} \\(clear\\) ${REGION} rtb-\\S+ repair-refused \\[UnauthorizedOperation\\]: CreateRoute refused`,
    ),
  );
});

test("the opt-in writes refused: Control Tower's control on the gateway and the default subnets, egress not allowed, the guard rail's tag", async () => {
  const { fixture, proxy } = emulator;
  const { ouId, accounts } = await fixture.createSandboxOu(['gateway', 'subnets', 'egress', 'tags'], [REGION]);
  await fixture.detachAndDeleteGateway(accounts.gateway, REGION);
  await fixture.deleteDefaultSubnets(accounts.subnets, REGION, ['eu-west-1c']);
  await fixture.stripDefaultSecurityGroup(accounts.egress, REGION);
  proxy.clear();
  const controlTower = decodedDenial({ explicitDeny: true, statementIds: ['GRDISALLOWVPCINTERNETACCESS'] });
  injectEncodedDenial(proxy, {
    match: { action: 'CreateInternetGateway', accountId: accounts.gateway },
    encodedMessage: 'encodedGatewayRefusal',
    decoded: controlTower,
  });
  injectEncodedDenial(proxy, {
    match: { action: 'CreateDefaultSubnet', accountId: accounts.subnets },
    encodedMessage: 'encodedSubnetRefusal',
    decoded: controlTower,
  });
  injectEncodedDenial(proxy, {
    match: { action: 'AuthorizeSecurityGroupEgress', accountId: accounts.egress },
    encodedMessage: 'encodedEgressRefusal',
    decoded: decodedDenial({ explicitDeny: false, action: 'ec2:AuthorizeSecurityGroupEgress' }),
  });
  proxy.inject({
    match: { service: 'ec2', action: 'CreateTags', accountId: accounts.tags },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) => AWS_MESSAGES.scpDeny(request),
  });

  const raw = {
    targetOuIds: ouId,
    regions: REGION,
    repairInternetGateway: true,
    defaultSubnets: 'repair',
    egress: 'repair',
    protectDefaultPath: 'audit',
  };
  const report: SweepReport = await harness.sweep(raw);
  const controlTowerSaid =
    "denied by a service control policy (Control Tower's data residency control “Disallow internet access for an Amazon VPC instance managed by a customer” (it exempts only AWSControlTowerExecution), statement GRDISALLOWVPCINTERNETACCESS); next: the control exempts only AWSControlTowerExecution";
  expect(rowOf(report, accounts.gateway, REGION)).toMatchObject({
    status: 'repair-refused',
    message: expect.stringContaining(
      `CreateInternetGateway refused (UnauthorizedOperation): ${controlTowerSaid}`,
    ) as unknown,
  });
  expect(rowOf(report, accounts.subnets, REGION)?.subnets).toMatchObject({
    status: 'subnets-repair-refused',
    zonesMissing: ['eu-west-1c'],
    message: expect.stringContaining(
      `CreateDefaultSubnet in eu-west-1c refused (UnauthorizedOperation): ${controlTowerSaid}`,
    ) as unknown,
  });
  expect(rowOf(report, accounts.egress, REGION)?.egress).toMatchObject({
    status: 'egress-repair-refused',
    message: expect.stringMatching(
      /^AuthorizeSecurityGroupEgress on sg-\S+ refused \(UnauthorizedOperation\): not allowed: no policy allows ec2:AuthorizeSecurityGroupEgress \(no explicit deny\); next: the member role's policy lacks ec2:AuthorizeSecurityGroupEgress/,
    ) as unknown,
  });
  expect(rowOf(report, accounts.tags, REGION)?.protection).toMatchObject({
    status: 'protect-refused',
    message: expect.stringMatching(
      /^CreateTags account-janitor:protected on vpc-.* refused \(UnauthorizedOperation\): denied by a service control policy; next: exempt/,
    ) as unknown,
  });
  expect(sweepMetrics(report)).toMatchObject({ WritesRefused: 4, RepairsFailed: 3 });
  expect(decodings()).toHaveLength(3);
  expect(
    callsNotAllowed(
      proxy.requests,
      parseSweepConfig(raw, 'test', (key) => key),
    ),
  ).toEqual([]);
});

test('the CLI: a refused repair exits 1 and its table names the status', async () => {
  const { fixture, proxy } = emulator;
  const { ouId, accounts } = await fixture.createSandboxOu(['fenced'], [REGION]);
  await fixture.deleteInternetRoute(accounts.fenced, REGION);
  proxy.clear();
  injectEncodedDenial(proxy, {
    match: { action: 'CreateRoute' },
    encodedMessage: 'encodedCliRefusal',
    decoded: decodedDenial({ explicitDeny: true, statementIds: ['DenyRouteChanges'] }),
  });
  const output = capturedIo();
  const code = await runCli(['node', 'account-janitor', '--ou', ouId, '--region', REGION], output.io);
  expect(code).toBe(1);
  expect(output.stdout()).toMatch(new RegExp(`fenced \\(${accounts.fenced}\\)\\s+${REGION}\\s+repair-refused`));
});

describe('a region-deny SCP on the EC2 reads, in both forms', () => {
  test("named in clear, or decoded from EC2's message: region-denied with the reason; a decoding refused: access-denied", async () => {
    const { fixture, proxy } = emulator;
    const { ouId, accounts } = await fixture.createSandboxOu(['clear', 'encoded', 'undecodable'], [REGION, HOME]);
    proxy.clear();
    proxy.inject({
      match: { service: 'ec2', accountId: accounts.clear, region: REGION },
      code: 'UnauthorizedOperation',
      status: 403,
      message: (request) => AWS_MESSAGES.scpDeny(request),
    });
    for (const [name, decoded] of [
      ['encoded', decodedDenial({ explicitDeny: true, statementIds: ['GRREGIONDENY'], action: 'ec2:DescribeVpcs' })],
      ['undecodable', undefined],
    ] as const) {
      injectEncodedDenial(proxy, {
        match: { accountId: accounts[name], region: REGION },
        encodedMessage: `encodedRegionDeny${name}`,
        ...(decoded ? { decoded } : {}),
      });
    }
    const report = await harness.sweep({ targetOuIds: ouId, regions: [REGION, HOME] });
    expect(rowOf(report, accounts.clear, REGION)).toMatchObject({
      status: 'region-denied',
      message: expect.stringMatching(
        /denied with an explicit deny in a service control policy \(UnauthorizedOperation\)$/,
      ) as unknown,
    });
    expect(rowOf(report, accounts.encoded, REGION)).toMatchObject({
      status: 'region-denied',
      errorCode: 'UnauthorizedOperation',
      message: expect.stringMatching(
        /^ec2:Describe\w+ denied with an explicit deny in a service control policy \(Control Tower's Region deny control, statement GRREGIONDENY\) \(UnauthorizedOperation\)$/,
      ) as unknown,
    });
    expect(rowOf(report, accounts.undecodable, REGION)).toMatchObject({
      status: 'access-denied',
      message: expect.stringMatching(
        /^ec2:Describe\w+ denied to AccountJanitorMemberRole \(UnauthorizedOperation\)/,
      ) as unknown,
    });
    for (const account of Object.values(accounts)) expect(rowOf(report, account, HOME)?.status).toBe('ok');
    expect(sweepMetrics(report)).toMatchObject({ RegionsDisabled: 2, AccountErrors: 1 });
  });
});
