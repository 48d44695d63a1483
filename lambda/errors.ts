/**
 * The janitor's own errors. `UserInputError`s are the user's to fix (bad option, variable, event
 * or context value; a target that does not exist): they are printed as one line, never as a stack
 * trace, and make the CLI exit 2. Everything else is a fault.
 */

export class JanitorError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
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

export class UserInputError extends JanitorError {
  public readonly problems: readonly InputProblem[];

  public constructor(source: string, problems: readonly InputProblem[], options?: ErrorOptions) {
    super(`${source}: ${problems.map(describeProblem).join('; ')}`, options);
    this.problems = problems;
  }
}

/** Invalid configuration: CLI options, Lambda environment, CDK context. */
export class ConfigError extends UserInputError {}

/** Invalid invocation event, or one that asks for more than the configuration allows. */
export class EventValidationError extends UserInputError {}

/** A target named in the configuration does not exist (an OU id that is not in the organization). */
export class TargetSelectionError extends UserInputError {}

export function describeProblem(problem: InputProblem): string {
  if (problem.field === '') return problem.message;
  if (problem.value === undefined) return `${problem.field}: ${problem.message}`;
  return `${problem.field} ${formatValue(problem.value)}: ${problem.message}`;
}

/** Strings quoted, other values as JSON; long values shortened. */
function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
