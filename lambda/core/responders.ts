import { describeSpan } from './duration';
import type { Cause } from './who-broke-it';
import type { SweepResult } from './report';
import { partsOf, rowPart } from './row-parts';

/**
 * A responder's change is not undone. An incident responder who quarantines a default VPC (strips
 * its network ACL, deletes its route) or a break-glass role that closes it on purpose looks, to the
 * janitor, exactly like a clean-up script. `respectPrincipals` names them: a drift whose cause is
 * one of them is reported `left-by-responder` and nothing in that account-region is repaired, until
 * someone else's call becomes the latest cause, or a person clears it (the CLI's --repair-anyway,
 * or the ignore tag); past `respectFor` the row says it needs a person again. Pure.
 */

/**
 * IAM's `ArnLike` on one ARN: `*` any run of characters (`/` and `:` included), `?` exactly one;
 * case-sensitive.
 */
export function arnMatches(arn: string, pattern: string): boolean {
  const expression = pattern
    .split('')
    .map((character) =>
      character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${expression}$`, 's').test(arn);
}

/**
 * The first pattern of respectPrincipals the cause's caller matches, by its session ARN
 * (`arn:aws:sts::…:assumed-role/IncidentResponse/alice`) or its role's ARN
 * (`arn:aws:iam::…:role/IncidentResponse`); undefined when none does.
 */
export function responderPatternOf(cause: Cause, patterns: readonly string[]): string | undefined {
  const arns = [cause.principalArn, cause.sessionIssuerArn].filter((arn): arn is string => Boolean(arn));
  return patterns.find((pattern) => arns.some((arn) => arnMatches(arn, pattern)));
}

/** How long a responder's change is left alone before it needs a person again (respectFor), at the time of the row. */
export interface RespectFor {
  readonly now: Date;
  /** respectFor as written (`7d`), for the message. */
  readonly text: string;
  readonly milliseconds: number;
}

/**
 * The row of an account-region a responder changed, from its row as found (a dry run of it):
 * nothing repaired, what would have been repaired shown as found broken, the responder's call as
 * its cause. A change older than respectFor (the responder's call's time, as CloudTrail or the
 * event gave it; a time unknown counts as older) is still left, and the row says for how long and
 * that it needs a person again (`respectOverdue`: a metric and an alarm count such rows).
 */
export function leftByResponder(found: SweepResult, cause: Cause, pattern: string, respect: RespectFor): SweepResult {
  const routeDrift = found.status.startsWith('would-') ? `; ${found.message}` : '';
  const left = respect.now.getTime() - Date.parse(cause.eventTime);
  const overdue = !(left < respect.milliseconds);
  const age = overdue
    ? `, left ${Number.isNaN(left) ? 'since an unknown time' : describeSpan(left)}, longer than respectFor (${respect.text}): it needs a person again`
    : '';
  // Each part's would-repair shown as found broken (row-parts.ts says how).
  const parts = Object.fromEntries(
    partsOf(found).flatMap(({ key, result }) => {
      const left = rowPart(key).leftByResponder(result);
      return left ? [[key, left]] : [];
    }),
  );
  return {
    ...found,
    status: 'left-by-responder',
    message: `not repaired: a responder's change (respectPrincipals ${pattern})${age}${routeDrift}`,
    ...parts,
    cause,
    ...(overdue ? { respectOverdue: true } : {}),
  };
}
