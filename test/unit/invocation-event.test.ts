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

  test('a scheduled event that carries any other field is refused, not run as the schedule', () => {
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', dryRun: true };
    expect(rejection(() => parseInvocationEvent(event))).toBe(
      'invalid scheduled event: dryRun: is not a field of a scheduled event, which runs the configured sweep as it is (to narrow a run, send a manual event without source and detail-type)',
    );
    expect(() =>
      parseInvocationEvent({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', accountIds: [A] }),
    ).toThrow(EventValidationError);
    // A scheduled event's detail is empty: anything in it is refused too.
    expect(
      rejection(() =>
        parseInvocationEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: { dryRun: true } }),
      ),
    ).toMatch(/^invalid scheduled event: detail: must be empty in a scheduled event/);
  });

  test('manual events are bounded: 1,000 accounts and 50 regions at most', () => {
    const ids = (count: number) => Array.from({ length: count }, (_, index) => String(100000000000 + index));
    expect(parseInvocationEvent({ accountIds: ids(1000) }).event.accountIds).toHaveLength(1000);
    expect(rejection(() => parseInvocationEvent({ accountIds: ids(1001) }))).toContain(
      'accountIds: must name at most 1000 accounts',
    );
    expect(rejection(() => parseInvocationEvent({ regions: Array(51).fill('eu-west-1') }))).toContain(
      'regions: must name at most 50 regions',
    );
  });

  test('many bad ids: the message names ten problems and how many more, never a megabyte', () => {
    const bad = (count: number) => Array.from({ length: count }, (_, index) => `bad-${index}`);
    const message = rejection(() => parseInvocationEvent({ accountIds: bad(1000) }));
    expect(message.length).toBeLessThan(1_000);
    expect(message.match(/must be a 12-digit AWS account id/g)).toHaveLength(10);
    expect(message).toMatch(/; and 990 more problems$/);
    expect(rejection(() => parseInvocationEvent({ accountIds: bad(20_000) }))).toBe(
      'invalid event: accountIds: must name at most 1000 accounts',
    );
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
