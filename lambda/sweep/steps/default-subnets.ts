import { createDefaultSubnet, describeDefaultSubnets } from '../../aws/ec2';
import { awsErrorCode } from '../../aws/error-code';
import type { RegionNetwork } from '../../core/region-network';
import { planSubnetRepair } from '../../core/plan-subnet-repair';
import type { SubnetsResult } from '../../core/report';
import type { SubnetStatus } from '../../core/statuses';
import type { WriteClaim } from '../budget';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';
import type { PolicyRefusal } from '../../core/policy-denial';
import { attemptWrite, readBack, refusedMessage } from '../writes';

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
  const found = readSubnets(target, vpc.vpcId, vpc.internetGatewayId, described);
  if (!('plan' in found)) return found;
  const { config } = target;
  const { missing, result, settled, zones } = found;
  if (missing.length === 0) {
    return settled('subnets-ok', `every zone has a default subnet (${found.zoneCount} zones)`);
  }
  if (config.defaultSubnets !== 'repair') return result('subnets-missing', `no default subnet in ${zones}`);
  if (config.mode === 'report') {
    return result('would-restore-subnets', `no default subnet in ${zones}: would create them`);
  }
  // One zone at a time: each new default subnet takes the next free /20 of the VPC. Writes not
  // attempted after a refusal go back to the budget when this ends.
  const attempt = await target.run.budget.use(missing.length, (claim) => createSubnets(target, found, claim));
  if (!attempt) return result('would-restore-subnets', `no default subnet in ${zones}; ${target.capNote}`);
  return verifySubnets(target, found, attempt);
}

/** The default subnets of the VPC as read, planned, and how their result is worded. */
interface FoundSubnets {
  readonly vpcId: string;
  readonly plan: ReturnType<typeof planSubnetRepair>;
  readonly missing: readonly string[];
  /** The missing zones, listed. */
  readonly zones: string;
  readonly zoneCount: number;
  readonly audit: {
    readonly accountId: string;
    readonly region: string;
    readonly vpcId: string;
    readonly action: string;
  };
  /** The subnets' result; the message always ends with the report-only findings, if any. */
  readonly result: (status: SubnetStatus, message: string, extra?: Partial<SubnetsResult>) => SubnetsResult;
  /** Report-only findings outrank what went well: they leave something broken. */
  readonly settled: (
    status: 'subnets-ok' | 'subnets-restored',
    message: string,
    extra?: Partial<SubnetsResult>,
  ) => SubnetsResult;
}

/** Read: the described subnets planned; or the result of a failed read. */
function readSubnets(
  target: RegionTarget,
  vpcId: string,
  internetGatewayId: string | null,
  described: NonNullable<RegionNetwork['subnets']>,
): FoundSubnets | SubnetsResult {
  const { accountId, region } = target.logFields;
  if ('readError' in described) {
    const code = awsErrorCode(described.readError);
    target.logger.error('cannot describe the default subnets', { accountId, region, vpcId, errorCode: code });
    return {
      status: 'subnets-error',
      zonesRepaired: [],
      zonesMissing: [],
      findings: [],
      errorCode: code,
      message: `DescribeSubnets/DescribeAvailabilityZones failed: ${code} (does the member role have the subnet permissions?)`,
    };
  }
  const plan = planSubnetRepair(described, vpcId, internetGatewayId);
  const missing = plan.missingZones;
  const findings = plan.findings.map((finding) => finding.message);
  if (findings.length > 0) target.logger.warn('default subnets misconfigured', { accountId, region, vpcId, findings });
  const findingsNote = findings.join('; ');
  const result = (status: SubnetStatus, message: string, extra: Partial<SubnetsResult> = {}): SubnetsResult => ({
    status,
    zonesRepaired: [],
    zonesMissing: missing,
    findings: plan.findings,
    errorCode: null,
    message: findingsNote ? `${message}; ${findingsNote}` : message,
    ...extra,
  });
  const settled: FoundSubnets['settled'] = (status, message, extra = {}) =>
    result(plan.findings.length > 0 ? 'subnets-misconfigured' : status, message, extra);
  const audit = { accountId, region, vpcId, action: 'CreateDefaultSubnet' };
  const zoneCount = described.availabilityZones.length;
  return { vpcId, plan, missing, zones: missing.join(', '), zoneCount, audit, result, settled };
}

interface SubnetsAttempt {
  readonly created: readonly { readonly zone: string; readonly subnetId: string }[];
  readonly refused:
    { readonly zone: string; readonly code: string; readonly refusal?: PolicyRefusal | undefined } | undefined;
}

/** Apply: CreateDefaultSubnet in each missing zone, one at a time, until one is refused. */
async function createSubnets(target: RegionTarget, found: FoundSubnets, claim: WriteClaim): Promise<SubnetsAttempt> {
  const made: { zone: string; subnetId: string }[] = [];
  for (const zone of found.missing) {
    const sent = await attemptWrite(target, claim, () => createDefaultSubnet(target.ec2, zone));
    if (!sent.ok) {
      target.logger.error('default subnet repair failed', {
        ...found.audit,
        availabilityZone: zone,
        errorCode: sent.code,
      });
      return { created: made, refused: { zone, code: sent.code, refusal: sent.refusal } };
    }
    made.push({ zone, subnetId: sent.value });
    const created = { availabilityZone: zone, before: 'none', after: sent.value };
    target.logger.info('default subnet created', { ...found.audit, ...created });
  }
  return { created: made, refused: undefined };
}

/** Verify what was created, even after a refusal: a zone counts as repaired only once it shows. */
async function verifySubnets(
  target: RegionTarget,
  found: FoundSubnets,
  attempt: SubnetsAttempt,
): Promise<SubnetsResult> {
  const { missing, result, settled, zones, audit, vpcId } = found;
  const { created, refused } = attempt;
  const repaired = created.map((entry) => entry.zone);
  const covered = (after: Awaited<ReturnType<typeof describeDefaultSubnets>>) => {
    const zonesCovered = new Set(
      after.defaultSubnets
        .filter((subnet) => subnet.VpcId === vpcId && subnet.DefaultForAz === true)
        .map((subnet) => subnet.AvailabilityZone),
    );
    return repaired.filter((zone) => zonesCovered.has(zone));
  };
  const read =
    repaired.length > 0
      ? await readBack(
          target,
          () => describeDefaultSubnets(target.ec2),
          (value) => covered(value).length === repaired.length,
        )
      : undefined;
  const verified = read?.ok ? covered(read.value) : [];
  const stillMissing = missing.filter((zone) => !verified.includes(zone));
  const failed = (message: string, errorCode: string) => {
    target.logger.error('default subnet repair not verified', { ...audit, zones: stillMissing, errorCode });
    return result('subnets-repair-failed', message, { zonesRepaired: verified, zonesMissing: stillMissing, errorCode });
  };
  if (refused) {
    const write = `CreateDefaultSubnet in ${refused.zone}`;
    const { code, refusal } = refused;
    return result(
      refusal ? 'subnets-repair-refused' : 'subnets-repair-failed',
      refusal ? refusedMessage(write, code, refusal) : `${write} failed: ${code}`,
      { zonesRepaired: verified, zonesMissing: stillMissing, errorCode: code },
    );
  }
  if (read && !read.ok) {
    return failed(`CreateDefaultSubnet sent for ${zones}, verification failed: ${read.code}`, read.code);
  }
  if (stillMissing.length > 0) {
    const message = `CreateDefaultSubnet sent, but ${stillMissing.join(', ')} still has no default subnet`;
    return failed(message, 'VerificationFailed');
  }
  target.logger.info('default subnets repaired', { ...audit, zones: repaired, verified: true });
  const list = created.map((entry) => `${entry.zone} (${entry.subnetId})`).join(', ');
  return settled('subnets-restored', `created the default subnet of ${list}`, {
    zonesRepaired: verified,
    zonesMissing: [],
  });
}

/** A new default VPC has a default subnet in every zone (when the subnets were read). */
export function subnetsCompleteIn(
  { subnets }: RegionNetwork,
  vpc: { readonly vpcId: string; readonly internetGatewayId: string },
): boolean {
  if (!subnets || 'readError' in subnets) return true;
  return planSubnetRepair(subnets, vpc.vpcId, vpc.internetGatewayId).missingZones.length === 0;
}
