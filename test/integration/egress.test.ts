import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfigInput } from '../../lambda/config/schema';
import { exitCodeFor, type SweepReport } from '../../lambda/core/report';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import type { Emulator } from '../support/emulator';
import { callsNotAllowed } from '../support/permissions';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The egress (issue 14), against moto: the default security group and the default network ACL are
 * read only with checkEgress or repairEgress; what a clean-up stripped gets AWS's defaults back
 * (AuthorizeSecurityGroupEgress, CreateNetworkAclEntry, verified) only with the repair switch, in
 * remediate mode, within the cap; what a person narrowed is reported, never written. Moto creates
 * AWS's defaults: all egress in the default group, rule 100 allow and the final deny both ways in
 * the default ACL.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness();
let emulator: Emulator;
let ouId: string;
let accounts: Record<'stripped' | 'groupOnly' | 'narrowed' | 'ipv6' | 'tagged' | 'healthy', string>;
const ids: Record<string, { group: string; acl: string }> = {};

beforeEach(async () => {
  emulator = harness.emulator;
  const { fixture } = emulator;
  ({ ouId, accounts } = await fixture.createSandboxOu(
    ['stripped', 'groupOnly', 'narrowed', 'ipv6', 'tagged', 'healthy'],
    [REGION],
  ));
  for (const [name, accountId] of Object.entries(accounts)) {
    const { group, acl } = await fixture.defaultEgress(accountId, REGION);
    ids[name] = { group: group.GroupId ?? '', acl: acl.NetworkAclId ?? '' };
  }
  await fixture.stripDefaultSecurityGroup(accounts.stripped, REGION);
  await fixture.stripDefaultNetworkAcl(accounts.stripped, REGION);
  await fixture.stripDefaultSecurityGroup(accounts.groupOnly, REGION);
  await fixture.narrowDefaultSecurityGroup(accounts.narrowed, REGION);
  await fixture.narrowDefaultNetworkAcl(accounts.narrowed, REGION);
  await fixture.addIpv6(accounts.ipv6, REGION);
  await fixture.stripDefaultSecurityGroup(accounts.ipv6, REGION);
  await fixture.stripDefaultNetworkAcl(accounts.ipv6, REGION);
  await fixture.stripDefaultSecurityGroup(accounts.tagged, REGION);
  await fixture.stripDefaultNetworkAcl(accounts.tagged, REGION, ['outbound']);
  await fixture.tagIgnored(accounts.tagged, REGION, 'security-group');
  emulator.proxy.clear();
});

const sweep = (raw: SweepConfigInput = {}, logger = new RecordingLogger()) =>
  harness.sweep({ targetOuIds: ouId, regions: REGION, ...raw }, { logger, settleDelaysMs: [0, 0, 0] });

const only = (accountId: string) => ({ targetOuIds: [], accountIds: accountId });

const rowOf = (report: SweepReport, accountId: string) =>
  report.results.find((result) => result.accountId === accountId && result.region === REGION);

const ec2Requests = () => emulator.proxy.requests.filter((request) => request.service === 'ec2');
/** The EC2 writes on the wire: the action, the group or ACL, and for an ACL entry its direction, number and block. */
const writesOnTheWire = () =>
  ec2Requests()
    .filter((request) => !request.action.startsWith('Describe'))
    .map((request) => {
      const p = (name: string) => request.params.get(name) ?? '';
      return request.action === 'CreateNetworkAclEntry'
        ? `${request.action} ${p('NetworkAclId')} ${p('Egress') === 'true' ? 'outbound' : 'inbound'} ${p('RuleNumber')} ${p('CidrBlock') || p('Ipv6CidrBlock')}`
        : request.action === 'AuthorizeSecurityGroupEgress'
          ? `${request.action} ${p('GroupId')} ${p('IpPermissions.1.IpProtocol')} ${p('IpPermissions.1.IpRanges.1.CidrIp') || p('IpPermissions.1.Ipv6Ranges.1.CidrIpv6')}`
          : request.action;
    })
    .sort();

/** How the default group and ACL stand now: the group's egress rules and the ACL's entries below the final deny. */
async function egressOf(accountId: string) {
  const { group, acl } = await emulator.fixture.defaultEgress(accountId, REGION);
  return {
    group: (group.IpPermissionsEgress ?? [])
      .flatMap((permission) => [
        ...(permission.IpRanges ?? []).map((range) => `${permission.IpProtocol} ${range.CidrIp}`),
        ...(permission.Ipv6Ranges ?? []).map((range) => `${permission.IpProtocol} ${range.CidrIpv6}`),
      ])
      .sort(),
    acl: (acl.Entries ?? [])
      .filter((entry) => (entry.RuleNumber ?? 0) < 32767)
      .map(
        (entry) =>
          `${entry.Egress ? 'outbound' : 'inbound'} ${entry.RuleNumber} ${entry.RuleAction} ${entry.Protocol} ${entry.CidrBlock ?? entry.Ipv6CidrBlock}`,
      )
      .sort(),
  };
}

const AWS_DEFAULT = {
  group: ['-1 0.0.0.0/0'],
  acl: ['inbound 100 allow -1 0.0.0.0/0', 'outbound 100 allow -1 0.0.0.0/0'],
};

test('off by default: neither the group nor the ACL is read', async () => {
  const report = await sweep();
  expect(report.results.every((row) => row.egress === null)).toBe(true);
  expect(ec2Requests().map((request) => request.action)).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/SecurityGroups|NetworkAcls/)]),
  );
});

test('checkEgress reports stripped as egress-blocked, narrowed as egress-restricted, in one round trip, writing nothing', async () => {
  const report = await sweep({ checkEgress: true });
  const { stripped, narrowed } = ids as Record<string, { group: string; acl: string }>;
  expect(rowOf(report, accounts.stripped)).toMatchObject({
    status: 'ok',
    egress: {
      status: 'egress-blocked',
      findings: [
        expect.objectContaining({ resourceId: stripped?.group, direction: 'egress', state: 'blocked' }),
        expect.objectContaining({ resourceId: stripped?.acl, direction: 'inbound', state: 'blocked' }),
        expect.objectContaining({ resourceId: stripped?.acl, direction: 'outbound', state: 'blocked' }),
      ],
      repaired: [],
      errorCode: null,
      message: `egress blocked; default security group ${stripped?.group} has no egress rule: nothing gets out; default network ACL ${stripped?.acl} has nothing but its final deny inbound; default network ACL ${stripped?.acl} has nothing but its final deny outbound`,
    },
  });
  expect(rowOf(report, accounts.narrowed)?.egress).toMatchObject({
    status: 'egress-restricted',
    findings: [
      expect.objectContaining({ resourceId: narrowed?.group, state: 'restricted' }),
      expect.objectContaining({ resourceId: narrowed?.acl, direction: 'outbound', state: 'restricted' }),
    ],
  });
  expect(rowOf(report, accounts.healthy)?.egress).toMatchObject({ status: 'egress-ok', findings: [] });
  // The group is tagged to be ignored: the ACL is judged alone.
  expect(rowOf(report, accounts.tagged)?.egress).toMatchObject({
    status: 'egress-blocked',
    findings: [expect.objectContaining({ resourceId: ids['tagged']?.acl, direction: 'outbound' })],
    message: expect.stringContaining(`${ids['tagged']?.group} tagged account-janitor:ignore=true: left alone`),
  });
  expect(report.egressSummary).toMatchObject({ 'egress-ok': 1, 'egress-blocked': 4, 'egress-restricted': 1 });
  expect(exitCodeFor(report)).toBe(1);
  expect(writesOnTheWire()).toEqual([]);
  const healthyReads = ec2Requests().filter((request) => request.accountId === accounts.healthy);
  expect(healthyReads.map((request) => request.action).sort()).toEqual([
    'DescribeInternetGateways',
    'DescribeNetworkAcls',
    'DescribeRouteTables',
    'DescribeSecurityGroups',
    'DescribeVpcs',
  ]);
  expect(sweepMetrics(report)).toMatchObject({ EgressBlocked: 4, EgressRepaired: 0, DriftDetected: 4 });
});

test('a dry run with repairEgress says would-restore-egress and what it would put back, writing nothing', async () => {
  const report = await sweep({ repairEgress: true, mode: 'report', ...only(accounts.groupOnly) });
  expect(rowOf(report, accounts.groupOnly)?.egress).toMatchObject({
    status: 'would-restore-egress',
    message: expect.stringMatching(/^egress blocked: would put back sg-\w+ egress all traffic to 0\.0\.0\.0\/0;/),
  });
  expect(writesOnTheWire()).toEqual([]);
  expect((await egressOf(accounts.groupOnly)).group).toEqual([]);
});

test("remediation puts back AWS's defaults where stripped, verified and logged; narrowed and tagged parts are left; a rerun writes nothing", async () => {
  const narrowedBefore = await egressOf(accounts.narrowed);
  const logger = new RecordingLogger();
  const report = await sweep({ repairEgress: true }, logger);
  const { stripped, groupOnly, ipv6, tagged } = ids as Record<string, { group: string; acl: string }>;

  expect(rowOf(report, accounts.stripped)?.egress).toMatchObject({
    status: 'egress-restored',
    repaired: [
      `${stripped?.group} egress all traffic to 0.0.0.0/0`,
      `${stripped?.acl} inbound rule 100 allow all 0.0.0.0/0`,
      `${stripped?.acl} outbound rule 100 allow all 0.0.0.0/0`,
    ],
    errorCode: null,
  });
  expect(await egressOf(accounts.stripped)).toEqual(AWS_DEFAULT);
  expect(await egressOf(accounts.groupOnly)).toEqual(AWS_DEFAULT);
  // An egress repair dates its row (TimeToRepair), even with the route untouched.
  expect(rowOf(report, accounts.groupOnly)).toMatchObject({ status: 'ok', repairedAt: expect.any(String) });
  expect(rowOf(report, accounts.healthy)?.repairedAt).toBeNull();
  // An IPv6 default VPC gets ::/0 too, as AWS gives it: rules 101.
  expect(await egressOf(accounts.ipv6)).toEqual({
    group: ['-1 0.0.0.0/0', '-1 ::/0'],
    acl: [
      'inbound 100 allow -1 0.0.0.0/0',
      'inbound 101 allow -1 ::/0',
      'outbound 100 allow -1 0.0.0.0/0',
      'outbound 101 allow -1 ::/0',
    ],
  });
  expect(await egressOf(accounts.narrowed)).toEqual(narrowedBefore);
  expect(rowOf(report, accounts.narrowed)?.egress?.status).toBe('egress-restricted');
  // The tagged group keeps no egress; its untagged ACL got its outbound rule back.
  expect(await egressOf(accounts.tagged)).toEqual({ group: [], acl: AWS_DEFAULT.acl });

  expect(writesOnTheWire()).toEqual(
    [
      `AuthorizeSecurityGroupEgress ${stripped?.group} -1 0.0.0.0/0`,
      `AuthorizeSecurityGroupEgress ${groupOnly?.group} -1 0.0.0.0/0`,
      `AuthorizeSecurityGroupEgress ${ipv6?.group} -1 0.0.0.0/0`,
      `AuthorizeSecurityGroupEgress ${ipv6?.group} -1 ::/0`,
      `CreateNetworkAclEntry ${stripped?.acl} inbound 100 0.0.0.0/0`,
      `CreateNetworkAclEntry ${stripped?.acl} outbound 100 0.0.0.0/0`,
      `CreateNetworkAclEntry ${ipv6?.acl} inbound 100 0.0.0.0/0`,
      `CreateNetworkAclEntry ${ipv6?.acl} inbound 101 ::/0`,
      `CreateNetworkAclEntry ${ipv6?.acl} outbound 100 0.0.0.0/0`,
      `CreateNetworkAclEntry ${ipv6?.acl} outbound 101 ::/0`,
      `CreateNetworkAclEntry ${tagged?.acl} outbound 100 0.0.0.0/0`,
    ].sort(),
  );
  const restored = logger.entries.filter((entry) => entry.message === 'egress rule restored');
  expect(restored).toHaveLength(11);
  expect(restored.find((entry) => entry.attributes['accountId'] === accounts.groupOnly)?.attributes).toMatchObject({
    action: 'AuthorizeSecurityGroupEgress',
    resourceId: groupOnly?.group,
    before: 'no egress rule',
    after: `${groupOnly?.group} egress all traffic to 0.0.0.0/0`,
    vpcId: expect.stringMatching(/^vpc-/),
  });
  expect(logger.entries.filter((entry) => entry.message === 'egress repaired')).toHaveLength(4);
  expect(report.egressSummary).toMatchObject({ 'egress-restored': 4, 'egress-restricted': 1, 'egress-ok': 1 });
  expect(exitCodeFor(report)).toBe(0);
  expect(sweepMetrics(report)).toMatchObject({ EgressBlocked: 4, EgressRepaired: 4, RepairsFailed: 0 });
  const config = parseSweepConfig({ targetOuIds: ouId, repairEgress: true }, 'test', (key) => key);
  expect(callsNotAllowed(emulator.proxy.requests, config)).toEqual([]);

  emulator.proxy.clear();
  const rerun = await sweep({ repairEgress: true });
  expect(rerun.egressSummary).toMatchObject({ 'egress-ok': 5, 'egress-restricted': 1, 'egress-restored': 0 });
  expect(writesOnTheWire()).toEqual([]);
});

test('the ignore tag on the default VPC or its main route table keeps the janitor away from the egress', async () => {
  await emulator.fixture.tagIgnored(accounts.stripped, REGION, 'route-table');
  await emulator.fixture.tagIgnored(accounts.groupOnly, REGION, 'vpc');
  const report = await sweep({ repairEgress: true, ...only(`${accounts.stripped},${accounts.groupOnly}`) });
  expect(rowOf(report, accounts.stripped)).toMatchObject({ status: 'ignored', egress: null });
  expect(rowOf(report, accounts.groupOnly)).toMatchObject({ status: 'ignored', egress: null });
  expect(writesOnTheWire()).toEqual([]);
});

test('the group and the ACL both tagged: egress-ignored, nothing written', async () => {
  await emulator.fixture.tagIgnored(accounts.tagged, REGION, 'network-acl');
  const report = await sweep({ repairEgress: true, ...only(accounts.tagged) });
  expect(rowOf(report, accounts.tagged)?.egress).toMatchObject({ status: 'egress-ignored', findings: [] });
  expect(exitCodeFor(report)).toBe(0);
  expect(writesOnTheWire()).toEqual([]);
});

test('each rule counts against the repair cap, after the route', async () => {
  await emulator.fixture.deleteInternetRoute(accounts.stripped, REGION);
  const report = await sweep({ repairEgress: true, maxRepairsPerRun: 3, ...only(accounts.stripped) });
  expect(rowOf(report, accounts.stripped)).toMatchObject({
    status: 'restored',
    egress: {
      status: 'would-restore-egress',
      message: expect.stringContaining('reached its cap of 3 writes (maxRepairsPerRun)'),
    },
  });
  expect(report.repairCapReached).toBe(true);
  expect(writesOnTheWire()).toEqual(['CreateRoute']);
});

test('a member role without the egress reads: the route is still repaired, the egress is egress-error', async () => {
  await emulator.fixture.deleteInternetRoute(accounts.stripped, REGION);
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'DescribeNetworkAcls', accountId: accounts.stripped },
    code: 'UnauthorizedOperation',
    status: 403,
  });
  const report = await sweep({ repairEgress: true, ...only(accounts.stripped) });
  expect(rowOf(report, accounts.stripped)).toMatchObject({
    status: 'restored',
    egress: {
      status: 'egress-error',
      errorCode: 'UnauthorizedOperation',
      message: expect.stringContaining('does the member role have the egress permissions?'),
    },
  });
  expect(exitCodeFor(report)).toBe(1);
  expect(writesOnTheWire()).toEqual(['CreateRoute']);
});

test('a refused write is egress-repair-failed with its code; what was written before it is verified and listed', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateNetworkAclEntry', accountId: accounts.stripped },
    code: 'NetworkAclEntryLimitExceeded',
  });
  const report = await sweep({ repairEgress: true, ...only(accounts.stripped) });
  const { stripped } = ids as Record<string, { group: string; acl: string }>;
  expect(rowOf(report, accounts.stripped)?.egress).toMatchObject({
    status: 'egress-repair-failed',
    errorCode: 'NetworkAclEntryLimitExceeded',
    repaired: [`${stripped?.group} egress all traffic to 0.0.0.0/0`],
    message: expect.stringMatching(/^CreateNetworkAclEntry on acl-\w+ failed: NetworkAclEntryLimitExceeded/),
  });
  expect(exitCodeFor(report)).toBe(1);
  expect(sweepMetrics(report)).toMatchObject({ RepairsFailed: 1, EgressRepaired: 1 });

  emulator.proxy.clear();
  const rerun = await sweep({ repairEgress: true, ...only(accounts.stripped) });
  expect(rerun.results[0]?.egress?.status).toBe('egress-restored');
  expect(writesOnTheWire()).toHaveLength(2);
});

test('a rule a person adds between the first read and the write is not written over', async () => {
  // The region's first read (every VPC's default group) shows the group stripped; right after it,
  // before the repair, a person narrows the group to https.
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'DescribeSecurityGroups', accountId: accounts.groupOnly },
    when: (request) => request.params.get('Filter.1.Name') === 'group-name',
    times: 1,
    after: () => emulator.fixture.narrowDefaultSecurityGroup(accounts.groupOnly, REGION).then(() => undefined),
  });
  const report = await sweep({ repairEgress: true, ...only(accounts.groupOnly) });
  expect(rowOf(report, accounts.groupOnly)?.egress).toMatchObject({
    status: 'egress-restricted',
    repaired: [],
    message: expect.stringContaining('changed by someone else during the repair: now egress-restricted'),
  });
  expect(writesOnTheWire()).toEqual([]);
  expect((await egressOf(accounts.groupOnly)).group).toEqual(['tcp 0.0.0.0/0']);
});

test('a rule someone else added meanwhile is not a failure', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'AuthorizeSecurityGroupEgress', accountId: accounts.groupOnly },
    times: 1,
    // Someone puts the rule back just before the janitor's write, which EC2 then refuses as a duplicate.
    before: () => emulator.fixture.restoreDefaultSecurityGroupEgress(accounts.groupOnly, REGION),
    code: 'InvalidPermission.Duplicate',
    message: 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists',
  });
  const report = await sweep({ repairEgress: true, ...only(accounts.groupOnly) });
  expect(rowOf(report, accounts.groupOnly)?.egress).toMatchObject({
    status: 'egress-ok',
    repaired: [],
    message: expect.stringContaining('changed by someone else during the repair: now egress-ok'),
  });
  expect(exitCodeFor(report)).toBe(0);
});

test('a recreated default VPC is checked as it is now: its default security group and ACL, from the same re-read', async () => {
  await emulator.fixture.deleteDefaultVpc(accounts.healthy, REGION);
  emulator.proxy.clear();
  const report = await sweep({ recreateDefaultVpc: true, repairEgress: true, ...only(accounts.healthy) });
  expect(rowOf(report, accounts.healthy)).toMatchObject({ status: 'vpc-recreated', egress: { status: 'egress-ok' } });
  // AWS's new default VPC comes with its default group and ACL as they should be: nothing to put back.
  expect(writesOnTheWire().filter((write) => /SecurityGroupEgress|NetworkAclEntry/.test(write))).toEqual([]);
});
