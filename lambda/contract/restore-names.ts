/**
 * The names the stack and the restore-trigger function share (deployment setting restoreOn): its
 * environment variables, and its schedules' names and wait.
 */

export const RESTORE_ENVIRONMENT_VARIABLES = {
  restoreOn: 'JANITOR_RESTORE_ON',
  scheduleGroupName: 'JANITOR_RESTORE_SCHEDULE_GROUP',
  sweepFunctionArn: 'JANITOR_SWEEP_FUNCTION_ARN',
  schedulerRoleArn: 'JANITOR_SCHEDULER_ROLE_ARN',
  deadLetterQueueArn: 'JANITOR_DEAD_LETTER_QUEUE_ARN',
  innovationSandboxAccountId: 'JANITOR_INNOVATION_SANDBOX_ACCOUNT_ID',
} as const;

/** An account's restore schedule is `restore-<account id>` in the event path's group. */
export const RESTORE_SCHEDULE_PREFIX = 'restore-';

/**
 * Seconds from an account's first trigger to its restore: the triggers of that minute (Control
 * Tower's event and the move it made, a clean-up's two runs) run once.
 */
export const RESTORE_WAIT_SECONDS = 60;

/** The restore-trigger function's Scheduler calls: it creates an account's schedule, and nothing else. */
export const RESTORE_SCHEDULER_ACTIONS = ['scheduler:CreateSchedule'] as const;
