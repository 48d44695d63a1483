import { createLimiter } from '../core/limiter';
import { strongerCause } from '../core/who-broke-it';
import { EventValidationError } from '../errors';
import {
  hearBreakingEvent,
  startQuietPeriod,
  type HeardCall,
  type IntakeDependencies,
  type IntakeOutcome,
  type QuietPeriodStart,
} from './intake';
import { MAX_REFUSED_CALLS } from './targeted-repair';

/**
 * The intake's batches: the hub's rule puts each breaking call on a queue, and the intake takes
 * them a batch at a time. A batch's calls are heard one by one (what the configuration leaves
 * alone is dropped there, with the reason) and then folded by account-region: one quiet period,
 * one Scheduler write, per account-region of the batch, however many calls it had. So a flood from
 * one account (a role with no permissions calling DeleteRoute in a loop under enforce) costs one
 * schedule per region it calls in, at most the target regions; it cannot use up the intake's
 * concurrency or Scheduler's rate and keep other accounts' repairs waiting.
 */

/** One message of the queue: its id (what a partial failure names) and the EventBridge event it holds. */
export interface QueuedBreakingCall {
  readonly messageId: string;
  readonly body: string;
}

/** What the queue's event source takes back: the messages to deliver again (a Scheduler write that failed). */
export interface BatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** The account-regions of one batch that are written to Scheduler at once. */
export const INTAKE_WRITE_CONCURRENCY = 8;

/**
 * The calls heard in one account-region, folded into the one quiet period they start: the
 * stronger cause (`strongerCause`, as the schedule's own merge), the latest refused calls. Pure.
 */
export function foldHeardCalls(calls: readonly HeardCall[]): QuietPeriodStart[] {
  const byPlace = new Map<string, HeardCall[]>();
  for (const call of calls) {
    const key = `${call.accountId}/${call.region}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), call]);
  }
  return [...byPlace.values()].map((group) => {
    const [first] = group as [HeardCall, ...HeardCall[]];
    const cause = group.reduce<HeardCall['cause']>(
      (kept, { cause: next }) => (kept && next ? strongerCause(kept, next) : (kept ?? next)),
      undefined,
    );
    const refused = group.flatMap(({ refusal }) => (refusal ? [refusal] : [])).slice(-MAX_REFUSED_CALLS);
    return { accountId: first.accountId, region: first.region, cause, refused };
  });
}

export async function takeBreakingEventBatch(
  messages: readonly QueuedBreakingCall[],
  dependencies: IntakeDependencies,
): Promise<BatchResponse & { readonly outcomes: readonly IntakeOutcome[] }> {
  const { logger } = dependencies;
  const heard: (HeardCall & { readonly messageId: string })[] = [];
  const outcomes: IntakeOutcome[] = [];
  for (const { messageId, body } of messages) {
    const outcome = hearMessage(body, dependencies);
    if ('action' in outcome) outcomes.push(outcome);
    else heard.push({ ...outcome, messageId });
  }
  const schedule = createLimiter(INTAKE_WRITE_CONCURRENCY);
  const failures: { itemIdentifier: string }[] = [];
  const started = await Promise.all(
    foldHeardCalls(heard).map((start) =>
      schedule(async () => {
        try {
          return await startQuietPeriod(start, dependencies);
        } catch (error) {
          // Delivered again by the queue (and, past its receive count, to the dead-letter queue).
          const ids = heard.filter((call) => call.accountId === start.accountId && call.region === start.region);
          failures.push(...ids.map(({ messageId }) => ({ itemIdentifier: messageId })));
          logger.error('quiet period not started: the calls will be delivered again', {
            accountId: start.accountId,
            region: start.region,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
          return undefined;
        }
      }),
    ),
  );
  return {
    batchItemFailures: failures,
    outcomes: [...outcomes, ...started.filter((outcome): outcome is IntakeOutcome => outcome !== undefined)],
  };
}

/** One message's event heard; one that is not JSON or not an EC2 CloudTrail event is left alone (logged). */
function hearMessage(body: string, dependencies: IntakeDependencies): ReturnType<typeof hearBreakingEvent> {
  let raw: unknown;
  try {
    raw = JSON.parse(body) as unknown;
  } catch {
    dependencies.logger.warn('breaking call left alone', { reason: 'the message is not JSON' });
    return { action: 'left-alone', reason: 'the message is not JSON' };
  }
  try {
    return hearBreakingEvent(raw, dependencies);
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    dependencies.logger.warn('breaking call left alone', { reason: error.message });
    return { action: 'left-alone', reason: error.message };
  }
}
