import { EVENT_DIGEST_INTERVAL_SECONDS, DIGEST_LEDGER_KEY, DIGEST_LEDGER_TTL_ATTRIBUTE } from '../contract/names';
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The event path's digest ledger: when each account-region last had an event-driven digest, in a
 * DynamoDB table of the stack (one item per account-region, expired by TTL). A digest goes out only
 * when none went out for that account-region in the last interval (one hour): a test suite that
 * breaks its route every ten minutes, or a hostile member, cannot flood the topic's subscribers.
 * The repairs still happen and are logged; the next digest that goes out says how many were held
 * back, and the nightly digest still lists whatever needs a person. One conditional write decides,
 * so two sweeps at once cannot both send.
 */

export type DigestClaim =
  /** Send it; `heldBack` digests of this account-region were not sent since the last one. */
  | { readonly send: true; readonly heldBack: number }
  /** Hold it back: one went out at `lastSentAt`; this makes `heldBack` since. */
  | { readonly send: false; readonly lastSentAt: string; readonly heldBack: number };

export interface DigestLedger {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly intervalSeconds?: number;
}

const number = (value: number): AttributeValue => ({ N: String(value) });
const numberOf = (item: Record<string, AttributeValue> | undefined, name: string): number =>
  Number(item?.[name]?.N ?? 0);

/** Whether the event-driven digest of an account-region may go out at `now`, and records it. */
export async function claimEventDigest(
  ledger: DigestLedger,
  accountId: string,
  region: string,
  now: Date,
): Promise<DigestClaim> {
  const interval = ledger.intervalSeconds ?? EVENT_DIGEST_INTERVAL_SECONDS;
  const seconds = Math.floor(now.getTime() / 1000);
  const key = { [DIGEST_LEDGER_KEY]: { S: `${accountId}/${region}` } };
  try {
    const { Attributes: before } = await ledger.client.send(
      new UpdateItemCommand({
        TableName: ledger.tableName,
        Key: key,
        UpdateExpression: 'SET sentAt = :now, heldBack = :zero, #ttl = :expires',
        // A sentAt in the future (a clock gone wrong, or a write that was not the functions') is stale:
        // it must not hold every digest of the account-region back until then.
        ConditionExpression: 'attribute_not_exists(sentAt) OR sentAt <= :windowStart OR sentAt > :now',
        ExpressionAttributeNames: { '#ttl': DIGEST_LEDGER_TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':now': number(seconds),
          ':zero': number(0),
          ':expires': number(seconds + 2 * interval),
          ':windowStart': number(seconds - interval),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { send: true, heldBack: numberOf(before, 'heldBack') };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Attributes: after } = await ledger.client.send(
    new UpdateItemCommand({
      TableName: ledger.tableName,
      Key: key,
      UpdateExpression: 'ADD heldBack :one',
      ExpressionAttributeValues: { ':one': number(1) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return {
    send: false,
    lastSentAt: new Date(numberOf(after, 'sentAt') * 1000).toISOString(),
    heldBack: numberOf(after, 'heldBack'),
  };
}
