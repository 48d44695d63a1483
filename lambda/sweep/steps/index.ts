import type { RegionNetwork } from '../../core/region-network';
import { PART_KEYS, ROW_PARTS, type PartResults } from '../../core/row-parts';
import type { PartKey } from '../../core/statuses';
import type { SweepConfig } from '../../config/schema';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';
import { defaultSubnetsStep, subnetsCompleteIn } from './default-subnets';
import { egressCompleteIn, egressStep } from './egress';
import { protectionStep } from './protection';
import { reachCompleteIn, reachStep } from './reach';

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

export interface PartStep<K extends PartKey> {
  readonly run: RegionStep<K>;
  /**
   * What the part needs of a default VPC the janitor just created before it counts as complete
   * (recreateDefaultVpc waits for AWS to make it), when the part was read; an unreadable part
   * does not hold the VPC back.
   */
  readonly completeIn: (network: RegionNetwork, vpc: { vpcId: string; internetGatewayId: string }) => boolean;
}

export const PART_STEPS = {
  subnets: { run: defaultSubnetsStep, completeIn: subnetsCompleteIn },
  egress: { run: egressStep, completeIn: egressCompleteIn },
  // Nothing: the tags are the step's to write.
  protection: { run: protectionStep, completeIn: () => true },
  reach: { run: reachStep, completeIn: reachCompleteIn },
} as const satisfies { readonly [K in PartKey]: PartStep<K> };

export interface EnabledStep {
  readonly field: PartKey;
  readonly run: RegionStep<PartKey>;
}

/** The steps the configuration switches on, in the parts' order. */
export function stepsAfterRoute(config: SweepConfig): EnabledStep[] {
  return PART_KEYS.filter((key) => ROW_PARTS[key].enabled(config)).map((key) => ({
    field: key,
    run: PART_STEPS[key].run,
  }));
}
