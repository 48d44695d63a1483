import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Runs moto (`moto_server`), the local AWS emulator, on a free loopback port: for the demo and the
 * integration tests. No AWS account is involved; the SDK is pointed at it with AWS_ENDPOINT_URL.
 */

export const MOTO_INSTALL_HINT = "install it with: pip install 'moto[server]'";

export interface MotoServer {
  readonly url: string;
  readonly pid: number;
  /** Forgets every resource of every account (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export function motoServerCommand(): string {
  const command = process.env['MOTO_SERVER'] ?? 'moto_server';
  const found = spawnSync('sh', ['-c', `command -v "${command}"`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`moto_server is not installed (looked for "${command}" on PATH): ${MOTO_INSTALL_HINT}`);
  }
  return command;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMotoServer(): Promise<MotoServer> {
  const command = motoServerCommand();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // The janitor never looks at AMIs: loading moto's catalogue costs ~1.5 s per new account.
    env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' },
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  await waitUntilReady(url, child, () => output);
  return {
    url,
    pid: child.pid ?? 0,
    reset: () => resetMoto(url),
    stop: () => stopProcess(child),
  };
}

export async function resetMoto(url: string): Promise<void> {
  const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode}: ${output()}`);
    }
    try {
      const response = await fetch(`${url}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`moto_server did not start within 30 s: ${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
