import { resetMoto } from './moto-server';
import { OrganizationFixture, useEmulator } from './organization-fixture';
import { startAwsProxy, type AwsProxy } from './aws-proxy';

/** This worker's moto server, started by the jest global setup. */
export function motoUrl(): string {
  const urls = (process.env['MOTO_URLS'] ?? '').split(',').filter(Boolean);
  const worker = Number(process.env['JEST_WORKER_ID'] ?? '1');
  const url = urls[(worker - 1) % Math.max(urls.length, 1)];
  if (!url) throw new Error('no moto server: run the tests with jest, whose global setup starts moto');
  return url;
}

export interface Emulator {
  readonly fixture: OrganizationFixture;
  /** Every SDK call of the code under test goes through it. */
  readonly proxy: AwsProxy;
  close(): Promise<void>;
}

/**
 * A reset moto, a fixture that talks to it directly, and a recording proxy in front of it that
 * the code under test reaches through AWS_ENDPOINT_URL.
 */
export async function freshEmulator(): Promise<Emulator> {
  const url = motoUrl();
  await resetMoto(url);
  const proxy = await startAwsProxy(url);
  useEmulator(proxy.url);
  const fixture = new OrganizationFixture(url);
  return {
    fixture,
    proxy,
    close: async () => {
      fixture.destroy();
      await proxy.close();
    },
  };
}
