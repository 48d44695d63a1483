import { join } from 'node:path';
import * as ts from 'typescript';
import { parseSweepConfig } from '../../lambda/config/parse';
import { breakingCallPattern } from '../../lambda/core/breaking-call-pattern';
import {
  BREAKING_CALLS,
  BREAKING_EVENT_NAMES,
  breakingCallOptionsFor,
  GUARD_RAIL_ACTIONS,
  GUARD_RAIL_ONLY,
  TOUCHED_KEYS,
  type BreakingCall,
  type HeardWith,
} from '../../lambda/core/breaking-calls';
import { PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import { causeOf, describeCause, pickCause, type CloudTrailRecord } from '../../lambda/core/who-broke-it';
import { parseBreakingEvent } from '../../lambda/events/breaking-event';
import { ignoreReason } from '../../lambda/events/intake';
import { actionsMatching } from '../support/authorization-data';
import { cloudTrailEvent } from '../support/event-path';
import { matches } from '../support/event-pattern';

/**
 * The breaking calls' table (`lambda/core/breaking-calls.ts`) against what it feeds: each entry's
 * guard-rail action is an EC2 action of AWS's authorization data that the SCP's tag condition can
 * refuse; each entry is heard by the event rules' pattern (moto's EventBridge matcher) and passes
 * the intake's gate under its switch, and not without it; each is matched, ranked and worded as
 * its entry says.
 *
 * A new entry without one of the fields does not compile. The trial (the last test, and the
 * `@ts-expect-error` below, which `tsc -b` fails on once the field may be left out): an entry
 * without `guardRail` gives
 *   error TS2741: Property 'guardRail' is missing in type '{ readonly touches: "route"; … }' but
 *   required in type 'BreakingCall'.
 */

const ENTRIES = BREAKING_EVENT_NAMES.map((name) => [name, BREAKING_CALLS[name] as BreakingCall] as const);
const ACCOUNT = '111122223333';
const NUKE = `arn:aws:sts::${ACCOUNT}:assumed-role/ci-cleanup/nuke`;

test("every guard-rail action is the entry's own EC2 action in AWS's authorization data, and refusable by the tag", async () => {
  const tag = `aws:ResourceTag/${PROTECT_TAG_KEY}`;
  const extras = Object.entries(GUARD_RAIL_ONLY).map(([name, extra]) => [name, extra.action] as const);
  const refused = ENTRIES.flatMap(([name, call]) =>
    'action' in call.guardRail ? [[name, call.guardRail.action]] : [],
  );
  for (const [name, action] of [...refused, ...extras]) {
    expect(action).toBe(`ec2:${name}`);
    const found = await actionsMatching(action);
    expect([action, found.map((data) => data.name)]).toEqual([action, [action]]);
    expect([action, found[0]?.conditionKeys.some((key) => key.test(tag))]).toEqual([action, true]);
  }
  // The SCP's action list is those, in the table's order, then the guard-rail-only ones.
  expect(GUARD_RAIL_ACTIONS).toEqual([...refused, ...extras].map(([, action]) => action));
  // A guard-rail-only action is no breaking call (else it would be an entry).
  for (const [name] of extras) expect(BREAKING_EVENT_NAMES).not.toContain(name);
});

test('every entry is heard by the pattern and let through by the intake under its switch, and not without it', () => {
  const configs: Readonly<Record<HeardWith, Record<string, unknown>>> = {
    always: {},
    subnets: { checkDefaultSubnets: true },
    egress: { checkEgress: true },
    protection: { protectDefaultPath: 'audit' },
    reach: { reach: 'check' },
  };
  for (const [switched, raw] of Object.entries(configs)) {
    const config = parseSweepConfig({ allAccounts: true, regions: 'eu-west-1', ...raw }, 'test', (key) => key);
    const events = ENTRIES.map(([eventName]) =>
      cloudTrailEvent({ accountId: ACCOUNT, region: 'eu-west-1', eventName, time: new Date('2026-11-26T02:13:07Z') }),
    );
    const expected = ENTRIES.map(([, call]) => call.heard === 'always' || call.heard === switched);
    expect([switched, matches(breakingCallPattern(breakingCallOptionsFor(config)), events)]).toEqual([
      switched,
      expected,
    ]);
    const gate = events.map((event) => ignoreReason(config, parseBreakingEvent(event)) === null);
    expect([switched, gate]).toEqual([switched, expected]);
  }
});

const record = (eventName: string, requestParameters: Record<string, string>): CloudTrailRecord => ({
  eventName,
  eventTime: '2026-11-26T02:13:07Z',
  userIdentity: { arn: NUKE },
  userAgent: 'aws-nuke/3.56.2',
  requestParameters,
});
const queryOf = (field: string, id: string) => ({
  [field]: id,
  before: new Date('2026-11-26T03:00:00Z'),
  janitorRoleName: 'AccountJanitorMemberRole',
});

test("each entry is named as the cause of what its match says, and only that; a cause keeps the ids it names; the digest says the entry's words", () => {
  for (const [name, call] of ENTRIES) {
    const named = Object.fromEntries(
      call.names.map((key) => [key, key === 'destinationCidrBlock' ? '0.0.0.0/0' : 'id-1']),
    );
    expect([name, causeOf(record(name, named)).touched ?? {}]).toEqual([name, named]);
    expect(call.names.every((key) => TOUCHED_KEYS.includes(key))).toBe(true);
    const what = call.whatBroke ?? name;
    expect(describeCause(causeOf(record(name, named)))).toBe(
      `${what} by ${NUKE} (aws-nuke/3.56.2) at 2026-11-26 02:13:07 UTC`,
    );
    const match = call.concerns;
    if ('never' in match) {
      for (const field of ['routeTableId', 'vpcId', 'egressResourceId']) {
        expect([name, field, pickCause([record(name, named)], queryOf(field, 'id-1'))]).toEqual([name, field, null]);
      }
      continue;
    }
    expect(call.names).toContain(match.key);
    expect([name, pickCause([record(name, named)], queryOf(match.query, 'id-1'))?.eventName]).toEqual([name, name]);
    expect([name, pickCause([record(name, named)], queryOf(match.query, 'id-2'))]).toEqual([name, null]);
  }
});

/**
 * The diagnostics of trial source files (name → text) that import the table, compiled together as
 * the project compiles them (strict, CommonJS).
 */
function diagnostics(sources: Readonly<Record<string, string>>): Record<string, string[]> {
  const files = new Map(Object.entries(sources).map(([name, text]) => [join(__dirname, `${name}.trial.ts`), text]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, ...rest)
      : ts.createSourceFile(name, text, version);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return Object.fromEntries(
    Object.keys(sources).map((name) => {
      const file = program.getSourceFile(join(__dirname, `${name}.trial.ts`));
      const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      return [name, found.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)];
    }),
  );
}

// @ts-expect-error TS2741: Property 'guardRail' is missing … but required in type 'BreakingCall'.
const withoutGuardRail: BreakingCall = {
  touches: 'route',
  names: ['routeTableId'],
  concerns: { never: 'a trial' },
  rank: 3,
  whatBroke: null,
  heard: 'always',
};

test('an entry without one of its fields does not compile, whichever field; a whole one does', () => {
  expect(withoutGuardRail.heard).toBe('always');
  const table = join(__dirname, '../../lambda/core/breaking-calls');
  const trial = (entry: object) =>
    `import type { BreakingCall } from ${JSON.stringify(table)};\n` +
    `export const TRIAL = { CreateRoute: ${JSON.stringify(entry)} } as const satisfies Record<string, BreakingCall>;\n`;
  const whole = BREAKING_CALLS.DeleteRoute;
  const without = (field: string): Record<string, unknown> => {
    const entry: Record<string, unknown> = { ...whole };
    delete entry[field];
    return entry;
  };
  const fields = Object.keys(whole);
  const found = diagnostics({
    whole: trial(whole),
    ...Object.fromEntries(fields.map((field) => [field, trial(without(field))])),
    // Nor an entry whose match leaves out one of its fields.
    partialMatch: trial({ ...whole, concerns: { ...whole.concerns, defaultRouteOnly: undefined } }),
  });
  expect(found['whole']).toEqual([]);
  for (const field of fields) {
    expect([field, found[field]]).toEqual([
      field,
      [
        expect.stringMatching(
          new RegExp(`^TS2741: Property '${field}' is missing in type .* but required in type 'BreakingCall'\\.$`),
        ),
      ],
    ]);
  }
  expect(found['partialMatch']).toEqual([expect.stringMatching(/^TS2322: .*defaultRouteOnly/)]);
});
