import { authorizeAllEgress, createAllowAllAclEntry, describeDefaultEgress } from '../../aws/egress';
import { awsErrorCode } from '../../aws/error-code';
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
import type { RegionNetwork } from '../../core/region-network';
import type { EgressResult } from '../../core/report';
import type { EgressStatus } from '../../core/statuses';
import { IGNORE_TAG_KEY, IGNORE_TAG_VALUE } from '../../contract/tags';
import type { WriteClaim } from '../budget';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';
import type { PolicyRefusal } from '../../core/policy-denial';
import { attemptWrite, readBack, refusedMessage } from '../writes';

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
  const found = readEgress(target, vpc.vpcId, network.defaultVpc, read);
  if (!('plan' in found)) return found;
  const reported = reportEgress(target, found);
  if (reported) return reported;
  const attempt = await target.run.budget.use(found.plan.repairs.length, (claim) => applyEgress(target, found, claim));
  if (!attempt) return found.asFound('would-restore-egress', `egress blocked; ${target.capNote}`);
  return verifyEgress(target, found, attempt);
}

/** The egress of one default VPC as read, planned, and how its row is worded. */
interface FoundEgress {
  readonly vpcId: string;
  /** The fields every log line about this egress starts with. */
  readonly audit: { readonly accountId: string; readonly region: string; readonly vpcId: string };
  readonly plan: EgressPlan;
  /** "sg-… and acl-…". */
  readonly ids: string;
  /** The plan of a later read (before the writes, after them). */
  readonly planOf: (egress: DefaultEgressRead) => EgressPlan | undefined;
  readonly result: (status: EgressStatus, message: string, extra?: Partial<EgressResult>) => EgressResult;
  /** The message: what happened, then what was found (blocked and restricted), then what is ignored. */
  readonly said: (message: string, findings?: readonly EgressFinding[]) => string;
  readonly asFound: (status: EgressStatus, message: string, extra?: Partial<EgressResult>) => EgressResult;
}

/** Read: the default group and ACL of the VPC among those described, planned; or the row of a failed read. */
function readEgress(
  target: RegionTarget,
  vpcId: string,
  defaultVpc: NonNullable<RegionNetwork['defaultVpc']>,
  read: NonNullable<RegionNetwork['egress']>,
): FoundEgress | EgressResult {
  const { accountId, region } = target.logFields;
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
    target.logger.error('cannot describe the default security group and network ACL', { ...audit, errorCode: code });
    return result(
      'egress-error',
      `DescribeSecurityGroups/DescribeNetworkAcls failed: ${code} (does the member role have the egress permissions?)`,
      { errorCode: code },
    );
  }
  const { securityGroup, networkAcl } = defaultEgressOf(read, vpcId);
  if (!securityGroup || !networkAcl) {
    const missing = securityGroup ? 'DefaultNetworkAclNotFound' : 'DefaultSecurityGroupNotFound';
    target.logger.error('default security group or network ACL not found', { ...audit, errorCode: missing });
    return result('egress-error', `${vpcId} shows no default ${securityGroup ? 'network ACL' : 'security group'}`, {
      errorCode: missing,
    });
  }
  const vpcHasIpv6 = (defaultVpc.Ipv6CidrBlockAssociationSet ?? []).some(
    (association) => association.Ipv6CidrBlockState?.State === 'associated',
  );
  const planOf = (egress: DefaultEgressRead): EgressPlan | undefined => {
    const again = defaultEgressOf(egress, vpcId);
    return again.securityGroup && again.networkAcl
      ? planEgressRepair({ vpcHasIpv6, securityGroup: again.securityGroup, networkAcl: again.networkAcl })
      : undefined;
  };
  const plan = planEgressRepair({ vpcHasIpv6, securityGroup, networkAcl });
  const ignoredNote = plan.ignored.length > 0 ? `; ${plan.ignored.join(', ')} tagged ${IGNORED}: left alone` : '';
  const said = (message: string, findings: readonly EgressFinding[] = plan.findings) =>
    [message, ...findings.map((finding) => finding.message)].join('; ') + ignoredNote;
  const asFound = (status: EgressStatus, message: string, extra: Partial<EgressResult> = {}) =>
    result(status, said(message), { findings: plan.findings, ...extra });
  const ids = `${securityGroup.GroupId ?? '?'} and ${networkAcl.NetworkAclId ?? '?'}`;
  return { vpcId, audit, plan, ids, planOf, result, said, asFound };
}

/** Plan: the row as found, unless the egress is blocked and the repair is on in remediate mode (then `null`). */
function reportEgress(target: RegionTarget, found: FoundEgress): EgressResult | null {
  const { plan, audit, asFound, result, ids } = found;
  switch (plan.status) {
    case 'egress-ok':
      return asFound('egress-ok', `default security group and network ACL ${ids} let traffic out`);
    case 'egress-ignored':
      return result('egress-ignored', `${ids} tagged ${IGNORED}: left alone`);
    case 'egress-restricted':
      target.logger.warn('egress narrowed by a person', { ...audit, findings: messagesOf(plan.findings) });
      return asFound('egress-restricted', 'egress narrowed: reported, never changed');
    case 'egress-blocked':
      break;
  }
  const blocked = plan.findings.filter((finding) => finding.state === 'blocked');
  target.logger.warn('egress blocked', { ...audit, findings: messagesOf(blocked) });
  if (target.config.egress !== 'repair') return asFound('egress-blocked', 'egress blocked');
  if (target.config.mode === 'report') {
    return asFound(
      'would-restore-egress',
      `egress blocked: would put back ${plan.repairs.map(describeWrite).join(', ')}`,
    );
  }
  return null;
}

interface EgressAttempt {
  readonly sent: EgressWrite[];
  readonly refused:
    | {
        readonly write: EgressWrite | undefined;
        readonly code: string;
        readonly refusal?: PolicyRefusal | undefined;
      }
    | undefined;
}

/** Apply: read again just before writing, then the writes still needed, each through the claim. */
async function applyEgress(target: RegionTarget, found: FoundEgress, claim: WriteClaim): Promise<EgressAttempt> {
  const { plan, audit } = found;
  // The region was read before the route step, seconds ago: a rule a person added since is not to be written over.
  const still = await readBack(
    target,
    () => describeDefaultEgress(target.ec2, found.vpcId),
    () => true,
  );
  if (!still.ok) return { sent: [], refused: { write: undefined, code: still.code } };
  const now = found.planOf(still.value);
  const stillBlocked = new Set(now?.status === 'egress-blocked' ? now.repairs.map(writeKey) : []);
  const sent: EgressWrite[] = [];
  for (const write of plan.repairs.filter((planned) => stillBlocked.has(writeKey(planned)))) {
    const fields = { ...audit, action: write.action, resourceId: resourceOf(write) };
    const outcome = await attemptWrite(target, claim, () =>
      write.action === 'AuthorizeSecurityGroupEgress'
        ? authorizeAllEgress(target.ec2, write.groupId, write.ipv6)
        : createAllowAllAclEntry(target.ec2, write),
    );
    if (outcome.ok) {
      sent.push(write);
      target.logger.info('egress rule restored', { ...fields, before: beforeOf(write), after: describeWrite(write) });
    } else if (ALREADY_THERE.has(outcome.code)) {
      // Someone else wrote an entry there meanwhile (for an ACL, any entry of that number): not a
      // failure; the re-read tells how it stands.
      target.logger.warn('egress rule already there', fields);
    } else {
      target.logger.error('egress repair failed', { ...fields, errorCode: outcome.code });
      return { sent, refused: { write, code: outcome.code, refusal: outcome.refusal } };
    }
  }
  return { sent, refused: undefined };
}

/** Verify: re-read until every rule sent shows, exactly (even after a refusal), and word the row. */
async function verifyEgress(target: RegionTarget, found: FoundEgress, attempt: EgressAttempt): Promise<EgressResult> {
  const { plan, audit, asFound, result, said, vpcId } = found;
  const { sent, refused } = attempt;
  const read = await readBack(
    target,
    () => describeDefaultEgress(target.ec2, vpcId),
    (egress) => sent.every((write) => writeShows(defaultEgressOf(egress, vpcId), write)),
  );
  const shown = read.ok ? defaultEgressOf(read.value, vpcId) : undefined;
  const repaired = sent.filter((write) => shown && writeShows(shown, write)).map(describeWrite);
  const failed = (message: string, errorCode: string) => {
    target.logger.error('egress repair not verified', { ...audit, repaired, errorCode });
    return asFound('egress-repair-failed', message, { repaired, errorCode });
  };
  if (refused) {
    const what = refused.write
      ? `${refused.write.action} on ${resourceOf(refused.write)}`
      : 'the read before the repair';
    const { code, refusal } = refused;
    if (refusal)
      return asFound('egress-repair-refused', refusedMessage(what, code, refusal), { repaired, errorCode: code });
    return failed(`${what} failed: ${code}`, code);
  }
  if (!read.ok) return failed(`egress rules sent, verification failed: ${read.code}`, read.code);
  const after = found.planOf(read.value);
  const unverified = sent.filter((write) => !shown || !writeShows(shown, write));
  if (unverified.length > 0 || !after) {
    const missing = unverified.map(describeWrite).join(', ') || 'nothing';
    return failed(`egress rules sent, but ${missing} does not show`, 'VerificationFailed');
  }
  const now = after.findings.filter((finding) => finding.state === 'restricted' || after.status === 'egress-blocked');
  const wrote = repaired.length > 0 ? `put back ${repaired.join(', ')}; ` : '';
  if (after.status === 'egress-blocked') {
    // Something else was stripped meanwhile: left for the next run, and said.
    const message = said(`${wrote}still blocked (changed during the repair)`, now);
    return result('egress-blocked', message, { findings: plan.findings, repaired });
  }
  if (sent.length === 0) {
    return result(after.status, said(`${RACE_NOTE}: now ${after.status}`, now), { findings: plan.findings });
  }
  target.logger.info('egress repaired', { ...audit, repaired, verified: true });
  const others = sent.length < plan.repairs.length ? `; ${RACE_NOTE} for the rest` : '';
  // The row keeps what was found; its message, only what a person narrowed beside it (left as is).
  const message = said(`put back ${repaired.join(', ')}${others}`, now);
  return result('egress-restored', message, { findings: plan.findings, repaired });
}

const RACE_NOTE = 'the egress was changed by someone else during the repair';
const IGNORED = `${IGNORE_TAG_KEY}=${IGNORE_TAG_VALUE}`;

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

/** A new default VPC has its default security group and network ACL (when they were read). */
export function egressCompleteIn({ egress }: RegionNetwork, vpc: { readonly vpcId: string }): boolean {
  if (!egress || 'readError' in egress) return true;
  const { securityGroup, networkAcl } = defaultEgressOf(egress, vpc.vpcId);
  return Boolean(securityGroup && networkAcl);
}
