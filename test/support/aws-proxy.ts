import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording, fault-injecting HTTP proxy that sits between the AWS SDK clients and moto.
 * It sees every request the janitor makes: which service, action, account and region, so tests can
 * assert on the calls on the wire (never a write but CreateRoute/ReplaceRoute; no call at all on
 * bad input), and it answers chosen requests with AWS errors that moto never produces, or plays
 * what moto does not have at all (`emulate`: e.g. VPC Block Public Access, block-public-access.ts).
 */

export interface RecordedRequest {
  readonly service: string;
  readonly action: string;
  readonly region: string;
  /** The account the request's credentials belong to (the hub's for the default credentials). */
  readonly accountId: string;
  readonly params: URLSearchParams;
  /** The request body as text (JSON protocols: read it with JSON.parse). */
  readonly body: string;
}

export interface FaultMatch {
  readonly service?: string;
  readonly action?: string;
  readonly accountId?: string;
  readonly region?: string;
}

export interface Fault {
  readonly match: FaultMatch;
  /** Further condition on the request, e.g. on its parameters. */
  readonly when?: (request: RecordedRequest) => boolean;
  /** The AWS error code to answer with (`AccessDenied`, `UnauthorizedOperation`, `InternalError`…). */
  readonly code?: string;
  readonly status?: number;
  /** AWS's message for the error (default: a placeholder naming the code); may depend on the request. */
  readonly message?: string | ((request: RecordedRequest) => string);
  /** Instead of an error, this response body (HTTP 200), without forwarding the request to moto. */
  readonly reply?: string;
  /** Runs before the answer is sent: lets a test change moto's state "meanwhile". */
  readonly before?: () => Promise<void>;
  /**
   * Instead of an answer of its own: the request goes to moto, and this runs once moto has
   * answered, before the answer is passed on (e.g. to create what AWS creates alongside).
   */
  readonly after?: () => Promise<void>;
  /**
   * Instead of an answer of its own: the request goes to moto, and its answer's body is passed on
   * changed, e.g. with a field AWS sends and moto does not (DescribeVpcs' blockPublicAccessStates).
   */
  readonly rewrite?: (body: string, request: RecordedRequest) => string;
  /** Answer only this many matching requests; the rest go through. */
  readonly times?: number;
  /** Answer one matching request in this many (deterministically: the 1st, the (1+n)th…). */
  readonly every?: number;
  /** Drop the connection instead of answering. */
  readonly drop?: boolean;
  /**
   * Fail the same request (same account, region, action and parameters) at most this many times,
   * so that a test's retries are bounded however concurrent requests interleave.
   */
  readonly maxPerRequest?: number;
}

export interface AwsProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  inject(fault: Fault): void;
  /**
   * An answer for what moto does not play at all (AWS state such as VPC Block Public Access), in
   * the same form as a fault: kept by `clear()`, and consulted after the injected faults.
   */
  emulate(answer: Fault): void;
  /** Delay every answer by this many milliseconds (0: none). */
  setLatency(milliseconds: number): void;
  clear(): void;
  count(match?: FaultMatch): number;
  close(): Promise<void>;
}

export const HUB_ACCOUNT_ID = '123456789012';

export async function startAwsProxy(targetUrl: string): Promise<AwsProxy> {
  const target = new URL(targetUrl);
  const requests: RecordedRequest[] = [];
  type Entry = { fault: Fault; remaining: number; seen: number; perRequest: Map<string, number> };
  const faults: Entry[] = [];
  const emulated: Entry[] = [];
  const entryOf = (fault: Fault): Entry => ({
    fault,
    remaining: fault.times ?? Number.POSITIVE_INFINITY,
    seen: 0,
    perRequest: new Map(),
  });
  let latency = 0;
  const accountOfKey = new Map<string, string>();

  const server: Server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing);
  });

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const recorded = describeRequest(incoming, body, accountOfKey);
    requests.push(recorded);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const answers = (entry: Entry): boolean => {
      if (entry.remaining <= 0 || !matches(entry.fault.match, recorded) || !(entry.fault.when?.(recorded) ?? true)) {
        return false;
      }
      const key = `${recorded.accountId}/${recorded.region}/${recorded.action}/${recorded.params.toString()}`;
      if ((entry.perRequest.get(key) ?? 0) >= (entry.fault.maxPerRequest ?? Number.POSITIVE_INFINITY)) return false;
      entry.seen += 1;
      const hit = (entry.seen - 1) % (entry.fault.every ?? 1) === 0;
      if (hit) entry.perRequest.set(key, (entry.perRequest.get(key) ?? 0) + 1);
      return hit;
    };
    const active = faults.find(answers) ?? emulated.find(answers);
    const after = active?.fault.after;
    const rewrite = active?.fault.rewrite;
    if (active && !after && !rewrite) {
      active.remaining -= 1;
      await active.fault.before?.();
      if (active.fault.drop) {
        incoming.socket.destroy();
        return;
      }
      if (active.fault.reply !== undefined) {
        outgoing.writeHead(200, { 'content-type': JSON_SERVICES.has(recorded.service) ? JSON_1_1 : 'text/xml' });
        outgoing.end(active.fault.reply);
      } else {
        const { message } = active.fault;
        sendError(
          outgoing,
          recorded.service,
          active.fault.code ?? 'InternalError',
          active.fault.status,
          typeof message === 'function' ? message(recorded) : message,
        );
      }
      return;
    }
    if (active) active.remaining -= 1;
    if (!active && recorded.service === 'cloudtrail' && recorded.action === 'LookupEvents') {
      // Moto has no LookupEvents: CloudTrail as an account with no matching event answers it.
      outgoing.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      outgoing.end(JSON.stringify({ Events: [] }));
      return;
    }
    if (!active && recorded.service === 'organizations' && recorded.action === 'DescribeEffectivePolicy') {
      // Moto has no declarative policies: Organizations as an organization with none answers it.
      sendError(outgoing, 'organizations', 'EffectivePolicyNotFoundException', 400, NO_EFFECTIVE_POLICY);
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          void (async () => {
            const responseBody = Buffer.concat(chunks);
            if (recorded.service === 'sts' && recorded.action === 'AssumeRole') {
              rememberAssumedKey(recorded.params, responseBody.toString('utf8'), accountOfKey);
            }
            await after?.();
            if (rewrite) {
              const changed = Buffer.from(rewrite(responseBody.toString('utf8'), recorded), 'utf8');
              const headers = { ...response.headers, 'content-length': String(changed.length) };
              outgoing.writeHead(response.statusCode ?? 502, headers);
              outgoing.end(changed);
              return;
            }
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            outgoing.end(responseBody);
          })();
        });
      },
    );
    upstream.on('error', (error) => {
      outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    upstream.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (fault) => faults.push(entryOf(fault)),
    emulate: (answer) => emulated.push(entryOf(answer)),
    setLatency: (milliseconds) => {
      latency = milliseconds;
    },
    clear: () => {
      requests.length = 0;
      faults.length = 0;
      latency = 0;
    },
    count: (match = {}) => requests.filter((request) => matches(match, request)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Services of the JSON 1.1 protocol here: their answers, errors too, are JSON. */
const JSON_SERVICES: ReadonlySet<string> = new Set(['organizations', 'cloudtrail']);
const JSON_1_1 = 'application/x-amz-json-1.1';

/** The proxy's wording (AWS's own is not recorded here) of Organizations' answer for an account no declarative policy reaches. */
const NO_EFFECTIVE_POLICY = 'No effective policy of type DECLARATIVE_POLICY_EC2 applies to the target';

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function describeRequest(incoming: IncomingMessage, body: Buffer, accountOfKey: Map<string, string>): RecordedRequest {
  const authorization = String(incoming.headers['authorization'] ?? '');
  // Credential=AKID/20261126/us-east-1/ec2/aws4_request
  const scope = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(authorization);
  const accessKeyId = scope?.[1] ?? '';
  const region = scope?.[2] ?? '';
  const service = scope?.[3] ?? '';
  const target = String(incoming.headers['x-amz-target'] ?? '');
  const contentType = String(incoming.headers['content-type'] ?? '');
  const query = !target && contentType.startsWith('application/x-www-form-urlencoded');
  const params = new URLSearchParams(query ? body.toString('utf8') : '');
  // JSON 1.x: X-Amz-Target; Smithy RPC v2 (CloudWatch): /service/…/operation/Name; query: Action=;
  // REST (Lambda, Scheduler): the method and path.
  const rpcV2 = /\/operation\/(\w+)$/.exec(incoming.url ?? '')?.[1];
  const action = target
    ? (target.split('.').pop() ?? '')
    : (rpcV2 ?? (query ? (params.get('Action') ?? '') : `${incoming.method} ${incoming.url?.split('?')[0]}`));
  return {
    service,
    action,
    region,
    accountId: accountOfKey.get(accessKeyId) ?? HUB_ACCOUNT_ID,
    params,
    body: body.toString('utf8'),
  };
}

function rememberAssumedKey(params: URLSearchParams, responseXml: string, accountOfKey: Map<string, string>): void {
  const accountId = /^arn:aws:iam::(\d{12}):/.exec(params.get('RoleArn') ?? '')?.[1];
  const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(responseXml)?.[1];
  if (accountId && accessKeyId) accountOfKey.set(accessKeyId, accountId);
}

function matches(match: FaultMatch, request: RecordedRequest): boolean {
  return (
    (match.service === undefined || match.service === request.service) &&
    (match.action === undefined || match.action === request.action) &&
    (match.accountId === undefined || match.accountId === request.accountId) &&
    (match.region === undefined || match.region === request.region)
  );
}

/**
 * Answers in the service's own wire format, so the SDK raises the named exception: Organizations
 * and CloudTrail JSON 1.1; Scheduler REST JSON; EC2's `<Response><Errors>` with `RequestID`; the other query services' `<ErrorResponse>`
 * (STS with its namespace) with `RequestId`.
 */
function sendError(
  outgoing: ServerResponse,
  service: string,
  code: string,
  statusCode?: number,
  awsMessage?: string,
): void {
  const status = statusCode ?? (code.startsWith('Internal') ? 500 : 400);
  const message = escapeXml(awsMessage ?? `injected by the test proxy: ${code}`);
  if (JSON_SERVICES.has(service)) {
    outgoing.writeHead(status, { 'content-type': JSON_1_1, 'x-amzn-errortype': code });
    outgoing.end(JSON.stringify({ __type: code, message: awsMessage ?? message }));
  } else if (service === 'scheduler') {
    // REST JSON: the code in X-Amzn-ErrorType, the message in the body.
    outgoing.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': code });
    outgoing.end(JSON.stringify({ Message: awsMessage ?? message }));
  } else if (service === 'ec2') {
    outgoing.writeHead(status, { 'content-type': 'text/xml' });
    outgoing.end(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>proxy</RequestID></Response>`,
    );
  } else {
    const namespace = service === 'sts' ? ' xmlns="https://sts.amazonaws.com/doc/2011-06-15/"' : '';
    outgoing.writeHead(status, { 'content-type': 'text/xml' });
    outgoing.end(
      `<ErrorResponse${namespace}><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
    );
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * AWS's own error messages (verbatim, with the account, role and action filled in), for the
 * denials moto never produces.
 */
export const AWS_MESSAGES = {
  /** EC2, a member role whose policy no longer allows the call (HTTP 403). */
  noIdentityPolicy: (request: RecordedRequest, roleName = 'AccountJanitorMemberRole') =>
    `You are not authorized to perform this operation. User: arn:aws:sts::${request.accountId}:assumed-role/${roleName}/account-janitor is not authorized to perform: ec2:${request.action} because no identity-based policy allows the ec2:${request.action} action`,
  /** EC2, a region-deny service control policy (HTTP 403). */
  scpDeny: (request: RecordedRequest, roleName = 'AccountJanitorMemberRole') =>
    `You are not authorized to perform this operation. User: arn:aws:sts::${request.accountId}:assumed-role/${roleName}/account-janitor is not authorized to perform: ec2:${request.action} with an explicit deny in a service control policy`,
  /**
   * EC2's own form of any denial (HTTP 403): no policy named, only the encoded authorization
   * message, which sts:DecodeAuthorizationMessage decodes in the account (`decodedAuthorizationMessage`).
   */
  encoded: (encodedMessage: string) =>
    `You are not authorized to perform this operation. Encoded authorization failure message: ${encodedMessage}`,
  /** EC2 in a region the account has not opted into (HTTP 401). */
  optInRegion: () => 'AWS was not able to validate the provided access credentials',
  /** STS, a role whose trust policy does not name the caller (HTTP 403). */
  assumeRoleDenied: (callerArn: string, roleArn: string) =>
    `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
} as const;

/**
 * The document DecodeAuthorizationMessage returns, in AWS's format (STS API reference; IAM User
 * Guide, "Use DecodeAuthorizationMessage with a CLI"): whether an explicit deny matched, the
 * matched statements (their Sids), the request's context.
 */
export function decodedDenial(
  options: { explicitDeny: boolean; statementIds?: readonly string[]; action?: string; accountId?: string } = {
    explicitDeny: true,
  },
): string {
  const action = options.action ?? 'ec2:CreateRoute';
  return JSON.stringify({
    allowed: false,
    explicitDeny: options.explicitDeny,
    matchedStatements: {
      items: (options.statementIds ?? []).map((statementId) => ({
        statementId,
        effect: 'DENY',
        principals: { items: [{ value: 'AROA123456789EXAMPLE' }] },
        principalGroups: { items: [] },
        actions: { items: [{ value: action }] },
        resources: { items: [{ value: '*' }] },
        conditions: { items: [] },
      })),
    },
    failures: { items: [] },
    context: {
      principal: {
        id: 'AROA123456789EXAMPLE:account-janitor',
        arn: `arn:aws:sts::${options.accountId ?? '111122223333'}:assumed-role/AccountJanitorMemberRole/account-janitor`,
      },
      action: action.split(':').pop(),
      resource: '*',
      conditions: { items: [{ key: 'aws:Region', values: { items: [{ value: 'eu-west-1' }] } }] },
    },
  });
}

/** STS's answer to DecodeAuthorizationMessage in its query protocol's XML, carrying the decoded document. */
export function decodedAuthorizationMessage(document: string): string {
  return `<DecodeAuthorizationMessageResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><DecodeAuthorizationMessageResult><DecodedMessage>${escapeXml(document)}</DecodedMessage></DecodeAuthorizationMessageResult><ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></DecodeAuthorizationMessageResponse>`;
}

/**
 * EC2 refuses the matching requests as it does (UnauthorizedOperation, HTTP 403, the encoded
 * message), and STS decodes that message into `decoded` when the member account asks; without
 * `decoded`, the decoding is refused (AccessDenied), as for a role without sts:DecodeAuthorizationMessage.
 */
export function injectEncodedDenial(
  proxy: Pick<AwsProxy, 'inject'>,
  options: { match: FaultMatch; encodedMessage: string; decoded?: string; when?: Fault['when'] },
): void {
  proxy.inject({
    match: { ...options.match, service: 'ec2' },
    ...(options.when ? { when: options.when } : {}),
    code: 'UnauthorizedOperation',
    status: 403,
    message: AWS_MESSAGES.encoded(options.encodedMessage),
  });
  const decoding = { service: 'sts', action: 'DecodeAuthorizationMessage' };
  const when = (request: RecordedRequest) => request.params.get('EncodedMessage') === options.encodedMessage;
  proxy.inject(
    options.decoded === undefined
      ? { match: decoding, when, code: 'AccessDenied', status: 403 }
      : { match: decoding, when, reply: decodedAuthorizationMessage(options.decoded) },
  );
}
