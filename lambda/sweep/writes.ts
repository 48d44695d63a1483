import { awsErrorCode } from '../aws/error-code';
import { readUntil } from '../aws/eventual-consistency';
import type { PolicyRefusal } from '../core/policy-denial';
import type { RoutePlan } from '../core/plan-route-repair';
import { WriteBudgetError, type WriteClaim } from './budget';
import type { RegionTarget } from './context';
import { refusalOf, type RefusalContext } from './refusal';

/**
 * The writes of the steps: how many a route plan claims, and the one way every step sends a write
 * and verifies it.
 */

/**
 * The writes a plan may make, claimed from the run's budget before the first of them: a route is
 * one, a gateway three (create, attach, route; two when a detached one is reused), a default VPC
 * one (then its gateway and route, if AWS did not create them, claimed as such).
 */
export function writesOf(plan: RoutePlan): number {
  switch (plan.kind) {
    case 'repair':
      return 1;
    case 'repair-gateway':
      return plan.reuseGatewayId ? 2 : 3;
    case 'recreate-vpc':
      return 1; // then what AWS did not create, claimed once the VPC is read again
    default:
      return 0;
  }
}

/** What a write or a read-back came to: its value, or the AWS (or network) error code. */
export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string };

/** What a write came to: an attempt, whose failure, when a policy refused the write, says which and what to do. */
export type WriteAttempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string; readonly refusal?: PolicyRefusal | undefined };

/**
 * One write through its claim: what AWS returned, or the code it refused with, and when a policy
 * refused it, which one (decoded in the member account when EC2 encoded it). A write beyond the
 * claim is the janitor's own bug: thrown, never a row's failure.
 */
export async function attemptWrite<T>(
  target: RefusalContext,
  claim: WriteClaim,
  send: () => Promise<T>,
): Promise<WriteAttempt<T>> {
  try {
    return { ok: true, value: await claim.write(send) };
  } catch (error) {
    if (error instanceof WriteBudgetError) throw error;
    return { ok: false, code: awsErrorCode(error), refusal: await refusalOf(target, error) };
  }
}

/** "CreateRoute refused (UnauthorizedOperation): denied by a service control policy (…); next: exempt …". */
export function refusedMessage(write: string, code: string, refusal: PolicyRefusal): string {
  return `${write} refused (${code}): ${refusal.said}; next: ${refusal.nextStep}`;
}

/**
 * The verification of a write: reads until `settled` shows it (EC2 is eventually consistent; the
 * target's settle delays), then the last read; or the read's error code.
 */
export async function readBack<T>(
  target: Pick<RegionTarget, 'settleDelays'>,
  read: () => Promise<T>,
  settled: (value: T) => boolean,
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await readUntil(read, settled, target.settleDelays) };
  } catch (error) {
    return { ok: false, code: awsErrorCode(error) };
  }
}
