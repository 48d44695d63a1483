// One lint setup for the whole repository (npm run lint): typescript-eslint's recommended,
// type-aware rules, plus the few that catch real bugs in async AWS code.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the function code may never import (each folder's README says what runs where). */
const LAMBDA_STAYS_INSIDE = {
  regex: '^(\\.\\./)+(lib|cli|test|demo|bench|bin)/',
  message: 'lambda/ is what is deployed into the functions: it may not import lib/, cli/, test/, demo/ or bench/',
};
/** Every shipped source file stays readable in one sitting. */
const MAX_LINES = ['error', { max: 300, skipBlankLines: false, skipComments: false }];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', 'coverage/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
    },
  },
  // What runs where (each folder's README): the function code never reaches into the stack, the
  // tests or the demo; the stack only into the shared parts of the function code; the pure core
  // into no AWS client.
  {
    files: ['lambda/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [LAMBDA_STAYS_INSIDE],
        },
      ],
      'max-lines': MAX_LINES,
    },
  },
  {
    files: ['lambda/core/**/*.ts', 'lambda/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            LAMBDA_STAYS_INSIDE,
            {
              regex: '^\\.\\./(aws|sweep|doctor|events|distributed|report)/',
              message: 'lambda/core and lambda/contract are pure: no AWS call, no engine, no door',
            },
            {
              group: ['@aws-sdk/client-*'],
              allowTypeImports: true,
              message: 'the pure core may use the SDK types only',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine reads a screen at a time: each step as read → plan → apply → verify.
    files: ['lambda/sweep/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(lib|test|demo|bench|bin)/',
              message:
                "cli/ is the operator's command: it runs the engine of lambda/, never the stack, the tests or the demo",
            },
          ],
        },
      ],
      'max-lines': MAX_LINES,
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+lambda/(?!(config|contract|core)/|errors$)',
              message: 'lib/ (the stack) may import only lambda/contract, lambda/config, lambda/core and lambda/errors',
            },
            {
              regex: '^(\\.\\./)+(test|demo|bench|bin)/',
              message: 'lib/ is shipped: it may not import test/, demo/ or bench/',
            },
          ],
        },
      ],
      'max-lines': MAX_LINES,
    },
  },
  {
    // The package's entries also export the library call for clean-up scripts, a door of lambda/.
    files: ['lib/index.ts', 'lib/restore-entry.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+lambda/(?!(config|contract|core|restore)/|errors$)',
              message:
                'the package entry may import lambda/contract, lambda/config, lambda/core, lambda/errors and the library call (lambda/restore)',
            },
            {
              regex: '^(\\.\\./)+(test|demo|bench|bin)/',
              message: 'lib/ is shipped: it may not import test/, demo/ or bench/',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
