/**
 * Two jest projects in one run:
 * - unit: pure code and mocked SDK clients, no emulator (runs without moto_server);
 * - emulated: integration tests (real SDK clients against moto) and infra tests (the synthesized
 *   CDK templates, the bundled handler against moto). Its global setup starts one moto server per
 *   worker, so integration test files never share an emulator.
 * `npx jest --selectProjects unit` runs the unit tests alone, in a second or two.
 */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
    {
      ...common,
      displayName: 'emulated',
      roots: ['<rootDir>/test/integration', '<rootDir>/test/infra'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: 2,
  testTimeout: 60_000,
};
