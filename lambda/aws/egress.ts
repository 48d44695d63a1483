import {
  AuthorizeSecurityGroupEgressCommand,
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type NetworkAcl,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ANY_IPV4, ANY_IPV6 } from '../core/plan-egress-repair';
import { withAction } from './error-code';

/**
 * The EC2 calls of the egress check and repair (opt-in, issue 14). Reads: the default VPC's default
 * security group and default network ACL, at once. Writes: AuthorizeSecurityGroupEgress of all
 * traffic to 0.0.0.0/0 (or ::/0), and CreateNetworkAclEntry of an allow-all rule: AWS's own
 * defaults, never a revoke or a delete.
 */

export interface DefaultEgress {
  readonly securityGroup: SecurityGroup | undefined;
  readonly networkAcl: NetworkAcl | undefined;
}

export async function describeDefaultEgress(client: EC2Client, vpcId: string): Promise<DefaultEgress> {
  const [groups, acls] = await Promise.all([
    withAction('DescribeSecurityGroups', () =>
      client.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: ['default'] },
          ],
        }),
      ),
    ),
    withAction('DescribeNetworkAcls', () =>
      client.send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'default', Values: ['true'] },
          ],
        }),
      ),
    ),
  ]);
  return { securityGroup: groups.SecurityGroups?.[0], networkAcl: acls.NetworkAcls?.[0] };
}

/** All traffic out to 0.0.0.0/0 (or ::/0): the rule AWS gives every default security group. */
export async function authorizeAllEgress(client: EC2Client, groupId: string, ipv6: boolean): Promise<void> {
  await withAction('AuthorizeSecurityGroupEgress', () =>
    client.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: '-1',
            ...(ipv6 ? { Ipv6Ranges: [{ CidrIpv6: ANY_IPV6 }] } : { IpRanges: [{ CidrIp: ANY_IPV4 }] }),
          },
        ],
      }),
    ),
  );
}

/** Allow all traffic in one direction: the entry AWS gives every default network ACL. */
export async function createAllowAllAclEntry(
  client: EC2Client,
  entry: {
    readonly networkAclId: string;
    readonly egress: boolean;
    readonly ruleNumber: number;
    readonly ipv6: boolean;
  },
): Promise<void> {
  await withAction('CreateNetworkAclEntry', () =>
    client.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: entry.networkAclId,
        Egress: entry.egress,
        RuleNumber: entry.ruleNumber,
        Protocol: '-1',
        RuleAction: 'allow',
        ...(entry.ipv6 ? { Ipv6CidrBlock: ANY_IPV6 } : { CidrBlock: ANY_IPV4 }),
      }),
    ),
  );
}
