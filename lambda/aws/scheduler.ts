import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';

/**
 * EventBridge Scheduler one-time schedules: the quiet period of the event-driven repair. One
 * schedule per name; a second call for the same name moves it (UpdateSchedule replaces the whole
 * definition) instead of adding one, its input merged with the one it had. Scheduler deletes it
 * once it has run; one that ran and went between our calls is created anew. Two calls for the same
 * name at once: the later write wins (both move it to about the same time; the merged cause may
 * miss the other's call).
 */

export interface OneTimeSchedule {
  readonly groupName: string;
  readonly name: string;
  /** When it runs: `at()` takes seconds, and Scheduler fires within the minute after. */
  readonly at: Date;
  /** When it runs if it exists already, given its current input (default `at`). */
  readonly movedAt?: (existing: unknown) => Date;
  readonly description: string;
  readonly target: {
    readonly arn: string;
    /** The role Scheduler assumes to invoke the target. */
    readonly roleArn: string;
    readonly input: unknown;
    /** The input of a schedule that already exists: given its current input (`undefined` if unreadable). */
    readonly merge?: (existing: unknown) => unknown;
    /** Where an invocation that failed after its retries goes. */
    readonly deadLetterArn: string;
  };
}

/** Scheduler's expression for a moment: `at(2026-11-26T02:18:08)`, in UTC. */
export function atExpression(at: Date): string {
  const second = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return `at(${second.toISOString().slice(0, 19)})`;
}

/** The CreateSchedule request of a one-time schedule: runs once at `at`, deleted by Scheduler after. */
function createScheduleInput(schedule: OneTimeSchedule): CreateScheduleCommandInput {
  return {
    GroupName: schedule.groupName,
    Name: schedule.name,
    Description: schedule.description,
    ScheduleExpression: atExpression(schedule.at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: schedule.target.arn,
      RoleArn: schedule.target.roleArn,
      Input: JSON.stringify(schedule.target.input),
      DeadLetterConfig: { Arn: schedule.target.deadLetterArn },
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
    },
  };
}

/**
 * Creates the schedule unless one of that name exists (`pending`: it waits, and is not moved): the
 * restore's, whose triggers within its wait run once and cannot put it off.
 */
export async function createScheduleOnce(
  client: SchedulerClient,
  schedule: OneTimeSchedule,
): Promise<'created' | 'pending'> {
  try {
    await client.send(new CreateScheduleCommand(createScheduleInput(schedule)));
    return 'created';
  } catch (error) {
    if (error instanceof ConflictException) return 'pending';
    throw error;
  }
}

/** Creates the schedule, or moves it when it exists: `created` or `moved`, and when it now runs. */
export async function scheduleOnce(
  client: SchedulerClient,
  schedule: OneTimeSchedule,
  attempts = 3,
): Promise<{ readonly outcome: 'created' | 'moved'; readonly at: Date }> {
  const input = createScheduleInput(schedule);
  try {
    await client.send(new CreateScheduleCommand(input));
    return { outcome: 'created', at: schedule.at };
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
  try {
    const existing = await currentInput(client, schedule.groupName, schedule.name);
    const merged = schedule.target.merge ? schedule.target.merge(existing) : schedule.target.input;
    const at = schedule.movedAt ? schedule.movedAt(existing) : schedule.at;
    await client.send(
      new UpdateScheduleCommand({
        ...input,
        ScheduleExpression: atExpression(at),
        Target: { ...input.Target!, Input: JSON.stringify(merged) },
      }),
    );
    return { outcome: 'moved', at };
  } catch (error) {
    // It ran, and Scheduler deleted it, between the conflict and our read or update: start anew.
    if (error instanceof ResourceNotFoundException && attempts > 1) return scheduleOnce(client, schedule, attempts - 1);
    throw error;
  }
}

async function currentInput(client: SchedulerClient, groupName: string, name: string): Promise<unknown> {
  const { Target: target } = await client.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
  try {
    return JSON.parse(target?.Input ?? '') as unknown;
  } catch {
    return undefined;
  }
}

/** When a schedule of a group was last written, and its expression; undefined when there is none. */
export async function readSchedule(
  client: SchedulerClient,
  groupName: string,
  name: string,
): Promise<{ readonly modifiedAt: Date; readonly expression: string } | undefined> {
  try {
    const schedule = await client.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
    return {
      modifiedAt: schedule.LastModificationDate ?? schedule.CreationDate ?? new Date(0),
      expression: schedule.ScheduleExpression ?? '',
    };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
