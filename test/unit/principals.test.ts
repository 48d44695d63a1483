import { sweepConfigFromEnvironment } from '../../lambda/config/environment';
import { PRINCIPAL_KINDS, principalProblem, type PrincipalKindName } from '../../lambda/config/principals';
import { ConfigError } from '../../lambda/errors';

/**
 * The principals a deployment names (responders, the guard rail's exemptions, the operators) name
 * their account: a pattern whose account field is not a 12-digit account id is refused, since
 * `arn:aws:iam::*:role/IncidentResponse*` matches a role any member admin can create. Only the
 * role or session name takes wildcards, and only where the pattern is matched as `ArnLike` does.
 */

const ACCOUNT = '111122223333';
const KINDS = Object.keys(PRINCIPAL_KINDS) as PrincipalKindName[];
const ACCOUNT_PROBLEM =
  'the account must be a 12-digit account id (a wildcard account matches a role any member admin can create)';

type Expected = 'ok' | 'account' | 'shape';
/** A pattern, and what each kind makes of it: responder, exempt, restorer (as exempt: IAM roles and users, wildcards in the name), operator. */
const CASES: readonly [string, Readonly<Record<PrincipalKindName, Expected>>][] = [
  [`arn:aws:iam::${ACCOUNT}:role/IncidentResponse`, { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'ok' }],
  [`arn:aws:iam::${ACCOUNT}:role/ops/Operator`, { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'ok' }],
  [`arn:aws-cn:iam::${ACCOUNT}:role/Operator`, { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'ok' }],
  [`arn:aws-us-gov:iam::${ACCOUNT}:role/Operator`, { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'ok' }],
  [
    `arn:aws:iam::${ACCOUNT}:role/IncidentResponse*`,
    { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'shape' },
  ],
  [`arn:aws:iam::${ACCOUNT}:role/BreakGlass?`, { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'shape' }],
  [
    `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_BreakGlass_*`,
    { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'shape' },
  ],
  [`arn:aws:iam::${ACCOUNT}:user/alice`, { responder: 'ok', exempt: 'ok', restorer: 'ok', operator: 'shape' }],
  [
    `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlass/*`,
    { responder: 'ok', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  // The account field: a 12-digit id, nothing else.
  [
    'arn:aws:iam::*:role/IncidentResponse*',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'shape' },
  ],
  [
    'arn:aws:iam::*:role/Operator',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'account' },
  ],
  [
    'arn:aws:iam::????????????:role/Operator',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'account' },
  ],
  [
    'arn:aws:iam::11112222333?:role/Operator',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'account' },
  ],
  [
    'arn:aws:iam::1111*:role/Operator',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'account' },
  ],
  [
    'arn:aws:iam::1234:role/Operator',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'account' },
  ],
  [
    'arn:aws:iam:::role/Operator',
    { responder: 'account', exempt: 'account', restorer: 'account', operator: 'account' },
  ],
  [
    'arn:aws:sts::*:assumed-role/BreakGlass/*',
    { responder: 'account', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  // The rest of the ARN: a named partition, IAM's role or user or STS's session, a name.
  [
    `arn:*:iam::${ACCOUNT}:role/Operator`,
    { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  [
    `arn:aws*:iam::${ACCOUNT}:role/Operator`,
    { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  [
    `arn:aws:iam::${ACCOUNT}:group/Admins`,
    { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  [
    `arn:aws:sts::${ACCOUNT}:role/Operator`,
    { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  [
    `arn:aws:iam::${ACCOUNT}:assumed-role/Operator/s`,
    { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  [`arn:aws:iam::${ACCOUNT}:role/`, { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' }],
  [`arn:aws:iam::${ACCOUNT}:role/a b`, { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' }],
  [
    `arn:aws:iam:eu-west-1:${ACCOUNT}:role/Operator`,
    { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' },
  ],
  ['arn:aws:s3:::bucket', { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' }],
  ['IncidentResponse', { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' }],
  ['*', { responder: 'shape', exempt: 'shape', restorer: 'shape', operator: 'shape' }],
];

test.each(CASES)('%s', (pattern, expected) => {
  for (const kind of KINDS) {
    const problem = principalProblem(pattern, kind);
    const allowed = `must be ${PRINCIPAL_KINDS[kind].allowed}`;
    const wanted = { ok: undefined, account: `${ACCOUNT_PROBLEM}; ${allowed}`, shape: allowed }[expected[kind]];
    expect([kind, problem]).toEqual([kind, wanted]);
  }
});

test('what each kind allows says so: a 12-digit account id, and where wildcards go', () => {
  for (const kind of KINDS) expect(PRINCIPAL_KINDS[kind].allowed).toContain('a 12-digit account id');
});

test('the function refuses a responder pattern for every account at cold start: one line naming the variable, the value and what is allowed', () => {
  let error: unknown;
  try {
    sweepConfigFromEnvironment({
      JANITOR_TARGET_OU_IDS: 'r-ab12',
      JANITOR_RESPECT_PRINCIPALS: `arn:aws:iam::${ACCOUNT}:role/IncidentResponse,arn:aws:iam::*:role/IncidentResponse*`,
    });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toBe(
    `invalid Lambda environment: JANITOR_RESPECT_PRINCIPALS "arn:aws:iam::*:role/IncidentResponse*": ${ACCOUNT_PROBLEM}; must be ${PRINCIPAL_KINDS.responder.allowed}`,
  );
});
