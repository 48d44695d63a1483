import { Readable } from 'node:stream';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { templateTrusts, trustDifference } from '../../cli/doctor/trust-policy';
import { parseSweepConfig } from '../../lambda/config/parse';
import { roleTrustPolicy } from '../../lambda/aws/member-role-trust';
import type { PolicyDocument } from '../../lambda/core/iam-policy';
import {
  HUB_ROLE_ARN_PARAMETER,
  memberRoleTemplate,
  OPERATOR_PRINCIPALS_PARAMETER,
  OPERATOR_WRITE_PRINCIPALS_PARAMETER,
} from '../../lib/member-role-template';
import { ResolvedTemplate, type CfnTemplate } from '../support/template-walk';

/**
 * doctor's `member role trust`, its pure half and its one IAM call: the member role template's
 * trust policies resolved as CloudFormation resolves them (held to the template walk of the
 * template tests), compared without regard to the order of keys or a list of one; GetRole signed
 * for the partition's IAM endpoint as the SDK's own IAM client would send it.
 */

const HUB = 'arn:aws:iam::111111111111:role/AccountJanitorSweepRole';
const config = (raw: Record<string, unknown> = {}) =>
  parseSweepConfig({ allAccounts: true, regions: 'eu-west-1', ...raw }, 'test', (key) => key);

describe('the template trust', () => {
  test.each([
    ['no operators', {}, {}],
    [
      'operators, writing operators and an external id',
      { externalId: 'org-secret-1' },
      {
        [OPERATOR_PRINCIPALS_PARAMETER]:
          'arn:aws:iam::111111111111:role/Operator,arn:aws:iam::111111111111:role/Doctor',
        [OPERATOR_WRITE_PRINCIPALS_PARAMETER]: 'arn:aws:iam::111111111111:role/Repairer',
      },
    ],
  ])('%s: resolved as the template walk resolves it', (_, raw, operators) => {
    const sweep = config(raw);
    const template = memberRoleTemplate(sweep);
    const parameters = { [HUB_ROLE_ARN_PARAMETER]: HUB, ...operators };
    const trusts = templateTrusts(JSON.stringify(template), parameters);
    const walked = new ResolvedTemplate(template as unknown as CfnTemplate, undefined, {
      [OPERATOR_PRINCIPALS_PARAMETER]: '',
      [OPERATOR_WRITE_PRINCIPALS_PARAMETER]: '',
      ...parameters,
    });
    expect([...trusts.keys()]).toEqual([sweep.memberRoleName, sweep.readOnlyRoleName]);
    expect(trusts.get(sweep.memberRoleName)).toEqual(walked.property('MemberRole', 'AssumeRolePolicyDocument'));
    expect(trusts.get(sweep.readOnlyRoleName)).toEqual(walked.property('ReadOnlyRole', 'AssumeRolePolicyDocument'));
  });

  test('an intrinsic function doctor does not know is said, not guessed', () => {
    const body = JSON.stringify({
      Resources: {
        R: {
          Type: 'AWS::IAM::Role',
          Properties: { RoleName: 'R', AssumeRolePolicyDocument: { Statement: [{ 'Fn::Select': [0, []] }] } },
        },
      },
    });
    expect(() => templateTrusts(body, {})).toThrow('the template uses Fn::Select, which doctor does not resolve');
  });
});

test('a trust policy compared: key order and a list of one do not count; a statement added or missing does', () => {
  const expected: PolicyDocument = {
    Statement: [{ Effect: 'Allow', Principal: { AWS: HUB }, Action: 'sts:AssumeRole', Sid: 'HubFunction' }],
  };
  const same = {
    Statement: [{ Sid: 'HubFunction', Action: ['sts:AssumeRole'], Principal: { AWS: [HUB] }, Effect: 'Allow' }],
  };
  expect(trustDifference(expected, same as PolicyDocument)).toEqual({ missing: [], added: [] });
  const intruder = {
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::222222222222:role/Admin' },
    Action: 'sts:AssumeRole',
  };
  const widened = { Statement: [...(expected.Statement as object[]), intruder] } as PolicyDocument;
  expect(trustDifference(expected, widened).added).toEqual([
    '{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Admin"}}',
  ]);
  expect(trustDifference(widened, expected).missing).toHaveLength(1);
});

describe('GetRole, signed for the partition', () => {
  const credentials = { accessKeyId: 'ASIAEXAMPLEREADER', secretAccessKey: 'secret', sessionToken: 'token' };
  const answering = (sent: HttpRequest[], statusCode: number, body: string) => ({
    handle: (request: HttpRequest) => {
      sent.push(request);
      const response: HttpResponse = {
        statusCode,
        reason: 'OK',
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([new TextEncoder().encode(body)]),
      };
      return Promise.resolve({ response });
    },
  });
  const trust =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"a&b"},"Action":"sts:AssumeRole"}]}';
  const ROLE_XML = `<GetRoleResponse><GetRoleResult><Role><RoleName>R</RoleName><AssumeRolePolicyDocument>${encodeURIComponent(trust).replace(/%26/g, '&amp;')}</AssumeRolePolicyDocument></Role></GetRoleResult></GetRoleResponse>`;
  const error = (code: string) =>
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>no</Message></Error></ErrorResponse>`;

  test.each([
    ['aws', 'iam.amazonaws.com', 'us-east-1'],
    ['aws-cn', 'iam.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['aws-us-gov', 'iam.us-gov.amazonaws.com', 'us-gov-west-1'],
  ])('%s: the request the SDK would send, to %s, signed for %s', async (partition, hostname, region) => {
    jest.useFakeTimers({
      now: new Date('2026-11-26T02:13:07Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    try {
      const sdkSent: HttpRequest[] = [];
      const sdk = new IAMClient({
        region,
        credentials,
        maxAttempts: 1,
        requestHandler: answering(sdkSent, 200, ROLE_XML) as never,
      });
      await sdk.send(new GetRoleCommand({ RoleName: 'AccountJanitorMemberRole' }));
      const sent: HttpRequest[] = [];
      const got = await roleTrustPolicy(credentials, 'AccountJanitorMemberRole', partition, {
        environment: {},
        requestHandler: answering(sent, 200, ROLE_XML),
      });
      expect(got).toBe(trust);
      const [ours, theirs] = [sent[0], sdkSent[0]];
      expect(ours?.hostname).toBe(hostname);
      expect([ours?.method, ours?.path, ours?.body]).toEqual([theirs?.method, theirs?.path, theirs?.body]);
      expect([ours?.hostname, ours?.headers['x-amz-security-token']]).toEqual([theirs?.hostname, 'token']);
      const scope = (request: HttpRequest | undefined) =>
        /Credential=([^,]+)/.exec(request?.headers['authorization'] ?? '')?.[1];
      expect(scope(ours)).toBe(`ASIAEXAMPLEREADER/20261126/${region}/iam/aws4_request`);
      expect(scope(ours)).toBe(scope(theirs));
    } finally {
      jest.useRealTimers();
    }
  });

  test('a role that is not there is null; a refusal is its AWS code; AWS_ENDPOINT_URL is where it goes', async () => {
    const sent: HttpRequest[] = [];
    const environment = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
    const missing = roleTrustPolicy(credentials, 'R', 'aws', {
      environment,
      requestHandler: answering(sent, 404, error('NoSuchEntity')),
    });
    await expect(missing).resolves.toBeNull();
    expect([sent[0]?.hostname, sent[0]?.port]).toEqual(['127.0.0.1', 4566]);
    const denied = roleTrustPolicy(credentials, 'R', 'aws', {
      environment,
      requestHandler: answering(sent, 403, error('AccessDenied')),
    });
    await expect(denied).rejects.toMatchObject({ code: 'AccessDenied', name: 'AccessDenied' });
  });
});
