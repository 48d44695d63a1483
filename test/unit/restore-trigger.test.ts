import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import { RESTORE_TRIGGERS, restoreTriggerOf, type RestoreTrigger } from '../../lambda/core/restore-triggers';
import { EventValidationError } from '../../lambda/errors';
import {
  decideRestore,
  restoreRunEvent,
  type RestoreDecision,
  type RestoreTriggerContext,
} from '../../lambda/events/restore-trigger';
import { applyRequest, parseInvocationEvent } from '../../lambda/invocation-event';
import { renderDigest } from '../../lambda/report/digest';
import { cleanupSucceededEvent, controlTowerEvent, moveAccountEvent, restoreEvent } from '../support/restore-events';

/**
 * The restore triggers' decision, pure: every trigger's event read from its fields, and every
 * reason an event is dropped; the restore it asks for, as the sweep function reads it back.
 */

const OU = 'ou-ab12-cdef3456';
const MANAGEMENT = '999988887777';
const ACCOUNT = '111122223333';
const EXCLUDED = '444455556666';
const time = new Date('2026-11-26T02:13:07Z');
const config = (raw: Record<string, unknown> = {}) =>
  parseSweepConfig(
    { targetOuIds: OU, regions: ['eu-west-1', 'us-east-1'], excludeAccountIds: EXCLUDED, ...raw },
    'test',
    (key) => key,
  );
const context = (overrides: Partial<RestoreTriggerContext> = {}): RestoreTriggerContext => ({
  config: config(),
  restoreOn: RESTORE_TRIGGERS,
  managementAccountId: MANAGEMENT,
  ...overrides,
});

const EVENT_OF: Record<RestoreTrigger, (accountId: string) => Record<string, unknown>> = {
  'control-tower': (accountId) => controlTowerEvent({ managementAccountId: MANAGEMENT, accountId, time }),
  'account-moved': (accountId) =>
    moveAccountEvent({
      managementAccountId: MANAGEMENT,
      accountId,
      sourceParentId: 'r-ab12',
      destinationParentId: OU,
      time,
    }),
  'innovation-sandbox': (accountId) => cleanupSucceededEvent({ isbAccountId: '777788889999', accountId, time }),
  event: (accountId) => restoreEvent({ senderAccountId: '777788889999', accountId, time }),
};

const reasonOf = (decision: RestoreDecision) => (decision.action === 'dropped' ? decision.reason : 'restored');

test.each(RESTORE_TRIGGERS)('%s: its event names its trigger and its account, and is restored', (trigger) => {
  const event = EVENT_OF[trigger](ACCOUNT);
  expect(restoreTriggerOf(event)).toBe(trigger);
  expect(decideRestore(event, context())).toEqual({ action: 'restore', trigger, accountId: ACCOUNT });
});

test.each(RESTORE_TRIGGERS)(
  '%s: dropped when not in restoreOn, for an excluded account, for the management account',
  (trigger) => {
    const others = RESTORE_TRIGGERS.filter((other) => other !== trigger);
    expect(reasonOf(decideRestore(EVENT_OF[trigger](ACCOUNT), context({ restoreOn: others })))).toBe(
      `the ${trigger} trigger is not in restoreOn`,
    );
    expect(reasonOf(decideRestore(EVENT_OF[trigger](EXCLUDED), context()))).toBe(
      'account excluded by the configuration',
    );
    expect(reasonOf(decideRestore(EVENT_OF[trigger](MANAGEMENT), context()))).toBe(
      'the management account (a target only when named in accountIds)',
    );
    // Named by id, the management account is a target like any other.
    const named = context({ config: config({ targetOuIds: '', accountIds: MANAGEMENT }) });
    expect(reasonOf(decideRestore(EVENT_OF[trigger](MANAGEMENT), named))).toBe('restored');
    // Only named accounts: another one is none of the janitor's business.
    const onlyNamed = context({ config: config({ targetOuIds: '', accountIds: EXCLUDED, excludeAccountIds: '' }) });
    expect(reasonOf(decideRestore(EVENT_OF[trigger](ACCOUNT), onlyNamed))).toBe('account not among the targets');
  },
);

test('Control Tower: either status, SUCCEEDED only, the status of its own event name, from the management account', () => {
  const update = controlTowerEvent({
    managementAccountId: MANAGEMENT,
    accountId: ACCOUNT,
    eventName: 'UpdateManagedAccount',
    time,
  });
  expect(decideRestore(update, context())).toMatchObject({ action: 'restore', accountId: ACCOUNT });
  const failed = controlTowerEvent({ managementAccountId: MANAGEMENT, accountId: ACCOUNT, state: 'FAILED', time });
  expect(reasonOf(decideRestore(failed, context()))).toBe('CreateManagedAccount did not succeed (FAILED)');
  // An UpdateManagedAccount carrying a create status names no account of its own.
  const crossed = { ...update, detail: { ...(update['detail'] as object), eventName: 'CreateManagedAccount' } };
  expect(reasonOf(decideRestore(crossed, context()))).toBe(
    'invalid control-tower event: CreateManagedAccount carries no status',
  );
  const otherCall = { ...update, detail: { ...(update['detail'] as object), eventName: 'EnableControl' } };
  expect(reasonOf(decideRestore(otherCall, context()))).toMatch(/^invalid control-tower event: detail.eventName /);
  const fromMember = controlTowerEvent({ managementAccountId: EXCLUDED, accountId: ACCOUNT, time });
  expect(reasonOf(decideRestore(fromMember, context()))).toBe(`it came from ${EXCLUDED}, not the management account`);
});

test('MoveAccount: a failed call, another call, a malformed account id and a member account’s event are dropped', () => {
  const move = EVENT_OF['account-moved'](ACCOUNT);
  const detail = move['detail'] as Record<string, unknown>;
  const failed = { ...move, detail: { ...detail, errorCode: 'AccessDenied' } };
  expect(reasonOf(decideRestore(failed, context()))).toBe(
    'invalid account-moved event: detail.errorCode must be absent: the move failed',
  );
  const other = { ...move, detail: { ...detail, eventName: 'RemoveAccountFromOrganization' } };
  expect(reasonOf(decideRestore(other, context()))).toMatch(/^invalid account-moved event: detail.eventName/);
  const badId = { ...move, detail: { ...detail, requestParameters: { accountId: '1234', destinationParentId: OU } } };
  expect(reasonOf(decideRestore(badId, context()))).toBe(
    'invalid account-moved event: detail.requestParameters.accountId must be a 12-digit AWS account id',
  );
  const fromMember = { ...move, account: EXCLUDED };
  expect(reasonOf(decideRestore(fromMember, context()))).toBe(`it came from ${EXCLUDED}, not the management account`);
});

test('the restore event: regions configured (deduplicated), no other field, not the internal run event', () => {
  const event = restoreEvent({
    senderAccountId: '777788889999',
    accountId: ACCOUNT,
    regions: ['eu-west-1', 'eu-west-1'],
    time,
  });
  expect(decideRestore(event, context())).toEqual({
    action: 'restore',
    trigger: 'event',
    accountId: ACCOUNT,
    regions: ['eu-west-1'],
  });
  const elsewhere = restoreEvent({
    senderAccountId: '777788889999',
    accountId: ACCOUNT,
    regions: ['ap-south-1'],
    time,
  });
  expect(reasonOf(decideRestore(elsewhere, context()))).toBe('regions not configured: ap-south-1');
  expect(decideRestore(elsewhere, context({ config: config({ regions: 'all' }) }))).toMatchObject({
    action: 'restore',
  });
  const extra = { ...event, detail: { accountId: ACCOUNT, mode: 'remediate' } };
  expect(reasonOf(decideRestore(extra, context()))).toMatch(/^invalid event event: detail /);
  expect(reasonOf(decideRestore({ ...event, detail: { accountId: ACCOUNT, regions: [] } }, context()))).toBe(
    'invalid event event: detail.regions must not be empty',
  );
  // Nothing else is a restore trigger: the run event the schedule hands on, a breaking call, nothing.
  const run = restoreRunEvent({ action: 'restore', trigger: 'event', accountId: ACCOUNT }, time);
  for (const other of [run, { source: 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail' }, null, 'x', {}]) {
    expect(reasonOf(decideRestore(other, context()))).toBe(
      'not a restore trigger (its source and detail-type name none)',
    );
  }
});

test('Innovation Sandbox: its clean-up events come from the account of its bus, when the deployment names it', () => {
  const event = EVENT_OF['innovation-sandbox'](ACCOUNT);
  expect(reasonOf(decideRestore(event, context({ innovationSandboxAccountId: '777788889999' })))).toBe('restored');
  expect(reasonOf(decideRestore(event, context({ innovationSandboxAccountId: '121212121212' })))).toBe(
    "it came from 777788889999, not Innovation Sandbox's account 121212121212",
  );
});

describe('the restore run, as the sweep function reads it', () => {
  test('one account, its regions or every configured one, the trigger named; the configuration as it is', () => {
    const run = restoreRunEvent({ action: 'restore', trigger: 'innovation-sandbox', accountId: ACCOUNT }, time);
    const request = parseInvocationEvent(run);
    expect(request).toEqual({ trigger: 'restore', event: { accountIds: [ACCOUNT] }, restoredOn: 'innovation-sandbox' });
    expect(applyRequest(config(), request)).toEqual({
      config: config(),
      scope: { accountIds: [ACCOUNT], regions: undefined, outsideTargets: 'leave-alone' },
    });
    const narrowed = parseInvocationEvent(
      restoreRunEvent({ action: 'restore', trigger: 'event', accountId: ACCOUNT, regions: ['us-east-1'] }, time),
    );
    expect(applyRequest(config(), narrowed).scope.regions).toEqual(['us-east-1']);
  });

  test('outside the configuration it is left alone, with the reason, not refused', () => {
    const excluded = parseInvocationEvent(
      restoreRunEvent({ action: 'restore', trigger: 'event', accountId: EXCLUDED }, time),
    );
    expect(applyRequest(config(), excluded).leftAlone).toBe('account excluded by the configuration');
    const region = parseInvocationEvent(
      restoreRunEvent({ action: 'restore', trigger: 'event', accountId: ACCOUNT, regions: ['ap-south-1'] }, time),
    );
    expect(applyRequest(config(), region).leftAlone).toBe('regions not configured: ap-south-1');
  });

  test('every field is checked: an unknown trigger, a field it does not have', () => {
    const run = restoreRunEvent({ action: 'restore', trigger: 'event', accountId: ACCOUNT }, time);
    expect(() => parseInvocationEvent({ ...run, detail: { ...run.detail, trigger: 'nightly' } })).toThrow(
      EventValidationError,
    );
    expect(() => parseInvocationEvent({ ...run, detail: { ...run.detail, dryRun: false } })).toThrow(
      EventValidationError,
    );
  });

  test('its digest names the trigger', () => {
    const report = {
      mode: 'remediate',
      startedAt: '2026-11-26T02:14:07.000Z',
      finishedAt: '2026-11-26T02:14:09.000Z',
      results: [
        {
          accountId: ACCOUNT,
          accountName: 'sandbox',
          region: 'eu-west-1',
          status: 'vpc-recreated',
          vpcId: 'vpc-0a1b',
          routeTableId: 'rtb-0a1b',
          internetGatewayId: 'igw-0a1b',
          previousTarget: null,
          repairedAt: '2026-11-26T02:14:08.000Z',
          errorCode: null,
          message: 'default VPC recreated',
          cause: null,
        },
      ],
    } as unknown as SweepReport;
    const digest = renderDigest(report, 'restore', 'innovation-sandbox');
    expect(digest?.subject).toMatch(new RegExp(`^account-janitor: ${ACCOUNT} restore \\(innovation-sandbox\\): `));
    expect(digest?.message).toMatch(
      /^account-janitor remediate restore run \(trigger innovation-sandbox: Innovation Sandbox cleaned the account\), /,
    );
  });
});
