import { renderJson, renderSummary, renderTable } from '../../lambda/report/render-table';
import { report, result } from '../support/results';

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
