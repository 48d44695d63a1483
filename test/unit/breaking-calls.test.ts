import { join } from 'node:path';
import * as ts from 'typescript';
import { parseSweepConfig } from '../../lambda/config/parse';
import { breakingCallPattern } from '../../lambda/core/breaking-call-pattern';
import { aboutDefaultRouteOnly } from '../../lambda/core/breaking-call-entry';
import {
  BREAKING_CALLS,
  BREAKING_EVENT_NAMES,
  breakingCallOptionsFor,
  TOUCHED_KEYS,
  type BreakingCall,
  type HeardWith,
} from '../../lambda/core/breaking-calls';
import { GUARD_RAIL_ACTIONS, GUARD_RAIL_ONLY } from '../../lambda/core/guard-rail-actions';
import { PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import type { ReachFinding } from '../../lambda/core/plan-reach';
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
  // The path check is on by default: each config switches it off unless it is the one tried.
  const configs: Readonly<Record<HeardWith, Record<string, unknown>>> = {
    always: { reach: 'off' },
    subnets: { checkDefaultSubnets: true, reach: 'off' },
    egress: { checkEgress: true, reach: 'off' },
    protection: { protectDefaultPath: 'audit', reach: 'off' },
    reach: {},
  };
  for (const [switched, raw] of Object.entries(configs)) {
    const config = parseSweepConfig({ allAccounts: true, regions: 'eu-west-1', ...raw }, 'test', (key) => key);
    // Parameters every entry lets through: 0.0.0.0/0 for a call about the default route only, a
    // destination that may shadow it for the others (CreateRoute's `ignoredWhen`).
    const events = ENTRIES.map(([eventName, call]) =>
      cloudTrailEvent({
        accountId: ACCOUNT,
        region: 'eu-west-1',
        eventName,
        time: new Date('2026-11-26T02:13:07Z'),
        requestParameters: {
          routeTableId: 'rtb-1',
          destinationCidrBlock: aboutDefaultRouteOnly(call) ? '0.0.0.0/0' : '0.0.0.0/1',
        },
      }),
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

/** A finding of the path check of each kind, naming `id` where a call names an id. */
const findingOf = (kind: ReachFinding['kind'], id: string): ReachFinding => {
  switch (kind) {
    case 'bpa':
      return { kind, mode: 'block-bidirectional', managedBy: 'account', exclusionsAllowed: true };
    case 'shadow':
      return { kind, routeTableId: id, destination: '0.0.0.0/1', target: 'eni-1', blackhole: false };
    case 'off-path':
      return { kind, subnetId: id, availabilityZone: 'eu-west-1a', routeTableId: id };
  }
};
const OTHER_KIND: Readonly<Record<ReachFinding['kind'], ReachFinding['kind']>> = {
  bpa: 'shadow',
  shadow: 'off-path',
  'off-path': 'bpa',
};
const findingsQuery = (findings: ReachFinding[]) => ({
  findings,
  before: new Date('2026-11-26T03:00:00Z'),
  janitorRoleName: 'AccountJanitorMemberRole',
});

test("each entry is named as the cause of what its match says, and only that; a cause keeps the ids it names; the digest says the entry's words", () => {
  for (const [name, call] of ENTRIES) {
    const match = call.concerns;
    const destination = 'finding' in match ? '0.0.0.0/1' : '0.0.0.0/0';
    const named = Object.fromEntries(
      call.names.map((key) => [key, key === 'destinationCidrBlock' ? destination : 'id-1']),
    );
    expect([name, causeOf(record(name, named)).touched ?? {}]).toEqual([name, named]);
    expect(call.names.every((key) => TOUCHED_KEYS.includes(key))).toBe(true);
    const what = call.whatBroke ?? name;
    expect(describeCause(causeOf(record(name, named)))).toBe(
      `${what} by ${NUKE} (aws-nuke/3.56.2) at 2026-11-26 02:13:07 UTC`,
    );
    const routeQueries = ['routeTableId', 'vpcId', 'egressResourceId'].map((field) => queryOf(field, 'id-1'));
    if ('never' in match) {
      for (const query of [
        ...routeQueries,
        findingsQuery(Object.values(OTHER_KIND).map((kind) => findingOf(kind, 'id-1'))),
      ]) {
        expect([name, pickCause([record(name, named)], query)]).toEqual([name, null]);
      }
      continue;
    }
    if ('finding' in match) {
      // A finding's call names the finding it made, and no drift; a finding of another kind or id is not its.
      const concerned = (findings: ReachFinding[]) => pickCause([record(name, named)], findingsQuery(findings));
      expect([name, concerned([findingOf(match.finding, 'id-1')])?.eventName]).toEqual([name, name]);
      expect([name, concerned([findingOf(OTHER_KIND[match.finding], 'id-1')])]).toEqual([name, null]);
      if (call.names.length > 0) expect([name, concerned([findingOf(match.finding, 'id-2')])]).toEqual([name, null]);
      for (const query of routeQueries) expect([name, pickCause([record(name, named)], query)]).toEqual([name, null]);
      continue;
    }
    expect(call.names).toContain(match.key);
    expect([name, pickCause([record(name, named)], queryOf(match.query, 'id-1'))?.eventName]).toEqual([name, name]);
    expect([name, pickCause([record(name, named)], queryOf(match.query, 'id-2'))]).toEqual([name, null]);
    // A call that does not name what its match needs is no match, whatever the query knows.
    const withoutKey = Object.fromEntries(Object.entries(named).filter(([key]) => key !== match.key));
    for (const wanted of ['id-1', null, undefined]) {
      const query = { ...queryOf(match.query, 'id-1'), [match.query]: wanted };
      expect([name, wanted, pickCause([record(name, withoutKey)], query)]).toEqual([name, wanted, null]);
    }
    // A query that does not know the resource: `any` takes a call that names one, `compare` none.
    const unknown = { ...queryOf(match.query, 'id-1'), [match.query]: null };
    const anyTaken = match.unknown === 'any' ? name : null;
    expect([name, pickCause([record(name, named)], unknown)?.eventName ?? null]).toEqual([name, anyTaken]);
    // On the default route only: 0.0.0.0/0 however spelled, never ::/0, a prefix list or another IPv4 destination.
    if (match.defaultRouteOnly) {
      const table = Object.fromEntries(Object.entries(named).filter(([key]) => key !== 'destinationCidrBlock'));
      const spelled = pickCause(
        [record(name, { ...table, destinationCidrBlock: '10.1.2.3/0' })],
        queryOf(match.query, 'id-1'),
      );
      expect([name, spelled?.eventName]).toEqual([name, name]);
      const destinations: Record<string, string>[] = [
        { destinationIpv6CidrBlock: '::/0' },
        { destinationCidrBlock: '::/0' },
        { destinationPrefixListId: 'pl-0a1b2c3d' },
        { destinationCidrBlock: '0.0.0.0/1' },
        { destinationCidrBlock: '' },
      ];
      for (const destination of destinations) {
        const cause = pickCause([record(name, { ...table, ...destination })], queryOf(match.query, 'id-1'));
        expect([name, destination, cause]).toEqual([name, destination, null]);
      }
    }
    // A drift's call is no finding's cause.
    const findings = Object.values(OTHER_KIND).map((kind) => findingOf(kind, 'id-1'));
    expect([name, pickCause([record(name, named)], findingsQuery(findings))]).toEqual([name, null]);
  }
});

test("a CreateRoute of the finding's destination on another table, or of another destination, is not its cause; Block Public Access set by a declarative policy is no member's ModifyVpcBlockPublicAccessOptions", () => {
  const shadow = findingOf('shadow', 'rtb-main');
  const createRoute = (routeTableId: string, destinationCidrBlock: string) =>
    pickCause([record('CreateRoute', { routeTableId, destinationCidrBlock })], findingsQuery([shadow]));
  expect(createRoute('rtb-main', '0.0.0.0/1')?.eventName).toBe('CreateRoute');
  // The caller's spelling, as the record keeps it: EC2 made the route 0.0.0.0/1.
  expect(createRoute('rtb-main', '100.68.0.18/1')?.eventName).toBe('CreateRoute');
  expect(createRoute('rtb-other', '0.0.0.0/1')).toBeNull();
  expect(createRoute('rtb-main', '128.0.0.0/1')).toBeNull();
  const bpa = (managedBy: string | null) =>
    pickCause(
      [record('ModifyVpcBlockPublicAccessOptions', {})],
      findingsQuery([{ kind: 'bpa', mode: 'block-ingress', managedBy, exclusionsAllowed: null }]),
    )?.eventName ?? null;
  expect([bpa('account'), bpa(null), bpa('declarative-policy')]).toEqual([
    'ModifyVpcBlockPublicAccessOptions',
    'ModifyVpcBlockPublicAccessOptions',
    null,
  ]);
});

test('the intake leaves alone a CreateRoute that cannot shadow 0.0.0.0/0: private, the default route itself, IPv6 or a prefix list', () => {
  const config = parseSweepConfig({ allAccounts: true, regions: 'eu-west-1' }, 'test', (key) => key);
  const reason = (requestParameters: Record<string, string>) =>
    ignoreReason(
      config,
      parseBreakingEvent(
        cloudTrailEvent({
          accountId: ACCOUNT,
          region: 'eu-west-1',
          eventName: 'CreateRoute',
          time: new Date('2026-11-26T02:13:07Z'),
          requestParameters: { routeTableId: 'rtb-1', ...requestParameters },
        }),
      ),
    );
  expect(reason({ destinationCidrBlock: '0.0.0.0/1' })).toBeNull();
  expect(reason({ destinationCidrBlock: '8.8.8.0/24' })).toBeNull();
  expect(reason({ destinationCidrBlock: '172.16.0.0/11' })).toBeNull();
  expect(reason({ destinationCidrBlock: '10.1.0.0/16' })).toBe('CreateRoute of 10.1.0.0/16 cannot shadow 0.0.0.0/0');
  expect(reason({ destinationCidrBlock: '0.0.0.0/0' })).toBe('CreateRoute of 0.0.0.0/0 cannot shadow 0.0.0.0/0');
  expect(reason({ destinationCidrBlock: '10.1.2.3/0' })).toBe('CreateRoute of 10.1.2.3/0 cannot shadow 0.0.0.0/0');
  expect(reason({ destinationIpv6CidrBlock: '::/0' })).toBe(
    'CreateRoute of no IPv4 destination cannot shadow 0.0.0.0/0',
  );
  expect(reason({ destinationPrefixListId: 'pl-6da54004' })).toBe(
    'CreateRoute of no IPv4 destination cannot shadow 0.0.0.0/0',
  );
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
