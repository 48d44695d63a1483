import { performance } from 'node:perf_hooks';
import { buildReport, type SweepResult } from '../lambda/core/report';
import type { SweepStatus } from '../lambda/core/statuses';
import { renderDigest } from '../lambda/report/digest';
import { renderMarkdown } from '../cli/report/render-markdown';
import { renderTable } from '../cli/report/render-table';

/**
 * Section 4: the human report at organization scale, in process: `accounts` accounts × 17 regions
 * (`--render-accounts`, 1,000 by default), as a quiet night (three rows need attention) and as the
 * worst night (every row repaired). The time of the table on a 120-column terminal, with --all, of
 * the Markdown, and of the SNS digest.
 */

const REGIONS = 17;

function row(index: number, status: SweepStatus): SweepResult {
  return {
    accountId: String(100_000_000_000 + Math.floor(index / REGIONS)),
    accountName: `sandbox-${Math.floor(index / REGIONS)}`,
    region: `region-${String(index % REGIONS).padStart(2, '0')}`,
    status,
    vpcId: 'vpc-0123456789abcdef0',
    routeTableId: 'rtb-0123456789abcdef0',
    internetGatewayId: 'igw-0123456789abcdef0',
    previousTarget: null,
    errorCode: null,
    message: '0.0.0.0/0 is missing; route to igw-0123456789abcdef0',
    subnets: null,
    reach: null,
    egress: null,
    cause: null,
    repairedAt: null,
  };
}

function timed(render: () => string | undefined): { ms: number; kb: number } {
  const start = performance.now();
  const text = render() ?? '';
  return { ms: Math.round((performance.now() - start) * 10) / 10, kb: Math.round(Buffer.byteLength(text) / 1024) };
}

export function renderBenchmark(say: (text: string) => void, accounts = 1000) {
  const results: Record<string, unknown> = {};
  const nights = {
    quiet: (index: number): SweepStatus => (index < 3 ? 'restored' : 'ok'),
    worst: (): SweepStatus => 'restored',
  };
  for (const [night, statusOf] of Object.entries(nights)) {
    const rows = Array.from({ length: accounts * REGIONS }, (_, index) => row(index, statusOf(index)));
    const report = buildReport('remediate', new Date(0), new Date(23_700), rows);
    const measured = {
      table: timed(() => renderTable(report, { columns: 120, color: true })),
      tableAll: timed(() => renderTable(report, { all: true })),
      markdown: timed(() => renderMarkdown(report)),
      digest: timed(() => renderDigest(report)?.message),
    };
    results[night] = measured;
    say(
      `${night} night (${(accounts * REGIONS).toLocaleString('en-US')} account-regions): ` +
        Object.entries(measured)
          .map(([what, { ms, kb }]) => `${what} ${ms} ms (${kb} KB)`)
          .join(', '),
    );
  }
  return results;
}
