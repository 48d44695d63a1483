import { createAwsClients } from '../lambda/aws/clients';
import { parseSweepConfig } from '../lambda/config/parse';
import type { SweepLogger } from '../lambda/sweep';
import { planRun } from '../lambda/sweep/run';

/**
 * A run's plan alone in a process of its own: the organization check and the discovery of the
 * targets (`planRun`, what a sweep and the distributed plan step both run first), against the
 * endpoint in AWS_ENDPOINT_URL. Prints one JSON line: wall and CPU time, targets, skipped.
 */

async function main(): Promise<void> {
  const config = parseSweepConfig(
    JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>,
    'benchmark',
    (key) => key,
  );
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: config.maxAttempts });
  const logger: SweepLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const plan = await planRun(config, { clients, logger });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  clients.destroy();
  process.stdout.write(
    `${JSON.stringify({
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((used.user + used.system) / 1000),
      targets: plan.targets.length,
      skipped: plan.skippedRows.length,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
