import { partition } from '@aws-sdk/core/client';

/** The partition (`aws`, `aws-cn`, `aws-us-gov`…) a region belongs to, as the SDK's endpoint data says. */
export function partitionOf(region: string): string {
  return partition(region).name;
}
