import { buildReport, type SweepReport, type SweepResult } from '../../lambda/core/report';
import type { SweepStatus } from '../../lambda/core/statuses';
import { result } from './results';

/**
 * A night of a large organization, made up but plausible and the same every time: `accounts`
 * accounts in `ous` OUs, `regions` regions each, mostly ok, with every kind of cell somewhere
 * (repaired, dry-run drift, conflicts, failures, regions off, ignored, skipped and denied
 * accounts). For the HTML report's browser test and its bench.
 */

export const LARGE_REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

/** The status of the n-th account-region: a fixed pattern, about 2 % not ok. */
function statusOf(index: number): SweepStatus {
  if (index % 97 === 5) return 'restored';
  if (index % 131 === 7) return 'would-restore';
  if (index % 211 === 11) return 'replaced';
  if (index % 389 === 13) return 'conflict';
  if (index % 401 === 17) return 'repair-failed';
  if (index % 149 === 19) return 'region-disabled';
  if (index % 503 === 23) return 'ignored';
  if (index % 613 === 29) return 'no-default-vpc';
  return 'ok';
}

export function largeReport(accounts = 1000, regions = LARGE_REGIONS.length, ous = 10): SweepReport {
  const rows: SweepResult[] = [];
  const accountOus: Record<string, string> = {};
  for (let a = 0; a < accounts; a += 1) {
    const accountId = String(100000000000 + a * 7919).padStart(12, '0');
    const accountName = `sandbox-${String(a + 1).padStart(4, '0')}`;
    accountOus[accountId] = `ou-ab12-${String(a % ous).padStart(8, '0')}`;
    if (a % 250 === 3) {
      rows.push(
        result('access-denied', {
          accountId,
          accountName,
          message: 'AccessDenied: the member role may not be assumed',
        }),
      );
      continue;
    }
    if (a % 333 === 4) {
      rows.push(result('skipped', { accountId, accountName, message: 'account is SUSPENDED, not ACTIVE' }));
      continue;
    }
    for (let r = 0; r < regions; r += 1) {
      const status = statusOf(a * regions + r);
      const region = LARGE_REGIONS[r % LARGE_REGIONS.length] ?? 'us-east-1';
      const vpc = `vpc-${(a * 31 + r).toString(16).padStart(8, '0')}`;
      rows.push(
        result(status, {
          accountId,
          accountName,
          region,
          vpcId: vpc,
          message:
            status === 'ok'
              ? `0.0.0.0/0 → igw-${(a * 17 + r).toString(16).padStart(8, '0')} in place`
              : `${status}: main route table rtb-${(a * 13 + r).toString(16).padStart(8, '0')} of ${vpc}`,
        }),
      );
    }
  }
  const report = buildReport('remediate', new Date('2026-12-04T03:00:00Z'), new Date('2026-12-04T03:06:40Z'), rows);
  return { ...report, organizationId: 'o-a1b2c3d4e5', accountOus };
}

/** The same organization on its worst night: every account-region repaired (the whole-account rows as they were). */
export function worstNight(typical: SweepReport): SweepReport {
  const results = typical.results.map((row) =>
    row.region ? result('restored', { ...row, status: 'restored', message: `${row.message}; repaired` }) : row,
  );
  return {
    ...buildReport(typical.mode, new Date(typical.startedAt), new Date(typical.finishedAt), results),
    organizationId: typical.organizationId,
    ...(typical.accountOus ? { accountOus: typical.accountOus } : {}),
  };
}
