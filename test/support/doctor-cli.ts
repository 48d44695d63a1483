import { runCli } from '../../cli/cli';
import type { CheckRow, DoctorReport } from '../../cli/doctor/checks';
import { capturedIo } from './cli-io';

/** `account-janitor doctor --json …` through the real CLI entry: its exit code, its report and what it printed to stderr. */
export async function doctorJson(...args: string[]): Promise<{ code: number; report: DoctorReport; stderr: string }> {
  const output = capturedIo();
  const code = await runCli(['node', 'account-janitor', 'doctor', '--json', ...args], output.io);
  const printed = output.stdout();
  return { code, report: (printed ? JSON.parse(printed) : { rows: [] }) as DoctorReport, stderr: output.stderr() };
}

/** The report's row of one check. */
export const rowOf = (report: DoctorReport, check: string): CheckRow | undefined =>
  report.rows.find((item) => item.check === check);
