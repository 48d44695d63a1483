import type { AwsProxy } from './aws-proxy';

/**
 * VPC Block Public Access, which moto does not have, played by the proxy in front of it for one
 * account-region, in EC2's wire format (API reference: `BlockPublicAccessStates`,
 * `DescribeVpcBlockPublicAccessOptions`, `DescribeVpcBlockPublicAccessExclusions`): DescribeVpcs
 * gives each VPC the mode, and the two reads that explain it answer as AWS would. Everything else,
 * in that account-region too, is moto's. Standing state (`proxy.emulate`): `proxy.clear()` keeps it.
 */

export interface BlockPublicAccessState {
  readonly accountId: string;
  readonly region: string;
  readonly mode: 'block-bidirectional' | 'block-ingress';
  /** `account` (set in the account), or `declarative-policy` (an AWS Organizations EC2 declarative policy). */
  readonly managedBy: 'account' | 'declarative-policy';
  readonly exclusionsAllowed: 'allowed' | 'not-allowed';
  /** VPCs with an `allow-bidirectional` exclusion in effect. */
  readonly excludedVpcIds?: readonly string[];
}

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function emulateBlockPublicAccess(proxy: AwsProxy, state: BlockPublicAccessState): void {
  const match = { service: 'ec2', accountId: state.accountId, region: state.region };
  proxy.emulate({ match: { ...match, action: 'DescribeVpcs' }, rewrite: withBpaMode(state.mode) });
  proxy.emulate({ match: { ...match, action: 'DescribeVpcBlockPublicAccessOptions' }, reply: optionsReply(state) });
  proxy.emulate({
    match: { ...match, action: 'DescribeVpcBlockPublicAccessExclusions' },
    reply: exclusionsReply(state),
  });
}

/** DescribeVpcs as AWS answers with Block Public Access on: each VPC item carries its mode. */
const withBpaMode = (mode: string) => (body: string) =>
  body.replace(
    /<isDefault>/g,
    `<blockPublicAccessStates><internetGatewayBlockMode>${mode}</internetGatewayBlockMode></blockPublicAccessStates><isDefault>`,
  );

const optionsReply = (state: BlockPublicAccessState) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<DescribeVpcBlockPublicAccessOptionsResponse xmlns="${EC2_NS}">
  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
  <vpcBlockPublicAccessOptions>
    <awsAccountId>${state.accountId}</awsAccountId>
    <awsRegion>${state.region}</awsRegion>
    <state>update-complete</state>
    <internetGatewayBlockMode>${state.mode}</internetGatewayBlockMode>
    <lastUpdateTimestamp>2026-12-01T10:00:00.000Z</lastUpdateTimestamp>
    <managedBy>${state.managedBy}</managedBy>
    <exclusionsAllowed>${state.exclusionsAllowed}</exclusionsAllowed>
  </vpcBlockPublicAccessOptions>
</DescribeVpcBlockPublicAccessOptionsResponse>`;

const exclusionsReply = (state: BlockPublicAccessState) => `<?xml version="1.0" encoding="UTF-8"?>
<DescribeVpcBlockPublicAccessExclusionsResponse xmlns="${EC2_NS}">
  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
  <vpcBlockPublicAccessExclusionSet>${(state.excludedVpcIds ?? []).map((vpcId, index) => exclusionItem(state, vpcId, index)).join('')}</vpcBlockPublicAccessExclusionSet>
</DescribeVpcBlockPublicAccessExclusionsResponse>`;

const exclusionItem = (state: BlockPublicAccessState, vpcId: string, index: number) => `
    <item>
      <exclusionId>exclusion-0123456789abcdef${index}</exclusionId>
      <internetGatewayExclusionMode>allow-bidirectional</internetGatewayExclusionMode>
      <resourceArn>arn:aws:ec2:${state.region}:${state.accountId}:vpc/${vpcId}</resourceArn>
      <state>create-complete</state>
      <creationTimestamp>2026-12-01T10:05:00.000Z</creationTimestamp>
    </item>`;
