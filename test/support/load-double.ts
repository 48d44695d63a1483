import type { Server } from 'node:http';
import { startAwsDouble, type DoubleOptions, type DoubleStats } from '../../bench/aws-double';

/**
 * The bench's load double (bench/aws-double.ts) for a test file: `start` serves it and points the
 * SDK at it (AWS_ENDPOINT_URL); after each test it is closed and the endpoint unset.
 */
export function useLoadDouble(): { start(options: DoubleOptions): Promise<() => DoubleStats> } {
  let server: Server | undefined;
  afterEach(async () => {
    delete process.env['AWS_ENDPOINT_URL'];
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });
  return {
    start: async (options) => {
      const double = await startAwsDouble(options);
      server = double.server;
      process.env['AWS_ENDPOINT_URL'] = double.url;
      return double.stats;
    },
  };
}
