/**
 * Runs `action` with process.stdout and process.stderr captured, and returns what it resolved to
 * with the JSON lines printed (Powertools' logs and EMF metrics on stdout, its errors on stderr);
 * other stderr text (the SDK's Node.js support warning) is dropped.
 */
export async function captureJsonLines<T>(
  action: () => Promise<T>,
): Promise<{ value: T; lines: Record<string, unknown>[] }> {
  const printed: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.startsWith('{')),
    );
    return true;
  });
  try {
    const value = await action();
    return { value, lines: printed.map((line) => JSON.parse(line) as Record<string, unknown>) };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
