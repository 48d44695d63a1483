import {
  AuthorizeSecurityGroupEgressCommand,
  CreateNetworkAclEntryCommand,
  paginateDescribeNetworkAcls,
  paginateDescribeSecurityGroups,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ANY_IPV4, ANY_IPV6, type DefaultEgressRead } from '../core/plan-egress-repair';
import { collect } from './pages';
import { withAction } from './error-code';

/**
 * The EC2 calls of the egress check and repair (opt-in, issue 14). Reads: the default VPC's default
 * security group and default network ACL, at once. Writes: AuthorizeSecurityGroupEgress of all
 * traffic to 0.0.0.0/0 (or ::/0), and CreateNetworkAclEntry of an allow-all rule: AWS's own
 * defaults, never a revoke or a delete.
 */

/**
 * Every VPC's default security group and default network ACL (one each per VPC), read at once; of
 * one VPC only when `vpcId` is given. In the region's first round trip, before the default VPC is
 * known, the region's are read and the default VPC's picked afterwards.
 */
export async function describeDefaultEgress(client: EC2Client, vpcId?: string): Promise<DefaultEgressRead> {
  const ofVpc = vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [];
  const [securityGroups, networkAcls] = await Promise.all([
    withAction('ec2:DescribeSecurityGroups', () =>
      collect(
        paginateDescribeSecurityGroups(
          { client },
          { Filters: [...ofVpc, { Name: 'group-name', Values: ['default'] }] },
        ),
        (page) => page.SecurityGroups,
      ),
    ),
    withAction('ec2:DescribeNetworkAcls', () =>
      collect(
        paginateDescribeNetworkAcls({ client }, { Filters: [...ofVpc, { Name: 'default', Values: ['true'] }] }),
        (page) => page.NetworkAcls,
      ),
    ),
  ]);
  return { securityGroups, networkAcls };
}

/** All traffic out to 0.0.0.0/0 (or ::/0): the rule AWS gives every default security group. */
export async function authorizeAllEgress(client: EC2Client, groupId: string, ipv6: boolean): Promise<void> {
  await withAction('ec2:AuthorizeSecurityGroupEgress', () =>
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
  await withAction('ec2:CreateNetworkAclEntry', () =>
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
