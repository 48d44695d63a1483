import { DOUBLE_ROOT, doubleOuId, ORGANIZATIONS_BURST, ORGANIZATIONS_RATE, type DoubleStats } from './aws-double';
import { lastJsonLine, runLimited, startDouble } from './processes';

/**
 * Section 6 of `npm run bench`: the discovery of a large organization (10,000 accounts in OUs of
 * 50, 20 accounts a page) under Organizations' request rate, which the load double enforces.
 * Discovery alone (the run's plan: bench/discovery-process.ts, bundled), against the double at
 * the hub's latency (us-east-1, 10 ms), once with the root as the target (its OUs listed first,
 * then theirs) and once with every OU named as a target (every listing ready to start at once).
 * Its lower bound: the Organizations requests it needs (those answered, not the throttled ones),
 * less the burst the full bucket lets through at once, over the rate.
 */

export interface DiscoveryOptions {
  readonly accounts: number;
  /** Organizations' rate (requests per second) and burst, as the double enforces them. */
  readonly rate?: number;
  readonly burst?: number;
  /** The most Organizations requests the double serves at once (default: no limit). */
  readonly inFlight?: number;
  /** `root`: the root is the target; `ous`: every OU is named (default both). */
  readonly targets?: readonly ('root' | 'ous')[];
}

interface DiscoveryMeasurement {
  wallMs: number;
  cpuMs: number;
  targets: number;
  skipped: number;
}

const OU_SIZE = 50;

export async function discoveryBenchmark(
  script: string,
  doubleScript: string,
  options: DiscoveryOptions,
  say: (text: string) => void,
) {
  const rate = options.rate ?? ORGANIZATIONS_RATE;
  const burst = options.burst ?? ORGANIZATIONS_BURST;
  const ous = Array.from({ length: Math.ceil(options.accounts / OU_SIZE) }, (_, index) => doubleOuId(index));
  const runs: Record<string, unknown>[] = [];
  for (const shape of options.targets ?? ['root', 'ous']) {
    const targetOuIds = shape === 'root' ? [DOUBLE_ROOT] : ous;
    const { measured, stats } = await discoverAgainstDouble(
      script,
      doubleScript,
      { ...options, rate, burst },
      targetOuIds,
    );
    const ofOrganizations = (counts: Record<string, number>) =>
      Object.entries(counts)
        .filter(([action]) => action.startsWith('organizations:'))
        .reduce((sum, [, count]) => sum + count, 0);
    const requests = ofOrganizations(stats.requests);
    const throttled = ofOrganizations(stats.throttled);
    // The bucket starts full: `burst` requests go at once, the rest at the rate.
    const lowerBoundMs = (Math.max(0, requests - throttled - burst) / rate) * 1000;
    const run = {
      targetOuIds: shape === 'root' ? DOUBLE_ROOT : `${ous.length} OUs`,
      ...measured,
      organizationsRequests: requests,
      throttled,
      throttledByAction: stats.throttled,
      throttledInFlight: stats.throttledInFlight,
      maxOrganizationsInFlight: stats.maxOrganizationsInFlight,
      lowerBoundMs: Math.round(lowerBoundMs),
      measuredOverLowerBound: 'wallMs' in measured ? Number((measured.wallMs / lowerBoundMs).toFixed(2)) : null,
    };
    runs.push(run);
    const found =
      'failed' in measured
        ? `FAILED (${measured.failed})`
        : `${measured.targets} targets (${measured.skipped} skipped) in ${(measured.wallMs / 1000).toFixed(1)} s wall, ${(measured.cpuMs / 1000).toFixed(1)} s CPU`;
    say(
      `targets ${run.targetOuIds}: ${found}; ${requests} Organizations requests, ${throttled} answered ` +
        `TooManyRequestsException${options.inFlight === undefined ? '' : ` (${stats.throttledInFlight} over ${options.inFlight} in flight)`}, at most ${stats.maxOrganizationsInFlight} at once; lower bound ` +
        `${(lowerBoundMs / 1000).toFixed(1)} s (${requests - throttled} answered, less the burst of ${burst}, at ${rate} per second) → measured / lower bound ${run.measuredOverLowerBound}`,
    );
  }
  return { accounts: options.accounts, ous: ous.length, rate, burst, inFlight: options.inFlight ?? null, runs };
}

/** One discovery in its own process against a fresh double (a full bucket); a failed one is a result. */
async function discoverAgainstDouble(
  script: string,
  doubleScript: string,
  options: DiscoveryOptions & { rate: number; burst: number },
  targetOuIds: readonly string[],
): Promise<{ measured: DiscoveryMeasurement | { failed: string }; stats: DoubleStats }> {
  const double = await startDouble(doubleScript, {
    accounts: options.accounts,
    regions: ['us-east-1'],
    latencyMs: 'aws',
    organizationsRate: options.rate,
    organizationsBurst: options.burst,
    ...(options.inFlight === undefined ? {} : { organizationsInFlight: options.inFlight }),
  });
  try {
    const config = JSON.stringify({ targetOuIds, regions: ['us-east-1'] });
    const measured = await runLimited(`exec "${process.execPath}" "${script}" '${config}'`, double.url)
      .then(({ stdout }) => lastJsonLine<DiscoveryMeasurement>(stdout))
      .catch((error: unknown) => ({ failed: error instanceof Error ? error.message.trim() : String(error) }));
    return { measured, stats: await double.stats() };
  } finally {
    double.stop();
  }
}
