import { lookupEvents, type LookupQuery } from '../aws/cloudtrail';
import { awsErrorCode } from '../aws/error-code';
import { CLOUDTRAIL_HISTORY_DAYS } from '../config/values';
import { pickCause, type BreakageQuery, type Cause } from '../core/who-broke-it';
import type { SweepResult } from '../core/report';
import { partsOf, rowPart } from '../core/row-parts';
import { DRIFT_STATUSES } from '../core/statuses';
import type { RegionTarget } from './context';

/**
 * Who broke it, for a drifted account-region: one CloudTrail LookupEvents (two pages at most, at
 * CloudTrail's pace) in that account and region, within the run's cap of lookups. A lookup that
 * fails or finds nothing leaves `cause: null`: it never fails the row.
 */

/** Lookups one run makes at most: CloudTrail allows about 2 per second per account and region. */
export const MAX_CAUSE_LOOKUPS_PER_RUN = 200;
/** How far back the breaking call is looked for. */
const LOOKBACK_MS = 72 * 3_600_000;
/**
 * With respectPrincipals, as far back as CloudTrail's event history goes: a quarantine that lasts
 * a week must still be found a responder's on its eighth night, and its age known (respectFor).
 */
export const RESPONDER_LOOKBACK_MS = CLOUDTRAIL_HISTORY_DAYS * 86_400_000;

/** What a row found broken, as a query for its cause; undefined when nothing is worth one. */
function breakageOf(row: SweepResult, now: Date, janitorRoleName: string) {
  const lookup = DRIFT_STATUSES.has(row.status) ? lookupFor(row) : partLookupFor(row);
  if (!lookup) return undefined;
  const query: BreakageQuery = lookup.egressResourceId
    ? { egressResourceId: lookup.egressResourceId, before: now, janitorRoleName }
    : { routeTableId: row.routeTableId, vpcId: lookup.vpcKnown ? row.vpcId : null, before: now, janitorRoleName };
  return { lookup, query };
}

/**
 * The cause an event-driven repair carried, when it concerns what this row found broken (the same
 * test as the nightly lookup's); else `null`, and the row is left to the lookup.
 */
export function carriedCauseOf(target: RegionTarget, row: SweepResult, carried: Cause): Cause | null {
  const breakage = breakageOf(row, target.run.now(), target.config.memberRoleName);
  return breakage && causeConcerns(carried, breakage.query) ? carried : null;
}

/**
 * The cause an event-driven repair carried, when it concerns what a part reports without
 * repairing (the path check's findings: a CreateRoute that shadows 0.0.0.0/0, Block Public Access
 * turned on); else `null`. Never looked up: such findings are named within minutes, or not at all.
 */
export function carriedFindingCause(target: RegionTarget, row: SweepResult): Cause | null {
  const carried = target.run.scope.cause;
  if (!carried) return null;
  const findings = partsOf(row).flatMap(({ key, result }) => rowPart(key).causeFindings?.(result) ?? []);
  if (findings.length === 0) return null;
  const query = { findings, before: target.run.now(), janitorRoleName: target.config.memberRoleName };
  return causeConcerns(carried, query) ? carried : null;
}

export async function findCause(target: RegionTarget, row: SweepResult): Promise<Cause | null> {
  const now = target.run.now();
  const breakage = breakageOf(row, now, target.config.memberRoleName);
  if (!breakage) return null;
  const { lookup, query } = breakage;
  if (!target.run.takeCauseLookup()) return null;
  try {
    const records = await lookupEvents(target.cloudTrail(), {
      attribute: lookup.attribute,
      startTime: new Date(
        now.getTime() - (target.config.respectPrincipals.length > 0 ? RESPONDER_LOOKBACK_MS : LOOKBACK_MS),
      ),
      endTime: now,
    });
    const cause = pickCause(records, query);
    if (cause) target.logger.info('cause of drift', { ...target.logFields, status: row.status, ...cause });
    return cause;
  } catch (error) {
    target.logger.warn('cause not looked up', { ...target.logFields, errorCode: awsErrorCode(error) });
    return null;
  }
}

interface Lookup {
  readonly attribute: LookupQuery['attribute'];
  readonly vpcKnown: boolean;
  readonly egressResourceId?: string;
}

/**
 * With the route as it should be, the first part whose drift has a cause of its own (row-parts.ts
 * `causeResource`: the egress' stripped group, or else ACL): the calls on that resource. One
 * lookup per row, like the route's.
 */
function partLookupFor(row: SweepResult): Lookup | undefined {
  for (const { key, result } of partsOf(row)) {
    const resourceId = rowPart(key).causeResource?.(result);
    if (resourceId) {
      return { attribute: { key: 'ResourceName', value: resourceId }, vpcKnown: false, egressResourceId: resourceId };
    }
  }
  return undefined;
}

/** What to ask CloudTrail for, by what drifted: the route table, the gateway, or the VPC itself. */
function lookupFor(row: SweepResult): Lookup | undefined {
  switch (row.status) {
    case 'gateway-restored':
    case 'would-restore-gateway':
      return { attribute: { key: 'EventName', value: 'DetachInternetGateway' }, vpcKnown: true };
    case 'vpc-recreated':
    case 'would-recreate-vpc':
      return { attribute: { key: 'EventName', value: 'DeleteVpc' }, vpcKnown: false };
    default:
      return row.routeTableId
        ? { attribute: { key: 'ResourceName', value: row.routeTableId }, vpcKnown: true }
        : undefined;
  }
}

/**
 * Whether a cause carried from the event path concerns what a row found broken: the same test as
 * the nightly lookup's (`pickCause`), on the ids the call named. A DeleteRoute of another table,
 * of another destination, or of another account-region's resources is not this row's cause.
 */
function causeConcerns(cause: Cause, query: BreakageQuery): boolean {
  return (
    pickCause(
      [
        {
          eventName: cause.eventName,
          eventTime: cause.eventTime,
          userIdentity: { arn: cause.principalArn },
          requestParameters: { ...cause.touched },
        },
      ],
      query,
    ) !== null
  );
}
