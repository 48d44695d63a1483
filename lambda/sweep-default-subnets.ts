import type { EC2Client } from '@aws-sdk/client-ec2';
import { awsErrorCode } from './aws/error-code';
import { createDefaultSubnet, describeDefaultSubnets } from './aws/ec2';
import { readUntil } from './aws/eventual-consistency';
import { isIgnored } from './core/plan-route-repair';
import { planSubnetRepair } from './core/plan-subnet-repair';
import type { SubnetsResult, SweepResult } from './core/report';
import type { SubnetStatus } from './core/statuses';
import type { TargetAccount } from './discover-target-accounts';
import { capNote, reserveWrites, settleDelays, type AccountContext, type RouteOutcome } from './sweep-context';

/**
 * Opt-in (checkDefaultSubnets, repairDefaultSubnets): the default subnets of a region whose default
 * VPC was read. Zones without one get CreateDefaultSubnet (with the repair switch, in remediate
 * mode, within the cap), one zone at a time, then one read verifies them all. Misconfigured default
 * subnets are reported, never written. The default VPC's ignore tag covers its subnets too.
 */
export async function sweepDefaultSubnets(
  context: AccountContext,
  account: TargetAccount,
  region: string,
  ec2: EC2Client,
  { row, network }: RouteOutcome,
): Promise<SweepResult> {
  const described = network?.subnets;
  if (!row.vpcId || !described || network.defaultVpc?.VpcId !== row.vpcId || isIgnored(network.defaultVpc.Tags)) {
    return row;
  }
  const { config, dependencies } = context;
  const { logger } = dependencies;
  const vpcId = row.vpcId;
  const plan = planSubnetRepair(described, vpcId, row.internetGatewayId);
  const missing = plan.missingZones;
  const findingsNote = plan.findings.map((finding) => finding.message).join('; ');
  /** The row with its subnets; the message always ends with the report-only findings, if any. */
  const result = (status: SubnetStatus, message: string, extra: Partial<SubnetsResult> = {}): SweepResult => {
    const subnets: SubnetsResult = {
      status,
      zonesRepaired: [],
      zonesMissing: missing,
      findings: plan.findings,
      errorCode: null,
      message: findingsNote ? `${message}; ${findingsNote}` : message,
      ...extra,
    };
    if (plan.findings.length > 0) {
      logger.warn('default subnets misconfigured', {
        accountId: account.id,
        region,
        vpcId,
        findings: plan.findings.map((finding) => finding.message),
      });
    }
    return { ...row, subnets };
  };
  /** Report-only findings outrank what went well: they leave something broken. */
  const settled = (status: 'subnets-ok' | 'subnets-restored', message: string, extra: Partial<SubnetsResult> = {}) =>
    result(plan.findings.length > 0 ? 'subnets-misconfigured' : status, message, extra);

  const zones = missing.join(', ');
  if (missing.length === 0) {
    return settled('subnets-ok', `every zone has a default subnet (${described.availabilityZones.length} zones)`);
  }
  if (!config.repairDefaultSubnets) return result('subnets-missing', `no default subnet in ${zones}`);
  if (config.mode === 'report') {
    return result('would-restore-subnets', `no default subnet in ${zones}: would create them`);
  }
  if (!reserveWrites(context, missing.length)) {
    return result('would-restore-subnets', `no default subnet in ${zones}; ${capNote(context)}`);
  }

  const audit = { accountId: account.id, region, vpcId, action: 'CreateDefaultSubnet' };
  const created: { zone: string; subnetId: string }[] = [];
  // One zone at a time: each new default subnet takes the next free /20 of the VPC.
  for (const zone of missing) {
    try {
      const subnetId = await createDefaultSubnet(ec2, zone);
      created.push({ zone, subnetId });
      logger.info('default subnet created', { ...audit, availabilityZone: zone, before: 'none', after: subnetId });
    } catch (error) {
      const code = awsErrorCode(error);
      logger.error('default subnet repair failed', { ...audit, availabilityZone: zone, errorCode: code });
      const done = created.map((entry) => entry.zone);
      return result('subnets-repair-failed', `CreateDefaultSubnet in ${zone} failed: ${code}`, {
        zonesRepaired: done,
        zonesMissing: missing.filter((candidate) => !done.includes(candidate)),
        errorCode: code,
      });
    }
  }

  const repaired = created.map((entry) => entry.zone);
  let unverified: string[];
  try {
    const uncovered = (after: Awaited<ReturnType<typeof describeDefaultSubnets>>) => {
      const covered = new Set(
        after.defaultSubnets
          .filter((subnet) => subnet.VpcId === vpcId && subnet.DefaultForAz === true)
          .map((subnet) => subnet.AvailabilityZone),
      );
      return repaired.filter((zone) => !covered.has(zone));
    };
    const after = await readUntil(
      () => describeDefaultSubnets(ec2),
      (value) => uncovered(value).length === 0,
      settleDelays(context),
    );
    unverified = uncovered(after);
  } catch (error) {
    const code = awsErrorCode(error);
    logger.error('default subnet repair not verified', { ...audit, zones: repaired, errorCode: code });
    return result('subnets-repair-failed', `CreateDefaultSubnet sent for ${zones}, verification failed: ${code}`, {
      zonesMissing: repaired,
      errorCode: code,
    });
  }
  if (unverified.length > 0) {
    logger.error('default subnet repair not verified', {
      ...audit,
      zones: unverified,
      errorCode: 'VerificationFailed',
    });
    return result(
      'subnets-repair-failed',
      `CreateDefaultSubnet sent, but ${unverified.join(', ')} still has no default subnet`,
      {
        zonesRepaired: repaired.filter((zone) => !unverified.includes(zone)),
        zonesMissing: unverified,
        errorCode: 'VerificationFailed',
      },
    );
  }
  logger.info('default subnets repaired', { ...audit, zones: repaired, verified: true });
  const list = created.map((entry) => `${entry.zone} (${entry.subnetId})`).join(', ');
  return settled('subnets-restored', `created the default subnet of ${list}`, {
    zonesRepaired: repaired,
    zonesMissing: [],
  });
}
