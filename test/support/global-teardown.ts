import type { MotoServer } from './moto-server';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { motoServers?: MotoServer[] }).motoServers ?? [];
  await Promise.all(servers.map((server) => server.stop()));
}
