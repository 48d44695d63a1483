import type { ReportJson } from '../core/report';
import { parseRestoreOptions, type RestoreAccountDefaultsOptions } from './options';

/**
 * `import { restoreAccountDefaults } from 'account-janitor'`: the library call for a clean-up
 * script, run last (after aws-nuke or cloud-nuke). It restores one account's default path in its
 * regions with the engine every other door runs, and returns the report the CLI prints with
 * `--json`. Importing it loads the settings schema only; the engine and the AWS SDK clients are
 * loaded on the first valid call, and nothing of the CDK ever is.
 */

/**
 * Restores the default VPC's internet route in one account (and, as the switches say, its
 * gateway, the default VPC, the default subnets, the egress rules, the guard rail's tags).
 *
 * Throws a `RestoreOptionsError` (one line naming each bad option, its value and what is allowed)
 * before any AWS call when an option is unknown or bad, and after GetCallerIdentity alone when the
 * account's own credentials are of another account. The report's rows say what was found and
 * done in each region, its `outcome` what the CLI's exit code says (`ok` 0, `attention` 1:
 * something is left broken); `exitCodeFor(report)` is that code.
 */
export async function restoreAccountDefaults(options: RestoreAccountDefaultsOptions): Promise<ReportJson> {
  const request = parseRestoreOptions(options, process.env);
  const { runRestore } = await import('./run-restore');
  return runRestore(request);
}

export type { RestoreAccountDefaultsOptions, RestoreSettings } from './options';
export type { SweepLogger } from '../sweep/types';
