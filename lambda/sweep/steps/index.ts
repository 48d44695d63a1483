import type { RegionNetwork } from '../../core/region-network';
import { PART_KEYS, ROW_PARTS, type PartResults } from '../../core/row-parts';
import type { PartKey } from '../../core/statuses';
import type { SweepConfig } from '../../config/schema';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';
import { defaultSubnetsStep } from './default-subnets';
import { egressStep } from './egress';
import { protectionStep } from './protection';

/**
 * The steps of an account-region after the route step: one per row part (core/row-parts.ts), in
 * the parts' order, keyed by the part so a new part does not compile without its step. Each is
 * switched on by its part's switch, reads what the route step left of the default VPC (and the
 * region as last described), and returns its part's result: a second status beside the route's.
 */
export type RegionStep<K extends PartKey> = (
  target: RegionTarget,
  vpc: DefaultVpcFacts,
  network: RegionNetwork | undefined,
) => Promise<PartResults[K] | null>;

const STEPS = {
  subnets: defaultSubnetsStep,
  egress: egressStep,
  protection: protectionStep,
} as const satisfies { readonly [K in PartKey]: RegionStep<K> };

export interface EnabledStep {
  readonly field: PartKey;
  readonly run: RegionStep<PartKey>;
}

/** The steps the configuration switches on, in the parts' order. */
export function stepsAfterRoute(config: SweepConfig): EnabledStep[] {
  return PART_KEYS.filter((key) => ROW_PARTS[key].enabled(config)).map((key) => ({
    field: key,
    run: STEPS[key],
  }));
}
