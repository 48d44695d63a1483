/**
 * The janitor's own errors. `UserInputError`s are the user's to fix (bad option, variable, event
 * or context value; a target that does not exist; credentials in another organization): they are
 * printed as one line, never as a stack trace, and make the CLI exit 2. Everything else is a fault.
 *
 * Every class sets its `name` literally: the Lambda bundle is minified, and a name taken from the
 * class (`new.target.name`) would reach the Lambda console and the dead-letter queue as `Xx`.
 */

export class JanitorError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JanitorError';
  }
}

export interface InputProblem {
  /** The option, variable, field or context key, as the user wrote it. */
  readonly field: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
  /** What is allowed. */
  readonly message: string;
}

/** Problems named in one message, at most: 20,000 bad ids must not make a megabyte of text. */
export const MAX_PROBLEMS_SHOWN = 10;

export class UserInputError extends JanitorError {
  /** The problems, at most MAX_PROBLEMS_SHOWN of them; `problemCount` says how many there were. */
  public readonly problems: readonly InputProblem[];
  public readonly problemCount: number;

  public constructor(source: string, problems: readonly InputProblem[], options?: ErrorOptions) {
    super(`${source}: ${describeProblems(problems)}`, options);
    this.name = 'UserInputError';
    this.problems = problems.slice(0, MAX_PROBLEMS_SHOWN);
    this.problemCount = problems.length;
  }

  /** The problems as one line, the first MAX_PROBLEMS_SHOWN of them and how many more. */
  public describe(): string {
    return describeProblems(this.problems, this.problemCount);
  }
}

/** Invalid configuration: CLI options, Lambda environment, CDK context. */
export class ConfigError extends UserInputError {
  public constructor(source: string, problems: readonly InputProblem[], options?: ErrorOptions) {
    super(source, problems, options);
    this.name = 'ConfigError';
  }
}

/** Invalid invocation event, or one that asks for more than the configuration allows. */
export class EventValidationError extends UserInputError {
  public constructor(source: string, problems: readonly InputProblem[], options?: ErrorOptions) {
    super(source, problems, options);
    this.name = 'EventValidationError';
  }
}

/** A target named in the configuration does not exist (an OU id that is not in the organization). */
export class TargetSelectionError extends UserInputError {
  public constructor(source: string, problems: readonly InputProblem[], options?: ErrorOptions) {
    super(source, problems, options);
    this.name = 'TargetSelectionError';
  }
}

/** The credentials belong to another organization than the one the run was told to expect. */
export class OrganizationMismatchError extends UserInputError {
  public constructor(expected: string, actual: string) {
    super('wrong organization', [
      {
        field: '',
        message: `expected organization ${expected}, but these credentials are in organization ${actual}: no account was entered`,
      },
    ]);
    this.name = 'OrganizationMismatchError';
  }
}

export function describeProblem(problem: InputProblem): string {
  if (problem.field === '') return problem.message;
  if (problem.value === undefined) return `${problem.field}: ${problem.message}`;
  return `${problem.field} ${formatValue(problem.value)}: ${problem.message}`;
}

/** Up to MAX_PROBLEMS_SHOWN problems joined with "; ", then "and N more problems". */
export function describeProblems(problems: readonly InputProblem[], count = problems.length): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map(describeProblem);
  const more = count - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more ${more === 1 ? 'problem' : 'problems'}` : shown.join('; ');
}

/** Strings quoted, other values as JSON; long values shortened. */
function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * `restoreAccountDefaults` was called with options it cannot run: an unknown option, a bad account
 * id or region, a bad setting (no AWS call made), or credentials of another account than the one named.
 */
export class RestoreOptionsError extends UserInputError {
  public constructor(source: string, problems: readonly InputProblem[], options?: ErrorOptions) {
    super(source, problems, options);
    this.name = 'RestoreOptionsError';
  }
}
