import { spawn } from 'node:child_process';
import { EMULATOR_CREDENTIALS } from '../test/support/organization-fixture';
import { DOUBLE_ROOT, ORGANIZATIONS_BURST, ORGANIZATIONS_RATE, type DoubleStats } from './aws-double';

/**
 * Section 6 of `npm run bench`: the discovery of a large organization (10,000 accounts in OUs of
 * 50, 20 accounts a page) under Organizations' request rate, which the load double enforces.
 * Discovery alone (the run's plan: bench/discovery-process.ts, bundled), against the double at
 * the hub's latency (us-east-1, 10 ms). Its lower bound: the Organizations requests it needs
 * (those answered, not the throttled ones) over the rate.
 */

export interface DiscoveryOptions {
  readonly accounts: number;
  /** Organizations' rate (requests per second) and burst, as the double enforces them. */
  readonly rate?: number;
  readonly burst?: number;
}

interface DiscoveryMeasurement {
  wallMs: number;
  cpuMs: number;
  targets: number;
  skipped: number;
}

export async function discoveryBenchmark(
  script: string,
  doubleScript: string,
  options: DiscoveryOptions,
  say: (text: string) => void,
) {
  const rate = options.rate ?? ORGANIZATIONS_RATE;
  const burst = options.burst ?? ORGANIZATIONS_BURST;
  const double = spawn(
    process.execPath,
    [
      doubleScript,
      JSON.stringify({
        accounts: options.accounts,
        regions: ['us-east-1'],
        latencyMs: 'aws',
        organizationsRate: rate,
        organizationsBurst: burst,
      }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const nextLine = lineReader(double.stdout);
  let measured: DiscoveryMeasurement;
  let stats: DoubleStats;
  try {
    const { url } = JSON.parse(await nextLine()) as { url: string };
    measured = await runProcess<DiscoveryMeasurement>(script, url, {
      targetOuIds: DOUBLE_ROOT,
      regions: ['us-east-1'],
    });
    double.stdin.write('stats\n');
    stats = JSON.parse(await nextLine()) as DoubleStats;
  } finally {
    double.kill();
  }
  const ofOrganizations = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([action]) => action.startsWith('organizations:'))
      .reduce((sum, [, count]) => sum + count, 0);
  const requests = ofOrganizations(stats.requests);
  const throttled = ofOrganizations(stats.throttled);
  const lowerBoundMs = ((requests - throttled) / rate) * 1000;
  const result = {
    accounts: options.accounts,
    rate,
    burst,
    ...measured,
    organizationsRequests: requests,
    throttled,
    throttledByAction: stats.throttled,
    maxOrganizationsInFlight: stats.maxOrganizationsInFlight,
    lowerBoundMs: Math.round(lowerBoundMs),
    measuredOverLowerBound: Number((measured.wallMs / lowerBoundMs).toFixed(2)),
  };
  say(
    `${result.targets} targets (${result.skipped} skipped) in ${(measured.wallMs / 1000).toFixed(1)} s wall, ` +
      `${(measured.cpuMs / 1000).toFixed(1)} s CPU; ${requests} Organizations requests, ${throttled} answered ` +
      `TooManyRequestsException, at most ${stats.maxOrganizationsInFlight} at once; lower bound ` +
      `${(lowerBoundMs / 1000).toFixed(1)} s (${requests - throttled} answered / ${rate} per second) → measured / lower bound ${result.measuredOverLowerBound}`,
  );
  return result;
}

/** The next line a child prints, each once. */
function lineReader(stream: NodeJS.ReadableStream): () => Promise<string> {
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    for (const line of text.split('\n').filter(Boolean)) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      } else lines.push(line);
    }
  });
  return () => new Promise((resolve) => (lines.length > 0 ? resolve(String(lines.shift())) : (waiting = resolve)));
}

/** Runs the bundled script against the endpoint, and returns the JSON of its last line. */
function runProcess<T>(script: string, endpoint: string, config: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(config)], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`discovery process exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as T);
    });
  });
}
