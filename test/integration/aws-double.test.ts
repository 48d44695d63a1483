import type { Server } from 'node:http';
import { createAwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import { runSweep } from '../../lambda/sweep';
import { DOUBLE_ROOT, startAwsDouble, type DoubleStats } from '../../bench/aws-double';
import { RecordingLogger } from '../support/recording-logger';

/**
 * The benchmark's load double speaks the real wire formats: the real engine and SDK clients sweep
 * it unchanged, with every request accepted, and get the statuses its organization implies.
 */

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
let server: Server;
let stats: () => DoubleStats;

beforeAll(async () => {
  // Organizations' rate left out: discovery-throttling.test.ts is about it; the counts here are exact.
  const double = await startAwsDouble({ accounts: 60, regions: REGIONS, latencyMs: 0, organizationsRate: Infinity });
  server = double.server;
  stats = double.stats;
  process.env['AWS_ENDPOINT_URL'] = double.url;
});

afterAll(async () => {
  delete process.env['AWS_ENDPOINT_URL'];
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('the engine sweeps the double: every account-region, the drifted fifth restored, no request refused', async () => {
  const clients = createAwsClients({ homeRegion: 'us-east-1' });
  try {
    const config = parseSweepConfig({ targetOuIds: DOUBLE_ROOT, regions: REGIONS }, 'test', (key) => key);
    const first = await runSweep(config, { clients, logger: new RecordingLogger() });
    expect(first.results.filter((result) => result.region !== null)).toHaveLength(60 * 3);
    expect(first.summary.skipped).toBe(1); // the management account, at the root
    expect(first.summary.restored).toBe(36);
    expect(first.summary.ok).toBe(60 * 3 - 36);

    const again = await runSweep(config, { clients, logger: new RecordingLogger() });
    expect(again.summary.ok).toBe(60 * 3);

    const { requests, rejected, rejections } = stats();
    expect({ rejected, rejections }).toEqual({ rejected: 0, rejections: [] });
    expect(requests['sts:AssumeRole']).toBe(120);
    expect(requests['ec2:DescribeVpcs']).toBe(360);
    expect(requests['ec2:CreateRoute']).toBe(36);
    expect(requests['ec2:DescribeRouteTables']).toBe(360 + 36);
    expect(requests['organizations:ListAccountsForParent']).toBe(2 * (1 + 3 + 1)); // root, 50 accounts in 3 pages, 10 in 1
  } finally {
    clients.destroy();
  }
});
