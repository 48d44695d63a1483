import { Readable } from 'node:stream';
import { DescribeRouteTablesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { FinalizeRequestMiddleware, HttpRequest, HttpResponse } from '@smithy/types';
import { forAccount, NO_CREDENTIALS, shareAcrossAccounts } from '../../lambda/aws/member-client';

/**
 * Moto reads the account from the access key and checks no signature. So the shared client's own
 * signing is held to the SDK's: the same request, signed at the same moment with the same
 * credentials, must leave with exactly the headers (Authorization included) a client of its own
 * sends.
 */

const EMPTY_ROUTE_TABLES =
  '<DescribeRouteTablesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><routeTableSet/></DescribeRouteTablesResponse>';

/** A request handler that records what would be sent and answers an empty page. */
function recordingHandler(sent: HttpRequest[]) {
  return {
    handle: (request: HttpRequest) => {
      sent.push(request);
      const body = new TextEncoder().encode(EMPTY_ROUTE_TABLES);
      const response: HttpResponse = {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([body]),
      };
      return Promise.resolve({ response });
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as unknown as EC2Client['config']['requestHandler'];
}

/** The invocation id (random, and signed) made the same in both, just before signing. */
function fixInvocationId(client: EC2Client, signing: string) {
  const fixed: FinalizeRequestMiddleware<object, object> = (next) => (args) => {
    (args.request as HttpRequest).headers['amz-sdk-invocation-id'] = '6f1c2b2e-0000-4000-8000-000000000000';
    return next(args);
  };
  client.middlewareStack.addRelativeTo(fixed as never, {
    relation: 'before',
    toMiddleware: signing,
    name: 'fixedInvocationId',
  });
}

const credentials = {
  accessKeyId: 'ASIAEXAMPLEMEMBER',
  secretAccessKey: 'member-secret',
  sessionToken: 'member-session-token',
};

test("the shared client signs each account's request exactly as the SDK would", async () => {
  jest.useFakeTimers({
    now: new Date('2026-11-26T02:13:07Z'),
    doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
  });
  try {
    const common = {
      region: 'eu-west-1',
      maxAttempts: 1,
      customUserAgent: [['account-janitor', '1']] as [string, string][],
    };
    const sdkSent: HttpRequest[] = [];
    const ownClient = new EC2Client({ ...common, credentials, requestHandler: recordingHandler(sdkSent) });
    const input = { Filters: [{ Name: 'association.main', Values: ['true'] }] };
    fixInvocationId(ownClient, 'httpSigningMiddleware');
    await ownClient.send(new DescribeRouteTablesCommand(input));

    const sharedSent: HttpRequest[] = [];
    const shared = shareAcrossAccounts(
      new EC2Client({ ...common, credentials: NO_CREDENTIALS, requestHandler: recordingHandler(sharedSent) }),
    );
    fixInvocationId(shared, 'accountJanitorMemberSigning');
    const member = forAccount(shared, credentials, { region: 'eu-west-1', service: 'ec2', maxAttempts: 1 });
    await member.send(new DescribeRouteTablesCommand(input));
    // The second request's user agent is the remembered one: still the SDK's, to the byte.
    await member.send(new DescribeRouteTablesCommand(input));

    const [sdk] = sdkSent;
    const [ours] = sharedSent;
    const comparable = (request: HttpRequest | undefined) => {
      const headers = { ...request?.headers };
      // Per-invocation ids differ by design; everything signed must not.
      delete headers['amz-sdk-invocation-id'];
      return { headers, body: request?.body as unknown, path: request?.path, hostname: request?.hostname };
    };
    expect(ours?.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEMEMBER\/20261126\/eu-west-1\/ec2\/aws4_request, SignedHeaders=/,
    );
    expect(ours?.headers['x-amz-security-token']).toBe('member-session-token');
    expect(ours?.headers['authorization']?.includes('amz-sdk-invocation-id')).toBe(
      sdk?.headers['authorization']?.includes('amz-sdk-invocation-id'),
    );
    const signedHeaders = (request: HttpRequest | undefined) =>
      /SignedHeaders=([^,]+)/.exec(request?.headers['authorization'] ?? '')?.[1];
    expect(signedHeaders(ours)).toBe(signedHeaders(sdk));
    expect(comparable(ours)).toMatchObject({ path: sdk?.path, hostname: sdk?.hostname, body: sdk?.body });
    // The invocation id is signed, and the same here: the signatures must be too.
    expect(ours?.headers['amz-sdk-invocation-id']).toBe(sdk?.headers['amz-sdk-invocation-id']);
    expect(ours?.headers['authorization']).toBe(sdk?.headers['authorization']);
    for (const sent of sharedSent) {
      expect(sent.headers['user-agent']).toBe(sdk?.headers['user-agent']);
      expect(sent.headers['x-amz-user-agent']).toBe(sdk?.headers['x-amz-user-agent']);
    }
    expect(sharedSent).toHaveLength(2);
    expect(sharedSent[1]?.headers['authorization']).toBe(sdk?.headers['authorization']);
  } finally {
    jest.useRealTimers();
  }
});

/**
 * A handler whose server clock runs an hour ahead of this machine's: the first request is refused
 * as EC2 refuses a request signed at the wrong time (400 RequestExpired, with the server's Date),
 * the next ones are answered.
 */
function skewedServer(sent: HttpRequest[], laterError?: string) {
  const serverDate = () => new Date(Date.now() + 3_600_000).toUTCString();
  const error = (code: string) =>
    `<Response><Errors><Error><Code>${code}</Code><Message>${code}</Message></Error></Errors><RequestID>r</RequestID></Response>`;
  return {
    handle: (request: HttpRequest) => {
      sent.push(request);
      // The first request is refused for its time; with `laterError`, every one after the second fails so.
      const code = sent.length === 1 ? 'RequestExpired' : sent.length > 2 ? laterError : undefined;
      const refused = code !== undefined;
      const body = new TextEncoder().encode(code ? error(code) : EMPTY_ROUTE_TABLES);
      const response: HttpResponse = {
        statusCode: refused ? 400 : 200,
        reason: refused ? 'Bad Request' : 'OK',
        headers: { 'content-type': 'text/xml', date: serverDate() },
        body: Readable.from([body]),
      };
      return Promise.resolve({ response });
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as unknown as EC2Client['config']['requestHandler'];
}

const signedAt = (request: HttpRequest | undefined) => {
  const stamp = String(request?.headers['x-amz-date']);
  return Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
};

test('a clock an hour slow: the refused request is signed again at the server time and retried, as the SDK does', async () => {
  const common = { region: 'eu-west-1', maxAttempts: 3 };
  const input = { Filters: [{ Name: 'association.main', Values: ['true'] }] };

  const sdkSent: HttpRequest[] = [];
  await new EC2Client({ ...common, credentials, requestHandler: skewedServer(sdkSent) }).send(
    new DescribeRouteTablesCommand(input),
  );

  const sharedSent: HttpRequest[] = [];
  const shared = shareAcrossAccounts(
    new EC2Client({ ...common, credentials: NO_CREDENTIALS, requestHandler: skewedServer(sharedSent) }),
  );
  const member = forAccount(shared, credentials, { region: 'eu-west-1', service: 'ec2', maxAttempts: 3 });
  await member.send(new DescribeRouteTablesCommand(input));
  // The offset belongs to the shared client: another account's first request is signed right.
  const other = forAccount(
    shared,
    { ...credentials, accessKeyId: 'ASIAOTHERACCOUNT' },
    {
      region: 'eu-west-1',
      service: 'ec2',
      maxAttempts: 3,
    },
  );
  await other.send(new DescribeRouteTablesCommand(input));

  for (const sent of [sdkSent, sharedSent]) {
    const [refused, retried] = sent;
    expect(Math.abs(signedAt(refused) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(signedAt(retried) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
  }
  expect(sdkSent).toHaveLength(2);
  expect(sharedSent).toHaveLength(3);
  expect(sharedSent[2]?.headers['authorization']).toContain('Credential=ASIAOTHERACCOUNT/');
  expect(Math.abs(signedAt(sharedSent[2]) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
});

test('once the clock is corrected, an error is not sent again just because its answer carries a Date', async () => {
  const sent: HttpRequest[] = [];
  const shared = shareAcrossAccounts(
    new EC2Client({
      region: 'eu-west-1',
      maxAttempts: 3,
      credentials: NO_CREDENTIALS,
      requestHandler: skewedServer(sent, 'InvalidGroup.NotFound'),
    }),
  );
  const member = forAccount(shared, credentials, { region: 'eu-west-1', service: 'ec2', maxAttempts: 3 });
  const input = { Filters: [{ Name: 'association.main', Values: ['true'] }] };
  await member.send(new DescribeRouteTablesCommand(input));
  expect(sent).toHaveLength(2);
  await expect(member.send(new DescribeRouteTablesCommand(input))).rejects.toMatchObject({
    name: 'InvalidGroup.NotFound',
  });
  // One request: the answer's Date moved the offset by milliseconds, not a minute.
  expect(sent).toHaveLength(3);
});

test('a remembered read is the same request only for the same input: another filter or page token is serialized anew', async () => {
  const sent: HttpRequest[] = [];
  const shared = shareAcrossAccounts(
    new EC2Client({
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: NO_CREDENTIALS,
      requestHandler: recordingHandler(sent),
    }),
  );
  const member = forAccount(shared, credentials, { region: 'eu-west-1', service: 'ec2', maxAttempts: 1 });
  const main = { Filters: [{ Name: 'association.main', Values: ['true'] }] };
  const inputs = [main, { ...main, NextToken: 'page-2' }, { Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }, main];
  for (const input of inputs) await member.send(new DescribeRouteTablesCommand(input));
  const bodies = sent.map((request) => String(request.body));
  expect(bodies[1]).toContain('NextToken=page-2');
  expect(bodies[2]).toContain('Filter.1.Value.1=vpc-1');
  expect(new Set(bodies.slice(0, 3)).size).toBe(3);
  expect(bodies[3]).toBe(bodies[0]);
  // A copy each time: what a later middleware set on one request is not on the next.
  expect(sent[3]).not.toBe(sent[0]);
  expect(sent[3]?.headers).not.toBe(sent[0]?.headers);
});
