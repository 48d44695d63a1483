import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport, SweepResult } from '../../lambda/core/report';
import { runSweep, type SweepLogger } from '../../lambda/sweep';
import { freshEmulator, type Emulator } from './emulator';
import { RecordingLogger } from './recording-logger';

/**
 * The usual set-up of an integration test file: a reset moto behind the recording proxy and the
 * engine's clients, made before each test (or once for the file) and closed after; a sweep of a
 * configuration as raw values; the writes seen on the wire. Register it at the top of the file,
 * before the file's own `beforeEach`, which can then use `harness.emulator`.
 */

export interface SweepOptions {
  readonly logger?: SweepLogger;
  /** Verification re-reads; `[0, 0, 0]` re-reads as often as against AWS, without the pauses. */
  readonly settleDelaysMs?: readonly number[];
}

export interface SweepHarness {
  readonly emulator: Emulator;
  readonly clients: AwsClients;
  /** Runs the engine on this configuration (raw values, as a door would give them). */
  sweep(raw: Record<string, unknown>, options?: SweepOptions): Promise<SweepReport>;
  /** The EC2 calls on the wire that are not reads, in order. */
  writesOnTheWire(): string[];
}

export function useSweepHarness(options: { maxAttempts?: number; per?: 'test' | 'file' } = {}): SweepHarness {
  let emulator: Emulator | undefined;
  let clients: AwsClients | undefined;
  const [before, after] = options.per === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    emulator = await freshEmulator();
    clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: options.maxAttempts });
  });
  after(async () => {
    clients?.destroy();
    await emulator?.close();
  });
  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the sweep harness is used outside a test');
    return value;
  };
  return {
    get emulator() {
      return required(emulator);
    },
    get clients() {
      return required(clients);
    },
    sweep: (raw, sweepOptions = {}) =>
      runSweep(
        parseSweepConfig(raw, 'test', (key) => key),
        {
          clients: required(clients),
          logger: sweepOptions.logger ?? new RecordingLogger(),
          ...(sweepOptions.settleDelaysMs ? { settleDelaysMs: sweepOptions.settleDelaysMs } : {}),
        },
      ),
    writesOnTheWire: () =>
      required(emulator)
        .proxy.requests.filter((request) => request.service === 'ec2' && !request.action.startsWith('Describe'))
        .map((request) => request.action),
  };
}

/** The row of an account-region (or the account's own row, with `region: null`). */
export function rowOf(report: SweepReport, accountId: string, region: string | null): SweepResult | undefined {
  return report.results.find((result) => result.accountId === accountId && result.region === region);
}
