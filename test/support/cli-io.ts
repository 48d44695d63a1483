import type { CliIo } from '../../cli/cli';

/** The CLI's input and output in memory: what it printed on stdout and stderr. */
export function capturedIo(stderrIsTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stderrIsTty,
    env: process.env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
