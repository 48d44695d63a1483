import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { atExpression } from './scheduler';

/**
 * The restore's one-time EventBridge Scheduler schedule: one name per account, created once. A
 * second trigger for the account while the schedule waits meets the name (ConflictException) and
 * is `pending`: one account's triggers within the wait run once. Unlike the quiet period's
 * schedule, it is never moved: a stream of triggers cannot put a restore off. Scheduler deletes it
 * once it has run (ActionAfterCompletion DELETE), and the next trigger creates it anew.
 */

export interface RestoreSchedule {
  readonly groupName: string;
  readonly name: string;
  readonly at: Date;
  readonly description: string;
  readonly targetArn: string;
  /** The role Scheduler assumes to invoke the target. */
  readonly roleArn: string;
  readonly input: unknown;
  /** Where an invocation that failed after its retries goes. */
  readonly deadLetterArn: string;
}

export async function scheduleRestoreOnce(
  client: SchedulerClient,
  schedule: RestoreSchedule,
): Promise<'created' | 'pending'> {
  try {
    await client.send(
      new CreateScheduleCommand({
        GroupName: schedule.groupName,
        Name: schedule.name,
        Description: schedule.description,
        ScheduleExpression: atExpression(schedule.at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        State: 'ENABLED',
        Target: {
          Arn: schedule.targetArn,
          RoleArn: schedule.roleArn,
          Input: JSON.stringify(schedule.input),
          DeadLetterConfig: { Arn: schedule.deadLetterArn },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof ConflictException) return 'pending';
    throw error;
  }
}
