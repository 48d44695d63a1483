import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  type CloudTrailClient,
} from '@aws-sdk/client-cloudtrail';
import type { TrailView } from '../core/trail-coverage';
import { awsErrorCode } from './error-code';
import type { CloudTrailRecord } from '../core/who-broke-it';

/**
 * CloudTrail LookupEvents in a member account and region (read-only, management events of the
 * last 90 days). AWS allows about 2 requests per second per account and region: pages are read
 * at most that fast, and at most `maxPages` of them.
 */

export interface LookupQuery {
  readonly attribute: { readonly key: 'ResourceName' | 'EventName'; readonly value: string };
  readonly startTime: Date;
  readonly endTime: Date;
  /** Pages of 50 events, at most (default 2). */
  readonly maxPages?: number;
  /** Pause between pages (default 500 ms: 2 requests per second). */
  readonly pageIntervalMs?: number;
}

export async function lookupEvents(client: CloudTrailClient, query: LookupQuery): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < (query.maxPages ?? 2); page += 1) {
    if (page > 0) await new Promise((resolve) => setTimeout(resolve, query.pageIntervalMs ?? 500));
    const { Events: events, NextToken: next } = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }],
        StartTime: query.startTime,
        EndTime: query.endTime,
        MaxResults: 50,
        NextToken: nextToken,
      }),
    );
    for (const event of events ?? []) {
      if (!event.CloudTrailEvent) continue;
      try {
        records.push(JSON.parse(event.CloudTrailEvent) as CloudTrailRecord);
      } catch {
        // A record that is not JSON says nothing about the cause.
      }
    }
    nextToken = next;
    if (!nextToken) break;
  }
  return records;
}

/** The trails of one region, or the code of DescribeTrails failing there. */
export type TrailsInRegion = TrailView[] | { readonly errorCode: string };

/** A trail as DescribeTrails lists it, before its status and selectors are read. */
type ListedTrail = Pick<TrailView, 'arn' | 'name' | 'homeRegion' | 'multiRegion' | 'organizationTrail'>;

/**
 * The trails a member account sees in each of these regions: its own and the organization's
 * (shadow trails included), each with its logging status and event selectors. A trail seen from
 * many regions is read once, in its home region, by ARN (a shadow trail answers only to its ARN,
 * and an organization trail's home is the management account's). A status or selector read that
 * fails is kept on the trail as its error code; DescribeTrails failing in a region is that
 * region's error code.
 */
export async function describeTrailsByRegion(
  clientIn: (region: string) => CloudTrailClient,
  regions: readonly string[],
): Promise<Map<string, TrailsInRegion>> {
  const states = new Map<string, Promise<Partial<TrailView>>>();
  const stateOf = (trail: ListedTrail) => {
    let state = states.get(trail.arn);
    if (!state) {
      state = readTrailState(clientIn(trail.homeRegion || regions[0] || ''), trail.arn);
      states.set(trail.arn, state);
    }
    return state;
  };
  const entries = await Promise.all(
    regions.map(async (region): Promise<[string, TrailsInRegion]> => {
      try {
        const listed = await listTrails(clientIn(region));
        const trails = await Promise.all(listed.map(async (trail) => ({ ...trail, ...(await stateOf(trail)) })));
        return [region, trails];
      } catch (error) {
        return [region, { errorCode: awsErrorCode(error) }];
      }
    }),
  );
  return new Map(entries);
}

async function listTrails(client: CloudTrailClient): Promise<ListedTrail[]> {
  const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  return trailList.map((trail) => {
    const arn = trail.TrailARN ?? trail.Name ?? '';
    return {
      arn,
      name: trail.Name ?? arn,
      homeRegion: trail.HomeRegion ?? '',
      multiRegion: trail.IsMultiRegionTrail ?? false,
      organizationTrail: trail.IsOrganizationTrail ?? false,
    };
  });
}

async function readTrailState(client: CloudTrailClient, arn: string): Promise<Partial<TrailView>> {
  try {
    const [status, selectors] = await Promise.all([
      client.send(new GetTrailStatusCommand({ Name: arn })),
      client.send(new GetEventSelectorsCommand({ TrailName: arn })),
    ]);
    return {
      logging: status.IsLogging ?? false,
      eventSelectors: selectors.EventSelectors ?? [],
      advancedEventSelectors: selectors.AdvancedEventSelectors ?? [],
    };
  } catch (error) {
    return { readError: awsErrorCode(error) };
  }
}
