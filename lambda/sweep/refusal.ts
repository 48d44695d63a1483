import type { STSClient } from '@aws-sdk/client-sts';
import { ACCESS_DENIED_CODES, awsErrorCode, failedAction } from '../aws/error-code';
import { decodeAuthorizationMessage } from '../aws/sts';
import {
  denialMessageOf,
  explainRefusal,
  guardRailVerdict,
  type Decoding,
  type PolicyRefusal,
} from '../core/policy-denial';
import type { GuardRailEntry } from '../core/plan-protection';
import type { RegionTarget } from './context';
import type { SweepLogger } from './types';

/**
 * Refused calls, explained in the member account: AWS's message, and for EC2's encoded one what
 * `sts:DecodeAuthorizationMessage` makes of it there (core/policy-denial.ts decides). A decoding
 * that fails is said in the explanation, never the row's failure.
 */

/** What the explanation needs of an account (or account-region): its STS client, who was refused, where to log. */
export interface RefusalContext {
  readonly sts: () => STSClient;
  readonly logger: SweepLogger;
  readonly logFields: object;
  readonly run: { readonly memberSession: { readonly roleName: string } };
}

/** Decodes EC2's message in the member account; never throws. */
export async function decodeIn(
  sts: () => STSClient,
  encoded: string,
  logger: SweepLogger,
  fields: object,
): Promise<Decoding> {
  try {
    return { text: await decodeAuthorizationMessage(sts(), encoded) };
  } catch (error) {
    const code = awsErrorCode(error);
    logger.warn('cannot decode the authorization message', { ...fields, errorCode: code });
    return { failed: code };
  }
}

/** A call refused by a policy, explained; `undefined` when the error is no refusal (another code). */
export async function refusalOf(context: RefusalContext, error: unknown): Promise<PolicyRefusal | undefined> {
  if (!ACCESS_DENIED_CODES.has(awsErrorCode(error))) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  const said = denialMessageOf(message);
  const decoding =
    said.form === 'encoded' ? await decodeIn(context.sts, said.encoded, context.logger, context.logFields) : undefined;
  const subject = { roleName: context.run.memberSession.roleName, action: failedAction(error) ?? 'the call' };
  return explainRefusal(message, subject, decoding);
}

/**
 * The breaking calls heard refused in a targeted repair's quiet period, as far as the account
 * confirms them. A refusal heard with EC2's encoded message (CloudTrail records it so) is the
 * guard rail's only if its decoded statement is; another policy's is left out (logged); one that
 * cannot be decoded (CloudTrail may cut a long message) stays, said to be unconfirmed.
 */
export async function confirmedRefusals(
  target: RegionTarget,
  heard: readonly GuardRailEntry[],
): Promise<GuardRailEntry[]> {
  const confirmed = await Promise.all(
    heard.map(async (entry): Promise<GuardRailEntry[]> => {
      const { encodedMessage, ...named } = entry;
      if (encodedMessage === undefined) return [named];
      const fields = { ...target.logFields, eventName: entry.eventName, resourceId: entry.resourceId };
      const verdict = guardRailVerdict(await decodeIn(target.sts, encodedMessage, target.logger, fields));
      if (verdict === 'guard-rail') return [named];
      if (verdict === 'other-policy') {
        target.logger.info('a refused breaking call was not the guard rail’s', fields);
        return [];
      }
      return [{ ...named, unconfirmed: "EC2's encoded message could not be decoded: a policy refused it" }];
    }),
  );
  return confirmed.flat();
}
