import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';
import { DEFAULT_EVENT_REGIONS_BY_PARTITION, type Partition } from '../config';

/**
 * The regions enabled by default in the stack's partition: a literal list when the stack's region
 * is concrete (as `cdk deploy` makes it), else a mapping CloudFormation reads by AWS::Partition,
 * so a stack deployed in aws-cn or aws-us-gov never names the commercial regions.
 */
export function defaultEventRegions(scope: Construct): string[] {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) {
    const partition = knownPartition(scope) as Partition | undefined;
    const regions = partition ? DEFAULT_EVENT_REGIONS_BY_PARTITION[partition] : undefined;
    if (!regions) throw new Error(`account-janitor: no default event regions for ${stack.region}: set eventRegions`);
    return [...regions];
  }
  const id = 'AccountJanitorDefaultEventRegions';
  const mapping =
    (stack.node.tryFindChild(id) as CfnMapping | undefined) ??
    new CfnMapping(stack, id, {
      mapping: Object.fromEntries(
        Object.entries(DEFAULT_EVENT_REGIONS_BY_PARTITION).map(([partition, regions]) => [
          partition,
          { regions: [...regions] },
        ]),
      ),
    });
  return Token.asList(mapping.findInMap(Aws.PARTITION, 'regions'));
}

/** The stack's partition when its region is concrete (undefined when it is not, or unknown to the CDK). */
export function knownPartition(scope: Construct): string | undefined {
  const { region } = Stack.of(scope);
  return Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition;
}
