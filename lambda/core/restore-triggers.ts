/**
 * The restore triggers (deployment setting `restoreOn`), each once: the event that starts a
 * targeted sweep of one account right after a clean-up or a move, the rule's pattern on the hub's
 * bus, and the words the digest and the logs name it by. The stack's rules (lib/constructs/
 * restore-triggers.ts) and the function's parsing (lambda/events/restore-trigger.ts) are made
 * from this table.
 *
 * The shapes, from the sources that emit them:
 * - control-tower: AWS Control Tower lifecycle events, "AWS Service Event via CloudTrail" from
 *   `aws.controltower` on the management account's default bus in the landing zone's home region;
 *   `detail.serviceEventDetails.createManagedAccountStatus` (or `updateManagedAccountStatus`)
 *   `.account.accountId`, `.state` SUCCEEDED. https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
 *   (CreateManagedAccount, UpdateManagedAccount).
 * - account-moved: Organizations' MoveAccount as CloudTrail records it ("AWS API Call via
 *   CloudTrail", `aws.organizations`), delivered only in us-east-1 (Organizations' CloudTrail
 *   region) on the management account's default bus; `requestParameters` `accountId`,
 *   `sourceParentId`, `destinationParentId`. https://docs.aws.amazon.com/organizations/latest/APIReference/API_MoveAccount.html
 * - innovation-sandbox: Innovation Sandbox on AWS puts `AccountCleanupSucceeded` from source
 *   `account-cleaner`, detail `{ accountId, cleanupExecutionContext, reason }`, on its own bus:
 *   aws-solutions/innovation-sandbox-on-aws@dea7503f587e1e0ae4bcf1d9994409ef1cb2306b,
 *   source/infrastructure/lib/components/account-cleaner/step-function.ts (SendSuccessEvent) and
 *   source/common/events/account-cleanup-successful-event.ts, index.ts (EventDetailTypes).
 * - event: ours, `account-janitor.restore` / `Restore account defaults`, detail `{ accountId, regions? }`.
 */

export const RESTORE_TRIGGERS = ['control-tower', 'account-moved', 'innovation-sandbox', 'event'] as const;
export type RestoreTrigger = (typeof RESTORE_TRIGGERS)[number];

export const CONTROL_TOWER_SOURCE = 'aws.controltower';
export const CONTROL_TOWER_DETAIL_TYPE = 'AWS Service Event via CloudTrail';
export const CONTROL_TOWER_EVENT_NAMES = ['CreateManagedAccount', 'UpdateManagedAccount'] as const;
export const ORGANIZATIONS_SOURCE = 'aws.organizations';
export const API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/** Where Organizations' CloudTrail events are delivered, whatever the caller's region. */
export const ORGANIZATIONS_EVENT_REGION = 'us-east-1';
export const INNOVATION_SANDBOX_SOURCE = 'account-cleaner';
export const INNOVATION_SANDBOX_DETAIL_TYPE = 'AccountCleanupSucceeded';
export const RESTORE_EVENT_SOURCE = 'account-janitor.restore';
export const RESTORE_EVENT_DETAIL_TYPE = 'Restore account defaults';

export interface RestoreTriggerDefinition {
  readonly source: string;
  readonly detailType: string;
  /** The rule's pattern on the hub's bus (EventBridge's shape, `detail-type`). */
  readonly pattern: Readonly<Record<string, unknown>>;
  /**
   * The sources only an AWS service can put (EventBridge refuses `aws.` in PutEvents): the event
   * comes from the account it names in `account`, which must be the management account.
   */
  readonly fromManagementAccount: boolean;
  /** What the digest says started the run. */
  readonly label: string;
}

export const RESTORE_TRIGGER_DEFINITIONS = {
  'control-tower': {
    source: CONTROL_TOWER_SOURCE,
    detailType: CONTROL_TOWER_DETAIL_TYPE,
    pattern: {
      source: [CONTROL_TOWER_SOURCE],
      'detail-type': [CONTROL_TOWER_DETAIL_TYPE],
      detail: {
        eventName: [...CONTROL_TOWER_EVENT_NAMES],
        serviceEventDetails: {
          $or: [
            { createManagedAccountStatus: { state: ['SUCCEEDED'] } },
            { updateManagedAccountStatus: { state: ['SUCCEEDED'] } },
          ],
        },
      },
    },
    fromManagementAccount: true,
    label: 'Control Tower enrolled or updated the account',
  },
  'account-moved': {
    source: ORGANIZATIONS_SOURCE,
    detailType: API_CALL_DETAIL_TYPE,
    pattern: {
      source: [ORGANIZATIONS_SOURCE],
      'detail-type': [API_CALL_DETAIL_TYPE],
      detail: {
        eventSource: ['organizations.amazonaws.com'],
        eventName: ['MoveAccount'],
        errorCode: [{ exists: false }],
      },
    },
    fromManagementAccount: true,
    label: 'the account was moved in the organization',
  },
  'innovation-sandbox': {
    source: INNOVATION_SANDBOX_SOURCE,
    detailType: INNOVATION_SANDBOX_DETAIL_TYPE,
    pattern: { source: [INNOVATION_SANDBOX_SOURCE], 'detail-type': [INNOVATION_SANDBOX_DETAIL_TYPE] },
    fromManagementAccount: false,
    label: 'Innovation Sandbox cleaned the account',
  },
  event: {
    source: RESTORE_EVENT_SOURCE,
    detailType: RESTORE_EVENT_DETAIL_TYPE,
    pattern: { source: [RESTORE_EVENT_SOURCE], 'detail-type': [RESTORE_EVENT_DETAIL_TYPE] },
    fromManagementAccount: false,
    label: 'a restore event was sent',
  },
} as const satisfies Record<RestoreTrigger, RestoreTriggerDefinition>;

/** The trigger an event's source and detail-type name, or `undefined`. */
export function restoreTriggerOf(event: unknown): RestoreTrigger | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const record = event as Record<string, unknown>;
  return RESTORE_TRIGGERS.find((trigger) => {
    const definition: RestoreTriggerDefinition = RESTORE_TRIGGER_DEFINITIONS[trigger];
    return record['source'] === definition.source && record['detail-type'] === definition.detailType;
  });
}
