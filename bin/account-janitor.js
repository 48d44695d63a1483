#!/usr/bin/env node
// Entry point of the `account-janitor` command: the compiled CLI (built by `npm run build`,
// which `npm ci` runs through the `prepare` script).
require('../dist/cli/cli.js').main(process.argv);
