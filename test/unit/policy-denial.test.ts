import { classifyReadFailure, withAction } from '../../lambda/aws/error-code';
import { GUARD_RAIL_STATEMENT_IDS, MEMBER_DENY_STATEMENT_ID } from '../../lambda/contract/permissions';
import { refusedByScp } from '../../lambda/core/plan-protection';
import {
  MAX_DECODED_MESSAGE,
  MAX_ENCODED_MESSAGE,
  denialMessageOf,
  explainRefusal,
  guardRailVerdict,
  parseDecodedMessage,
  type RefusalKind,
} from '../../lambda/core/policy-denial';
import type { CloudTrailRecord } from '../../lambda/core/who-broke-it';

/**
 * Which policy refused a call, from AWS's two ways of saying it: a policy type in clear, or EC2's
 * encoded message and the document DecodeAuthorizationMessage makes of it (its format as the STS
 * API reference and the IAM User Guide show it). What a member admin writes in a policy is
 * untrusted: anything else than that format explains nothing, and fails nothing.
 */

const ROLE = 'AccountJanitorMemberRole';
const subject = { roleName: ROLE, action: 'ec2:CreateInternetGateway' };
const USER = `User: arn:aws:sts::111122223333:assumed-role/${ROLE}/account-janitor is not authorized to perform: ec2:CreateInternetGateway`;
const BLOB = 'EXAMPLEWodyRNrtlQARDip-eTA6i6DrlUhHhPQrLWB_lAbl5pAKxl9mPDLexYcGBreyIKQC1BGBIp';
/** EC2's UnauthorizedOperation message, as EC2 sends it and CloudTrail records it. */
const ENCODED = `You are not authorized to perform this operation. Encoded authorization failure message: ${BLOB}`;

/** A decoded document of AWS's format: allowed, explicitDeny, the matched statements, the context. */
function decoded(explicitDeny: boolean, statements: { statementId?: string; effect?: string }[] = []): string {
  return JSON.stringify({
    allowed: false,
    explicitDeny,
    matchedStatements: {
      items: statements.map((statement) => ({
        effect: 'DENY',
        principals: { items: [{ value: 'AROA123456789EXAMPLE' }] },
        principalGroups: { items: [] },
        actions: { items: [{ value: 'ec2:CreateInternetGateway' }] },
        resources: { items: [{ value: '*' }] },
        conditions: { items: [] },
        ...statement,
      })),
    },
    failures: { items: [] },
    context: {
      principal: {
        id: 'AROA123456789EXAMPLE:account-janitor',
        arn: `arn:aws:sts::111122223333:assumed-role/${ROLE}/x`,
      },
      action: 'CreateInternetGateway',
      resource: 'arn:aws:ec2:eu-west-1:111122223333:internet-gateway/*',
      conditions: { items: [{ key: 'aws:Region', values: { items: [{ value: 'eu-west-1' }] } }] },
    },
  });
}

describe('the message: a policy named in clear, EC2 encoded form, or neither', () => {
  test.each([
    [
      `${USER} with an explicit deny in a service control policy`,
      { form: 'clear', explicit: true, policyType: 'service control policy' },
    ],
    [
      `${USER} with an explicit deny in a permissions boundary`,
      { form: 'clear', explicit: true, policyType: 'permissions boundary' },
    ],
    [
      `${USER} with an explicit deny in a VPC endpoint policy`,
      { form: 'clear', explicit: true, policyType: 'VPC endpoint policy' },
    ],
    [
      `${USER} because no identity-based policy allows the ec2:CreateInternetGateway action`,
      { form: 'clear', explicit: false, policyType: 'identity-based policy' },
    ],
    // Clear text wins over an encoded part beside it.
    [
      `You are not authorized to perform this operation. ${USER} with an explicit deny in a resource control policy. Encoded authorization failure message: ${BLOB}`,
      { form: 'clear', explicit: true, policyType: 'resource control policy' },
    ],
    [ENCODED, { form: 'encoded', encoded: BLOB }],
    [`API: ec2:CreateInternetGateway ${ENCODED}`, { form: 'encoded', encoded: BLOB }],
    ['You are not authorized to perform this operation.', { form: 'none' }],
    ['Access Denied', { form: 'none' }],
  ])('%s', (message, expected) => {
    expect(denialMessageOf(message)).toEqual(expected);
  });

  test("an encoded part longer than STS decodes (CloudTrail's, cut or not) is none", () => {
    const long = 'A'.repeat(MAX_ENCODED_MESSAGE + 1);
    expect(denialMessageOf(`Encoded authorization failure message: ${long}`)).toEqual({ form: 'none' });
    const longest = 'A'.repeat(MAX_ENCODED_MESSAGE);
    expect(denialMessageOf(`Encoded authorization failure message: ${longest}`)).toEqual({
      form: 'encoded',
      encoded: longest,
    });
  });
});

describe('the decoded document, read as untrusted input', () => {
  test("AWS's format: the explicit deny and its matched statements' ids", () => {
    expect(parseDecodedMessage(decoded(true, [{ statementId: 'VisualEditor0' }]))).toEqual({
      explicitDeny: true,
      denyStatementIds: ['VisualEditor0'],
    });
    expect(parseDecodedMessage(decoded(false))).toEqual({ explicitDeny: false, denyStatementIds: [] });
  });

  test("the older form of AWS's example: booleans as strings, matchedStatements an empty string", () => {
    const older =
      '{"allowed": "false","explicitDeny": "false","matchedStatements": "","failures": "","context": {"principal": {"id": "AIDACKCEVSQ6C2EXAMPLE","name": "Bob"},"action": "ec2:RunInstances"}}';
    expect(parseDecodedMessage(older)).toEqual({ explicitDeny: false, denyStatementIds: [] });
  });

  test('allow statements and statements without an id name nothing', () => {
    const text = decoded(true, [{ statementId: 'AllowAll', effect: 'ALLOW' }, {}, { statementId: 'DenyIt' }]);
    expect(parseDecodedMessage(text)?.denyStatementIds).toEqual(['DenyIt']);
  });

  test.each([
    ['not JSON', 'not json {'],
    ['a JSON array', '[]'],
    ['allowed after all', JSON.stringify({ allowed: true, explicitDeny: false })],
    ['no explicitDeny', JSON.stringify({ allowed: false })],
    ['explicitDeny of another type', JSON.stringify({ allowed: false, explicitDeny: 1 })],
    [
      'longer than read',
      JSON.stringify({ allowed: false, explicitDeny: true, padding: 'x'.repeat(MAX_DECODED_MESSAGE) }),
    ],
  ])('%s: not a decoded refusal', (_, text) => {
    expect(parseDecodedMessage(text)).toBeUndefined();
  });

  test('an over-long statement id or too many statements: the deny stands, no statement is named', () => {
    expect(parseDecodedMessage(decoded(true, [{ statementId: 'S'.repeat(129) }]))).toEqual({
      explicitDeny: true,
      denyStatementIds: [],
    });
    const many = Array.from({ length: 101 }, (_, index) => ({ statementId: `Deny${index}` }));
    expect(parseDecodedMessage(decoded(true, many))?.denyStatementIds).toEqual([]);
  });
});

describe('the refusal explained: which policy, and the next step', () => {
  const cases: [string, string, Parameters<typeof explainRefusal>[2], RefusalKind, RegExp, boolean][] = [
    [
      'an SCP named in clear',
      `${USER} with an explicit deny in a service control policy`,
      undefined,
      'service-control-policy',
      /^denied by a service control policy$/,
      true,
    ],
    [
      'a permissions boundary named in clear',
      `${USER} with an explicit deny in a permissions boundary`,
      undefined,
      'named',
      /^denied by a permissions boundary$/,
      true,
    ],
    [
      "the role's own policy lacks the action, in clear",
      `${USER} because no identity-based policy allows the ec2:CreateInternetGateway action`,
      undefined,
      'not-allowed',
      /^not allowed: no identity-based policy allows ec2:CreateInternetGateway$/,
      false,
    ],
    [
      "Control Tower's data residency control, decoded",
      ENCODED,
      { text: decoded(true, [{ statementId: 'GRDISALLOWVPCINTERNETACCESS' }]) },
      'service-control-policy',
      /^denied by a service control policy \(Control Tower's data residency control .*, statement GRDISALLOWVPCINTERNETACCESS\)$/,
      true,
    ],
    [
      "Control Tower's Region deny control, decoded",
      ENCODED,
      { text: decoded(true, [{ statementId: 'GRREGIONDENY' }]) },
      'service-control-policy',
      /^denied by a service control policy \(Control Tower's Region deny control, statement GRREGIONDENY\)$/,
      true,
    ],
    [
      "the janitor's own guard rail, decoded",
      ENCODED,
      { text: decoded(true, [{ statementId: GUARD_RAIL_STATEMENT_IDS.breakingCalls }]) },
      'service-control-policy',
      /^denied by a service control policy \(the janitor's own guard rail \(protectDefaultPath=enforce\), statement RefuseBreakingCallsOnTheProtectedDefaultPath\)$/,
      true,
    ],
    [
      'an explicit deny by a statement the member role does not have, decoded',
      ENCODED,
      { text: decoded(true, [{ statementId: 'DenyInternetGateways' }]) },
      'outside-role',
      /^denied by a policy outside the member role's own \(a service control policy or a permissions boundary; statement DenyInternetGateways\)$/,
      true,
    ],
    [
      'an explicit deny by statements without ids, decoded',
      ENCODED,
      { text: decoded(true, [{}]) },
      'outside-role',
      /^denied by a policy outside the member role's own \(a service control policy or a permissions boundary\)$/,
      true,
    ],
    [
      "the write role's own deny of ignored resources, decoded",
      ENCODED,
      { text: decoded(true, [{ statementId: MEMBER_DENY_STATEMENT_ID }]) },
      'member-role-deny',
      /^denied by the member role's own deny \(statement NeverWriteIgnoredResources\)$/,
      false,
    ],
    [
      'no explicit deny, decoded',
      ENCODED,
      { text: decoded(false) },
      'not-allowed',
      /^not allowed: no policy allows ec2:CreateInternetGateway \(no explicit deny\)$/,
      false,
    ],
    [
      'the decoding refused',
      ENCODED,
      { failed: 'AccessDenied' },
      'unknown',
      /^denied by a policy \(EC2's encoded message could not be decoded: AccessDenied\)$/,
      false,
    ],
    [
      'a decoded text that is no refusal',
      ENCODED,
      { text: '<html>' },
      'unknown',
      /^denied by a policy \(EC2's encoded message could not be decoded: not a decoded refusal\)$/,
      false,
    ],
    [
      'nothing to decode',
      'You are not authorized to perform this operation.',
      undefined,
      'unknown',
      /^denied by a policy \(AWS's message names none\)$/,
      false,
    ],
  ];

  test.each(cases)('%s', (_, message, decoding, kind, said, outsideRole) => {
    const refusal = explainRefusal(message, subject, decoding);
    expect(refusal).toMatchObject({ kind, outsideRole });
    expect(refusal.said).toMatch(said);
    expect(refusal.nextStep.length).toBeGreaterThan(0);
  });

  test('the next step: exempt the write role by name, or deploy its policy, or what a control allows', () => {
    const scp = explainRefusal(`${USER} with an explicit deny in a service control policy`, subject);
    expect(scp.nextStep).toBe(
      `exempt the janitor's write role (${ROLE}) in that service control policy, e.g. an ArnNotLike aws:PrincipalArn condition naming arn:aws:iam::*:role/${ROLE}`,
    );
    expect(explainRefusal(ENCODED, subject, { text: decoded(false) }).nextStep).toMatch(
      /^the member role's policy lacks ec2:CreateInternetGateway: deploy the member role \(its StackSet\)/,
    );
    expect(
      explainRefusal(ENCODED, subject, { text: decoded(true, [{ statementId: 'GRDISALLOWVPCINTERNETACCESS' }]) })
        .nextStep,
    ).toMatch(/exempts only AWSControlTowerExecution/);
    expect(explainRefusal(ENCODED, subject, { failed: 'AccessDenied' }).nextStep).toMatch(
      /^decode it in the account \(aws sts decode-authorization-message\), then exempt/,
    );
  });
});

describe('a read denied: the region, or the member role', () => {
  const denial = (message: string) =>
    Object.assign(new Error(message), { name: 'UnauthorizedOperation', $metadata: {} });
  const classify = async (message: string, decoding?: Parameters<typeof explainRefusal>[2]) => {
    const error = await withAction('ec2:DescribeVpcs', () => Promise.reject(denial(message))).catch((e: unknown) => e);
    const refusal = decoding
      ? explainRefusal(message, { roleName: ROLE, action: 'ec2:DescribeVpcs' }, decoding)
      : undefined;
    return classifyReadFailure(error, { refusal });
  };

  test('an SCP named in clear, or decoded from EC2: region-denied, with the policy', async () => {
    await expect(classify(`${USER} with an explicit deny in a service control policy`)).resolves.toEqual({
      kind: 'region-denied',
      code: 'UnauthorizedOperation',
      action: 'ec2:DescribeVpcs',
      reason: 'with an explicit deny in a service control policy',
    });
    await expect(classify(ENCODED, { text: decoded(true, [{ statementId: 'GRREGIONDENY' }]) })).resolves.toMatchObject({
      kind: 'region-denied',
      reason:
        "with an explicit deny in a service control policy (Control Tower's Region deny control, statement GRREGIONDENY)",
    });
    await expect(classify(ENCODED, { text: decoded(true, [{ statementId: 'DenyOutsideEU' }]) })).resolves.toMatchObject(
      {
        kind: 'region-denied',
        reason: expect.stringContaining('statement DenyOutsideEU') as unknown,
      },
    );
  });

  test('encoded and not decoded, not allowed, or a permissions boundary named in clear: access-denied', async () => {
    await expect(classify(ENCODED)).resolves.toMatchObject({ kind: 'access-denied' });
    await expect(classify(ENCODED, { failed: 'AccessDenied' })).resolves.toMatchObject({ kind: 'access-denied' });
    await expect(classify(ENCODED, { text: decoded(false) })).resolves.toMatchObject({ kind: 'access-denied' });
    await expect(classify(`${USER} with an explicit deny in a permissions boundary`)).resolves.toMatchObject({
      kind: 'access-denied',
    });
  });
});

describe("the guard rail's refusals heard on the event path", () => {
  const record = (errorMessage: string, errorCode = 'Client.UnauthorizedOperation'): CloudTrailRecord => ({
    eventName: 'DeleteRoute',
    eventTime: '2026-12-04T02:00:00Z',
    errorCode,
    errorMessage,
    userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke' },
    requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
  });

  test('an SCP named in clear: refused, nothing to decode', () => {
    expect(refusedByScp(record(`${USER} with an explicit deny in a service control policy`))).toEqual({
      principalArn: 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke',
      eventName: 'DeleteRoute',
      eventTime: '2026-12-04T02:00:00.000Z',
      resourceId: 'rtb-1',
    });
  });

  test("EC2's encoded form: kept with its message, for the member account to decode", () => {
    expect(refusedByScp(record(ENCODED))).toMatchObject({ resourceId: 'rtb-1', encodedMessage: BLOB });
  });

  test("another policy named in clear, another code, or a message naming nothing: not the guard rail's", () => {
    expect(
      refusedByScp(
        record(
          `${USER} because no identity-based policy allows the ec2:DeleteRoute action. Encoded authorization failure message: ${BLOB}`,
        ),
      ),
    ).toBeNull();
    expect(refusedByScp(record(ENCODED, 'Client.InvalidRoute.NotFound'))).toBeNull();
    expect(refusedByScp(record('You are not authorized to perform this operation.'))).toBeNull();
  });

  test("the decoded verdict: the guard rail's statement, another policy's, or not decoded", () => {
    expect(guardRailVerdict({ text: decoded(true, [{ statementId: GUARD_RAIL_STATEMENT_IDS.breakingCalls }]) })).toBe(
      'guard-rail',
    );
    expect(guardRailVerdict({ text: decoded(true, [{ statementId: 'GRREGIONDENY' }]) })).toBe('other-policy');
    expect(guardRailVerdict({ text: decoded(false) })).toBe('other-policy');
    expect(guardRailVerdict({ failed: 'InvalidAuthorizationMessageException' })).toBe('unknown');
    expect(guardRailVerdict({ text: 'null' })).toBe('unknown');
  });
});
