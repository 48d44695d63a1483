import { parseSweepConfig } from '../../lambda/config/parse';
import type { Cause } from '../../lambda/core/who-broke-it';
import { buildReport, exitCodeFor, type SweepResult } from '../../lambda/core/report';
import { arnMatches, leftByResponder, responderPatternOf } from '../../lambda/core/responders';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import { attentionOf } from '../../lambda/report/attention';
import { renderDigest } from '../../lambda/report/digest';

const ACCOUNT = '123456789012';
const cause = (principalArn: string, sessionIssuerArn: string | null = null): Cause => ({
  principalArn,
  sessionIssuerArn,
  eventName: 'DeleteNetworkAclEntry',
  eventTime: '2026-12-01T10:00:00.000Z',
  sourceIp: null,
  userAgent: null,
});

describe('arnMatches: IAM ArnLike on one ARN', () => {
  test.each([
    ['arn:aws:iam::123456789012:role/IncidentResponse', 'arn:aws:iam::*:role/IncidentResponse', true],
    ['arn:aws:iam::123456789012:role/IncidentResponseOnCall', 'arn:aws:iam::*:role/IncidentResponse*', true],
    ['arn:aws:iam::123456789012:role/ir/IncidentResponse', 'arn:aws:iam::*:role/*IncidentResponse', true],
    ['arn:aws:iam::123456789012:role/BreakGlass1', 'arn:aws:iam::*:role/BreakGlass?', true],
    ['arn:aws:iam::123456789012:role/BreakGlass12', 'arn:aws:iam::*:role/BreakGlass?', false],
    // Case-sensitive, anchored, and a dot is a dot.
    ['arn:aws:iam::123456789012:role/incidentresponse', 'arn:aws:iam::*:role/IncidentResponse', false],
    ['arn:aws:iam::123456789012:role/IncidentResponseX', 'arn:aws:iam::*:role/IncidentResponse', false],
    ['arn:aws:iam::123456789012:role/aXb', 'arn:aws:iam::*:role/a.b', false],
    ['arn:aws-cn:iam::123456789012:role/IncidentResponse', 'arn:aws:iam::*:role/IncidentResponse', false],
    ['arn:aws-cn:iam::123456789012:role/IncidentResponse', 'arn:*:iam::*:role/IncidentResponse', true],
  ])('%s ~ %s: %s', (arn, pattern, expected) => {
    expect(arnMatches(arn, pattern)).toBe(expected);
  });
});

describe('responderPatternOf', () => {
  const patterns = ['arn:aws:iam::*:role/IncidentResponse*', `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlass/*`];

  test('matches the role a session was issued by, or the session itself', () => {
    expect(
      responderPatternOf(
        cause(
          `arn:aws:sts::${ACCOUNT}:assumed-role/IncidentResponseOnCall/alice`,
          `arn:aws:iam::${ACCOUNT}:role/IncidentResponseOnCall`,
        ),
        patterns,
      ),
    ).toBe(patterns[0]);
    expect(responderPatternOf(cause(`arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlass/bob`), patterns)).toBe(
      patterns[1],
    );
  });

  test('anyone else, or no pattern at all, is not a responder', () => {
    const nuke = cause(
      `arn:aws:sts::${ACCOUNT}:assumed-role/ci-cleanup/nuke`,
      `arn:aws:iam::${ACCOUNT}:role/ci-cleanup`,
    );
    expect(responderPatternOf(nuke, patterns)).toBeUndefined();
    expect(
      responderPatternOf(cause(`arn:aws:sts::999999999999:assumed-role/BreakGlass/bob`), patterns),
    ).toBeUndefined();
    expect(responderPatternOf(cause(`arn:aws:iam::${ACCOUNT}:role/IncidentResponse`), [])).toBeUndefined();
  });
});

describe('leftByResponder', () => {
  const found: SweepResult = {
    accountId: ACCOUNT,
    accountName: 'sandbox',
    region: 'eu-west-1',
    status: 'would-restore',
    vpcId: 'vpc-1',
    routeTableId: 'rtb-1',
    internetGatewayId: 'igw-1',
    previousTarget: null,
    errorCode: null,
    message: '0.0.0.0/0 missing: would restore it to igw-1',
    subnets: null,
    reach: null,
    egress: {
      status: 'would-restore-egress',
      findings: [],
      repaired: [],
      errorCode: null,
      message: 'egress blocked: would put back acl-1 outbound rule 100 allow all 0.0.0.0/0',
    },
    cause: null,
    repairedAt: null,
  };
  const responder = cause(`arn:aws:sts::${ACCOUNT}:assumed-role/IncidentResponse/alice`);
  const DAY = 86_400_000;
  /** respectFor 7d, `ms` after the responder's call. */
  const after = (ms: number) => ({
    now: new Date(Date.parse(responder.eventTime) + ms),
    text: '7d',
    milliseconds: 7 * DAY,
  });
  const left = leftByResponder(found, responder, 'arn:aws:iam::*:role/IncidentResponse', after(DAY));

  test('nothing repaired: the row and each part as found broken, the responder as the cause', () => {
    expect(left).toMatchObject({
      status: 'left-by-responder',
      message:
        "not repaired: a responder's change (respectPrincipals arn:aws:iam::*:role/IncidentResponse); 0.0.0.0/0 missing: would restore it to igw-1",
      egress: { status: 'egress-blocked', message: 'egress blocked (not repaired)' },
      cause: responder,
      repairedAt: null,
    });
  });

  test.each<[string, number, string | null]>([
    ['a day', DAY, null],
    ['a second short of respectFor', 7 * DAY - 1000, null],
    ['respectFor exactly', 7 * DAY, '7 d'],
    ['nine days and a bit', 9 * DAY + 3 * 3_600_000 + 59_000, '9 d 3 h'],
    ['ninety days', 90 * DAY, '90 d'],
  ])('left %s: past respectFor the row says how long, and that it needs a person again', (_what, ms, age) => {
    const row = leftByResponder(found, responder, 'arn:aws:iam::*:role/IncidentResponse', after(ms));
    const pattern = '(respectPrincipals arn:aws:iam::*:role/IncidentResponse)';
    const overdue = age ? `, left ${age}, longer than respectFor (7d): it needs a person again` : '';
    expect(row.message).toBe(
      `not repaired: a responder's change ${pattern}${overdue}; 0.0.0.0/0 missing: would restore it to igw-1`,
    );
    expect(row.status).toBe('left-by-responder');
    expect(row.respectOverdue ?? false).toBe(age !== null);
    const report = buildReport('remediate', new Date(0), new Date(0), [row]);
    expect(sweepMetrics(report).LeftByResponderOverdue).toBe(age === null ? 0 : 1);
    // The digest's line is the row's message: it says how long.
    expect(renderDigest(report)?.message).toContain(row.message);
  });

  test("a responder's call of unknown time is taken as older than respectFor: a person looks", () => {
    const unknown = { ...responder, eventTime: 'not a time' };
    const row = leftByResponder(found, unknown, 'arn:aws:iam::*:role/IncidentResponse', after(DAY));
    expect(row).toMatchObject({ respectOverdue: true });
    expect(row.message).toContain(', left since an unknown time, longer than respectFor (7d)');
  });

  test('exit code 1, and its own group of the digest and the table', () => {
    const report = buildReport('remediate', new Date(0), new Date(0), [left]);
    expect(exitCodeFor(report)).toBe(1);
    expect(attentionOf(report).groups.map(({ group, rows }) => [group.key, rows.length])).toEqual([
      ['left-by-responder', 1],
    ]);
  });
});

describe('the respectPrincipals setting', () => {
  const parse = (raw: Record<string, unknown>) =>
    parseSweepConfig({ targetOuIds: 'r-ab12', ...raw }, 'invalid options', (key) => key);

  test('takes role, user and session ARN patterns, comma-separated', () => {
    expect(
      parse({
        respectPrincipals: `arn:aws:iam::${ACCOUNT}:role/IncidentResponse*,arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlass/*`,
      }).respectPrincipals,
    ).toEqual([`arn:aws:iam::${ACCOUNT}:role/IncidentResponse*`, `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlass/*`]);
  });

  test('refuses what is not an IAM or STS principal ARN, naming the value', () => {
    expect(() => parse({ respectPrincipals: 'IncidentResponse' })).toThrow(
      'respectPrincipals "IncidentResponse": must be an IAM role or user ARN or an STS session ARN',
    );
    expect(() => parse({ respectPrincipals: 'arn:aws:s3:::bucket' })).toThrow('must be an IAM role or user ARN');
  });

  test('respectFor: 7 days unless set, from an hour to the 90 days of CloudTrail’s history where the call is found', () => {
    expect(parse({}).respectFor).toBe('7d');
    expect(parse({ respectFor: ' 36h ' }).respectFor).toBe('36h');
    expect(parse({ respectFor: '90d' }).respectFor).toBe('90d');
    for (const bad of ['91d', '30m', 'a week', '7']) {
      expect(() => parse({ respectFor: bad })).toThrow(
        `respectFor ${JSON.stringify(bad)}: must be a duration from 1h to 90d, such as 7d or 36h`,
      );
    }
  });

  test('needs lookUpCauses: without CloudTrail the nightly sweep would undo a responder’s change', () => {
    const pattern = `arn:aws:iam::${ACCOUNT}:role/IncidentResponse`;
    expect(() => parse({ respectPrincipals: pattern, lookUpCauses: 'false' })).toThrow(
      `respectPrincipals "${pattern}": needs lookUpCauses`,
    );
  });
});
