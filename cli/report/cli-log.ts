import { displayText } from '../../lambda/report/display-text';
import type { SweepLogger, SweepProgress } from '../../lambda/sweep';

/** What the CLI writes on stderr while it runs: log lines, and a progress line on a terminal. */

export interface ProgressLine {
  readonly update: (progress: SweepProgress) => void;
  readonly clear: () => void;
}

export function progressLine(stderr: (text: string) => void): ProgressLine {
  let shown = false;
  return {
    update: (progress) => {
      shown = true;
      stderr(
        `\r\x1b[Kchecked ${progress.accountsDone}/${progress.accountsTotal} accounts, ${progress.targetsDone} account-regions`,
      );
    },
    clear: () => {
      if (shown) stderr('\r\x1b[K');
      shown = false;
    },
  };
}

/**
 * Log lines on stderr as `level message key=value …`: every repair with its before and after. A
 * line quotes what AWS said (an error's words, a principal): shown as displayText makes it.
 */
export function textLogger(stderr: (text: string) => void, progress: ProgressLine | undefined): SweepLogger {
  const write =
    (level: string) =>
    (message: string, attributes: Record<string, unknown> = {}) => {
      progress?.clear();
      const fields = Object.entries(attributes)
        .map(([key, value]) => `${key}=${formatAttribute(value)}`)
        .join(' ');
      stderr(`${displayText(`${level} ${message}${fields ? ` ${fields}` : ''}`)}\n`);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

function formatAttribute(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}
