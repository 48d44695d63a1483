import type { SweepLogger } from '../../lambda/sweep';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** A SweepLogger that keeps what it is told, for assertions. */
export class RecordingLogger implements SweepLogger {
  public readonly entries: LogEntry[] = [];
  public info(message: string, attributes: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'info', message, attributes });
  }
  public warn(message: string, attributes: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'warn', message, attributes });
  }
  public error(message: string, attributes: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'error', message, attributes });
  }
}
