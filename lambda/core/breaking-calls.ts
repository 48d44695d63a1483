import { BREAKING_EVENT_NAMES, causeOf, EGRESS_EVENT_NAMES, type CloudTrailRecord } from './cause';
import type { GuardRailEntry } from './plan-protection';

/**
 * Which breaking calls a configuration listens for, and the EventBridge pattern that hears them
 * (the member accounts' forwarders and the hub's rule): one function, so the two cannot differ.
 */

/** The detail-type CloudTrail gives the management events it sends to EventBridge. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** What the configuration checks besides the route, which decides the breaking calls it listens for. */
export interface BreakingCallOptions {
  /** The default subnet switches: ModifySubnetAttribute too. */
  readonly subnets: boolean;
  /** The egress switches: RevokeSecurityGroupEgress, DeleteNetworkAclEntry, ReplaceNetworkAclEntry too. */
  readonly egress: boolean;
  /**
   * protectDefaultPath=enforce: the calls the guard rail refused are heard too (errorCode
   * Client.UnauthorizedOperation or AccessDenied), so a clean-up that needs fixing is named.
   */
  readonly refusals?: boolean;
}

/** The error codes CloudTrail records for a call an SCP refused: EC2's, and the generic one. */
export const REFUSED_ERROR_CODES = ['Client.UnauthorizedOperation', 'AccessDenied'] as const;

/** The breaking calls the configuration listens for. */
export function breakingEventNames(options: BreakingCallOptions): string[] {
  return BREAKING_EVENT_NAMES.filter(
    (name) =>
      (options.subnets || name !== 'ModifySubnetAttribute') && (options.egress || !EGRESS_EVENT_NAMES.has(name)),
  );
}

/** The breaking calls a sweep configuration listens for. */
export function breakingCallOptionsFor(config: {
  readonly checkDefaultSubnets: boolean;
  readonly repairDefaultSubnets: boolean;
  readonly checkEgress: boolean;
  readonly repairEgress: boolean;
  readonly protectDefaultPath?: string;
}): BreakingCallOptions {
  return {
    subnets: config.checkDefaultSubnets || config.repairDefaultSubnets,
    egress: config.checkEgress || config.repairEgress,
    refusals: config.protectDefaultPath === 'enforce',
  };
}

/**
 * The EventBridge pattern of the breaking calls, as CloudTrail delivers them to the default bus of
 * a member account ("AWS API Call via CloudTrail"): successful calls only (no errorCode), and
 * with `refusals` the ones an SCP refused too. With
 * the default subnet switches off, ModifySubnetAttribute does not wake the janitor; with the egress
 * switches off, neither do the security group and network ACL calls. Given the
 * janitor's own session ARN (`arn:…:sts::<account>:assumed-role/<member role>/account-janitor`),
 * its own calls (the ReplaceRoute of a repair) do not either, and every other session of the
 * role does; a call without a principal ARN (an AWS service's) is left to the nightly sweep.
 */
export function breakingCallPattern(
  options: BreakingCallOptions & { readonly janitorSessionArn?: unknown },
): Record<string, unknown> {
  return {
    source: ['aws.ec2'],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: ['ec2.amazonaws.com'],
      eventName: breakingEventNames(options),
      errorCode: options.refusals ? [{ exists: false }, ...REFUSED_ERROR_CODES] : [{ exists: false }],
      ...(options.janitorSessionArn
        ? { userIdentity: { arn: [{ 'anything-but': [options.janitorSessionArn] }] } }
        : {}),
    },
  };
}

/**
 * A breaking call the guard rail's SCP refused (protectDefaultPath=enforce): an SCP denial's error
 * code, and AWS's message naming a service control policy (an IAM denial of the caller's own
 * policy is not the guard rail's). The resource is the first id the call named.
 */
export function refusedByScp(record: CloudTrailRecord): GuardRailEntry | null {
  if (!(REFUSED_ERROR_CODES as readonly string[]).includes(record.errorCode ?? '')) return null;
  if (!/service control polic/i.test(record.errorMessage ?? '')) return null;
  const cause = causeOf(record);
  const [resourceId] = Object.entries(cause.touched ?? {})
    .filter(([key]) => key !== 'destinationCidrBlock')
    .map(([, id]) => id);
  return {
    principalArn: cause.principalArn,
    eventName: cause.eventName,
    eventTime: cause.eventTime,
    resourceId: resourceId ?? 'unknown',
  };
}
