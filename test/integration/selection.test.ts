import type { AwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import { TargetSelectionError } from '../../lambda/errors';
import { runSweep } from '../../lambda/sweep';
import type { Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/** Which accounts and regions a sweep reaches, against moto's Organizations and EC2. */

const harness = useSweepHarness({ per: 'file' });
let emulator: Emulator;
let clients: AwsClients;
let rootId: string;
let bigOu: string;
let deepOu: string;
const bigOuAccounts: string[] = [];
const deepAccounts: string[] = [];
let tagged: { sandbox: string; prod: string; untagged: string };

beforeAll(async () => {
  ({ emulator, clients } = harness);
  const { fixture } = emulator;
  ({ rootId } = await fixture.createOrganization());

  // 25 accounts directly under one OU: past the 20-account page of ListAccountsForParent.
  bigOu = await fixture.createOu(rootId, 'Big');
  for (let index = 0; index < 25; index += 1) {
    bigOuAccounts.push(await fixture.createAccount(`big-${index}`, bigOu, rootId));
  }

  // 22 sibling OUs under one parent (past the 20-OU page), one account each, one of them 4 levels deep.
  deepOu = await fixture.createOu(rootId, 'Wide');
  for (let index = 0; index < 22; index += 1) {
    const child = await fixture.createOu(deepOu, `child-${index}`);
    deepAccounts.push(await fixture.createAccount(`child-${index}`, child, rootId));
  }
  let parent = await fixture.createOu(deepOu, 'level-1');
  for (let level = 2; level <= 4; level += 1) parent = await fixture.createOu(parent, `level-${level}`);
  deepAccounts.push(await fixture.createAccount('deepest', parent, rootId));

  const tagOu = await fixture.createOu(rootId, 'Tagged');
  tagged = {
    sandbox: await fixture.createAccount('tag-sandbox', tagOu, rootId, { env: 'sandbox', team: 'platform' }),
    prod: await fixture.createAccount('tag-prod', tagOu, rootId, { env: 'prod', team: 'platform' }),
    untagged: await fixture.createAccount('tag-none', tagOu, rootId),
  };
});

const config = (raw: Record<string, unknown>) =>
  parseSweepConfig({ regions: 'us-east-1', mode: 'report', ...raw }, 'test', (key) => key);
const sweep = (raw: Record<string, unknown>) => runSweep(config(raw), { clients, logger: new RecordingLogger() });
const accountsOf = (results: readonly { accountId: string }[]) =>
  [...new Set(results.map((result) => result.accountId))].sort();

test('an OU with more accounts than one page: every page is read', async () => {
  emulator.proxy.clear();
  const report = await sweep({ targetOuIds: bigOu });
  expect(accountsOf(report.results)).toEqual([...bigOuAccounts].sort());
  expect(emulator.proxy.count({ service: 'organizations', action: 'ListAccountsForParent' })).toBeGreaterThanOrEqual(2);
});

test('nested OUs: every account below, through more sibling OUs than one page and four levels deep', async () => {
  const report = await sweep({ targetOuIds: deepOu });
  expect(accountsOf(report.results)).toEqual([...deepAccounts].sort());
  // Grouped by the OU each account is in, named from the target down: the target's name stays.
  const names = Object.values(report.ouNames ?? {});
  expect(names).toContain('Wide / child-0');
  expect(names).toContain('Wide / level-1 / level-2 / level-3 / level-4');
  expect(names.every((name) => name.startsWith('Wide / '))).toBe(true);
});

test('the organization root as a target reaches every account but the management account', async () => {
  const report = await sweep({ targetOuIds: rootId, regions: 'us-east-1' });
  const skipped = report.results.filter((result) => result.status === 'skipped');
  expect(skipped).toEqual([expect.objectContaining({ accountId: '123456789012' })]);
  expect(accountsOf(report.results)).toHaveLength(1 + 25 + 23 + 3);
});

test('the tag filter keeps only accounts with every tag', async () => {
  const both = await sweep({ allAccounts: true, accountTags: ['env=sandbox', 'team=platform'] });
  expect(accountsOf(both.results)).toEqual([tagged.sandbox]);
  const team = await sweep({ allAccounts: true, accountTags: 'team=platform' });
  expect(accountsOf(team.results)).toEqual([tagged.sandbox, tagged.prod].sort());
});

test('an OU id that does not exist is a clear error, before any account is entered', async () => {
  emulator.proxy.clear();
  const failure = sweep({ targetOuIds: 'ou-zzzz-doesnotexist' });
  await expect(failure).rejects.toBeInstanceOf(TargetSelectionError);
  await expect(failure).rejects.toThrow('OU "ou-zzzz-doesnotexist": does not exist in this organization');
  expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
  expect(emulator.proxy.count({ service: 'ec2' })).toBe(0);
});

test('an account id that is not in the organization is reported once as skipped', async () => {
  const report = await sweep({ accountIds: ['999999999999', tagged.untagged] });
  expect(report.results).toHaveLength(2);
  expect(report.results).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        accountId: '999999999999',
        region: null,
        status: 'skipped',
        message: 'not an account of this organization',
      }),
      expect.objectContaining({ accountId: tagged.untagged, region: 'us-east-1' }),
    ]),
  );
});

test('regions "all": every region the account has enabled (one DescribeRegions per account)', async () => {
  emulator.proxy.clear();
  const report = await sweep({ accountIds: tagged.untagged, regions: 'all' });
  const regions = report.results.map((result) => result.region);
  expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']));
  expect(regions.length).toBeGreaterThan(15);
  expect(emulator.proxy.count({ service: 'ec2', action: 'DescribeRegions' })).toBe(1);
});

test('the member role is assumed once per account, by name, with the external id when one is set', async () => {
  emulator.proxy.clear();
  await sweep({
    accountIds: [tagged.sandbox, tagged.prod],
    regions: 'us-east-1,eu-west-1',
    memberRoleName: 'JanitorRole',
    externalId: 'org-secret-1',
  });
  const assumed = emulator.proxy.requests.filter((request) => request.action === 'AssumeRole');
  expect(assumed.map((request) => request.params.get('RoleArn')).sort()).toEqual(
    [`arn:aws:iam::${tagged.sandbox}:role/JanitorRole`, `arn:aws:iam::${tagged.prod}:role/JanitorRole`].sort(),
  );
  expect(assumed.map((request) => request.params.get('ExternalId'))).toEqual(['org-secret-1', 'org-secret-1']);
  expect(emulator.proxy.count({ service: 'ec2', action: 'DescribeVpcs', accountId: tagged.sandbox })).toBe(2);
});

test('a VPC that is not the default VPC is never touched', async () => {
  const { fixture } = emulator;
  const accountId = tagged.untagged;
  await fixture.provisionDefaultNetwork(accountId, 'eu-west-1');
  await fixture.deleteInternetRoute(accountId, 'eu-west-1');
  const own = await fixture.createNonDefaultVpc(accountId, 'eu-west-1');
  const before = (await fixture.routeTables(accountId, 'eu-west-1')).find((table) => table.VpcId === own.vpcId);
  emulator.proxy.clear();

  const report = await runSweep(config({ accountIds: accountId, regions: 'eu-west-1', mode: 'remediate' }), {
    clients,
    logger: new RecordingLogger(),
  });

  expect(report.results).toEqual([
    expect.objectContaining({ status: 'restored', vpcId: expect.not.stringMatching(own.vpcId) }),
  ]);
  const after = (await fixture.routeTables(accountId, 'eu-west-1')).find((table) => table.VpcId === own.vpcId);
  expect(after).toEqual(before);
  const writes = emulator.proxy.requests.filter((request) => request.action === 'CreateRoute');
  expect(writes.map((request) => request.params.get('RouteTableId'))).toEqual([report.results[0]?.routeTableId]);
});

describe('a sweep of a few named accounts (a targeted repair) looks each one up instead of listing the OUs', () => {
  const scoped = (raw: Record<string, unknown>, accountId: string) =>
    runSweep(
      config(raw),
      { clients, logger: new RecordingLogger() },
      { accountIds: [accountId], outsideTargets: 'leave-alone' },
    );
  const rowsOf = (results: readonly { accountId: string; status: string; message: string }[], accountId: string) =>
    results
      .filter((row) => row.accountId === accountId)
      .map((row) => `${row.status}: ${row.message}`)
      .sort();

  test.each([
    ['a nested OU', () => ({ targetOuIds: deepOu })],
    ['the root, minus an excluded account', () => ({ targetOuIds: rootId, excludeAccountIds: deepAccounts[0] })],
    ['OUs and tags', () => ({ targetOuIds: `${bigOu},${rootId}`, accountTags: 'env=sandbox' })],
    ['every account', () => ({ allAccounts: true })],
    ['account ids only', () => ({ accountIds: `${tagged.prod},${bigOuAccounts[3]}` })],
  ])('%s: the same accounts, skips and rows as the full listing, with no listing', async (_, raw) => {
    const sample = [
      bigOuAccounts[0],
      bigOuAccounts[3],
      deepAccounts[0],
      deepAccounts[deepAccounts.length - 1],
      tagged.sandbox,
      tagged.prod,
      tagged.untagged,
      (await emulator.fixture.describeOrganization()).managementAccountId,
    ] as string[];
    const full = await sweep(raw());
    emulator.proxy.clear();
    for (const accountId of sample) {
      const report = await scoped(raw(), accountId);
      expect(rowsOf(report.results, accountId)).toEqual(rowsOf(full.results, accountId));
    }
    expect(emulator.proxy.count({ service: 'organizations', action: 'ListAccountsForParent' })).toBe(0);
    expect(emulator.proxy.count({ service: 'organizations', action: 'ListOrganizationalUnitsForParent' })).toBe(0);
    expect(emulator.proxy.count({ service: 'organizations', action: 'ListAccounts' })).toBe(0);
  });
});

test('a scoped sweep of an account that is not in the organization: not a target, with or without the OU walk', async () => {
  const stranger = '999999999999';
  await expect(
    runSweep(config({ targetOuIds: deepOu }), { clients, logger: new RecordingLogger() }, { accountIds: [stranger] }),
  ).rejects.toThrow(TargetSelectionError);
  const report = await runSweep(
    config({ targetOuIds: deepOu, accountIds: stranger }),
    { clients, logger: new RecordingLogger() },
    { accountIds: [stranger], outsideTargets: 'leave-alone' },
  );
  expect(report.results.map((row) => [row.accountId, row.status, row.message])).toEqual([
    [stranger, 'skipped', 'not an account of this organization'],
  ]);
});
