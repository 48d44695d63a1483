import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag writes a stack's partition, region and account in a finding's id: the literal value
 * when the stack's environment is concrete (as `cdk deploy` always makes it), the pseudo-parameter
 * when it is not (an environment-agnostic synth). An acknowledgement of an ARN built from these
 * holds in both.
 */
export interface NagEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export function nagEnvironment(scope: IConstruct): NagEnvironment {
  const stack = Stack.of(scope);
  const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return {
    partition: part(stack.partition, 'Partition'),
    region: part(stack.region, 'Region'),
    account: part(stack.account, 'AccountId'),
  };
}
