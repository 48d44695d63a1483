import { startAwsDouble, type DoubleOptions } from './aws-double';

/**
 * The load double in a process of its own, so its CPU is not counted as the engine's. Prints its
 * URL as one JSON line; on "stats" from stdin, its request counts; on "exit", stops.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as DoubleOptions;
  const double = await startAwsDouble(options);
  process.stdout.write(`${JSON.stringify({ url: double.url })}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    if (text.includes('stats')) process.stdout.write(`${JSON.stringify(double.stats())}\n`);
    if (text.includes('exit')) process.exit(0);
  });
}

void main();
