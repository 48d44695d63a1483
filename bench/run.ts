import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DescribeRouteTablesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { build } from 'esbuild';
import { DEFAULT_CONCURRENCY } from '../lambda/config/schema';
import { DEFAULT_EVENT_REGIONS } from '../lib/config';
import { FUNCTION_MEMORY_MB, NODE_RUNTIME_FLAGS } from '../lambda/contract/runtime';
import { startMotoServer, type MotoServer } from '../test/support/moto-server';
import { EMULATOR_CREDENTIALS, OrganizationFixture, useEmulator } from '../test/support/organization-fixture';
import { startAwsProxy } from '../test/support/aws-proxy';
import { DOUBLE_ROOT } from './aws-double';
import { createBenchAccounts } from './organization';
import { htmlBenchmark } from './html';
import { renderBenchmark } from './render';
import { eventPathBenchmark } from './event-path';
import { discoveryBenchmark } from './discovery';
import { lastJsonLine, runLimited, startDouble } from './processes';

/**
 * `npm run bench`: how fast the janitor sweeps, and what it costs, printed as numbers.
 *
 * 1. Real emulator: moto behind the recording proxy with a fixed latency per request, an
 *    organization of N accounts × R regions, a fifth drifted. Wall time, requests by action, per
 *    account-region, peak RSS, and the lower bound (critical path in round trips; total requests
 *    over the throughput moto itself sustains, measured here). Then the same with concurrency 1,
 *    and with the opt-in default subnet checks, or the opt-in egress checks.
 * 2. Scale: 1,000 accounts × 17 regions at 100 ms per request against the load double, the engine
 *    under `ulimit -n 1024`. Wall time, CPU per account-region, peak RSS, open files.
 *
 * 3. Event path: from a breaking call's event reaching the intake to the verified repair (the
 *    quiet period left out), against moto at the emulator's latency, in an organization of
 *    --accounts accounts.
 *
 * 4. Render: the CLI's table, its Markdown and the SNS digest of --render-accounts accounts × 17
 *    regions, in process, on a quiet night and on the worst one.
 *
 * 5. HTML: the page of --render-accounts accounts × 17 regions opened in headless Chromium.
 *
 * 6. Discovery: the run's plan alone (the organization check and the discovery of the targets) of
 *    --discovery-accounts accounts in OUs of 50, the root as the target, then every OU named,
 *    against the load double enforcing Organizations' request rate: wall time, Organizations
 *    requests, throttled answers, and the lower bound (requests, less the burst, over the rate).
 *
 * Options: --accounts N (100) --regions R (3) --latency MS (50) --scale-accounts N (1000)
 * --scale-latency LIST (100,aws: flat milliseconds, or by region as AWS answers a hub in
 * us-east-1) --scale-concurrency LIST (16,32,64,128,256) --node-flags none (Node's defaults instead of the
 * functions' flags) --scale-config JSON (settings added to the scale section's sweeps, e.g.
 * '{"reach":"off"}' to weigh a switch in the same tree and window) --baseline DIR (another checkout,
 * e.g. a `git worktree` of an older commit: its engine is measured right after this one's against
 * a fresh double, and the ratio printed) --cli (the `account-janitor` command as a user runs it,
 * built in each tree, measured beside the engine) --repeat N (each measurement N times, alternating
 * the engines: medians printed) --render-accounts N (1000: the organization of sections 4 and 5,
 * N accounts × 17 regions) --discovery-accounts N (10000) --discovery-targets LIST (root,ous: the
 * root as the target, every OU named) --organizations-rate R --organizations-burst B (the double's
 * Organizations rate, default bench/aws-double.ts's) --organizations-in-flight N (the most
 * Organizations requests the double serves at once; default no limit) --skip-emulator --skip-scale --skip-events
 * --skip-render --skip-html --skip-discovery.
 * Results go to bench/results.json.
 */

/** The 17 regions every account has enabled from the start: what an organization sweeps with `regions: all`. */
const ALL_REGIONS = DEFAULT_EVENT_REGIONS;
const OUT = join(__dirname, '..', '.bench');
const say = (text: string) => process.stdout.write(`${text}\n`);

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? String(process.argv[index + 1]) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
/** `--cpu-prof`: each sweep process writes a V8 CPU profile to .bench/profiles (see bench/profile-summary.ts). */
/**
 * The sweep process's Node.js flags: the functions' (and the CLI's, bin/account-janitor.js), or with
 * `--node-flags none` Node's defaults, to measure what the flags are worth.
 */
const NODE_FLAGS = option('node-flags', 'function') === 'none' ? '' : NODE_RUNTIME_FLAGS.join(' ');
const PROFILE_FLAGS = flag('cpu-prof')
  ? `--cpu-prof --cpu-prof-dir "${join(__dirname, '..', '.bench', 'profiles')}"`
  : '';

interface SweepMeasurement {
  concurrency: number;
  wallMs: number;
  cpuMs: number;
  targets: number;
  cpuMsPerTarget: number;
  peakRssMb: number;
  maxOpenFiles: number;
  openFileLimit: number;
  writes: number;
  summary: Record<string, number>;
}

/** Bundles one of the bench's processes: this tree's, or (with `root`) another checkout's. */
async function bundle(entry: string, root = join(__dirname, '..'), label = ''): Promise<string> {
  const outfile = join(OUT, `${entry}${label}.js`);
  await build({
    entryPoints: [join(root, 'bench', `${entry}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Runs one sweep in its own process, under `ulimit -n 1024`, with the functions' Node.js flags
 * (lambda/contract/runtime.ts), and returns what it measured.
 */
async function measureSweep(
  script: string,
  endpoint: string,
  config: Record<string, unknown>,
): Promise<SweepMeasurement> {
  const { stdout } = await runLimited(
    `exec "${process.execPath}" ${NODE_FLAGS} ${PROFILE_FLAGS} "${script}" '${JSON.stringify(config)}'`,
    endpoint,
    [0],
  );
  return lastJsonLine<SweepMeasurement>(stdout);
}

/**
 * Runs the `account-janitor` command of the checkout at `root` (built: `npm run build`) as a user
 * does, with `--json`, and measures its CPU and peak RSS with /usr/bin/time (its own restart with
 * the functions' young generation included). Open files are not sampled.
 */
async function measureCli(root: string, endpoint: string, config: ScaleSweep): Promise<SweepMeasurement> {
  const started = process.hrtime.bigint();
  const { stdout, stderr } = await runLimited(
    `/usr/bin/time -f 'time %U %S %M' "${process.execPath}" "${join(root, 'bin', 'account-janitor.js')}" ` +
      `--ou ${config.targetOuIds} --region ${config.regions.join(',')} --concurrency ${config.concurrency} ` +
      `--max-repairs ${config.maxRepairsPerRun} --json`,
    endpoint,
    [0, 1],
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const [user, system, maxRssKb] = (/time (\S+) (\S+) (\d+)/.exec(stderr) ?? []).slice(1).map(Number);
  const report = JSON.parse(stdout) as { results: { region: string | null }[]; summary: Record<string, number> };
  const targets = report.results.filter((result) => result.region !== null).length;
  const cpuMs = ((user ?? 0) + (system ?? 0)) * 1000;
  return {
    concurrency: config.concurrency,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(cpuMs),
    targets,
    cpuMsPerTarget: targets ? Number((cpuMs / targets).toFixed(3)) : 0,
    peakRssMb: Math.round((maxRssKb ?? 0) / 1024),
    maxOpenFiles: 0,
    openFileLimit: 1024,
    writes: report.summary['restored'] ?? 0,
    summary: Object.fromEntries(Object.entries(report.summary).filter(([, count]) => count > 0)),
  };
}

/** What the scale section sweeps. */
interface ScaleSweep {
  readonly targetOuIds: string;
  readonly regions: readonly string[];
  readonly concurrency: number;
  readonly maxRepairsPerRun: number;
}

/** One way of running a sweep that the scale section measures: an engine process or a CLI, of this tree or the baseline's. */
interface Engine {
  readonly label: string;
  measure(endpoint: string, sweep: ScaleSweep): Promise<SweepMeasurement>;
}

/** Requests per second moto serves, at its best over a few concurrency levels, without added latency. */
async function motoThroughput(
  moto: MotoServer,
  accountId: string,
): Promise<{ requestsPerSecond: number; serviceMs: number }> {
  const sts = new STSClient({ endpoint: moto.url, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/x`, RoleSessionName: 'bench' }),
  );
  const ec2 = new EC2Client({
    endpoint: moto.url,
    region: 'us-east-1',
    credentials: {
      accessKeyId: String(Credentials?.AccessKeyId),
      secretAccessKey: String(Credentials?.SecretAccessKey),
      sessionToken: Credentials?.SessionToken,
    },
  });
  const rates: number[] = [];
  for (const concurrency of [1, 4, 16]) {
    const total = 200;
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          next += 1;
          await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }));
        }
      }),
    );
    rates.push(total / ((Date.now() - started) / 1000));
  }
  sts.destroy();
  ec2.destroy();
  const best = Math.max(...rates);
  return { requestsPerSecond: Math.round(best), serviceMs: Number((1000 / (rates[0] ?? best)).toFixed(1)) };
}

async function emulatorBenchmark(script: string) {
  const accounts = Number(option('accounts', '100'));
  const regions = ALL_REGIONS.slice(0, Number(option('regions', '3')));
  const latencyMs = Number(option('latency', '50'));
  say(`\n== 1. Real emulator: moto, ${accounts} accounts × ${regions.length} regions, ${latencyMs} ms per request`);
  const moto = await startMotoServer();
  try {
    useEmulator(moto.url);
    const fixture = new OrganizationFixture(moto.url);
    const { rootId } = await fixture.createOrganization();
    const ids = await createBenchAccounts(fixture, rootId, rootId, accounts, 'ou-');
    const drifted: [string, string][] = [];
    for (const [index, accountId] of ids.entries()) {
      for (const [regionIndex, region] of regions.entries()) {
        await fixture.provisionDefaultNetwork(accountId, region);
        if ((index * regions.length + regionIndex) % 5 === 0) drifted.push([accountId, region]);
      }
    }
    const breakRoutes = async () => {
      for (const [accountId, region] of drifted) await fixture.deleteInternetRoute(accountId, region);
    };
    const throughput = await motoThroughput(moto, String(ids[0]));
    say(
      `moto serves at best ${throughput.requestsPerSecond} requests/s (${throughput.serviceMs} ms each, one at a time)`,
    );

    const proxy = await startAwsProxy(moto.url);
    proxy.setLatency(latencyMs);
    const config = { targetOuIds: rootId, regions, maxRepairsPerRun: 100_000 };
    const runs: Record<string, unknown>[] = [];
    let defaultRun: SweepMeasurement | undefined;
    // The default run, the same at concurrency 1, and the default with the opt-in subnet checks or
    // the opt-in egress checks (two more reads per account-region each, in the same round trip).
    const variants = [
      { concurrency: DEFAULT_CONCURRENCY, checkDefaultSubnets: false, checkEgress: false },
      { concurrency: 1, checkDefaultSubnets: false, checkEgress: false },
      { concurrency: DEFAULT_CONCURRENCY, checkDefaultSubnets: true, checkEgress: false },
      { concurrency: DEFAULT_CONCURRENCY, checkDefaultSubnets: false, checkEgress: true },
    ];
    for (const { concurrency, checkDefaultSubnets, checkEgress } of variants) {
      await breakRoutes();
      proxy.clear();
      proxy.setLatency(latencyMs);
      const measured = await measureSweep(script, proxy.url, {
        ...config,
        concurrency,
        checkDefaultSubnets,
        checkEgress,
      });
      const byAction: Record<string, number> = {};
      for (const request of proxy.requests)
        byAction[`${request.service}:${request.action}`] = (byAction[`${request.service}:${request.action}`] ?? 0) + 1;
      const totalRequests = proxy.requests.length;
      // Critical path: DescribeOrganization ‖ root listings, then each OU's account pages (25 → 2
      // pages), AssumeRole, the three reads at once, the write, its verification.
      const roundTrip = latencyMs + throughput.serviceMs;
      const criticalRoundTrips = 1 + 2 + 1 + 1 + 1 + 1;
      const lowerBoundMs = Math.max(
        criticalRoundTrips * roundTrip,
        (totalRequests / throughput.requestsPerSecond) * 1000,
      );
      const ec2Requests = proxy.requests.filter((request) => request.service === 'ec2').length;
      const run = {
        ...measured,
        checkDefaultSubnets,
        checkEgress,
        totalRequests,
        requestsByAction: byAction,
        ec2RequestsPerTarget: Number((ec2Requests / measured.targets).toFixed(2)),
        criticalPathMs: Math.round(criticalRoundTrips * roundTrip),
        throughputBoundMs: Math.round((totalRequests / throughput.requestsPerSecond) * 1000),
        lowerBoundMs: Math.round(lowerBoundMs),
        measuredOverLowerBound: Number((measured.wallMs / lowerBoundMs).toFixed(2)),
      };
      runs.push(run);
      if (concurrency === DEFAULT_CONCURRENCY && !checkDefaultSubnets && !checkEgress) defaultRun = measured;
      say(
        `concurrency ${String(concurrency).padStart(2)}${checkDefaultSubnets ? ' with --check-default-subnets' : ''}${checkEgress ? ' with --check-egress' : ''}: ${(measured.wallMs / 1000).toFixed(1)} s wall, ${totalRequests} requests ` +
          `(${run.ec2RequestsPerTarget} EC2 per account-region), ${measured.writes} writes, peak RSS ${measured.peakRssMb} MB, ` +
          `${measured.maxOpenFiles} open files; lower bound ${(run.lowerBoundMs / 1000).toFixed(1)} s ` +
          `(critical path ${run.criticalPathMs} ms, moto throughput ${run.throughputBoundMs} ms) → measured / lower bound ${run.measuredOverLowerBound}`,
      );
      say(
        `  requests by action: ${Object.entries(byAction)
          .map(([action, count]) => `${action} ${count}`)
          .join(', ')}`,
      );
    }
    const single = runs[1] as unknown as SweepMeasurement;
    const speedUp = Number((single.wallMs / (defaultRun?.wallMs ?? 1)).toFixed(1));
    say(`speed-up of concurrency ${DEFAULT_CONCURRENCY} over 1: ${speedUp}×`);
    await proxy.close();
    fixture.destroy();
    return { accounts, regions: regions.length, latencyMs, moto: throughput, runs, speedUp };
  } finally {
    await moto.stop();
  }
}

/**
 * The scale sections measure the sweep, comparably from run to run: their double leaves
 * Organizations' request rate out (section 6 measures discovery under it).
 */
const SWEEP_ONLY = { organizationsRate: 1e9, organizationsBurst: 1e9 };

/** Lambda gives a full vCPU at 1,769 MB, a share in proportion below it; one thread uses no more. */
const FULL_VCPU_MB = 1769;

/**
 * The sweep in a Lambda of each memory size: its wall time here, or its CPU time at that size's
 * share of a vCPU, whichever is longer; and what that costs in GB-seconds.
 */
function lambdaEstimates(measured: SweepMeasurement) {
  return [512, 1024, 1769, 3008].map((memoryMb) => {
    const share = Math.min(1, memoryMb / FULL_VCPU_MB);
    const seconds = Math.max(measured.wallMs / 1000, measured.cpuMs / 1000 / share);
    return { memoryMb, seconds: Math.round(seconds), gbSeconds: Math.round((seconds * memoryMb) / 1024) };
  });
}

/** The middle value; of an even count, the mean of the two middle ones. */
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = (sorted.length - 1) / 2;
  return Number((((sorted[Math.floor(middle)] ?? 0) + (sorted[Math.ceil(middle)] ?? 0)) / 2).toFixed(3));
};

async function scaleBenchmark(engines: readonly Engine[], doubleScript: string, latencyOption: string) {
  const accounts = Number(option('scale-accounts', '1000'));
  const latencyMs: number | 'aws' = latencyOption === 'aws' ? 'aws' : Number(latencyOption);
  const concurrencies = option('scale-concurrency', '16,32,64,128,256').split(',').map(Number);
  const repeat = Number(option('repeat', '1'));
  say(
    `\n== 2. Scale: ${accounts} accounts × ${ALL_REGIONS.length} regions, ${latencyMs === 'aws' ? 'AWS-like latency by region from us-east-1 (10-300 ms)' : `${latencyMs} ms per request`} (load double), ulimit -n 1024, Node flags: ${NODE_FLAGS || 'none'}`,
  );
  const runs: Record<string, unknown>[] = [];
  const comparisons: Record<string, unknown>[] = [];
  for (const concurrency of concurrencies) {
    const cpuByEngine = new Map<string, number[]>();
    for (let round = 0; round < repeat; round += 1) {
      for (const engine of engines) {
        const double = await startDouble(doubleScript, { accounts, regions: ALL_REGIONS, latencyMs, ...SWEEP_ONLY });
        let measured: SweepMeasurement;
        let stats: { requests: Record<string, number>; rejected: number };
        try {
          measured = await engine.measure(double.url, {
            targetOuIds: DOUBLE_ROOT,
            regions: ALL_REGIONS,
            concurrency,
            maxRepairsPerRun: 100_000,
          });
          stats = await double.stats();
        } finally {
          double.stop();
        }
        cpuByEngine.set(engine.label, [...(cpuByEngine.get(engine.label) ?? []), measured.cpuMsPerTarget]);
        const total = Object.values(stats.requests).reduce((sum, count) => sum + count, 0);
        const lambda = lambdaEstimates(measured);
        const chosen = lambda.find((estimate) => estimate.memoryMb === FUNCTION_MEMORY_MB);
        runs.push({
          engine: engine.label,
          ...measured,
          totalRequests: total,
          rejectedByDouble: stats.rejected,
          requestsByAction: stats.requests,
          lambda,
        });
        say(
          `${engines.length > 1 ? `[${engine.label}] ` : ''}concurrency ${String(concurrency).padStart(2)}: ${(measured.wallMs / 1000).toFixed(1)} s wall, ${(measured.cpuMs / 1000).toFixed(1)} s CPU ` +
            `(${measured.cpuMsPerTarget} ms per account-region), peak RSS ${measured.peakRssMb} MB, ${measured.maxOpenFiles > 0 ? `at most ${measured.maxOpenFiles} open files` : 'open files not sampled'} ` +
            `(limit ${measured.openFileLimit}), ${total} requests (${stats.rejected} refused), ${measured.writes} writes`,
        );
        say(
          `  Lambda: ${lambda.map((estimate) => `${estimate.memoryMb} MB ~${estimate.seconds} s (${estimate.gbSeconds} GB-s)`).join(', ')}; ` +
            `the function's ${FUNCTION_MEMORY_MB} MB: ${chosen && chosen.seconds < 15 * 60 * 0.8 && measured.peakRssMb < FUNCTION_MEMORY_MB / 2 ? 'fits with room to spare' : 'does NOT fit comfortably'}`,
        );
      }
    }
    if (engines.length > 1) {
      const medians = Object.fromEntries([...cpuByEngine].map(([label, values]) => [label, median(values)]));
      const first = medians[engines[0]?.label ?? ''] ?? 0;
      say(
        `  CPU per account-region, median of ${repeat}: ${Object.entries(medians)
          .map(([label, value]) => `${label} ${value} ms (${(value / first).toFixed(2)}×)`)
          .join(', ')}`,
      );
      comparisons.push({ concurrency, repeat, cpuMsPerTarget: Object.fromEntries(cpuByEngine), medians });
    }
  }
  const first = engines[0];
  return {
    accounts,
    regions: ALL_REGIONS.length,
    latencyMs,
    runs,
    ...(comparisons.length > 0 ? { comparisons } : {}),
    ...(latencyMs === 'aws' || !first || engines.length > 1
      ? {}
      : { speedUp: await speedUpWithoutCeiling(first, doubleScript) }),
  };
}

/**
 * Against moto, the speed-up of concurrency is capped by moto's own throughput. Against the
 * double (no such ceiling), at 50 ms per request, 100 accounts × 3 regions: concurrency 1 against
 * the default.
 */
async function speedUpWithoutCeiling(engine: Engine, doubleScript: string) {
  const regions = ALL_REGIONS.slice(0, 3);
  const walls: Record<number, number> = {};
  for (const concurrency of [1, DEFAULT_CONCURRENCY]) {
    const double = await startDouble(doubleScript, { accounts: 100, regions, latencyMs: 50, ...SWEEP_ONLY });
    try {
      const measured = await engine.measure(double.url, {
        targetOuIds: DOUBLE_ROOT,
        regions,
        concurrency,
        maxRepairsPerRun: 100_000,
      });
      walls[concurrency] = measured.wallMs;
    } finally {
      double.stop();
    }
  }
  const speedUp = Number(((walls[1] ?? 0) / (walls[DEFAULT_CONCURRENCY] ?? 1)).toFixed(1));
  say(
    `without moto's ceiling (load double, 100 × 3, 50 ms): concurrency 1 ${((walls[1] ?? 0) / 1000).toFixed(1)} s, ` +
      `${DEFAULT_CONCURRENCY} ${((walls[DEFAULT_CONCURRENCY] ?? 0) / 1000).toFixed(1)} s → speed-up ${speedUp}×`,
  );
  return { wallMs: walls, speedUp };
}

/**
 * What the scale section measures: this tree's engine; with --cli its command too; with
 * --baseline DIR the same of that checkout, each right after this tree's, against a fresh double.
 */
async function scaleEngines(script: string): Promise<Engine[]> {
  const extra = JSON.parse(option('scale-config', '{}')) as Record<string, unknown>;
  const engine = (label: string, bundled: string): Engine => ({
    label,
    measure: (endpoint, sweep) => measureSweep(bundled, endpoint, { ...sweep, ...extra }),
  });
  const cli = (label: string, root: string): Engine => {
    if (!existsSync(join(root, 'dist', 'cli', 'cli.js'))) throw new Error(`--cli: build ${root} first (npm run build)`);
    if (Object.keys(extra).length > 0) throw new Error('--cli measures the command as it is: leave --scale-config out');
    return { label, measure: (endpoint, sweep) => measureCli(root, endpoint, sweep) };
  };
  const engines = [engine('engine', script)];
  if (flag('cli')) engines.push(cli('cli', join(__dirname, '..')));
  const baseline = process.argv.includes('--baseline') ? option('baseline', '') : undefined;
  if (baseline !== undefined) {
    if (!existsSync(join(baseline, 'bench', 'sweep-process.ts')))
      throw new Error(`--baseline ${baseline}: no bench/sweep-process.ts there`);
    engines.push(engine('baseline engine', await bundle('sweep-process', baseline, '-baseline')));
    if (flag('cli')) engines.push(cli('baseline cli', baseline));
  }
  return engines;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const [script, doubleScript, discoveryScript] = await Promise.all([
    bundle('sweep-process'),
    bundle('double-process'),
    bundle('discovery-process'),
  ]);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  say(`account-janitor benchmark on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}`);
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine };
  if (!flag('skip-emulator')) results['emulator'] = await emulatorBenchmark(script);
  if (!flag('skip-scale')) {
    // Flat 100 ms, then the AWS-like profile (--scale-latency takes a number or `aws`).
    const latencies = option('scale-latency', '100,aws').split(',');
    const scale: Record<string, unknown> = {};
    const engines = await scaleEngines(script);
    for (const latency of latencies) scale[latency] = await scaleBenchmark(engines, doubleScript, latency);
    results['scale'] = scale;
  }
  if (!flag('skip-events')) {
    const accounts = Number(option('accounts', '100'));
    const latencyMs = Number(option('latency', '50'));
    say(
      `\n== 3. Event path: breaking call's event → verified repair (quiet period left out), moto, ${accounts} accounts, ${latencyMs} ms per request`,
    );
    const events = await eventPathBenchmark(accounts, latencyMs);
    results['events'] = events;
    say(
      `${events.repairs} repairs: intake ${events.intakeMs.median} ms (max ${events.intakeMs.max}), targeted sweep ${events.sweepMs.median} ms (max ${events.sweepMs.max}), ` +
        `event to verified repair ${events.totalMs.median} ms (max ${events.totalMs.max})`,
    );
    say(
      `  requests per repair: ${Object.entries(events.requestsPerRepair)
        .map(([action, count]) => `${action} ${count}`)
        .join(', ')}`,
    );
  }
  const renderAccounts = Number(option('render-accounts', '1000'));
  if (!flag('skip-render')) {
    say(
      `\n== 4. The human report at organization scale (in process): ${renderAccounts.toLocaleString('en-US')} accounts × 17 regions`,
    );
    results['render'] = renderBenchmark(say, renderAccounts);
  }
  if (!flag('skip-html')) {
    say(
      `\n== 5. The HTML report in headless Chromium: ${renderAccounts.toLocaleString('en-US')} accounts × 17 regions`,
    );
    results['html'] = await htmlBenchmark(say, renderAccounts);
  }
  if (!flag('skip-discovery')) {
    const accounts = Number(option('discovery-accounts', '10000'));
    say(`\n== 6. Discovery: ${accounts} accounts in OUs of 50, load double at Organizations' rate, hub latency`);
    results['discovery'] = await discoveryBenchmark(
      discoveryScript,
      doubleScript,
      {
        accounts,
        ...(flag('organizations-rate') ? { rate: Number(option('organizations-rate', '')) } : {}),
        ...(flag('organizations-burst') ? { burst: Number(option('organizations-burst', '')) } : {}),
        ...(flag('organizations-in-flight') ? { inFlight: Number(option('organizations-in-flight', '')) } : {}),
        targets: option('discovery-targets', 'root,ous').split(',') as ('root' | 'ous')[],
      },
      say,
    );
  }
  const file = join(__dirname, 'results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  say(`\nresults written to ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
