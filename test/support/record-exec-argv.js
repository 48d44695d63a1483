// Preloaded (NODE_OPTIONS=--require) into every Node.js process of a test: appends the process's
// own flags (process.execArgv) to the file RECORD_EXEC_ARGV names, one JSON line per process.
const { appendFileSync } = require('node:fs');
if (process.env.RECORD_EXEC_ARGV) {
  appendFileSync(process.env.RECORD_EXEC_ARGV, `${JSON.stringify(process.execArgv)}\n`);
}
