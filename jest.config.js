/**
 * Three jest projects in one run:
 * - unit: pure code and mocked SDK clients;
 * - templates: the synthesized CDK templates (walked, linted with cfn-lint, checked against AWS's
 *   authorization data) and the packed package in a consumer app;
 * - emulated: integration tests, real SDK clients against moto. Its global setup starts one moto
 *   server per worker, so integration test files never share an emulator.
 * - browser: the HTML report in headless Chromium (Debian's package; .ci/run installs it).
 * `npm run test:unit` runs the first two, with no moto server.
 */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/support/setup-env.ts', '<rootDir>/test/support/quiet-output.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
    { ...common, displayName: 'templates', roots: ['<rootDir>/test/infra'] },
    // Pages in a real browser: Debian's Chromium through playwright-core.
    { ...common, displayName: 'browser', roots: ['<rootDir>/test/browser'] },
    {
      ...common,
      displayName: 'emulated',
      roots: ['<rootDir>/test/integration'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: 2,
  testTimeout: 60_000,
};
