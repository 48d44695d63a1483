/**
 * Does CloudTrail record an account-region's write management events? EventBridge delivers
 * "AWS API Call via CloudTrail" events (the breaking calls the event path hears) only where a
 * trail that logs them covers the region: a trail of the account or an organization trail (seen
 * in the member account as a shadow trail), multi-region or homed there, logging, whose event
 * selectors take write management events. Without one the event path of that account-region is
 * silently dead: the nightly sweep still runs, so nothing alarms.
 */

/** A basic event selector, as GetEventSelectors returns it. */
export interface BasicEventSelector {
  readonly ReadWriteType?: string;
  readonly IncludeManagementEvents?: boolean;
  readonly ExcludeManagementEventSources?: readonly string[];
}

/** An advanced event selector's field selectors, as GetEventSelectors returns them. */
export interface AdvancedEventSelector {
  readonly FieldSelectors?: readonly {
    readonly Field?: string;
    readonly Equals?: readonly string[];
    readonly NotEquals?: readonly string[];
    readonly StartsWith?: readonly string[];
    readonly NotStartsWith?: readonly string[];
  }[];
}

/** One trail as the member account sees it in a region (DescribeTrails with shadow trails). */
export interface TrailView {
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly organizationTrail: boolean;
  /** GetTrailStatus; undefined when it could not be read (with the reason in `readError`). */
  readonly logging?: boolean;
  readonly eventSelectors?: readonly BasicEventSelector[];
  readonly advancedEventSelectors?: readonly AdvancedEventSelector[];
  /** The AWS error code of a status or selector read that failed. */
  readonly readError?: string;
}

export type TrailCoverage =
  { readonly covered: true; readonly trail: TrailView } | { readonly covered: false; readonly reason: string };

const EC2_SOURCE = 'ec2.amazonaws.com';

export function trailCoverage(trails: readonly TrailView[], region: string): TrailCoverage {
  const reaching = trails.filter((trail) => trail.multiRegion || trail.homeRegion === region);
  if (reaching.length === 0) return { covered: false, reason: 'no trail covers the region' };
  const covering = reaching.find((trail) => trail.logging === true && logsWriteManagementEvents(trail));
  if (covering) return { covered: true, trail: covering };
  return { covered: false, reason: reaching.map(whyNot).join('; ') };
}

function whyNot(trail: TrailView): string {
  if (trail.readError) return `trail ${trail.name} could not be read (${trail.readError})`;
  if (trail.logging !== true) return `trail ${trail.name} is not logging`;
  return `trail ${trail.name} does not log write management events of EC2`;
}

/**
 * A trail with no selectors at all logs every management event (CloudTrail's default); else one
 * basic selector that includes management events read-write or write-only, or one advanced
 * selector of the Management category that keeps write calls and EC2's source.
 */
export function logsWriteManagementEvents(trail: TrailView): boolean {
  const basic = trail.eventSelectors ?? [];
  const advanced = trail.advancedEventSelectors ?? [];
  if (basic.length === 0 && advanced.length === 0) return true;
  if (basic.some(basicTakesWrites)) return true;
  return advanced.some(advancedTakesWrites);
}

function basicTakesWrites(selector: BasicEventSelector): boolean {
  if (selector.IncludeManagementEvents === false) return false;
  if ((selector.ExcludeManagementEventSources ?? []).includes(EC2_SOURCE)) return false;
  return (
    selector.ReadWriteType === undefined || selector.ReadWriteType === 'All' || selector.ReadWriteType === 'WriteOnly'
  );
}

function advancedTakesWrites(selector: AdvancedEventSelector): boolean {
  const fields = selector.FieldSelectors ?? [];
  const field = (name: string) => fields.find((candidate) => candidate.Field === name);
  const category = field('eventCategory');
  if (!category?.Equals?.includes('Management')) return false;
  const readOnly = field('readOnly');
  if (readOnly && (readOnly.Equals?.includes('true') || readOnly.NotEquals?.includes('false'))) return false;
  const source = field('eventSource');
  if (source) {
    if (source.Equals && !source.Equals.includes(EC2_SOURCE)) return false;
    if (source.NotEquals?.includes(EC2_SOURCE)) return false;
    if (source.StartsWith && !source.StartsWith.some((prefix) => EC2_SOURCE.startsWith(prefix))) return false;
    if (source.NotStartsWith?.some((prefix) => EC2_SOURCE.startsWith(prefix))) return false;
  }
  return true;
}
