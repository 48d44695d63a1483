import type { IpPermission, NetworkAclEntry } from '@aws-sdk/client-ec2';
import { planEgressRepair, writeKey, writeShows, type EgressNetwork } from '../../lambda/core/plan-egress-repair';

/**
 * The egress decision (issue 14, opt-in), exhaustively over what a clean-up and a human leave of
 * the default security group and the default network ACL.
 */

const SG = 'sg-default';
const ACL = 'acl-default';
const allOut: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const allOut6: IpPermission = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };
const httpsOut: IpPermission = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const entry = (egress: boolean, rule: number, action: 'allow' | 'deny', extra: Partial<NetworkAclEntry> = {}) =>
  ({
    Egress: egress,
    RuleNumber: rule,
    RuleAction: action,
    Protocol: '-1',
    CidrBlock: '0.0.0.0/0',
    ...extra,
  }) as NetworkAclEntry;
const finalDeny = [entry(false, 32767, 'deny'), entry(true, 32767, 'deny')];
/** An IPv6 VPC's ACL ends with a second catch-all deny, rule 32768 for ::/0. */
const finalDeny6 = [
  ...finalDeny,
  ...[false, true].map((egress) => entry(egress, 32768, 'deny', { CidrBlock: undefined, Ipv6CidrBlock: '::/0' })),
];
const awsDefaultAcl = [entry(false, 100, 'allow'), entry(true, 100, 'allow'), ...finalDeny];

const IGNORE = [{ Key: 'account-janitor:ignore', Value: 'true' }];

function network(
  egress: IpPermission[],
  entries: NetworkAclEntry[],
  vpcHasIpv6 = false,
  ignore: { group?: boolean; acl?: boolean } = {},
): EgressNetwork {
  return {
    vpcHasIpv6,
    securityGroup: {
      GroupId: SG,
      GroupName: 'default',
      IpPermissionsEgress: egress,
      ...(ignore.group ? { Tags: IGNORE } : {}),
    },
    networkAcl: { NetworkAclId: ACL, IsDefault: true, Entries: entries, ...(ignore.acl ? { Tags: IGNORE } : {}) },
  };
}

const summary = (input: EgressNetwork) => {
  const plan = planEgressRepair(input);
  return {
    status: plan.status,
    findings: plan.findings.map((finding) => `${finding.resourceId} ${finding.direction} ${finding.state}`),
    repairs: plan.repairs.map((write) =>
      write.action === 'AuthorizeSecurityGroupEgress'
        ? `${write.action} ${write.groupId}${write.ipv6 ? ' ::/0' : ' 0.0.0.0/0'}`
        : `${write.action} ${write.networkAclId} ${write.egress ? 'outbound' : 'inbound'} ${write.ruleNumber}${write.ipv6 ? ' ::/0' : ' 0.0.0.0/0'}`,
    ),
  };
};

test.each([
  ["AWS's defaults", network([allOut], awsDefaultAcl), { status: 'egress-ok', findings: [], repairs: [] }],
  [
    'all out, and https too',
    network([httpsOut, allOut], awsDefaultAcl),
    { status: 'egress-ok', findings: [], repairs: [] },
  ],
  [
    'the group stripped (aws-nuke EC2DefaultSecurityGroupRule)',
    network([], awsDefaultAcl),
    {
      status: 'egress-blocked',
      findings: [`${SG} egress blocked`],
      repairs: [`AuthorizeSecurityGroupEgress ${SG} 0.0.0.0/0`],
    },
  ],
  [
    'the group stripped in a VPC with IPv6: ::/0 too',
    network([], awsDefaultAcl, true),
    {
      status: 'egress-blocked',
      findings: [`${SG} egress blocked`],
      repairs: [`AuthorizeSecurityGroupEgress ${SG} 0.0.0.0/0`, `AuthorizeSecurityGroupEgress ${SG} ::/0`],
    },
  ],
  [
    'the ACL stripped to its final denies',
    network([allOut], finalDeny),
    {
      status: 'egress-blocked',
      findings: [`${ACL} inbound blocked`, `${ACL} outbound blocked`],
      repairs: [
        `CreateNetworkAclEntry ${ACL} inbound 100 0.0.0.0/0`,
        `CreateNetworkAclEntry ${ACL} outbound 100 0.0.0.0/0`,
      ],
    },
  ],
  [
    'only the inbound direction stripped: only it comes back',
    network([allOut], [entry(true, 100, 'allow'), ...finalDeny]),
    {
      status: 'egress-blocked',
      findings: [`${ACL} inbound blocked`],
      repairs: [`CreateNetworkAclEntry ${ACL} inbound 100 0.0.0.0/0`],
    },
  ],
  [
    'both stripped in an IPv6 VPC (its ACL keeps both final denies, 32767 and 32768)',
    network([], finalDeny6, true),
    {
      status: 'egress-blocked',
      findings: [`${SG} egress blocked`, `${ACL} inbound blocked`, `${ACL} outbound blocked`],
      repairs: [
        `AuthorizeSecurityGroupEgress ${SG} 0.0.0.0/0`,
        `AuthorizeSecurityGroupEgress ${SG} ::/0`,
        `CreateNetworkAclEntry ${ACL} inbound 100 0.0.0.0/0`,
        `CreateNetworkAclEntry ${ACL} inbound 101 ::/0`,
        `CreateNetworkAclEntry ${ACL} outbound 100 0.0.0.0/0`,
        `CreateNetworkAclEntry ${ACL} outbound 101 ::/0`,
      ],
    },
  ],
  [
    'a human narrowed the group to https: restricted, never changed',
    network([httpsOut], awsDefaultAcl),
    { status: 'egress-restricted', findings: [`${SG} egress restricted`], repairs: [] },
  ],
  [
    'a group that allows only IPv6 out is narrowed for IPv4',
    network([allOut6], awsDefaultAcl, true),
    { status: 'egress-restricted', findings: [`${SG} egress restricted`], repairs: [] },
  ],
  [
    'a human put a deny before the allow',
    network([allOut], [entry(false, 50, 'deny', { CidrBlock: '10.0.0.0/8' }), ...awsDefaultAcl]),
    { status: 'egress-restricted', findings: [`${ACL} inbound restricted`], repairs: [] },
  ],
  [
    'an ACL that allows only https out',
    network([allOut], [entry(false, 100, 'allow'), entry(true, 100, 'allow', { Protocol: '6' }), ...finalDeny]),
    { status: 'egress-restricted', findings: [`${ACL} outbound restricted`], repairs: [] },
  ],
  [
    'blocked beats restricted; only the blocked part is repaired',
    network([httpsOut], finalDeny),
    {
      status: 'egress-blocked',
      findings: [`${SG} egress restricted`, `${ACL} inbound blocked`, `${ACL} outbound blocked`],
      repairs: [
        `CreateNetworkAclEntry ${ACL} inbound 100 0.0.0.0/0`,
        `CreateNetworkAclEntry ${ACL} outbound 100 0.0.0.0/0`,
      ],
    },
  ],
  [
    "an IPv6 VPC's defaults, with rules 101 for ::/0",
    network(
      [allOut, allOut6],
      [
        ...awsDefaultAcl,
        ...[false, true].map((egress) => entry(egress, 101, 'allow', { CidrBlock: undefined, Ipv6CidrBlock: '::/0' })),
        ...finalDeny6.slice(2),
      ],
      true,
    ),
    { status: 'egress-ok', findings: [], repairs: [] },
  ],
  [
    'the group tagged to be ignored: left out, the ACL judged alone',
    network([], finalDeny, false, { group: true }),
    {
      status: 'egress-blocked',
      findings: [`${ACL} inbound blocked`, `${ACL} outbound blocked`],
      repairs: [
        `CreateNetworkAclEntry ${ACL} inbound 100 0.0.0.0/0`,
        `CreateNetworkAclEntry ${ACL} outbound 100 0.0.0.0/0`,
      ],
    },
  ],
  [
    'the ACL tagged to be ignored: the stripped group alone',
    network([], finalDeny, false, { acl: true }),
    {
      status: 'egress-blocked',
      findings: [`${SG} egress blocked`],
      repairs: [`AuthorizeSecurityGroupEgress ${SG} 0.0.0.0/0`],
    },
  ],
  [
    'the group tagged, the ACL as AWS made it: ok',
    network([], awsDefaultAcl, false, { group: true }),
    { status: 'egress-ok', findings: [], repairs: [] },
  ],
  [
    'both tagged: ignored, however stripped',
    network([], finalDeny, false, { group: true, acl: true }),
    { status: 'egress-ignored', findings: [], repairs: [] },
  ],
])('%s', (_, input, expected) => {
  expect(summary(input)).toEqual(expected);
});

test('every finding says what it found, naming the group or the ACL and the direction', () => {
  const plan = planEgressRepair(network([], finalDeny));
  expect(plan.findings.map((finding) => finding.message)).toEqual([
    `default security group ${SG} has no egress rule: nothing gets out`,
    `default network ACL ${ACL} has nothing but its final deny inbound`,
    `default network ACL ${ACL} has nothing but its final deny outbound`,
  ]);
});

test('what is tagged to be ignored is named on the plan', () => {
  expect(planEgressRepair(network([], finalDeny, false, { group: true })).ignored).toEqual([SG]);
  expect(planEgressRepair(network([], finalDeny, false, { group: true, acl: true })).ignored).toEqual([SG, ACL]);
  expect(planEgressRepair(network([], finalDeny)).ignored).toEqual([]);
});

describe('writeShows: a write is verified only by its exact rule', () => {
  const authorize4 = { action: 'AuthorizeSecurityGroupEgress' as const, groupId: SG, ipv6: false };
  const authorize6 = { ...authorize4, ipv6: true };
  const inbound100 = {
    action: 'CreateNetworkAclEntry' as const,
    networkAclId: ACL,
    egress: false,
    ruleNumber: 100,
    ipv6: false,
  };
  const shows = (input: EgressNetwork, write: Parameters<typeof writeShows>[1]) =>
    writeShows({ securityGroup: input.securityGroup, networkAcl: input.networkAcl }, write);

  test('the IPv4 rule does not verify the IPv6 one, nor the reverse', () => {
    expect(shows(network([allOut], finalDeny), authorize4)).toBe(true);
    expect(shows(network([allOut], finalDeny), authorize6)).toBe(false);
    expect(shows(network([allOut6], finalDeny), authorize6)).toBe(true);
    expect(shows(network([httpsOut], finalDeny), authorize4)).toBe(false);
  });

  test('an ACL entry shows only with its direction, number, allow, all traffic and block', () => {
    expect(shows(network([], awsDefaultAcl), inbound100)).toBe(true);
    expect(shows(network([], [entry(true, 100, 'allow'), ...finalDeny]), inbound100)).toBe(false);
    expect(shows(network([], [entry(false, 100, 'deny'), ...finalDeny]), inbound100)).toBe(false);
    expect(shows(network([], [entry(false, 110, 'allow'), ...finalDeny]), inbound100)).toBe(false);
    expect(shows(network([], [entry(false, 100, 'allow', { Protocol: '6' }), ...finalDeny]), inbound100)).toBe(false);
  });

  test('another group or ACL does not verify it', () => {
    expect(shows(network([allOut], awsDefaultAcl), { ...authorize4, groupId: 'sg-other' })).toBe(false);
    expect(shows(network([allOut], awsDefaultAcl), { ...inbound100, networkAclId: 'acl-other' })).toBe(false);
  });

  test('writeKey tells rules apart by resource, direction, number and block', () => {
    const keys = [
      authorize4,
      authorize6,
      inbound100,
      { ...inbound100, egress: true },
      { ...inbound100, ruleNumber: 101, ipv6: true },
    ].map(writeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(writeKey({ ...authorize4 })).toBe(writeKey(authorize4));
  });
});
