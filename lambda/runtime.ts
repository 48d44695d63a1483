/**
 * Node.js flags the functions run with (NODE_OPTIONS), and the benchmark's sweep process too. A
 * sweep allocates a great many short-lived objects (requests, responses, parsed XML): a 64 MB
 * young generation (V8's default is 16 MB) halves the scavenges, about 12 % of the sweep's CPU
 * on the bench, for some 10 MB more of resident memory.
 */
export const NODE_RUNTIME_FLAGS = ['--enable-source-maps', '--max-semi-space-size=64'] as const;
