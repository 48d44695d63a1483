import { aboutDefaultRouteOnly, guardRailRefuses } from './breaking-call-entry';
import {
  BREAKING_CALLS,
  breakingEventNames,
  isBreakingCall,
  type BreakingCallName,
  type BreakingCallOptions,
} from './breaking-calls';

/**
 * The EventBridge pattern that hears the breaking calls (the member accounts' forwarders and the
 * hub's rule): made from `breakingEventNames`, as the intake's gate is, so the two cannot differ.
 */

/** The detail-type CloudTrail gives the management events it sends to EventBridge. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The error codes CloudTrail records for a call an SCP refused: EC2's, and the generic one. */
export const REFUSED_ERROR_CODES = ['Client.UnauthorizedOperation', 'AccessDenied'] as const;

/**
 * The EventBridge pattern of the breaking calls, as CloudTrail delivers them to the default bus of
 * a member account ("AWS API Call via CloudTrail"), narrowed as far as the record allows, so that
 * what reaches the intake is what it acts on:
 * - successful calls (no errorCode); with `refusals` (protectDefaultPath=enforce) also the calls
 *   an SCP refused, but only those the guard rail refuses (an entry with an IAM action): a role
 *   with no permissions calling `DeleteRouteTable` in a loop forwards nothing. The error message
 *   is not matched: EC2 encodes its authorization failures ("Encoded authorization failure
 *   message: …"), so "service control policy" is not in the record; the intake reads it;
 * - the calls about the default route only (DeleteRoute, ReplaceRoute) when they name 0.0.0.0/0
 *   (`requestParameters.destinationCidrBlock` ending in `/0`: the record keeps the caller's
 *   spelling, and EC2 reads `10.1.2.3/0` as 0.0.0.0/0), refused or not: a loop of
 *   `DeleteRoute ::/0` is not forwarded either;
 * - with the default subnet or egress switches off, the calls heard only with them (`heard` in
 *   BREAKING_CALLS) do not wake the janitor.
 * Given the janitor's own session ARN (`arn:…:sts::<account>:assumed-role/<member role>/account-janitor`),
 * its own calls (the ReplaceRoute of a repair) do not either, and every other session of the
 * role does; a call without a principal ARN (an AWS service's) is left to the nightly sweep.
 * A CreateRoute is heard whatever its destination: EventBridge cannot tell a destination that may
 * shadow 0.0.0.0/0 from one that cannot (the intake does, `ignoredWhen`).
 */
export function breakingCallPattern(
  options: BreakingCallOptions & { readonly janitorSessionArn?: unknown },
): Record<string, unknown> {
  const names = breakingEventNames(options).filter(isBreakingCall);
  const refusable = names.filter((name) => guardRailRefuses(BREAKING_CALLS[name]));
  return {
    source: ['aws.ec2'],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: ['ec2.amazonaws.com'],
      ...(options.janitorSessionArn
        ? { userIdentity: { arn: [{ 'anything-but': [options.janitorSessionArn] }] } }
        : {}),
      $or: [
        ...branches(names, [{ exists: false }]),
        ...(options.refusals ? branches(refusable, [...REFUSED_ERROR_CODES]) : []),
      ],
    },
  };
}

/** One branch for the calls that name any resource, one for those about the default route only. */
function branches(names: readonly BreakingCallName[], errorCode: readonly unknown[]): Record<string, unknown>[] {
  const defaultRoute = names.filter((name) => aboutDefaultRouteOnly(BREAKING_CALLS[name]));
  const any = names.filter((name) => !defaultRoute.includes(name));
  return [
    ...(any.length > 0 ? [{ eventName: any, errorCode }] : []),
    ...(defaultRoute.length > 0
      ? [
          {
            eventName: defaultRoute,
            errorCode,
            // Any IPv4 address over /0 is 0.0.0.0/0 to EC2 (it clears the host bits: `10.1.2.3/0`),
            // and the record keeps the caller's spelling; `::/0` is not heard. The intake reads
            // the destination again (isInternetRouteDestination).
            requestParameters: { destinationCidrBlock: [{ wildcard: '*.*.*.*/0' }] },
          },
        ]
      : []),
  ];
}

/**
 * The event names a deployed rule's pattern hears, successful or refused (doctor compares them
 * with what the configuration repairs): `detail.eventName`, and each `detail.$or` branch's.
 */
export function heardEventNames(pattern: Record<string, unknown> | undefined): string[] {
  const detail = pattern?.['detail'];
  if (!detail || typeof detail !== 'object') return [];
  const { eventName, $or } = detail as { eventName?: unknown; $or?: unknown };
  const named = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const branches: unknown[] = Array.isArray($or) ? $or : [];
  const heard = [
    ...named(eventName),
    ...branches.flatMap((branch) =>
      branch && typeof branch === 'object' ? named((branch as { eventName?: unknown }).eventName) : [],
    ),
  ];
  return [...new Set(heard)];
}
