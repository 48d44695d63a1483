import { checksDefaultSubnets, checksEgress, type SweepConfig } from '../../config/schema';
import type { RegionNetwork } from '../../core/plan-route-repair';
import type { SweepResult } from '../../core/report';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';
import { defaultSubnetsStep } from './default-subnets';
import { egressStep } from './egress';
import { protectionStep } from './protection';

/**
 * The steps of an account-region after the route step, in order. Each is switched on by the
 * configuration, reads what the route step left of the default VPC (and the region as last
 * described), and fills its own field of the row: a second status beside the route's. Adding a
 * step is a file in this folder and one line below (and its field in the report's row type).
 */
export interface RegionStep<Field extends keyof SweepResult> {
  /** The row's field the step fills. */
  readonly field: Field;
  readonly enabled: (config: SweepConfig) => boolean;
  readonly run: (
    target: RegionTarget,
    vpc: DefaultVpcFacts,
    network: RegionNetwork | undefined,
  ) => Promise<SweepResult[Field]>;
}

export const AFTER_ROUTE_STEPS: readonly RegionStep<keyof SweepResult>[] = [
  { field: 'subnets', enabled: checksDefaultSubnets, run: defaultSubnetsStep },
  { field: 'egress', enabled: checksEgress, run: egressStep },
  { field: 'protection', enabled: (config) => config.protectDefaultPath !== 'off', run: protectionStep },
] as RegionStep<keyof SweepResult>[];
