#!/usr/bin/env node
// Entry point of the `account-janitor` command: the compiled CLI (built by `npm run build`,
// which `npm ci` runs through the `prepare` script). It runs with the Node.js flags the functions
// run with (a sweep makes a great many short-lived objects: a larger young generation costs less
// CPU), so the command starts itself once more with them when they are missing.
const { CLI_RUNTIME_FLAGS } = require('../dist/lambda/contract/runtime.js');

const missing = CLI_RUNTIME_FLAGS.filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0 && process.env.ACCOUNT_JANITOR_NODE_FLAGS !== 'set') {
  const { spawnSync } = require('node:child_process');
  const child = spawnSync(process.execPath, [...process.execArgv, ...missing, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ACCOUNT_JANITOR_NODE_FLAGS: 'set' },
  });
  if (child.error) throw child.error;
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}
require('../dist/cli/cli.js').main(process.argv);
