import { z } from 'zod';
import { accountIdSchema, regionSchema } from '../config/schema';
import { type CloudTrailRecord } from '../core/who-broke-it';
import { CLOUDTRAIL_DETAIL_TYPE } from '../core/breaking-call-pattern';
import { toProblems } from '../config/parse';
import { EventValidationError } from '../errors';

/**
 * A breaking call as it reaches the hub's event bus: CloudTrail's "AWS API Call via CloudTrail"
 * event from a member account's default bus, forwarded to the hub's. Where the call was made is
 * the envelope's `account` and `region`, which EventBridge sets; the record's own
 * `recipientAccountId` and `awsRegion` must agree with them (`disagreement` says how they do
 * not, and the intake then schedules nothing). Only the fields the janitor reads are checked;
 * CloudTrail adds others.
 */

/** Any length up to what an EventBridge event can carry: the cause cuts each text to its own bound. */
const optionalText = z.string().max(262_144).optional();

export const breakingEventSchema = z.object({
  source: z.literal('aws.ec2'),
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  account: accountIdSchema,
  region: regionSchema,
  detail: z.object({
    recipientAccountId: accountIdSchema.optional(),
    awsRegion: regionSchema.optional(),
    eventName: z.string().min(1).max(128),
    eventTime: z.string().min(1).max(64),
    eventSource: optionalText,
    errorCode: optionalText,
    errorMessage: optionalText,
    sourceIPAddress: optionalText,
    userAgent: optionalText,
    userIdentity: z
      .object({
        arn: optionalText,
        sessionContext: z.object({ sessionIssuer: z.object({ arn: optionalText }).optional() }).optional(),
      })
      .optional(),
    requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
});

export interface BreakingEvent {
  readonly accountId: string;
  readonly region: string;
  readonly record: CloudTrailRecord;
  /** How the record's account or region differs from the envelope's; undefined when they agree. */
  readonly disagreement?: string;
}

export function parseBreakingEvent(event: unknown): BreakingEvent {
  const result = breakingEventSchema.safeParse(event, { reportInput: true });
  if (!result.success) {
    throw new EventValidationError(
      `not a CloudTrail event of EC2 (source aws.ec2, detail-type ${CLOUDTRAIL_DETAIL_TYPE})`,
      toProblems(result.error.issues, (key) => key),
    );
  }
  const { account, region, detail } = result.data;
  const recordAccount = detail.recipientAccountId ?? account;
  const recordRegion = detail.awsRegion ?? region;
  const disagreement =
    recordAccount !== account || recordRegion !== region
      ? `the record's ${recordAccount}/${recordRegion} is not the event's ${account}/${region}`
      : undefined;
  return { accountId: account, region, record: detail, ...(disagreement ? { disagreement } : {}) };
}
