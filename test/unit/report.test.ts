import { compareResults, exitCodeFor } from '../../lambda/core/report';
import { SUBNET_STATUSES, SWEEP_STATUSES, type SubnetStatus, type SweepStatus } from '../../lambda/core/statuses';
import { METRIC_NAMES, sweepMetrics, timesToRepair } from '../../lambda/core/sweep-metrics';
import { egress, report, result, subnets } from '../support/results';

describe('the report', () => {
  test('counts every status, zeros included', () => {
    const built = report([result('ok'), result('ok', { region: 'us-east-1' }), result('restored')]);
    expect(Object.keys(built.summary).sort()).toEqual([...SWEEP_STATUSES].sort());
    expect(built.summary).toMatchObject({ ok: 2, restored: 1, conflict: 0 });
    expect(built).toMatchObject({
      mode: 'remediate',
      startedAt: '2026-11-26T01:00:00.000Z',
      finishedAt: '2026-11-26T01:00:12.500Z',
    });
  });

  test('rows are ordered by account, the account row first, then by region', () => {
    const rows = [
      result('ok', { accountId: '2', region: 'us-east-1' }),
      result('ok', { accountId: '1', region: 'us-east-1' }),
      result('access-denied', { accountId: '2' }),
      result('ok', { accountId: '1', region: 'eu-west-1' }),
    ];
    expect([...rows].sort(compareResults).map((row) => `${row.accountId}/${row.region}`)).toEqual([
      '1/eu-west-1',
      '1/us-east-1',
      '2/null',
      '2/us-east-1',
    ]);
  });

  const unresolved: SweepStatus[] = [
    'would-restore',
    'would-replace',
    'conflict',
    'left-by-responder',
    'no-internet-gateway',
    'repair-failed',
    'repair-refused',
    'error',
    'access-denied',
    'not-checked',
    'would-restore-gateway',
    'would-recreate-vpc',
  ];
  const resolved: SweepStatus[] = [
    'ok',
    'restored',
    'gateway-restored',
    'vpc-recreated',
    'replaced',
    'no-default-vpc',
    'ignored',
    'skipped',
    'region-disabled',
    'region-denied',
  ];

  test.each(unresolved)('exit code 1 when a row is left %s', (status) => {
    expect(exitCodeFor(report([result('ok'), result(status)]))).toBe(1);
  });

  test.each(resolved)('exit code 0 when the worst row is %s', (status) => {
    expect(exitCodeFor(report([result('ok'), result(status)]))).toBe(0);
  });

  test('every status is either resolved or not', () => {
    expect([...unresolved, ...resolved].sort()).toEqual([...SWEEP_STATUSES].sort());
  });

  const unresolvedSubnets: SubnetStatus[] = [
    'would-restore-subnets',
    'subnets-missing',
    'subnets-misconfigured',
    'subnets-repair-failed',
    'subnets-repair-refused',
    'subnets-error',
  ];
  const resolvedSubnets: SubnetStatus[] = ['subnets-ok', 'subnets-restored'];

  test.each(unresolvedSubnets)('exit code 1 when the route is ok but the default subnets are %s', (status) => {
    expect(exitCodeFor(report([result('ok', { subnets: subnets(status) })]))).toBe(1);
  });

  test.each(resolvedSubnets)('exit code 0 when the route is ok and the default subnets are %s', (status) => {
    expect(exitCodeFor(report([result('restored', { subnets: subnets(status) })]))).toBe(0);
  });

  test('every default subnets status is either resolved or not, and counted apart from the route', () => {
    expect([...unresolvedSubnets, ...resolvedSubnets].sort()).toEqual([...SUBNET_STATUSES].sort());
    const built = report([
      result('ok', { subnets: subnets('subnets-restored') }),
      result('restored', { subnets: subnets('subnets-restored') }),
      result('ok'),
    ]);
    expect(built.summary).toMatchObject({ ok: 2, restored: 1 });
    expect(built.subnetSummary).toMatchObject({ 'subnets-restored': 2, 'subnets-ok': 0 });
  });
});

describe('sweepMetrics', () => {
  test('derives the published metrics from the rows', () => {
    const rows = [
      result('skipped', { accountId: '1' }),
      result('access-denied', { accountId: '2' }),
      result('ok', { accountId: '3', region: 'us-east-1' }),
      result('restored', { accountId: '3', region: 'eu-west-1' }),
      result('region-disabled', { accountId: '3', region: 'me-south-1' }),
      result('replaced', { accountId: '4', region: 'us-east-1' }),
      result('would-restore', { accountId: '4', region: 'eu-west-1' }),
      result('repair-failed', { accountId: '4', region: 'ap-south-1' }),
      result('error', { accountId: '5', region: 'us-east-1' }),
      result('error', { accountId: '5', region: 'eu-west-1' }),
      result('conflict', { accountId: '6', region: 'us-east-1' }),
      result('not-checked', { accountId: '6', region: 'eu-west-1' }),
      result('not-checked', { accountId: '7', region: null }),
      // The member role of account 8 may not read in one region: a failure, not a disabled region.
      result('access-denied', { accountId: '8', region: 'eu-west-1', errorCode: 'UnauthorizedOperation' }),
      result('region-denied', { accountId: '8', region: 'ap-east-1' }),
      result('ignored', { accountId: '8', region: 'us-east-1' }),
      result('ignored', { accountId: '8', region: 'us-west-2' }),
    ];
    expect(sweepMetrics(report(rows))).toEqual({
      AccountsScanned: 6,
      TargetsChecked: 10,
      DriftDetected: 4,
      RoutesRepaired: 2,
      RepairsFailed: 1,
      AccountErrors: 3,
      SweepIncomplete: 1,
      RepairCapReached: 0,
      SubnetsRepaired: 0,
      SubnetsMisconfigured: 0,
      EgressBlocked: 0,
      EgressRepaired: 0,
      TargetsIgnored: 2,
      RegionsDisabled: 2,
      GuardRailWouldBlock: 0,
      GuardRailBlocked: 0,
      LeftByResponderOverdue: 0,
      DefaultPathTagged: 0,
      PathBlockedByBpa: 0,
      PathRouteShadowed: 0,
      PathSubnetOffPath: 0,
      WritesRefused: 0,
    });
  });

  test("a write refused by a policy: a repair's counts in RepairsFailed and WritesRefused, the guard rail's tag in WritesRefused only", () => {
    const rows = [
      result('repair-refused', { accountId: '1', region: 'us-east-1' }),
      result('ok', { accountId: '2', region: 'us-east-1', subnets: subnets('subnets-repair-refused') }),
      result('ok', { accountId: '3', region: 'us-east-1', egress: egress('egress-repair-refused') }),
      result('ok', {
        accountId: '4',
        region: 'us-east-1',
        protection: {
          status: 'protect-refused',
          resources: ['vpc-1'],
          tagged: [],
          errorCode: 'AccessDenied',
          message: '',
        },
      }),
      result('repair-failed', { accountId: '5', region: 'us-east-1' }),
    ];
    expect(sweepMetrics(report(rows))).toMatchObject({ RepairsFailed: 4, WritesRefused: 4, DriftDetected: 4 });
    for (const row of rows) expect(exitCodeFor(report([row]))).toBe(1);
  });

  test('default subnets: drift counted once per row, zones repaired counted each, findings and failures counted', () => {
    const finding = {
      subnetId: 'subnet-1',
      availabilityZone: 'eu-west-1a',
      problem: 'public-ip-off' as const,
      routeTableId: null,
      message: 'public IPs off',
    };
    const rows = [
      result('restored', { subnets: subnets('subnets-restored', { zonesRepaired: ['eu-west-1b', 'eu-west-1c'] }) }),
      result('ok', { subnets: subnets('subnets-restored', { zonesRepaired: ['eu-west-1a'] }) }),
      result('ok', { subnets: subnets('subnets-missing', { zonesMissing: ['eu-west-1a'], findings: [finding] }) }),
      result('ok', { subnets: subnets('subnets-misconfigured', { findings: [finding, finding] }) }),
      result('repair-failed', { subnets: subnets('subnets-repair-failed') }),
      result('ok', { subnets: subnets('subnets-ok') }),
    ];
    expect(sweepMetrics(report(rows))).toMatchObject({
      DriftDetected: 4,
      AccountErrors: 0,
      RoutesRepaired: 1,
      SubnetsRepaired: 3,
      SubnetsMisconfigured: 2,
      RepairsFailed: 1,
    });
  });

  test('a repair left misconfigured by report-only findings is still drift; a failed subnet read is an account error', () => {
    const rows = [
      result('ok', {
        accountId: '1',
        subnets: subnets('subnets-misconfigured', { zonesRepaired: ['eu-west-1c'] }),
      }),
      result('ok', { accountId: '2', subnets: subnets('subnets-error', { errorCode: 'UnauthorizedOperation' }) }),
    ];
    expect(sweepMetrics(report(rows))).toMatchObject({ DriftDetected: 1, SubnetsRepaired: 1, AccountErrors: 1 });
  });

  test('egress: found blocked counts as drift whatever became of it; restricted and ignored do not; failures and read errors counted', () => {
    const blocked = {
      resource: 'security-group' as const,
      resourceId: 'sg-1',
      direction: 'egress' as const,
      state: 'blocked' as const,
      message: 'default security group sg-1 has no egress rule: nothing gets out',
    };
    const narrowed = { ...blocked, state: 'restricted' as const, message: 'narrowed' };
    const rows = [
      result('ok', {
        accountId: '1',
        egress: egress('egress-restored', { findings: [blocked], repaired: ['sg-1 egress all traffic to 0.0.0.0/0'] }),
      }),
      result('restored', { accountId: '2', egress: egress('egress-blocked', { findings: [blocked] }) }),
      result('ok', { accountId: '3', egress: egress('would-restore-egress', { findings: [blocked] }) }),
      result('ok', {
        accountId: '4',
        egress: egress('egress-repair-failed', {
          findings: [blocked, { ...blocked, resource: 'network-acl', resourceId: 'acl-1', direction: 'inbound' }],
          repaired: ['acl-1 inbound rule 100 allow all 0.0.0.0/0'],
        }),
      }),
      result('ok', { accountId: '5', egress: egress('egress-restricted', { findings: [narrowed] }) }),
      result('ok', { accountId: '6', egress: egress('egress-ignored') }),
      result('ok', { accountId: '7', egress: egress('egress-error', { errorCode: 'UnauthorizedOperation' }) }),
      result('ok', { accountId: '8', egress: egress('egress-ok') }),
      // Found stripped, put back by someone else during the repair: still drift.
      result('ok', { accountId: '9', egress: egress('egress-ok', { findings: [blocked] }) }),
    ];
    expect(sweepMetrics(report(rows))).toMatchObject({
      DriftDetected: 5,
      EgressBlocked: 5,
      EgressRepaired: 2,
      RepairsFailed: 1,
      AccountErrors: 1,
      RoutesRepaired: 1,
    });
    const built = report(rows);
    expect(built.egressSummary).toMatchObject({ 'egress-restored': 1, 'egress-restricted': 1, 'egress-ok': 2 });
    expect(exitCodeFor(built)).toBe(1);
    expect(exitCodeFor(report([rows[0], rows[4], rows[5], rows[7]].filter((row) => row !== undefined)))).toBe(0);
  });

  test('the opt-in repairs count as drift and as repairs', () => {
    expect(
      sweepMetrics(report([result('gateway-restored'), result('vpc-recreated'), result('would-restore-gateway')])),
    ).toMatchObject({ DriftDetected: 3, RoutesRepaired: 2 });
  });

  test('RepairCapReached comes from the report', () => {
    const capped = { ...report([result('would-restore')]), repairCapReached: true };
    expect(sweepMetrics(capped)).toMatchObject({ RepairCapReached: 1, DriftDetected: 1, SweepIncomplete: 0 });
  });

  test('an empty sweep publishes zeros, so the heartbeat still sees a datapoint', () => {
    expect(Object.values(sweepMetrics(report([])))).toEqual(METRIC_NAMES.map(() => 0));
  });
});

describe('timesToRepair', () => {
  test('seconds from the breaking call to the verified repair, for repairs whose cause is known', () => {
    const cause = {
      principalArn: 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke',
      sessionIssuerArn: null,
      eventName: 'DeleteRoute',
      eventTime: '2026-11-26T02:13:07.000Z',
      sourceIp: null,
      userAgent: null,
    };
    const rows = [
      result('restored', { cause, repairedAt: '2026-11-26T02:18:12.000Z' }),
      result('restored', { cause: null, repairedAt: '2026-11-26T02:18:12.000Z' }),
      result('would-restore', { cause, repairedAt: null }),
    ];
    expect(timesToRepair(report(rows))).toEqual([305]);
  });
});
