import { authorizeAllEgress, createAllowAllAclEntry, describeDefaultEgress } from '../../aws/egress';
import { awsErrorCode } from '../../aws/error-code';
import { readUntil } from '../../aws/eventual-consistency';
import {
  defaultEgressOf,
  planEgressRepair,
  writeKey,
  writeShows,
  type DefaultEgressRead,
  type EgressFinding,
  type EgressPlan,
  type EgressWrite,
} from '../../core/plan-egress-repair';
import type { RegionNetwork } from '../../core/plan-route-repair';
import type { EgressResult } from '../../core/report';
import type { EgressStatus } from '../../core/statuses';
import { WriteBudgetError } from '../budget';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';

/**
 * Opt-in (checkEgress, repairEgress): the default VPC's default security group and default network
 * ACL. Where a clean-up stripped them (no egress rule; an ACL direction with only its final deny),
 * AWS's own defaults go back, with the repair switch, in remediate mode, within the cap, each write
 * verified by a re-read. What a human narrowed is reported, never changed. The ignore tag on the
 * default VPC or its main route table keeps the janitor away from all of it; on the group or the
 * ACL, from that one.
 *
 * `null` when the egress is not looked at: no default VPC read, or an ignored one.
 */

/** Someone else added the same rule meanwhile: not a failure; the re-read says how it stands. */
const ALREADY_THERE: ReadonlySet<string> = new Set(['InvalidPermission.Duplicate', 'NetworkAclEntryAlreadyExists']);

export async function egressStep(
  target: RegionTarget,
  vpc: DefaultVpcFacts,
  network: RegionNetwork | undefined,
): Promise<EgressResult | null> {
  const read = network?.egress;
  if (!vpc.vpcId || !read || network.defaultVpc?.VpcId !== vpc.vpcId || vpc.ignored) return null;
  const { config, logger } = target;
  const { accountId, region } = target.logFields;
  const vpcId = vpc.vpcId;
  /** The fields every log line about this egress starts with. */
  const audit = { accountId, region, vpcId };
  const result = (status: EgressStatus, message: string, extra: Partial<EgressResult> = {}): EgressResult => ({
    status,
    findings: [],
    repaired: [],
    errorCode: null,
    message,
    ...extra,
  });
  if ('readError' in read) {
    const code = awsErrorCode(read.readError);
    logger.error('cannot describe the default security group and network ACL', { ...audit, errorCode: code });
    return result(
      'egress-error',
      `DescribeSecurityGroups/DescribeNetworkAcls failed: ${code} (does the member role have the egress permissions?)`,
      { errorCode: code },
    );
  }
  const { securityGroup, networkAcl } = defaultEgressOf(read, vpcId);
  if (!securityGroup || !networkAcl) {
    const missing = securityGroup ? 'DefaultNetworkAclNotFound' : 'DefaultSecurityGroupNotFound';
    logger.error('default security group or network ACL not found', { ...audit, errorCode: missing });
    return result('egress-error', `${vpcId} shows no default ${securityGroup ? 'network ACL' : 'security group'}`, {
      errorCode: missing,
    });
  }
  const vpcHasIpv6 = (network.defaultVpc.Ipv6CidrBlockAssociationSet ?? []).some(
    (association) => association.Ipv6CidrBlockState?.State === 'associated',
  );
  const planOf = (egress: DefaultEgressRead): EgressPlan | undefined => {
    const found = defaultEgressOf(egress, vpcId);
    return found.securityGroup && found.networkAcl
      ? planEgressRepair({ vpcHasIpv6, securityGroup: found.securityGroup, networkAcl: found.networkAcl })
      : undefined;
  };
  const plan = planEgressRepair({ vpcHasIpv6, securityGroup, networkAcl });
  const ids = `${securityGroup.GroupId ?? '?'} and ${networkAcl.NetworkAclId ?? '?'}`;
  const ignoredNote = plan.ignored.length > 0 ? `; ${plan.ignored.join(', ')} tagged ${IGNORED}: left alone` : '';
  /** The message: what happened, then what was found (blocked and restricted), then what is ignored. */
  const said = (message: string, findings: readonly EgressFinding[] = plan.findings) =>
    [message, ...findings.map((finding) => finding.message)].join('; ') + ignoredNote;
  const asFound = (status: EgressStatus, message: string, extra: Partial<EgressResult> = {}) =>
    result(status, said(message), { findings: plan.findings, ...extra });

  switch (plan.status) {
    case 'egress-ok':
      return asFound('egress-ok', `default security group and network ACL ${ids} let traffic out`);
    case 'egress-ignored':
      return result('egress-ignored', `${ids} tagged ${IGNORED}: left alone`);
    case 'egress-restricted':
      logger.warn('egress narrowed by a person', { ...audit, findings: messagesOf(plan.findings) });
      return asFound('egress-restricted', 'egress narrowed: reported, never changed');
    case 'egress-blocked':
      break;
  }
  const blocked = plan.findings.filter((finding) => finding.state === 'blocked');
  logger.warn('egress blocked', { ...audit, findings: messagesOf(blocked) });
  if (!config.repairEgress) return asFound('egress-blocked', 'egress blocked');
  if (config.mode === 'report') {
    return asFound(
      'would-restore-egress',
      `egress blocked: would put back ${plan.repairs.map(describeWrite).join(', ')}`,
    );
  }

  const reread = () => describeDefaultEgress(target.ec2, vpcId);
  const attempt = await target.run.budget.use(plan.repairs.length, async (claim) => {
    // Read again just before writing: the region was read before the route step, seconds ago,
    // and a rule a person added since is not to be written over.
    let still: EgressPlan | undefined;
    try {
      still = planOf(await reread());
    } catch (error) {
      return { sent: [], refused: { write: undefined, code: awsErrorCode(error) } };
    }
    const stillBlocked = new Set(still?.status === 'egress-blocked' ? still.repairs.map(writeKey) : []);
    const sent: EgressWrite[] = [];
    for (const write of plan.repairs.filter((planned) => stillBlocked.has(writeKey(planned)))) {
      try {
        await claim.write(() =>
          write.action === 'AuthorizeSecurityGroupEgress'
            ? authorizeAllEgress(target.ec2, write.groupId, write.ipv6)
            : createAllowAllAclEntry(target.ec2, write),
        );
        sent.push(write);
        logger.info('egress rule restored', {
          ...audit,
          action: write.action,
          resourceId: resourceOf(write),
          before: beforeOf(write),
          after: describeWrite(write),
        });
      } catch (error) {
        if (error instanceof WriteBudgetError) throw error;
        const code = awsErrorCode(error);
        // Someone else wrote an entry there meanwhile (for an ACL, any entry of that number):
        // not a failure; the re-read below tells how it stands.
        if (ALREADY_THERE.has(code)) {
          logger.warn('egress rule already there', { ...audit, action: write.action, resourceId: resourceOf(write) });
          continue;
        }
        logger.error('egress repair failed', {
          ...audit,
          action: write.action,
          resourceId: resourceOf(write),
          errorCode: code,
        });
        return { sent, refused: { write, code } };
      }
    }
    return { sent, refused: undefined };
  });
  if (!attempt) return asFound('would-restore-egress', `egress blocked; ${target.capNote}`);
  const { sent, refused } = attempt;

  // Verify by re-reading until every rule sent shows, exactly (even after a refusal).
  let value: DefaultEgressRead | undefined;
  let readCode: string | undefined;
  try {
    value = await readUntil(
      reread,
      (egress) => sent.every((write) => writeShows(defaultEgressOf(egress, vpcId), write)),
      target.settleDelays,
    );
  } catch (error) {
    readCode = awsErrorCode(error);
  }
  const found = value ? defaultEgressOf(value, vpcId) : undefined;
  const repaired = sent.filter((write) => found && writeShows(found, write)).map(describeWrite);
  const failed = (message: string, errorCode: string) => {
    logger.error('egress repair not verified', { ...audit, repaired, errorCode });
    return asFound('egress-repair-failed', message, { repaired, errorCode });
  };
  if (refused) {
    const what = refused.write
      ? `${refused.write.action} on ${resourceOf(refused.write)}`
      : 'the read before the repair';
    return failed(`${what} failed: ${refused.code}`, refused.code);
  }
  if (readCode) return failed(`egress rules sent, verification failed: ${readCode}`, readCode);
  const after = value ? planOf(value) : undefined;
  const unverified = sent.filter((write) => !found || !writeShows(found, write));
  if (unverified.length > 0 || !after) {
    return failed(
      `egress rules sent, but ${unverified.map(describeWrite).join(', ') || 'nothing'} does not show`,
      'VerificationFailed',
    );
  }
  const now = after.findings.filter((finding) => finding.state === 'restricted' || after.status === 'egress-blocked');
  const wrote = repaired.length > 0 ? `put back ${repaired.join(', ')}; ` : '';
  if (after.status === 'egress-blocked') {
    // Something else was stripped meanwhile: left for the next run, and said.
    return result('egress-blocked', said(`${wrote}still blocked (changed during the repair)`, now), {
      findings: plan.findings,
      repaired,
    });
  }
  if (sent.length === 0) {
    return result(after.status, said(`${RACE_NOTE}: now ${after.status}`, now), { findings: plan.findings });
  }
  logger.info('egress repaired', { ...audit, repaired, verified: true });
  const others = sent.length < plan.repairs.length ? `; ${RACE_NOTE} for the rest` : '';
  // The row keeps what was found; its message, only what a person narrowed beside it (left as is).
  return result('egress-restored', said(`put back ${repaired.join(', ')}${others}`, now), {
    findings: plan.findings,
    repaired,
  });
}

const RACE_NOTE = 'the egress was changed by someone else during the repair';
const IGNORED = 'account-janitor:ignore=true';

const messagesOf = (findings: readonly EgressFinding[]) => findings.map((finding) => finding.message);

function resourceOf(write: EgressWrite): string {
  return write.action === 'AuthorizeSecurityGroupEgress' ? write.groupId : write.networkAclId;
}

function directionOf(write: EgressWrite): EgressFinding['direction'] {
  if (write.action === 'AuthorizeSecurityGroupEgress') return 'egress';
  return write.egress ? 'outbound' : 'inbound';
}

function beforeOf(write: EgressWrite): string {
  return write.action === 'AuthorizeSecurityGroupEgress'
    ? 'no egress rule'
    : `only the final deny ${directionOf(write)}`;
}

/** "sg-… egress all traffic to 0.0.0.0/0", "acl-… inbound rule 100 allow all 0.0.0.0/0". */
export function describeWrite(write: EgressWrite): string {
  const cidr = write.ipv6 ? '::/0' : '0.0.0.0/0';
  return write.action === 'AuthorizeSecurityGroupEgress'
    ? `${write.groupId} egress all traffic to ${cidr}`
    : `${write.networkAclId} ${directionOf(write)} rule ${write.ruleNumber} allow all ${cidr}`;
}
