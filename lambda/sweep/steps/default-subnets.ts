import { createDefaultSubnet, describeDefaultSubnets } from '../../aws/ec2';
import { awsErrorCode } from '../../aws/error-code';
import { readUntil } from '../../aws/eventual-consistency';
import type { RegionNetwork } from '../../core/plan-route-repair';
import { planSubnetRepair } from '../../core/plan-subnet-repair';
import type { SubnetsResult } from '../../core/report';
import type { SubnetStatus } from '../../core/statuses';
import { WriteBudgetError } from '../budget';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';

/**
 * Opt-in (checkDefaultSubnets, repairDefaultSubnets): the default subnets of a region whose default
 * VPC was read. Zones without one get CreateDefaultSubnet (with the repair switch, in remediate
 * mode, within the cap), one zone at a time, then reads verify them. Misconfigured default subnets
 * are reported, never written. An ignored account-region (the default VPC or its main route table
 * tagged account-janitor:ignore) is left alone here too.
 *
 * `null` when the subnets are not looked at: no default VPC read, or an ignored one.
 */
export async function defaultSubnetsStep(
  target: RegionTarget,
  vpc: DefaultVpcFacts,
  network: RegionNetwork | undefined,
): Promise<SubnetsResult | null> {
  const described = network?.subnets;
  if (!vpc.vpcId || !described || network.defaultVpc?.VpcId !== vpc.vpcId || vpc.ignored) return null;
  const { config, logger } = target;
  const { accountId, region } = target.logFields;
  const vpcId = vpc.vpcId;
  if ('readError' in described) {
    const code = awsErrorCode(described.readError);
    logger.error('cannot describe the default subnets', { accountId, region, vpcId, errorCode: code });
    return {
      status: 'subnets-error',
      zonesRepaired: [],
      zonesMissing: [],
      findings: [],
      errorCode: code,
      message: `DescribeSubnets/DescribeAvailabilityZones failed: ${code} (does the member role have the subnet permissions?)`,
    };
  }

  const plan = planSubnetRepair(described, vpcId, vpc.internetGatewayId);
  const missing = plan.missingZones;
  const findingsNote = plan.findings.map((finding) => finding.message).join('; ');
  if (plan.findings.length > 0) {
    logger.warn('default subnets misconfigured', {
      accountId,
      region,
      vpcId,
      findings: plan.findings.map((finding) => finding.message),
    });
  }
  /** The subnets' result; the message always ends with the report-only findings, if any. */
  const result = (status: SubnetStatus, message: string, extra: Partial<SubnetsResult> = {}): SubnetsResult => ({
    status,
    zonesRepaired: [],
    zonesMissing: missing,
    findings: plan.findings,
    errorCode: null,
    message: findingsNote ? `${message}; ${findingsNote}` : message,
    ...extra,
  });
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
  const audit = { accountId, region, vpcId, action: 'CreateDefaultSubnet' };
  // One zone at a time: each new default subnet takes the next free /20 of the VPC. Writes not
  // attempted after a refusal go back to the budget when this ends.
  const attempt = await target.run.budget.use(missing.length, async (claim) => {
    const made: { zone: string; subnetId: string }[] = [];
    for (const zone of missing) {
      try {
        const subnetId = await claim.write(() => createDefaultSubnet(target.ec2, zone));
        made.push({ zone, subnetId });
        logger.info('default subnet created', { ...audit, availabilityZone: zone, before: 'none', after: subnetId });
      } catch (error) {
        if (error instanceof WriteBudgetError) throw error;
        const refusal = { zone, code: awsErrorCode(error) };
        logger.error('default subnet repair failed', { ...audit, availabilityZone: zone, errorCode: refusal.code });
        return { created: made, refused: refusal };
      }
    }
    return { created: made, refused: undefined };
  });
  if (!attempt) return result('would-restore-subnets', `no default subnet in ${zones}; ${target.capNote}`);
  const { created, refused } = attempt;

  // Verify what was created, even after a refusal: a zone counts as repaired only once it shows.
  const repaired = created.map((entry) => entry.zone);
  let verified: string[] = [];
  let verificationError: string | undefined;
  if (repaired.length > 0) {
    try {
      const covered = (after: Awaited<ReturnType<typeof describeDefaultSubnets>>) => {
        const zonesCovered = new Set(
          after.defaultSubnets
            .filter((subnet) => subnet.VpcId === vpcId && subnet.DefaultForAz === true)
            .map((subnet) => subnet.AvailabilityZone),
        );
        return repaired.filter((zone) => zonesCovered.has(zone));
      };
      verified = covered(
        await readUntil(
          () => describeDefaultSubnets(target.ec2),
          (value) => covered(value).length === repaired.length,
          target.settleDelays,
        ),
      );
    } catch (error) {
      verificationError = awsErrorCode(error);
    }
  }
  const stillMissing = missing.filter((zone) => !verified.includes(zone));
  const failed = (message: string, errorCode: string) => {
    logger.error('default subnet repair not verified', { ...audit, zones: stillMissing, errorCode });
    return result('subnets-repair-failed', message, { zonesRepaired: verified, zonesMissing: stillMissing, errorCode });
  };
  if (refused) {
    return result('subnets-repair-failed', `CreateDefaultSubnet in ${refused.zone} failed: ${refused.code}`, {
      zonesRepaired: verified,
      zonesMissing: stillMissing,
      errorCode: refused.code,
    });
  }
  if (verificationError) {
    return failed(
      `CreateDefaultSubnet sent for ${zones}, verification failed: ${verificationError}`,
      verificationError,
    );
  }
  if (stillMissing.length > 0) {
    return failed(
      `CreateDefaultSubnet sent, but ${stillMissing.join(', ')} still has no default subnet`,
      'VerificationFailed',
    );
  }
  logger.info('default subnets repaired', { ...audit, zones: repaired, verified: true });
  const list = created.map((entry) => `${entry.zone} (${entry.subnetId})`).join(', ');
  return settled('subnets-restored', `created the default subnet of ${list}`, {
    zonesRepaired: verified,
    zonesMissing: [],
  });
}
