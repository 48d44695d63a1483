import { hasDrifted, type SweepResult } from '../core/report';
import { emptyParts, PART_KEYS, ROW_PARTS } from '../core/row-parts';
import { parseDuration } from '../core/duration';
import { leftByResponder, responderPatternOf } from '../core/responders';
import type { Cause } from '../core/who-broke-it';
import { carriedCauseOf, findCause } from './cause';
import { RegionTarget } from './context';

/**
 * The region sweep with respectPrincipals (remediate mode, unless --repair-anyway): the
 * account-region is first examined as a dry run; when it drifted, who made each change (the route's
 * and the egress', carried from the event or looked up) is known before any write. If a responder
 * made one, nothing there is repaired: the row is `left-by-responder`. Otherwise the repair runs
 * as usual and the row keeps the cause found.
 */

/** Whether this run checks for responders before it writes. */
export function respectsResponders(target: RegionTarget): boolean {
  const { config, scope } = target.run;
  return config.respectPrincipals.length > 0 && config.mode === 'remediate' && !scope.repairAnyway;
}

/** The same account-region in a dry run: its steps plan and report, and write nothing. */
export function asDryRun(target: RegionTarget): RegionTarget {
  const run = { ...target.run, config: { ...target.run.config, mode: 'report' as const } };
  return new RegionTarget(run, target.account, target.region, target.ec2, target.cloudTrail, target.sts);
}

/**
 * Examines the account-region as a dry run, then repairs it only if no responder made its drift.
 * `examine` runs the steps of a target; returns the row and the cause to put on it.
 */
export async function sweepRespectingResponders(
  target: RegionTarget,
  examine: (target: RegionTarget) => Promise<SweepResult>,
): Promise<{ row: SweepResult; cause: Cause | null }> {
  const found = await examine(asDryRun(target));
  if (!hasDrifted(found)) return { row: found, cause: null };
  const causes = await causesOfEachDrift(target, found);
  for (const cause of causes) {
    const pattern = responderPatternOf(cause, target.config.respectPrincipals);
    if (pattern) {
      target.logger.warn('left as a responder made it', { ...target.logFields, pattern, cause });
      const { respectFor } = target.config;
      const respect = { now: target.run.now(), text: respectFor, milliseconds: parseDuration(respectFor) ?? 0 };
      return { row: leftByResponder(found, cause, pattern, respect), cause };
    }
  }
  return { row: await examine(target), cause: causes[0] ?? null };
}

/** The parts whose drift has a cause of its own to look up (the egress'); the others' is the route's. */
const OWN_CAUSE_PARTS = PART_KEYS.filter((key) => ROW_PARTS[key].causeResource !== null);

/**
 * Who made each drift of a row found: the route's (or gateway's, or VPC's, with the parts whose
 * drift is the route's to explain), then each part's with a cause of its own (the egress'), each
 * as the event carried it or as CloudTrail has it. One lookup each at most.
 */
async function causesOfEachDrift(target: RegionTarget, found: SweepResult): Promise<Cause[]> {
  const ownCauses = Object.fromEntries(OWN_CAUSE_PARTS.map((key) => [key, null]));
  const withoutOwnCauses: SweepResult = { ...found, ...ownCauses };
  const eachOwn = OWN_CAUSE_PARTS.map((key): SweepResult => ({
    ...found,
    status: 'ok',
    ...emptyParts(),
    ...ownCauses,
    [key]: found[key],
  }));
  const parts = [withoutOwnCauses, ...eachOwn].filter(hasDrifted);
  const known = target.run.scope.cause;
  const causes = await Promise.all(
    parts.map(async (part) => (known ? carriedCauseOf(target, part, known) : null) ?? (await findCause(target, part))),
  );
  return causes.filter((cause): cause is Cause => cause !== null);
}
