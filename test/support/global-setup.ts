import type { Config } from '@jest/types';
import { startMotoServer, type MotoServer } from './moto-server';

/** Starts one moto server per jest worker; integration tests pick theirs by JEST_WORKER_ID. */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const count = Math.max(1, globalConfig.maxWorkers);
  const servers: MotoServer[] = await Promise.all(Array.from({ length: count }, () => startMotoServer()));
  (globalThis as { motoServers?: MotoServer[] }).motoServers = servers;
  process.env['MOTO_URLS'] = servers.map((server) => server.url).join(',');
}
