import { renderJson, renderSummary, renderTable } from '../../lambda/report/render-table';
import { report, result, subnets } from '../support/results';

describe('renderTable', () => {
  const sweep = report([
    result('restored', {
      accountId: '111122223333',
      region: 'eu-west-1',
      previousTarget: null,
      message: '0.0.0.0/0 is missing; route to igw-1',
    }),
    result('replaced', { accountId: '111122223333', region: 'us-east-1', previousTarget: 'igw-old' }),
    result('access-denied', {
      accountId: '444455556666',
      accountName: 'locked',
      message: 'AssumeRole failed: AccessDenied',
      errorCode: 'AccessDenied',
    }),
  ]);

  test('one aligned line per row under a header, then the summary', () => {
    const lines = renderTable(sweep).split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+NAME\s+REGION\s+STATUS\s+VPC\s+ROUTE TABLE\s+GATEWAY\s+BEFORE\s+MESSAGE$/);
    const statusColumn = lines[0]?.indexOf('STATUS');
    expect(lines[1]?.indexOf('restored')).toBe(statusColumn);
    expect(lines[3]?.indexOf('access-denied')).toBe(statusColumn);
    expect(lines[1]).toContain('(none)');
    expect(lines[2]).toContain('igw-old');
    expect(lines[3]).toMatch(/444455556666\s+locked\s+-\s+access-denied\s+-/);
    expect(renderTable(sweep)).toContain(renderSummary(sweep));
  });

  test('with the default subnets checked: a SUBNETS column with the zones, their counts, and what needs attention', () => {
    const checked = report([
      result('ok', {
        region: 'eu-west-1',
        message: '0.0.0.0/0 targets igw-1',
        subnets: subnets('subnets-restored', {
          zonesRepaired: ['eu-west-1b', 'eu-west-1c'],
          message: 'created the default subnet of eu-west-1b (subnet-2), eu-west-1c (subnet-3)',
        }),
      }),
      result('ok', {
        region: 'us-east-1',
        subnets: subnets('subnets-missing', {
          zonesMissing: ['us-east-1f'],
          message: 'no default subnet in us-east-1f',
        }),
      }),
      result('no-default-vpc', { region: 'ap-south-1', vpcId: null }),
    ]);
    const lines = renderTable(checked).split('\n');
    expect(lines[0]).toMatch(
      /^ACCOUNT\s+NAME\s+REGION\s+STATUS\s+VPC\s+ROUTE TABLE\s+GATEWAY\s+BEFORE\s+SUBNETS\s+MESSAGE$/,
    );
    const subnetsColumn = lines[0]?.indexOf('SUBNETS') ?? -1;
    // Rows are sorted by region: ap-south-1, eu-west-1, us-east-1.
    expect(lines[1]?.slice(subnetsColumn, subnetsColumn + 2)).toBe('- ');
    expect(lines[2]?.indexOf('subnets-restored eu-west-1b,eu-west-1c')).toBe(subnetsColumn);
    expect(lines[2]).toMatch(
      /0\.0\.0\.0\/0 targets igw-1; subnets: created the default subnet of eu-west-1b \(subnet-2\)/,
    );
    expect(lines[3]?.indexOf('subnets-missing us-east-1f')).toBe(subnetsColumn);
    expect(renderSummary(checked)).toBe(
      [
        'Summary: remediation, 1 accounts, 3 account-regions, 12.5 s',
        '  2 ok, 1 no-default-vpc',
        '  default subnets: 1 subnets-restored, 1 subnets-missing',
        '1 row needs attention (subnets-missing).',
      ].join('\n'),
    );
  });

  test('the summary counts statuses, accounts and account-regions, and says what needs attention', () => {
    expect(renderSummary(sweep)).toBe(
      [
        'Summary: remediation, 2 accounts, 2 account-regions, 12.5 s',
        '  1 access-denied, 1 restored, 1 replaced',
        '1 row needs attention (access-denied).',
      ].join('\n'),
    );
  });

  test('a clean dry run says nothing is left broken', () => {
    const clean = report([result('ok')], 'report');
    expect(renderSummary(clean)).toContain('dry run (report mode)');
    expect(renderSummary(clean)).toContain('Nothing is left broken.');
  });

  test('the summary says when the repair cap or the deadline cut the run short', () => {
    const capped = {
      ...report([result('would-restore'), result('not-checked', { region: 'us-east-1' })]),
      repairCapReached: true,
    };
    expect(renderSummary(capped)).toContain('The repair cap was reached');
    expect(renderSummary(capped)).toContain('The deadline was reached');
    expect(renderSummary(report([result('ok')]))).not.toContain('was reached');
  });

  test('an empty selection says so', () => {
    expect(renderTable(report([]))).toContain('No account matched the selection.');
  });
});

describe('renderJson', () => {
  test('prints exactly the report', () => {
    const sweep = report([result('ok')]);
    expect(JSON.parse(renderJson(sweep))).toEqual(sweep);
  });
});
