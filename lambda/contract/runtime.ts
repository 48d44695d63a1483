/**
 * Node.js flags the functions run with (NODE_OPTIONS), and the benchmark's sweep process too. A
 * sweep allocates a great many short-lived objects (requests, responses, parsed XML): a 64 MB
 * young generation (V8's default is 16 MB) halves the scavenges, about 12 % of the sweep's CPU
 * on the bench, for some 10 MB more of resident memory.
 */
export const NODE_RUNTIME_FLAGS = ['--enable-source-maps', '--max-semi-space-size=64'] as const;

/** The same young generation for the CLI (bin/account-janitor.js); it ships no source maps to enable. */
export const CLI_RUNTIME_FLAGS = NODE_RUNTIME_FLAGS.filter((flag) => flag !== '--enable-source-maps');

/**
 * The sweep functions' memory. Lambda gives CPU in proportion to memory, one full vCPU at 1,769 MB,
 * and a Node.js sweep uses one thread: below it a large sweep waits on CPU, above it nothing is
 * gained. Measured in `npm run bench` (the README's table): at 1,769 MB a 1,000 × 17 sweep takes
 * about its wall time, and costs about what 1,024 MB does, which takes longer.
 */
export const FUNCTION_MEMORY_MB = 1769;
