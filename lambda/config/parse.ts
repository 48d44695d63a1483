import type { z } from 'zod';
import { ConfigError, type InputProblem } from '../errors';
import { CONFIG_KEYS, sweepConfigSchema, type ConfigKey, type SweepConfig, type SweepConfigInput } from './schema';

/** How one door names the configuration keys: `--ou`, `JANITOR_TARGET_OU_IDS`, `targetOuIds`. */
export type KeyLabeler = (key: ConfigKey | (string & {})) => string;

/**
 * Parses raw configuration values with the shared schema. Throws one `ConfigError` that names
 * every bad field (as the door calls it), its value and what is allowed.
 */
export function parseSweepConfig(
  raw: SweepConfigInput | Record<string, unknown>,
  source: string,
  label: KeyLabeler,
): SweepConfig {
  const result = sweepConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(source, toProblems(result.error.issues, label));
}

export function toProblems(issues: readonly z.core.$ZodIssue[], label: (key: string) => string): InputProblem[] {
  return issues.flatMap((issue): InputProblem[] => {
    const [key] = issue.path;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((unknownKey) => ({
        field: label(unknownKey),
        message: `is not a known setting (allowed: ${CONFIG_KEYS.map((known) => label(known)).join(', ')})`,
      }));
    }
    if (issue.code === 'custom' && issue.params?.['noTargets'] === true) {
      return [
        {
          field: '',
          message: `no target accounts: choose ${label('targetOuIds')}, ${label('accountIds')} or ${label('allAccounts')}`,
        },
      ];
    }
    const field = key === undefined ? '' : label(String(key));
    // A list too long is named by its size, not printed.
    const tooLong = issue.code === 'too_big' && Array.isArray(issue.input);
    return [{ field, ...(tooLong ? {} : { value: issue.input }), message: issue.message }];
  });
}
