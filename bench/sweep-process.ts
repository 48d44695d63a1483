import { readdirSync, readFileSync } from 'node:fs';
import { createAwsClients } from '../lambda/aws/clients';
import { parseSweepConfig } from '../lambda/config/parse';
import { runSweep, type SweepLogger } from '../lambda/sweep';

/**
 * One sweep in a process of its own, measuring itself: wall and CPU time, peak RSS, and the most
 * file descriptors (sockets included) it held open. The benchmark runs it bundled, with plain
 * node, under `ulimit -n 1024`, against the endpoint in AWS_ENDPOINT_URL. Prints one JSON line.
 */

async function main(): Promise<void> {
  const config = parseSweepConfig(
    JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>,
    'benchmark',
    (key) => key,
  );
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: config.maxAttempts });
  let writes = 0;
  const logger: SweepLogger = {
    info: (message) => {
      if (message === 'route repaired') writes += 1;
    },
    warn: () => undefined,
    error: () => undefined,
  };
  let maxOpenFiles = 0;
  const sample = () => {
    maxOpenFiles = Math.max(maxOpenFiles, readdirSync('/proc/self/fd').length);
  };
  const sampler = setInterval(sample, 50);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const report = await runSweep(config, { clients, logger });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  sample();
  clients.destroy();
  const limit = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  const targets = report.results.filter((result) => result.region !== null).length;
  process.stdout.write(
    `${JSON.stringify({
      concurrency: config.concurrency,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((used.user + used.system) / 1000),
      targets,
      cpuMsPerTarget: targets ? Number(((used.user + used.system) / 1000 / targets).toFixed(3)) : 0,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      maxOpenFiles,
      openFileLimit: Number(limit),
      writes,
      summary: Object.fromEntries(Object.entries(report.summary).filter(([, count]) => count > 0)),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
