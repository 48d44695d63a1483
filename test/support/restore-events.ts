import {
  API_CALL_DETAIL_TYPE,
  CONTROL_TOWER_DETAIL_TYPE,
  CONTROL_TOWER_SOURCE,
  INNOVATION_SANDBOX_DETAIL_TYPE,
  INNOVATION_SANDBOX_SOURCE,
  ORGANIZATIONS_EVENT_REGION,
  ORGANIZATIONS_SOURCE,
  RESTORE_EVENT_DETAIL_TYPE,
  RESTORE_EVENT_SOURCE,
} from '../../lambda/core/restore-triggers';

/**
 * The restore triggers' events as they reach the hub's bus, written from their sources (moto
 * emits none of them: it has no CloudTrail, no Control Tower, no Innovation Sandbox).
 */

const envelope = (source: string, detailType: string, account: string, region: string, time: Date) => ({
  version: '0',
  id: `${account.slice(0, 8)}-${time.getTime().toString(16)}`,
  'detail-type': detailType,
  source,
  account,
  time: time.toISOString().replace(/\.\d+Z$/, 'Z'),
  region,
  resources: [],
});

/**
 * Control Tower's lifecycle event (a non-API "AWS Service Event via CloudTrail"), as AWS's Control
 * Tower user guide shows it: https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
 * (CreateManagedAccount, UpdateManagedAccount), on the management account's default bus in the
 * landing zone's home region.
 */
export function controlTowerEvent(options: {
  managementAccountId: string;
  accountId: string;
  eventName?: 'CreateManagedAccount' | 'UpdateManagedAccount';
  state?: 'SUCCEEDED' | 'FAILED';
  ouId?: string;
  region?: string;
  time: Date;
}): Record<string, unknown> {
  const eventName = options.eventName ?? 'CreateManagedAccount';
  const statusKey = eventName === 'CreateManagedAccount' ? 'createManagedAccountStatus' : 'updateManagedAccountStatus';
  const region = options.region ?? 'us-east-1';
  const time = options.time.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    ...envelope(CONTROL_TOWER_SOURCE, CONTROL_TOWER_DETAIL_TYPE, options.managementAccountId, region, options.time),
    detail: {
      eventVersion: '1.05',
      userIdentity: { accountId: options.managementAccountId, invokedBy: 'AWS Internal' },
      eventTime: time,
      eventSource: 'controltower.amazonaws.com',
      eventName,
      awsRegion: region,
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      eventID: '0b9b8d52-1111-4000-8000-000000000000',
      readOnly: false,
      eventType: 'AwsServiceEvent',
      serviceEventDetails: {
        [statusKey]: {
          organizationalUnit: {
            organizationalUnitName: 'Sandboxes',
            organizationalUnitId: options.ouId ?? 'ou-ab12-cdef3456',
          },
          account: { accountName: 'sandbox', accountId: options.accountId },
          state: options.state ?? 'SUCCEEDED',
          message: 'AWS Control Tower successfully created a managed account.',
          requestedTimestamp: time,
          completedTimestamp: time,
        },
      },
    },
  };
}

/**
 * Organizations' MoveAccount as CloudTrail records it ("AWS API Call via CloudTrail", source
 * aws.organizations, delivered in us-east-1 on the management account's default bus); the request
 * parameters are MoveAccount's own: https://docs.aws.amazon.com/organizations/latest/APIReference/API_MoveAccount.html
 */
export function moveAccountEvent(options: {
  managementAccountId: string;
  accountId: string;
  sourceParentId: string;
  destinationParentId: string;
  errorCode?: string;
  time: Date;
}): Record<string, unknown> {
  const time = options.time.toISOString().replace(/\.\d+Z$/, 'Z');
  const account = options.managementAccountId;
  return {
    ...envelope(ORGANIZATIONS_SOURCE, API_CALL_DETAIL_TYPE, account, ORGANIZATIONS_EVENT_REGION, options.time),
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/ops`,
        accountId: account,
      },
      eventTime: time,
      eventSource: 'organizations.amazonaws.com',
      eventName: 'MoveAccount',
      awsRegion: ORGANIZATIONS_EVENT_REGION,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.22.0',
      ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: 'denied' } : {}),
      requestParameters: {
        accountId: options.accountId,
        sourceParentId: options.sourceParentId,
        destinationParentId: options.destinationParentId,
      },
      responseElements: null,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}

/**
 * Innovation Sandbox's AccountCleanupSucceeded, as its clean-up state machine puts it on its bus:
 * aws-solutions/innovation-sandbox-on-aws@dea7503f587e1e0ae4bcf1d9994409ef1cb2306b,
 * source/infrastructure/lib/components/account-cleaner/step-function.ts (SendSuccessEvent: source
 * account-cleaner, detail accountId, cleanupExecutionContext, reason) and
 * source/common/events/account-cleanup-successful-event.ts. Forwarded to the hub's bus by the rule
 * on Innovation Sandbox's bus, with its envelope (the Innovation Sandbox hub account's).
 */
export function cleanupSucceededEvent(options: { isbAccountId: string; accountId: string; time: Date }) {
  const region = 'us-east-1';
  return {
    ...envelope(INNOVATION_SANDBOX_SOURCE, INNOVATION_SANDBOX_DETAIL_TYPE, options.isbAccountId, region, options.time),
    detail: {
      accountId: options.accountId,
      cleanupExecutionContext: {
        stateMachineExecutionArn: `arn:aws:states:${region}:${options.isbAccountId}:execution:AccountCleaner:0b9b8d52`,
        stateMachineExecutionStartTime: options.time.toISOString(),
      },
      reason: 'LeaseExpired',
    },
  };
}

/** Our own restore event, as a clean-up script puts it on the hub's bus. */
export function restoreEvent(options: {
  senderAccountId: string;
  accountId: string;
  regions?: readonly string[];
  time: Date;
}) {
  return {
    ...envelope(RESTORE_EVENT_SOURCE, RESTORE_EVENT_DETAIL_TYPE, options.senderAccountId, 'us-east-1', options.time),
    detail: { accountId: options.accountId, ...(options.regions ? { regions: options.regions } : {}) },
  };
}
