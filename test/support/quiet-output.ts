/**
 * Every test process: the code under test logs as it does in Lambda (Powertools JSON lines, EMF
 * metrics) and the CDK says which asset it bundles. None of it belongs in the test output: those
 * lines are dropped here, on their way to the real stream. A test's own capture (captureJsonLines,
 * a spy made later) wraps this wrapper, so it still sees every line, these included.
 * `JANITOR_TEST_LOGS=1 npx jest …` shows them, to debug a failing test.
 *
 * Once per worker, not once per test file: a test file's `process.stdout` is the worker's own
 * stream, so wrapping it again for each file stacked one wrapper per file, each a function of its
 * file's context that kept that whole context alive. A worker then grew by every file it ran (to
 * 1 GB of heap and 3 GB resident over unit and templates) and took longer than Jest's 500 ms to
 * exit: "A worker process has failed to exit gracefully".
 */
const NOISE = [/^\{"level":/, /^\{"_aws":/, /^Bundling asset /];
const QUIETED = Symbol.for('account-janitor.quiet-output');

function quiet(stream: NodeJS.WriteStream & { [QUIETED]?: true }): void {
  if (stream[QUIETED]) return;
  stream[QUIETED] = true;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = (chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    if (text && NOISE.some((pattern) => pattern.test(text))) {
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return write(chunk, ...rest);
  };
}

if (process.env['JANITOR_TEST_LOGS'] !== '1') {
  quiet(process.stdout);
  quiet(process.stderr);
}
