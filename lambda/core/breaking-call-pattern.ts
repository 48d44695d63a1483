import { breakingEventNames, type BreakingCallOptions } from './breaking-calls';

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
 * a member account ("AWS API Call via CloudTrail"): successful calls only (no errorCode), and
 * with `refusals` the ones an SCP refused too. With the default subnet or egress switches off, the
 * calls heard only with them (`heard` in BREAKING_CALLS) do not wake the janitor. Given the
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
