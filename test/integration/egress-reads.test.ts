import type { EC2Client } from '@aws-sdk/client-ec2';
import { authorizeAllEgress, createAllowAllAclEntry, describeDefaultEgress } from '../../lambda/aws/egress';
import { assumeMemberRole } from '../../lambda/aws/sts';
import { defaultEgressOf, planEgressRepair, type EgressPlan } from '../../lambda/core/plan-egress-repair';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * Issue 14's groundwork against moto: the egress reads give the decision what EC2 really answers
 * (moto creates AWS's defaults: all egress in the default group, rule 100 allow and 32767 deny
 * both ways in the default ACL), a clean-up's stripping is found blocked, and the repair's two
 * write calls put back exactly what the decision asks for, nothing else.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness();

async function memberEc2(accountId: string): Promise<EC2Client> {
  const credentials = await assumeMemberRole(harness.clients.sts(), {
    accountId,
    roleName: 'AccountJanitorMemberRole',
    partition: 'aws',
  });
  return harness.clients.ec2(REGION, credentials);
}

async function planOf(ec2: EC2Client, vpcId: string): Promise<EgressPlan> {
  const { securityGroup, networkAcl } = defaultEgressOf(await describeDefaultEgress(ec2, vpcId), vpcId);
  if (!securityGroup || !networkAcl) throw new Error('no default security group or network ACL');
  return planEgressRepair({ vpcHasIpv6: false, securityGroup, networkAcl });
}

test("AWS's defaults are egress-ok; a clean-up's stripping is blocked; the repair's writes bring it back", async () => {
  const { accounts } = await harness.emulator.fixture.createSandboxOu(['stripped'], [REGION]);
  const accountId = accounts.stripped;
  const vpcId = await harness.emulator.fixture.defaultVpcId(accountId, REGION);
  const ec2 = await memberEc2(accountId);
  expect((await planOf(ec2, vpcId)).status).toBe('egress-ok');

  const groupId = await harness.emulator.fixture.stripDefaultSecurityGroup(accountId, REGION);
  const aclId = await harness.emulator.fixture.stripDefaultNetworkAcl(accountId, REGION);
  const blocked = await planOf(ec2, vpcId);
  expect(blocked.status).toBe('egress-blocked');
  expect(blocked.findings.map((finding) => `${finding.resourceId} ${finding.direction} ${finding.state}`)).toEqual([
    `${groupId} egress blocked`,
    `${aclId} inbound blocked`,
    `${aclId} outbound blocked`,
  ]);

  harness.emulator.proxy.clear();
  for (const write of blocked.repairs) {
    if (write.action === 'AuthorizeSecurityGroupEgress') await authorizeAllEgress(ec2, write.groupId, write.ipv6);
    else await createAllowAllAclEntry(ec2, write);
  }
  expect(harness.writesOnTheWire()).toEqual([
    'AuthorizeSecurityGroupEgress',
    'CreateNetworkAclEntry',
    'CreateNetworkAclEntry',
  ]);
  expect(await planOf(ec2, vpcId)).toEqual({ status: 'egress-ok', findings: [], repairs: [], ignored: [] });
});

test('one ACL direction stripped: only it is to be put back', async () => {
  const { accounts } = await harness.emulator.fixture.createSandboxOu(['narrowed'], [REGION]);
  const accountId = accounts.narrowed;
  const vpcId = await harness.emulator.fixture.defaultVpcId(accountId, REGION);
  const ec2 = await memberEc2(accountId);
  const aclId = await harness.emulator.fixture.stripDefaultNetworkAcl(accountId, REGION, ['outbound']);
  const plan = await planOf(ec2, vpcId);
  expect(plan.status).toBe('egress-blocked');
  expect(plan.repairs).toEqual([
    { action: 'CreateNetworkAclEntry', networkAclId: aclId, egress: true, ruleNumber: 100, ipv6: false },
  ]);
});
