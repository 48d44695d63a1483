import { isDeepStrictEqual } from 'node:util';
import type { PolicyDocument, RequestValue } from '../../lambda/core/iam-policy';
import { evaluatePolicy } from '../../lambda/core/iam-policy';
import { RESTORE_ENVIRONMENT_VARIABLES, RESTORE_SCHEDULER_ACTIONS } from '../../lambda/contract/restore-names';
import {
  API_CALL_DETAIL_TYPE,
  CONTROL_TOWER_DETAIL_TYPE,
  INNOVATION_SANDBOX_DETAIL_TYPE,
  RESTORE_EVENT_DETAIL_TYPE,
  RESTORE_TRIGGER_DEFINITIONS,
  RESTORE_TRIGGERS,
  type RestoreTrigger,
} from '../../lambda/core/restore-triggers';
import { matches } from '../support/event-pattern';
import { cleanupSucceededEvent, controlTowerEvent, moveAccountEvent, restoreEvent } from '../support/restore-events';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';
import { DEFAULT_DEPLOYMENT, type ResolvedTemplate } from '../support/template-walk';

/**
 * The restore triggers as synthesized, walked as AWS would enforce them (moto checks none of it):
 * each trigger's rule on the hub's bus and what its pattern matches (moto's matcher), the
 * forwarders that bring the events to that bus, who the bus policy lets put them, and what the
 * restore-trigger function may do.
 */

const ORG = 'o-a1b2c3d4e5';
const { account: HUB, region: REGION } = DEFAULT_DEPLOYMENT;
const ISB_BUS = `arn:aws:events:${REGION}:444455556666:event-bus/InnovationSandboxComputeISBEventBus`;
const CLEANUP_ROLE = 'arn:aws:iam::777788889999:role/CleanupPipeline';
const CONTEXT = {
  ...TEST_CONTEXT,
  organizationId: ORG,
  restoreOn: RESTORE_TRIGGERS.join(','),
  innovationSandboxEventBusArn: ISB_BUS,
  restoreEventPrincipalArns: `${CLEANUP_ROLE},arn:aws:iam::777788889999:role/ci-*`,
};
const HUB_BUS = `arn:aws:events:${REGION}:${HUB}:event-bus/AccountJanitor-breaking-calls`;
const MANAGEMENT = '999988887777';
const MEMBER = '222233334444';
const time = new Date('2026-11-26T02:13:07Z');

/** Each trigger's event as it reaches the hub's bus, and one like it the trigger must not match. */
const EVENTS: Record<RestoreTrigger, { match: unknown; miss: unknown }> = {
  'control-tower': {
    match: controlTowerEvent({ managementAccountId: MANAGEMENT, accountId: MEMBER, time }),
    miss: controlTowerEvent({ managementAccountId: MANAGEMENT, accountId: MEMBER, state: 'FAILED', time }),
  },
  'account-moved': {
    match: moveAccountEvent({
      managementAccountId: MANAGEMENT,
      accountId: MEMBER,
      sourceParentId: 'r-ab12',
      destinationParentId: 'ou-ab12-cdef3456',
      time,
    }),
    miss: moveAccountEvent({
      managementAccountId: MANAGEMENT,
      accountId: MEMBER,
      sourceParentId: 'r-ab12',
      destinationParentId: 'ou-ab12-cdef3456',
      errorCode: 'AccessDeniedException',
      time,
    }),
  },
  'innovation-sandbox': {
    match: cleanupSucceededEvent({ isbAccountId: '444455556666', accountId: MEMBER, time }),
    miss: {
      ...cleanupSucceededEvent({ isbAccountId: '444455556666', accountId: MEMBER, time }),
      'detail-type': 'AccountCleanupFailed',
    },
  },
  event: {
    match: restoreEvent({ senderAccountId: '777788889999', accountId: MEMBER, time }),
    miss: { ...restoreEvent({ senderAccountId: '777788889999', accountId: MEMBER, time }), source: 'account-janitor' },
  },
};

const synth = (context: Record<string, unknown> = {}) => synthesizeStack({ ...CONTEXT, ...context });

function restoreFunction(resolved: ResolvedTemplate): string {
  const found = resolved
    .ofType('AWS::Lambda::Function')
    .filter(([, resource]) => JSON.stringify(resource.Properties).includes(RESTORE_ENVIRONMENT_VARIABLES.restoreOn));
  expect(found).toHaveLength(1);
  return found[0]?.[0] ?? '';
}

type Target = { Arn: unknown; RoleArn?: unknown; DeadLetterConfig?: unknown };
const rulesOf = (resolved: ResolvedTemplate) =>
  resolved.ofType('AWS::Events::Rule').map(([id]) => ({
    id,
    bus: resolved.property(id, 'EventBusName') as string | undefined,
    pattern: resolved.property(id, 'EventPattern') as Record<string, unknown>,
    targets: resolved.property(id, 'Targets') as Target[],
  }));

describe('restoreOn: every trigger', () => {
  const { resolved } = synth();
  const functionId = restoreFunction(resolved);
  const functionArn = resolved.getAttArn(functionId);
  const rules = rulesOf(resolved);

  test.each(RESTORE_TRIGGERS)(
    '%s: one rule on the hub bus, to the restore-trigger function, matching its event and not its miss',
    (trigger) => {
      const onHub = rules.filter(
        (rule) =>
          rule.bus === 'AccountJanitor-breaking-calls' &&
          isDeepStrictEqual(rule.pattern, RESTORE_TRIGGER_DEFINITIONS[trigger].pattern),
      );
      expect(onHub).toHaveLength(1);
      expect(onHub[0]?.targets.map((target) => target.Arn)).toEqual([functionArn]);
      const others = RESTORE_TRIGGERS.filter((other) => other !== trigger).map((other) => EVENTS[other].match);
      expect(matches(onHub[0]?.pattern ?? {}, [EVENTS[trigger].match, EVENTS[trigger].miss, ...others])).toEqual([
        true,
        false,
        false,
        false,
        false,
      ]);
    },
  );

  test('Control Tower and Organizations events: a rule on the stack’s own default bus forwards each to the hub bus through the forwarding role', () => {
    for (const trigger of ['control-tower', 'account-moved'] as const) {
      const forwarder = rules.filter(
        (rule) =>
          rule.bus === undefined && isDeepStrictEqual(rule.pattern, RESTORE_TRIGGER_DEFINITIONS[trigger].pattern),
      );
      expect(forwarder).toHaveLength(1);
      expect(forwarder[0]?.targets).toEqual([
        {
          Id: expect.any(String),
          Arn: HUB_BUS,
          RoleArn: expect.any(String),
          DeadLetterConfig: { Arn: expect.stringMatching(/:AccountJanitorSweepDeadLetterQueue/) },
        },
      ]);
      expect(matches(forwarder[0]?.pattern ?? {}, [EVENTS[trigger].match])).toEqual([true]);
    }
  });

  test('Innovation Sandbox: a rule on its bus (by ARN) forwards AccountCleanupSucceeded to the hub bus, through the role that may put on it', () => {
    const [forwarder, ...more] = rules.filter((rule) => rule.bus === ISB_BUS);
    expect(more).toEqual([]);
    expect(forwarder?.pattern).toEqual(RESTORE_TRIGGER_DEFINITIONS['innovation-sandbox'].pattern);
    expect(forwarder?.targets).toEqual([{ Id: 'HubBus', Arn: HUB_BUS, RoleArn: expect.any(String) }]);
    const roleArn = String(forwarder?.targets[0]?.RoleArn);
    const [roleId] = resolved.ofType('AWS::IAM::Role').find(([id]) => resolved.getAttArn(id) === roleArn) ?? [''];
    const trust = resolved.property(roleId, 'AssumeRolePolicyDocument') as PolicyDocument;
    expect(JSON.stringify(trust)).toContain('events.amazonaws.com');
    const policies = resolved
      .ofType('AWS::IAM::Policy')
      .filter(([id]) => JSON.stringify(resolved.property(id, 'Roles')).includes(roleId.replace(/[^A-Za-z0-9]/g, '')))
      .map(([id]) => resolved.property(id, 'PolicyDocument') as PolicyDocument);
    const put = (resource: string) =>
      policies.some(
        (policy) =>
          evaluatePolicy(
            policy,
            { principal: { arn: roleArn }, action: 'events:PutEvents', resource, context: {} },
            'identity',
          ).decision === 'allow',
      );
    expect(put(HUB_BUS)).toBe(true);
    expect(put(ISB_BUS)).toBe(false);
  });

  test("every rule on this account's buses sends what it cannot deliver to the dead-letter queue, which lets each such rule send, and nobody else", () => {
    const own = rules.filter((rule) => rule.bus === undefined || rule.bus === 'AccountJanitor-breaking-calls');
    // The restore rules on the hub bus, and the Control Tower and Organizations forwarders.
    expect(own.length).toBeGreaterThanOrEqual(RESTORE_TRIGGERS.length + 2);
    const [queueId] = resolved
      .ofType('AWS::SQS::Queue')
      .find(([id]) => id.startsWith('AccountJanitorSweepDeadLetterQueue')) ?? [''];
    const queueArn = resolved.getAttArn(queueId);
    const queuePolicies = resolved
      .ofType('AWS::SQS::QueuePolicy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.['Queues']).includes(queueId))
      .map(([id]) => resolved.property(id, 'PolicyDocument') as PolicyDocument);
    const send = (principal: { service: string } | { arn: string }, sourceArn: string) =>
      queuePolicies.some(
        (policy) =>
          evaluatePolicy(
            policy,
            { principal, action: 'sqs:SendMessage', resource: queueArn, context: { 'aws:SourceArn': sourceArn } },
            'direct',
          ).decision === 'allow',
      );
    for (const rule of own) {
      for (const target of rule.targets) expect(target.DeadLetterConfig).toEqual({ Arn: queueArn });
      expect(send({ service: 'events.amazonaws.com' }, resolved.getAttArn(rule.id))).toBe(true);
    }
    expect(send({ service: 'events.amazonaws.com' }, `arn:aws:events:${REGION}:${HUB}:rule/another`)).toBe(false);
    expect(send({ arn: `arn:aws:iam::${HUB}:role/Admin` }, resolved.getAttArn(own[0]?.id ?? ''))).toBe(false);
  });

  const [busId] = resolved.ofType('AWS::Events::EventBus')[0] ?? [''];
  const policy = resolved.property(busId, 'Policy') as PolicyDocument;
  const put = (principal: string, context: Record<string, RequestValue>) =>
    evaluatePolicy(
      policy,
      {
        principal: { arn: principal },
        action: 'events:PutEvents',
        resource: HUB_BUS,
        context: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4] ?? '', ...context },
      },
      'direct',
    ).decision;
  const restore = { 'events:source': ['account-janitor.restore'], 'events:detail-type': [RESTORE_EVENT_DETAIL_TYPE] };

  test('the hub bus lets restoreEventPrincipalArns put the restore event, and only that', () => {
    expect(put(CLEANUP_ROLE, restore)).toBe('allow');
    expect(put('arn:aws:iam::777788889999:role/ci-nightly', restore)).toBe('allow');
    expect(put('arn:aws:iam::777788889999:role/Other', restore)).toBe('none');
    expect(put('arn:aws:iam::111122223333:role/CleanupPipeline', restore)).toBe('none');
    // Not another source, not a batch with one, not an empty one.
    const asCleaner = { 'events:source': ['account-cleaner'], 'events:detail-type': [INNOVATION_SANDBOX_DETAIL_TYPE] };
    expect(put(CLEANUP_ROLE, asCleaner)).toBe('none');
    expect(put(CLEANUP_ROLE, { ...restore, 'events:source': ['account-janitor.restore', 'aws.ec2'] })).toBe('none');
    expect(put(CLEANUP_ROLE, { 'events:detail-type': [RESTORE_EVENT_DETAIL_TYPE] })).toBe('none');
  });

  test('Innovation Sandbox’s account may forward its clean-ups (a rule made there), and nothing else', () => {
    const isbRole = 'arn:aws:iam::444455556666:role/isb-forwarder';
    const cleanup = { 'events:source': ['account-cleaner'], 'events:detail-type': [INNOVATION_SANDBOX_DETAIL_TYPE] };
    expect(put(isbRole, cleanup)).toBe('allow');
    expect(put('arn:aws:iam::444455557777:role/isb-forwarder', cleanup)).toBe('none');
    expect(put(isbRole, { ...cleanup, 'events:detail-type': ['AccountCleanupFailed'] })).toBe('none');
    expect(put(isbRole, restore)).toBe('none');
  });

  test('the organization may forward Control Tower’s and Organizations’ events (the function restores only the management account’s), nothing else of theirs', () => {
    const orgRole = `arn:aws:iam::${MANAGEMENT}:role/account-janitor-restore-forwarder`;
    const inOrg = { 'aws:PrincipalOrgID': ORG };
    expect(
      put(orgRole, {
        ...inOrg,
        'events:source': ['aws.controltower'],
        'events:detail-type': [CONTROL_TOWER_DETAIL_TYPE],
      }),
    ).toBe('allow');
    expect(
      put(orgRole, { ...inOrg, 'events:source': ['aws.organizations'], 'events:detail-type': [API_CALL_DETAIL_TYPE] }),
    ).toBe('allow');
    expect(
      put(orgRole, {
        'aws:PrincipalOrgID': 'o-zzzzzzzzzz',
        'events:source': ['aws.organizations'],
        'events:detail-type': [API_CALL_DETAIL_TYPE],
      }),
    ).toBe('none');
    // Nor the restore event, nor Innovation Sandbox's, from the organization at large.
    expect(put(orgRole, { ...inOrg, ...restore })).toBe('none');
    expect(
      put(orgRole, {
        ...inOrg,
        'events:source': ['account-cleaner'],
        'events:detail-type': [INNOVATION_SANDBOX_DETAIL_TYPE],
      }),
    ).toBe('none');
  });

  test('the restore-trigger function creates restore-* schedules of the event path’s group and passes the scheduler role, nothing else', () => {
    const roleArn = String(resolved.property(functionId, 'Role'));
    const [roleId] = resolved.ofType('AWS::IAM::Role').find(([id]) => resolved.getAttArn(id) === roleArn) ?? [''];
    const statements = resolved
      .ofType('AWS::IAM::Policy')
      .filter(([id]) => JSON.stringify(resolved.property(id, 'Roles')).includes(roleId))
      .flatMap(
        ([id]) =>
          (resolved.property(id, 'PolicyDocument') as { Statement: { Action: unknown; Resource: unknown }[] })
            .Statement,
      );
    const byAction = Object.fromEntries(
      statements.map((statement) => [JSON.stringify(statement.Action), statement.Resource]),
    );
    expect(byAction[JSON.stringify(RESTORE_SCHEDULER_ACTIONS[0])]).toBe(
      `arn:aws:scheduler:${REGION}:${HUB}:schedule/AccountJanitor-repairs/restore-*`,
    );
    expect(byAction['"organizations:DescribeOrganization"']).toBe('*');
    expect(Object.keys(byAction).sort()).toEqual([
      '"iam:PassRole"',
      '"organizations:DescribeOrganization"',
      '"scheduler:CreateSchedule"',
      expect.stringContaining('logs:'),
      // Its failed deliveries, to the janitor's dead-letter queue.
      expect.stringContaining('sqs:SendMessage'),
    ]);
    const environment = (resolved.property(functionId, 'Environment') as { Variables: Record<string, string> })
      .Variables;
    expect(environment[RESTORE_ENVIRONMENT_VARIABLES.restoreOn]).toBe(RESTORE_TRIGGERS.join(','));
    expect(environment[RESTORE_ENVIRONMENT_VARIABLES.scheduleGroupName]).toBe('AccountJanitor-repairs');
    // Innovation Sandbox's clean-up events are taken from the account of its bus only.
    expect(environment[RESTORE_ENVIRONMENT_VARIABLES.innovationSandboxAccountId]).toBe('444455556666');
  });
});

test('restoreOn empty (the default): no restore rule, function or bus statement', () => {
  const { resolved } = synthesizeStack({ ...TEST_CONTEXT, organizationId: ORG });
  expect(
    resolved
      .ofType('AWS::Lambda::Function')
      .filter(([, resource]) => JSON.stringify(resource.Properties).includes(RESTORE_ENVIRONMENT_VARIABLES.restoreOn)),
  ).toEqual([]);
  const [busId] = resolved.ofType('AWS::Events::EventBus')[0] ?? [''];
  expect(JSON.stringify(resolved.property(busId, 'Policy'))).not.toMatch(/restore|controltower|organizations/);
});

test('only the triggers named: restoreOn=event makes its one rule, and no forwarder', () => {
  const { resolved } = synth({ restoreOn: 'event', innovationSandboxEventBusArn: '' });
  const rules = rulesOf(resolved).filter(
    (rule) => JSON.stringify(rule.pattern).includes('restore') || rule.bus !== 'AccountJanitor-breaking-calls',
  );
  expect(rules.map((rule) => rule.pattern)).toEqual([RESTORE_TRIGGER_DEFINITIONS.event.pattern]);
});

test('bad restore settings name the setting, the value and what is allowed', () => {
  const refused = (context: Record<string, unknown>) => {
    try {
      synth(context);
    } catch (error) {
      return (error as Error).message;
    }
    return 'synthesized';
  };
  expect(refused({ restoreOn: 'nightly' })).toContain(
    'restoreOn "nightly": must be one of: control-tower, account-moved, innovation-sandbox, event',
  );
  expect(refused({ eventDrivenRepair: 'false' })).toContain(
    ': needs eventDrivenRepair: the triggers reach the hub’s bus',
  );
  expect(refused({ innovationSandboxEventBusArn: '' })).toContain(
    'innovationSandboxEventBusArn: restoreOn innovation-sandbox needs Innovation Sandbox’s event bus ARN',
  );
  expect(refused({ innovationSandboxEventBusArn: ISB_BUS.replace(REGION, 'us-west-2') })).toContain(
    "must be in the stack's region (eu-west-1)",
  );
  expect(refused({ innovationSandboxEventBusArn: 'arn:aws:events:eu-west-1:*:event-bus/isb' })).toContain(
    'must be an event bus ARN',
  );
  expect(refused({ restoreOn: 'control-tower', innovationSandboxEventBusArn: '' })).toContain(
    ': are used only with restoreOn event: add it to restoreOn, or leave them out',
  );
  expect(refused({ restoreEventPrincipalArns: 'arn:aws:iam::*:role/CleanupPipeline' })).toContain(
    'the account must be a 12-digit account id',
  );
});
