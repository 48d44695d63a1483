/**
 * Every test process: the code under test logs as it does in Lambda (Powertools JSON lines, EMF
 * metrics) and the CDK says which asset it bundles. None of it belongs in the test output: those
 * lines are dropped here, before any test's own capture (captureJsonLines, a spy) sees the rest.
 * `JANITOR_TEST_LOGS=1 npx jest …` shows them, to debug a failing test.
 */
const NOISE = [/^\{"level":/, /^\{"_aws":/, /^Bundling asset /];

function quiet(stream: NodeJS.WriteStream): void {
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
