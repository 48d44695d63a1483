import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../cli/cli-program';
import { runDoctorCli } from '../../cli/doctor/cli';
import { runNukePresetCli } from '../../cli/nuke-preset/cli';
import { CONTEXT_KEYS } from '../../lib/config';

/**
 * The deploy guide as a newcomer follows it, as far as no AWS account is needed: the runbook's
 * shell blocks, read in order as one shell session, set every variable before they use it; and
 * every `-c key=` a guide gives the CDK app and every option it gives `account-janitor` (or its
 * `doctor`) exists.
 */

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The ```bash blocks of a Markdown text, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^ *```(?:bash|sh)\n([\s\S]*?)^ *```$/gm)].map((match) => match[1] ?? '');
}

/** A runbook's section: from its heading to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = markdown.indexOf('\n## ', start + heading.length + 2);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/** Logical lines: continuations joined, comments dropped (a `#` at a line's start or after a space, outside quotes). */
function logicalLines(script: string): string[] {
  const joined = script.replace(/\\\n/g, ' ');
  return joined.split('\n').map((line) => {
    let quote: string | undefined;
    for (let index = 0; index < line.length; index++) {
      const char = line[index];
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) return line.slice(0, index);
    }
    return line;
  });
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';

/** Each use of a variable no earlier line (nor an earlier assignment on its own line) has set, as `line: $NAME`. */
function undefinedVariables(blocks: readonly string[]): string[] {
  const defined = new Set<string>();
  const problems: string[] = [];
  for (const line of logicalLines(blocks.join('\n'))) {
    const uses = [...line.matchAll(new RegExp(`\\$\\{?(${NAME})`, 'g'))].map((match) => match[1] ?? '');
    for (const name of uses) {
      if (!defined.has(name)) problems.push(`${line.trim()}: $${name}`);
    }
    for (const match of line.matchAll(new RegExp(`(?:^|[\\s;(])(${NAME})=`, 'g'))) defined.add(match[1] ?? '');
    const local = /^\s*local\s+(.*)$/.exec(line);
    for (const name of local?.[1]?.split(/\s+/) ?? []) if (new RegExp(`^${NAME}$`).test(name)) defined.add(name);
  }
  return problems;
}

/** The `-c key=` keys of the CDK commands (`npx cdk …`) in these blocks. */
function contextKeys(blocks: readonly string[]): string[] {
  return logicalLines(blocks.join('\n'))
    .filter((line) => /\bcdk\s/.test(line))
    .flatMap((line) =>
      [...line.matchAll(/(?:^|\s)(?:-c|--context)\s+["']?([A-Za-z@][\w:@/-]*)=/g)].map((m) => m[1] ?? ''),
    );
}

/** The subcommands whose options are their own (`--help` lists them); anything else is the sweep's. */
const SUBCOMMANDS = ['doctor', 'nuke-preset'] as const;
type Command = 'account-janitor' | (typeof SUBCOMMANDS)[number];

/** Each `account-janitor` command in these blocks: which (the sweep, `doctor`, `nuke-preset`), and the `--options` it is given. */
function janitorCommands(blocks: readonly string[]): { command: Command; options: string[]; line: string }[] {
  return logicalLines(blocks.join('\n')).flatMap((line) => {
    const at = line.search(/(?:^|\s)(?:npx |npm run janitor -- )?account-janitor(?:\s|$)/);
    if (at < 0 || /\b(?:git|cd|npm (?:ci|install|pack))\b[^|;&]*account-janitor/.test(line.slice(0, at + 20)))
      return [];
    // The command's words: up to a pipe, a redirection, a list operator or a comment.
    const words = line
      .slice(at)
      .split(/\s*(?:\||>|&&|;)\s*/)[0]!
      .trim()
      .split(/\s+/)
      .filter((word) => word !== 'npx' && word !== 'account-janitor');
    const command = SUBCOMMANDS.find((name) => name === words[0]) ?? 'account-janitor';
    const options = words.filter((word) => word.startsWith('--')).map((word) => word.split('=')[0] ?? word);
    return [{ command, options, line: line.trim() }];
  });
}

function cliOptions(): Record<Command, Set<string>> {
  const io = { stdout: () => undefined, stderr: () => undefined };
  const main = new Set(buildProgram(io).options.map((option) => option.long ?? ''));
  const optionsIn = (help: string) =>
    new Set([...help.matchAll(/(?:^|\s|,)(--[a-z][a-z-]*)/gm)].map((match) => match[1] ?? ''));
  let doctorHelp = '';
  void runDoctorCli(['--help'], { stdout: (text) => (doctorHelp += text), stderr: () => undefined }, () => {
    throw new Error('doctor --help must not make clients');
  });
  let presetHelp = '';
  runNukePresetCli(['--help'], {
    stdout: (text) => (presetHelp += text),
    stderr: () => undefined,
    writeFile: () => {
      throw new Error('nuke-preset --help must not write a file');
    },
  });
  return { 'account-janitor': main, doctor: optionsIn(doctorHelp), 'nuke-preset': optionsIn(presetHelp) };
}

function unknownFlags(blocks: readonly string[]): string[] {
  const known = cliOptions();
  const contextKeySet = new Set(CONTEXT_KEYS);
  return [
    ...contextKeys(blocks)
      .filter((key) => !contextKeySet.has(key))
      .map((key) => `-c ${key}= is no context key`),
    ...janitorCommands(blocks).flatMap(({ command, options, line }) =>
      options
        .filter((option) => !known[command].has(option))
        .map(
          (option) =>
            `${line}: ${option} is no option of ${command === 'account-janitor' ? command : `account-janitor ${command}`}`,
        ),
    ),
  ];
}

const deployGuide = read('docs/deploy.md');
const runbook = shellBlocks(section(deployGuide, '## Runbook: from an empty AWS Organization'));

test('the runbook has its steps: the organization, trusted access, the trail, the SCP type, the operator role, the deploy, doctor --probe, the teardown', () => {
  const script = runbook.join('\n');
  for (const step of [
    'aws organizations create-organization',
    'aws organizations create-organizational-unit',
    'aws organizations create-account',
    'aws cloudformation activate-organizations-access',
    'aws organizations register-delegated-administrator',
    'aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com',
    'aws s3api put-bucket-policy',
    'aws cloudtrail create-trail',
    'aws organizations enable-policy-type',
    'aws organizations put-resource-policy',
    'aws iam create-role',
    'npx cdk bootstrap',
    'npx cdk deploy',
    'account-janitor doctor --probe',
    'npx cdk destroy',
  ]) {
    expect(script).toContain(step);
  }
  // The SCP policy type is enabled before the deploy that may attach one, the operator role created before it names it.
  expect(script.indexOf('enable-policy-type')).toBeLessThan(script.indexOf('npx cdk deploy'));
  expect(script.indexOf('aws iam create-role')).toBeLessThan(script.indexOf('npx cdk deploy'));
});

test("the runbook's shell blocks set every variable before using it", () => {
  expect(runbook.length).toBeGreaterThan(5);
  expect(undefinedVariables(runbook)).toEqual([]);
});

test("the runbook's shell blocks parse as one bash script (bash -n)", () => {
  const check = spawnSync('bash', ['-n'], { input: runbook.join('\n'), encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
});

test('the variable check finds a variable used before it is set, and reads assignments, locals and comments', () => {
  expect(undefinedVariables(['A=1', 'echo "$A $B"', 'B=2'])).toEqual(['echo "$A $B": $B']);
  expect(
    undefinedVariables(['f() {', '  local x', '  x=$(date)', '}', '# $NOT_A_USE', 'echo "${x}" # $NOR_THIS']),
  ).toEqual([]);
  expect(undefinedVariables(['cat > p.json <<EOF', '{ "a": "$UNSET" }', 'EOF'])).toEqual(['{ "a": "$UNSET" }: $UNSET']);
});

test('every context key and account-janitor option in the shell blocks of the README and docs/ exists', () => {
  const blocks = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ].flatMap((path) => shellBlocks(read(path)));
  expect(contextKeys(blocks)).toEqual(expect.arrayContaining(['targetOuIds', 'operatorPrincipalArns', 'eventProbe']));
  expect(
    janitorCommands(blocks).some(({ command, options }) => command === 'doctor' && options.includes('--probe')),
  ).toBe(true);
  expect(unknownFlags(blocks)).toEqual([]);
});

test('the flag check finds an unknown context key, CLI option and doctor option', () => {
  expect(
    unknownFlags([
      'npx cdk deploy -c targetOuIds=ou-ab12-cdef3456 -c targetOuId=ou-ab12-cdef3456',
      'npx account-janitor --ou ou-ab12-cdef3456 --dry-run --dryrun | tee out.txt',
      'npx account-janitor doctor --probe 111122223333/eu-west-1 --prob > doctor.txt',
    ]),
  ).toEqual([
    '-c targetOuId= is no context key',
    'npx account-janitor --ou ou-ab12-cdef3456 --dry-run --dryrun | tee out.txt: --dryrun is no option of account-janitor',
    'npx account-janitor doctor --probe 111122223333/eu-west-1 --prob > doctor.txt: --prob is no option of account-janitor doctor',
  ]);
});
