import { parseSweepConfig } from '../../lambda/config/parse';
import { EventValidationError } from '../../lambda/errors';
import { applyRequest, parseInvocationEvent } from '../../lambda/invocation-event';

const OU = 'ou-ab12-cdef3456';
const A = '111122223333';
const B = '444455556666';
const configured = (raw: Record<string, unknown>) => parseSweepConfig(raw, 'test', (key) => key);

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    return (error as Error).message;
  }
  throw new Error('expected an EventValidationError');
}

describe('parseInvocationEvent', () => {
  test('an EventBridge scheduled event runs the configured sweep', () => {
    const event = { version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    expect(parseInvocationEvent(event)).toEqual({ trigger: 'schedule', event: {} });
  });

  test("the stack's EventBridge Scheduler input runs the configured sweep", () => {
    const event = { source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: '2026-11-26T03:00:00Z' };
    expect(parseInvocationEvent(event)).toEqual({ trigger: 'schedule', event: {} });
  });

  test('an empty object (EventBridge Scheduler default, or the console) runs it too', () => {
    expect(parseInvocationEvent({})).toEqual({ trigger: 'manual', event: {} });
    expect(parseInvocationEvent(undefined)).toEqual({ trigger: 'manual', event: {} });
  });

  test('a manual event with every field', () => {
    expect(parseInvocationEvent({ dryRun: true, accountIds: [A], regions: ['eu-west-1'] })).toEqual({
      trigger: 'manual',
      event: { dryRun: true, accountIds: [A], regions: ['eu-west-1'] },
    });
  });

  test.each<[string, unknown, string]>([
    ['an unknown field', { dryrun: true }, 'dryrun: is not a known field (allowed: dryRun, accountIds, regions)'],
    ['dryRun as a string', { dryRun: 'yes' }, 'dryRun "yes": must be true or false'],
    ['accountIds as a string', { accountIds: A }, `accountIds "${A}": must be a list of account ids`],
    ['a short account id', { accountIds: ['123'] }, 'accountIds "123": must be a 12-digit AWS account id'],
    ['an empty account list', { accountIds: [] }, 'accountIds []: must not be empty'],
    ['a malformed region', { regions: ['EU'] }, 'regions "EU": must be a region name such as eu-west-1'],
    ['an unknown region', { regions: ['eu-west-9'] }, 'regions "eu-west-9": is not an AWS region this version knows'],
    ['numbers for account ids', { accountIds: [111122223333] }, 'accountIds 111122223333'],
    ['not an object', 'run', 'must be a JSON object with fields dryRun, accountIds, regions'],
  ])('rejects %s, naming the field and value', (_what, event, message) => {
    expect(rejection(() => parseInvocationEvent(event))).toContain(message);
  });
});

describe('applyRequest: an event can only narrow the configured sweep', () => {
  test('dryRun: true turns remediation into a report', () => {
    const { config } = applyRequest(configured({ targetOuIds: OU }), parseInvocationEvent({ dryRun: true }));
    expect(config.mode).toBe('report');
  });

  test('dryRun: false cannot make a report-mode function write', () => {
    expect(
      rejection(() =>
        applyRequest(configured({ targetOuIds: OU, mode: 'report' }), parseInvocationEvent({ dryRun: false })),
      ),
    ).toContain('dryRun false: the function is configured in report mode');
  });

  test('regions must be among the configured ones', () => {
    const config = configured({ targetOuIds: OU, regions: 'eu-west-1,us-east-1' });
    expect(applyRequest(config, parseInvocationEvent({ regions: ['us-east-1'] })).scope.regions).toEqual(['us-east-1']);
    expect(
      rejection(() => applyRequest(config, parseInvocationEvent({ regions: ['ap-south-1', 'us-east-1'] }))),
    ).toContain('regions "ap-south-1": not configured (configured: eu-west-1, us-east-1)');
  });

  test('under regions "all", any region narrows the sweep', () => {
    const { scope } = applyRequest(configured({ targetOuIds: OU }), parseInvocationEvent({ regions: ['ap-south-1'] }));
    expect(scope.regions).toEqual(['ap-south-1']);
  });

  test('accounts must be among the configured account ids', () => {
    const config = configured({ accountIds: A });
    expect(applyRequest(config, parseInvocationEvent({ accountIds: [A, A] })).scope.accountIds).toEqual([A]);
    expect(rejection(() => applyRequest(config, parseInvocationEvent({ accountIds: [B] })))).toContain(
      `accountIds "${B}": not configured`,
    );
  });

  test('an excluded account cannot be asked for', () => {
    const config = configured({ targetOuIds: OU, excludeAccountIds: B });
    expect(rejection(() => applyRequest(config, parseInvocationEvent({ accountIds: [B] })))).toContain(
      `accountIds "${B}": excluded by the configuration`,
    );
  });

  test('accounts below configured OUs are checked by the sweep, after discovery', () => {
    const { scope } = applyRequest(configured({ targetOuIds: OU }), parseInvocationEvent({ accountIds: [B] }));
    expect(scope.accountIds).toEqual([B]);
  });

  test('a scheduled event leaves the configuration as it is', () => {
    const config = configured({ targetOuIds: OU });
    expect(
      applyRequest(config, parseInvocationEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event' })),
    ).toEqual({
      config,
      scope: { accountIds: undefined, regions: undefined },
    });
  });
});
