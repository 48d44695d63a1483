import { runCli } from '../../cli/cli';
import { OUTCOMES } from '../../cli/exit-codes';
import { wrap } from '../../cli/help-text';
import { nodeSupportNotice } from '../../cli/node-support';
import { UNRESOLVED_STATUSES } from '../../lambda/core/statuses';
import { capturedIo } from '../support/cli-io';

/** The command's help as a person reads it: wrapped to the terminal, each default once, the exit codes. */

async function help(args: string[], columns?: number): Promise<string> {
  const output = capturedIo();
  const io = columns === undefined ? output.io : { ...output.io, stdoutIsTty: true, stdoutColumns: columns };
  expect(await runCli(['node', 'account-janitor', ...args, '--help'], io)).toBe(0);
  return output.stdout();
}

// Narrower than about 80, commander no longer wraps the options (less than 40 columns beside them).
test.each([
  [[], 100],
  [['doctor'], 72],
])('%j --help fits a terminal %d columns wide, example commands aside', async (args, columns) => {
  const text = await help(args, columns);
  const long = text
    .split('\n')
    .filter((line) => line.length > columns && !/^ {2}(account-janitor|AWS_PROFILE=)/.test(line));
  expect(long).toEqual([]);
  expect(text.split('\n').some((line) => line.length > columns - 10)).toBe(true);
});

test('a paragraph is wrapped once, by width, never mid-sentence at a fixed column', async () => {
  const text = await help([], 120);
  expect(text).toContain(
    "Credentials and endpoints come from the AWS SDK's default chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL...).",
  );
  expect(wrap('  1  a b c d', 8, 5)).toBe('  1  a b\n     c d');
});

test('doctor --help gives the default stack name once', async () => {
  const text = await help(['doctor']);
  expect(text.match(/AccountJanitor"?\)/g)).toEqual(['AccountJanitor")']);
  expect(text).toMatch(/--stack-name <name> +the deployed stack \(default: "AccountJanitor"\)\n/);
  expect(text).toContain('  3  doctor could not complete');
});

test('the exit codes: 0, 1 for every status left unresolved, 2, 3', () => {
  expect(Object.values(OUTCOMES).map((outcome) => outcome.exitCode)).toEqual([0, 1, 2, 3]);
  const attention = OUTCOMES.attention.meaning((name) => name);
  for (const status of UNRESOLVED_STATUSES) expect(attention).toContain(status);
  expect(attention).toContain('left-by-responder');
  expect(attention).toContain('protect-failed');
});

test.each([
  ['v20.19.0', true],
  ['v21.7.3', true],
  ['v22.0.0', false],
  ['v24.11.1', false],
])(
  'Node.js %s: one line of our own (past its end of life, the SDK needs 22 from January 2027): %s',
  (version, said) => {
    const notice = nodeSupportNotice(version);
    expect(notice !== undefined).toBe(said);
    if (notice) {
      expect(notice).not.toContain('\n');
      expect(notice).toBe(
        `account-janitor: Node.js ${version} is past its end of life, and AWS SDK releases from January 2027 need Node.js 22 or later; this version of account-janitor still runs on it: upgrade to Node.js 22 or 24`,
      );
    }
  },
);
