/**
 * The sweep engine, shared by the Lambda handler, the CLI and the demo. A run (run.ts) checks the
 * organization, finds the target accounts and fans out under one scheduler and deadline; each
 * account (account.ts) assumes the member role once and sweeps its regions; each region
 * (region.ts) gets a RegionTarget (context.ts), reads its default network once and runs the steps
 * in steps/: the route (with, opt-in, the internet gateway and the default VPC it needs), then,
 * opt-in, the default subnets. Writes go through the run's WriteBudget (budget.ts); the steps'
 * outcomes (outcome.ts) become the row in rows.ts.
 */
export { runSweep } from './run';
export type { SweepDependencies, SweepLogger, SweepProgress, SweepScope } from './types';
