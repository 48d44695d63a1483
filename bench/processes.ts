import { spawn } from 'node:child_process';
import { EMULATOR_CREDENTIALS } from '../test/support/organization-fixture';
import type { DoubleStats } from './aws-double';

/**
 * The bench's child processes: a measured process (a bundled sweep, a discovery, the CLI) under
 * `ulimit -n 1024` against an endpoint, and the load double in a process of its own.
 */

const BENCH_ENV = {
  AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Runs `command` under bash with `ulimit -n 1024`; resolves its stdout and stderr, rejects on another exit code than `accepted`. */
export function runLimited(
  command: string,
  endpoint: string,
  accepted: readonly number[] = [0],
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `ulimit -n 1024 && ${command}`], {
      env: { ...process.env, ...BENCH_ENV, AWS_ENDPOINT_URL: endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      if (!accepted.includes(code ?? -1)) reject(new Error(`${command} exited ${code}: ${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The JSON of the last line a bench process printed. */
export const lastJsonLine = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as T;

/**
 * Starts the load double (bundled bench/double-process.ts) in its own process: its URL, its
 * stats, a stop. A double that exits early is an error that says how it exited.
 */
export async function startDouble(doubleScript: string, options: Record<string, unknown>) {
  const double = spawn(process.execPath, [doubleScript, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<string>((resolve) =>
    double.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`)),
  );
  const read = lineReader(double.stdout);
  const nextLine = () =>
    read().catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await exited}`);
    });
  const { url } = JSON.parse(await nextLine()) as { url: string };
  return {
    url,
    stats: async () => {
      double.stdin.write('stats\n');
      return JSON.parse(await nextLine()) as DoubleStats;
    },
    stop: () => double.kill(),
  };
}

/** The next line a child prints, each once; an error once the child has closed its output. */
function lineReader(stream: NodeJS.ReadableStream): () => Promise<string> {
  const lines: string[] = [];
  let waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined;
  let ended = false;
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    for (const line of text.split('\n').filter(Boolean)) {
      if (waiting) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve(line);
      } else lines.push(line);
    }
  });
  stream.on('end', () => {
    ended = true;
    waiting?.reject(new Error('the load double exited'));
  });
  return () =>
    new Promise((resolve, reject) => {
      if (lines.length > 0) resolve(String(lines.shift()));
      else if (ended) reject(new Error('the load double exited'));
      else waiting = { resolve, reject };
    });
}
