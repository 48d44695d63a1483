import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../core/cause';

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
