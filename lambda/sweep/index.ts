/**
 * The sweep engine, shared by the Lambda handler, the CLI and the demo. A run (run.ts) finds the
 * target accounts and fans out under one scheduler and deadline; each account (account.ts) assumes
 * the member role once and sweeps its regions; each region (region.ts) reads its default network
 * once and runs the route step, then the opt-in steps: internet gateway (gateway.ts), default VPC
 * (default-vpc.ts), default subnets (default-subnets.ts). Writes count against the run's cap
 * (context.ts); rows are built in rows.ts.
 */
export { runSweep } from './run';
export type { SweepDependencies, SweepLogger, SweepProgress, SweepScope } from './types';
