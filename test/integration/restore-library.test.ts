import { runCli } from '../../cli/cli';
import type { SweepReport } from '../../lambda/core/report';
import { RestoreOptionsError } from '../../lambda/errors';
import { restoreAccountDefaults } from '../../lambda/restore/restore-account-defaults';
import { capturedIo } from '../support/cli-io';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * `restoreAccountDefaults`, the library call a clean-up script makes last, against moto: the
 * account's own credentials or the member role, a dry run that writes nothing, the engine's cap,
 * and bad options refused before any AWS call. (The packed package calls it too:
 * packed-library.test.ts.)
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness();
let accountId: string;
let otherAccountId: string;

beforeEach(async () => {
  const sandbox = await harness.emulator.fixture.createSandboxOu(['sandbox', 'other'], [REGION]);
  accountId = sandbox.accounts.sandbox;
  otherAccountId = sandbox.accounts.other;
  harness.emulator.proxy.clear();
});

const requests = () => harness.emulator.proxy.requests;
const row = (report: SweepReport) => report.results.find((result) => result.region === REGION);

test('after a clean-up deleted the route: a dry run reports it and writes nothing; the call restores it, in the account only', async () => {
  const { fixture } = harness.emulator;
  await fixture.deleteInternetRoute(accountId, REGION);
  const credentials = await fixture.memberCredentials(accountId);
  harness.emulator.proxy.clear();

  const dryRun = await restoreAccountDefaults({ accountId, regions: REGION, credentials, dryRun: true });
  expect(dryRun.mode).toBe('report');
  expect(row(dryRun)).toMatchObject({ accountId, status: 'would-restore' });
  expect(harness.writesOnTheWire()).toEqual([]);
  expect(await fixture.internetRouteTarget(accountId, REGION)).toBeNull();

  const report = await restoreAccountDefaults({ accountId, regions: [REGION], credentials });
  expect(report).toMatchObject({ mode: 'remediate', callerAccountId: accountId, repairCapReached: false });
  expect(row(report)).toMatchObject({ status: 'restored' });
  expect(await fixture.internetRouteTarget(accountId, REGION)).toBe(
    await fixture.defaultVpcGatewayId(accountId, REGION),
  );
  expect(harness.writesOnTheWire()).toEqual(['CreateRoute']);
  // Entered with its own credentials: no Organizations call, no AssumeRole; STS only to check whose they are.
  expect(requests().filter((request) => request.service === 'organizations')).toEqual([]);
  expect(
    requests()
      .filter((request) => request.service === 'sts')
      .map((request) => request.action),
  ).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
});

test("the report is the CLI's --json: the same rows as account-janitor --account … --dry-run --json", async () => {
  await harness.emulator.fixture.deleteInternetRoute(accountId, REGION);
  const credentials = await harness.emulator.fixture.memberCredentials(accountId);
  const report = await restoreAccountDefaults({ accountId, regions: REGION, credentials, dryRun: true });
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);

  const cli = capturedIo();
  await runCli(['node', 'account-janitor', '--account', accountId, '--region', REGION, '--dry-run', '--json'], cli.io);
  const printed = JSON.parse(cli.stdout()) as SweepReport;
  // The same but the times, the identity (who ran it, in which organization) and the account's
  // name: Organizations', which the call does not read.
  const comparable = (from: SweepReport, accountName: string) => ({
    ...from,
    startedAt: '',
    finishedAt: '',
    organizationId: null,
    callerAccountId: null,
    results: from.results.map((result) => ({ ...result, accountName })),
  });
  expect(comparable(report, '')).toEqual(comparable(printed, ''));
  expect(printed.results.map((result) => result.accountName)).toEqual(['sandbox']);
  expect(report.results.map((result) => result.accountName)).toEqual(['']);
});

test('the default VPC deleted: recreated with its gateway and route through the member role, within the write cap', async () => {
  const { fixture } = harness.emulator;
  await fixture.deleteDefaultVpc(accountId, REGION);
  harness.emulator.proxy.clear();
  const options = { accountId, regions: REGION, assumeRole: true, recreateDefaultVpc: true } as const;

  const dryRun = await restoreAccountDefaults({ ...options, dryRun: true });
  expect(row(dryRun)?.status).toBe('would-recreate-vpc');
  const capped = await restoreAccountDefaults({ ...options, maxRepairsPerRun: 3 });
  expect(row(capped)?.status).toBe('would-recreate-vpc');
  expect(capped.repairCapReached).toBe(true);
  expect(harness.writesOnTheWire()).toEqual([]);

  const report = await restoreAccountDefaults(options);
  expect(row(report)).toMatchObject({ status: 'vpc-recreated', vpcId: await fixture.defaultVpcId(accountId, REGION) });
  expect(await fixture.internetRouteTarget(accountId, REGION)).toBe(
    await fixture.defaultVpcGatewayId(accountId, REGION),
  );
  expect(harness.writesOnTheWire()).toEqual([
    'CreateDefaultVpc',
    'CreateInternetGateway',
    'AttachInternetGateway',
    'CreateRoute',
  ]);
  // The read-only role for the dry run, the write role to repair, as an operator's session.
  const assumed = requests()
    .filter((request) => request.action === 'AssumeRole')
    .map((request) => `${request.params.get('RoleArn')} ${request.params.get('RoleSessionName')}`);
  expect(assumed).toEqual([
    `arn:aws:iam::${accountId}:role/AccountJanitorReadOnlyRole account-janitor-operator`,
    `arn:aws:iam::${accountId}:role/AccountJanitorMemberRole account-janitor-operator`,
    `arn:aws:iam::${accountId}:role/AccountJanitorMemberRole account-janitor-operator`,
  ]);
});

test("another account's credentials: refused after GetCallerIdentity, nothing read or written in either account", async () => {
  const credentials = await harness.emulator.fixture.memberCredentials(otherAccountId);
  harness.emulator.proxy.clear();
  const call = restoreAccountDefaults({ accountId, regions: REGION, credentials });
  await expect(call).rejects.toThrow(RestoreOptionsError);
  await expect(call).rejects.toThrow(
    new RegExp(`^wrong account: credentials: are of account ${otherAccountId} \\(arn:aws:sts::${otherAccountId}:`),
  );
  expect(requests().map((request) => request.action)).toEqual(['GetCallerIdentity']);
});

describe('bad options: a RestoreOptionsError naming the option, its value and what is allowed; no AWS call', () => {
  const ACCOUNT = '111122223333';
  test.each<[string, Record<string, unknown>, string | RegExp]>([
    [
      'an unknown switch',
      { accountId: ACCOUNT, regions: REGION, repairGateway: true },
      /^invalid restoreAccountDefaults options: repairGateway: is not an option \(allowed: accountId, regions, dryRun, credentials, assumeRole, homeRegion, deadline, logger, memberRoleName, .*repairInternetGateway, recreateDefaultVpc, defaultSubnets, egress, .*\)$/,
    ],
    [
      'a setting that selects accounts',
      { accountId: ACCOUNT, regions: REGION, targetOuIds: 'ou-ab12-cdef3456' },
      /^invalid restoreAccountDefaults options: targetOuIds: is not an option \(allowed: /,
    ],
    [
      'a bad account id',
      { accountId: '12345', regions: REGION },
      'invalid restoreAccountDefaults options: accountId "12345": must be a 12-digit AWS account id',
    ],
    [
      'a bad region',
      { accountId: ACCOUNT, regions: ['eu-west-1', 'eu-wets-1'] },
      'invalid restoreAccountDefaults options: regions "eu-wets-1": is not an AWS region this version knows (e.g. eu-west-1); for newer regions use "all"',
    ],
    [
      'a home region that is none',
      { accountId: ACCOUNT, regions: REGION, homeRegion: 'moon' },
      'invalid restoreAccountDefaults options: homeRegion "moon": must be a region name such as eu-west-1',
    ],
    [
      'no regions',
      { accountId: ACCOUNT },
      "invalid restoreAccountDefaults options: regions: required: region names, or 'all'",
    ],
    [
      "a switch's bad mode, and a bad dryRun",
      { accountId: ACCOUNT, regions: REGION, defaultSubnets: 'fix', dryRun: 'yes' },
      'invalid restoreAccountDefaults options: dryRun "yes": must be true or false; defaultSubnets "fix": must be one of: off, check, repair',
    ],
  ])('%s', async (_what, options, message) => {
    const call = restoreAccountDefaults(options as never);
    await expect(call).rejects.toThrow(RestoreOptionsError);
    await expect(call).rejects.toThrow(message);
    expect(requests()).toEqual([]);
  });
});
