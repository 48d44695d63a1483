/**
 * `import { restoreAccountDefaults } from 'account-janitor/restore'`: the clean-up scripts' door
 * alone, which imports nothing of the CDK's whatever the importer. The package's main entry
 * (index.ts) exports the same and the constructs besides, loaded on first use from CommonJS; an
 * ES module import of the main entry reads every export, and so loads aws-cdk-lib. This one does not.
 */
export {
  restoreAccountDefaults,
  type RestoreAccountDefaultsOptions,
  type RestoreSettings,
  type SweepLogger,
} from '../lambda/restore/restore-account-defaults';
export {
  exitCodeFor,
  type FinishedOutcome,
  type ReportJson,
  type SweepReport,
  type SweepResult,
} from '../lambda/core/report';
export { RestoreOptionsError, UserInputError } from '../lambda/errors';
