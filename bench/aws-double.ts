import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerOrganizations,
  answerThrottled,
  DOUBLE_MANAGEMENT_ACCOUNT,
  ORGANIZATIONS_BURST,
  ORGANIZATIONS_IN_PROGRESS_MESSAGE,
  ORGANIZATIONS_RATE,
  ORGANIZATIONS_THROTTLED_MESSAGE,
  tokenBucket,
} from './organizations-double';

export {
  DOUBLE_MANAGEMENT_ACCOUNT,
  DOUBLE_ROOT,
  doubleAccountId,
  doubleOuId,
  ORGANIZATIONS_BURST,
  ORGANIZATIONS_IN_PROGRESS_MESSAGE,
  ORGANIZATIONS_RATE,
  ORGANIZATIONS_THROTTLED_MESSAGE,
} from './organizations-double';

/**
 * A load double of the AWS APIs the janitor calls, for organizations far larger than moto can
 * hold: Organizations (JSON 1.1), STS AssumeRole and the EC2 describes and route writes (query
 * protocol, XML), answered in their real wire formats, after a latency: fixed, or by region as AWS
 * would answer a hub in us-east-1 (AWS_LATENCY_MS); Organizations within its request rate
 * (ORGANIZATIONS_RATE: a token bucket, TooManyRequestsException over it; optionally also a
 * limit of requests served at once). It checks what it gets
 * (signed, known action, required parameters, credentials of the right account) and counts
 * requests by action. The organization is computed, not stored (bench/organizations-double.ts:
 * N accounts in OUs of 50), about a fifth of the account-regions drifted (route missing); writes
 * are remembered so a verification reads them back.
 */

export interface DoubleOptions {
  readonly accounts: number;
  readonly regions: readonly string[];
  /** Every request's latency; or `aws`: by the distance of the request's region from the hub's (AWS_LATENCY_MS). */
  readonly latencyMs: number | 'aws';
  /** One account-region in this many has its route deleted. */
  readonly driftEvery?: number;
  /** Organizations' request rate, per second (default ORGANIZATIONS_RATE; `Infinity`: none). */
  readonly organizationsRate?: number;
  /** Organizations' burst: requests accepted at once on a full bucket (default ORGANIZATIONS_BURST). */
  readonly organizationsBurst?: number;
  /**
   * The most Organizations requests it serves at once (default: no limit); one arriving while
   * that many are being served is answered TooManyRequestsException, "another request is already
   * in progress", without taking from the rate.
   */
  readonly organizationsInFlight?: number;
}

export interface DoubleStats {
  readonly requests: Record<string, number>;
  readonly rejected: number;
  readonly rejections: string[];
  readonly writes: number;
  /** Organizations requests answered TooManyRequestsException, by action (counted in `requests` too). */
  readonly throttled: Record<string, number>;
  /** The most Organizations requests the double held at once (received, not yet answered). */
  readonly maxOrganizationsInFlight: number;
  /** Of the throttled, those answered "another request is already in progress" (over `organizationsInFlight`). */
  readonly throttledInFlight: number;
  /** The messages SNS Publish was given (the run's digest), in order. */
  readonly published: readonly string[];
}

/**
 * Round trips from a hub in us-east-1, the shape of what AWS gives (the issue's profile: the same
 * region ~10 ms, the same continent 30–80 ms, across oceans 150–300 ms). Organizations and STS
 * answer from the hub's region.
 */
export const AWS_LATENCY_MS: Readonly<Record<string, number>> = {
  'us-east-1': 10,
  'us-east-2': 30,
  'ca-central-1': 40,
  'us-west-1': 70,
  'us-west-2': 80,
  'sa-east-1': 150,
  'eu-west-1': 150,
  'eu-west-2': 155,
  'eu-west-3': 160,
  'eu-central-1': 170,
  'eu-north-1': 180,
  'ap-northeast-1': 230,
  'ap-northeast-3': 240,
  'ap-northeast-2': 250,
  'ap-south-1': 260,
  'ap-southeast-1': 280,
  'ap-southeast-2': 300,
};

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function startAwsDouble(
  options: DoubleOptions,
): Promise<{ url: string; server: Server; stats: () => DoubleStats }> {
  const driftEvery = options.driftEvery ?? 5;
  const requests: Record<string, number> = {};
  const rejections: string[] = [];
  const published: string[] = [];
  const written = new Map<string, string>();
  let rejected = 0;
  const throttled: Record<string, number> = {};
  let organizationsInFlight = 0;
  let maxOrganizationsInFlight = 0;
  let organizationsServing = 0;
  let throttledInFlight = 0;
  const servedAtOnce = options.organizationsInFlight ?? Infinity;
  const organizationsRate = tokenBucket(
    options.organizationsRate ?? ORGANIZATIONS_RATE,
    options.organizationsBurst ?? ORGANIZATIONS_BURST,
  );

  /** Over Organizations' rate: counted, and answered as AWS does. */
  const throttle = (request: IncomingMessage, response: ServerResponse, message: string) => {
    const key = `organizations:${String(request.headers['x-amz-target'] ?? '').replace('AWSOrganizationsV20161128.', '')}`;
    requests[key] = (requests[key] ?? 0) + 1;
    throttled[key] = (throttled[key] ?? 0) + 1;
    answerThrottled(response, message);
  };

  const reject = (response: ServerResponse, why: string) => {
    rejected += 1;
    if (rejections.length < 20) rejections.push(why);
    response.writeHead(400, { 'content-type': 'text/xml' });
    response.end(
      `<Response><Errors><Error><Code>InvalidRequest</Code><Message>${why}</Message></Error></Errors></Response>`,
    );
  };

  const isDrifted = (account: number, region: number) => (account * 7 + region * 3) % driftEvery === 0;

  function assumeRole(params: URLSearchParams, response: ServerResponse) {
    const accountId = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@-]+$/.exec(params.get('RoleArn') ?? '')?.[1];
    if (!accountId || !params.get('RoleSessionName'))
      return reject(response, 'AssumeRole without RoleArn or RoleSessionName');
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
        `<AccessKeyId>ASIA${accountId}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token-${accountId}</SessionToken>` +
        `<Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>AROADOUBLE:account-janitor</AssumedRoleId><Arn>${params.get('RoleArn')}</Arn></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>double</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  function callerIdentity(response: ServerResponse) {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:iam::${DOUBLE_MANAGEMENT_ACCOUNT}:root</Arn><UserId>${DOUBLE_MANAGEMENT_ACCOUNT}</UserId><Account>${DOUBLE_MANAGEMENT_ACCOUNT}</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>double</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }

  function ec2(
    action: string,
    params: URLSearchParams,
    accessKeyId: string,
    regionName: string,
    response: ServerResponse,
  ) {
    const accountId = /^ASIA(\d{12})$/.exec(accessKeyId)?.[1];
    const region = options.regions.indexOf(regionName);
    if (!accountId) return reject(response, `EC2 ${action} without member-account credentials`);
    const account = Number(accountId) - 100_000_000_000;
    const key = `${accountId}/${regionName}`;
    const vpc = `vpc-${accountId}${region}`;
    const igw = `igw-${accountId}${region}`;
    const rtb = `rtb-${accountId}${region}`;
    const xml = (name: string, content: string) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?><${name} xmlns="${EC2_NS}"><requestId>double</requestId>${content}</${name}>`,
      );
    };
    switch (action) {
      case 'DescribeRegions':
        return xml(
          'DescribeRegionsResponse',
          `<regionInfo>${options.regions
            .map(
              (name) =>
                `<item><regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`,
            )
            .join('')}</regionInfo>`,
        );
      case 'DescribeVpcs':
        if (params.get('Filter.1.Name') !== 'isDefault')
          return reject(response, 'DescribeVpcs without the isDefault filter');
        return xml(
          'DescribeVpcsResponse',
          `<vpcSet><item><vpcId>${vpc}</vpcId><state>available</state><cidrBlock>172.31.0.0/16</cidrBlock><isDefault>true</isDefault><ownerId>${accountId}</ownerId><tagSet/></item></vpcSet>`,
        );
      case 'DescribeInternetGateways':
        return xml(
          'DescribeInternetGatewaysResponse',
          `<internetGatewaySet><item><internetGatewayId>${igw}</internetGatewayId><ownerId>${accountId}</ownerId><attachmentSet><item><vpcId>${vpc}</vpcId><state>available</state></item></attachmentSet><tagSet/></item></internetGatewaySet>`,
        );
      case 'DescribeRouteTables': {
        const byId = params.get('RouteTableId.1');
        if (byId !== null && byId !== rtb) return reject(response, `DescribeRouteTables of an unknown table ${byId}`);
        if (byId === null && params.get('Filter.1.Name') !== 'association.main') {
          return reject(response, 'DescribeRouteTables without the association.main filter');
        }
        const target = written.get(key) ?? (isDrifted(account, region) ? undefined : igw);
        const internet = target
          ? `<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>${target}</gatewayId><state>active</state><origin>CreateRoute</origin></item>`
          : '';
        return xml(
          'DescribeRouteTablesResponse',
          `<routeTableSet><item><routeTableId>${rtb}</routeTableId><vpcId>${vpc}</vpcId><ownerId>${accountId}</ownerId><routeSet>` +
            `<item><destinationCidrBlock>172.31.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>${internet}` +
            `</routeSet><associationSet><item><routeTableAssociationId>rtbassoc-${accountId}${region}</routeTableAssociationId><routeTableId>${rtb}</routeTableId><main>true</main></item></associationSet><tagSet/></item></routeTableSet>`,
        );
      }
      case 'CreateRoute':
      case 'ReplaceRoute': {
        if (
          params.get('RouteTableId') !== rtb ||
          params.get('DestinationCidrBlock') !== '0.0.0.0/0' ||
          params.get('GatewayId') !== igw
        ) {
          return reject(response, `${action} with unexpected parameters ${params.toString()}`);
        }
        written.set(key, igw);
        return xml(`${action}Response`, '<return>true</return>');
      }
      default:
        return reject(response, `unexpected EC2 action ${action}`);
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse, body: string) {
    const authorization = String(request.headers['authorization'] ?? '');
    const scope =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.exec(
        authorization,
      );
    if (!scope) return reject(response, 'unsigned or malformed Authorization header');
    const [, accessKeyId = '', region = '', service = ''] = scope;
    const target = String(request.headers['x-amz-target'] ?? '');
    if (service === 'organizations') {
      const action = target.replace('AWSOrganizationsV20161128.', '');
      requests[`organizations:${action}`] = (requests[`organizations:${action}`] ?? 0) + 1;
      return answerOrganizations(
        options.accounts,
        action,
        JSON.parse(body || '{}') as Record<string, unknown>,
        response,
        reject,
      );
    }
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    requests[`${service}:${action}`] = (requests[`${service}:${action}`] ?? 0) + 1;
    if (service === 'sts' && action === 'AssumeRole') return assumeRole(params, response);
    if (service === 'sts' && action === 'GetCallerIdentity') return callerIdentity(response);
    if (service === 'sns' && action === 'Publish') {
      published.push(params.get('Message') ?? '');
      response.writeHead(200, { 'content-type': 'text/xml' });
      return response.end(
        `<PublishResponse><PublishResult><MessageId>double-${published.length}</MessageId></PublishResult></PublishResponse>`,
      );
    }
    if (service === 'cloudtrail' && target.endsWith('.LookupEvents')) {
      requests['cloudtrail:LookupEvents'] = (requests['cloudtrail:LookupEvents'] ?? 0) + 1;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      return response.end(JSON.stringify({ Events: [] }));
    }
    if (service === 'ec2') return ec2(action, params, accessKeyId, region, response);
    return reject(response, `unexpected ${service}:${action}`);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const [, region = '', service = ''] =
        /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(request.headers['authorization'] ?? '')) ?? [];
      const latency = options.latencyMs === 'aws' ? (AWS_LATENCY_MS[region] ?? 300) : options.latencyMs;
      // Organizations' limits are counted as requests arrive (those served at once first, then the
      // rate); the answer, either way, after the latency.
      let refusal: string | undefined;
      if (service === 'organizations') {
        organizationsInFlight += 1;
        maxOrganizationsInFlight = Math.max(maxOrganizationsInFlight, organizationsInFlight);
        response.once('close', () => (organizationsInFlight -= 1));
        if (organizationsServing >= servedAtOnce) {
          refusal = ORGANIZATIONS_IN_PROGRESS_MESSAGE;
          throttledInFlight += 1;
        } else if (!organizationsRate.take()) {
          refusal = ORGANIZATIONS_THROTTLED_MESSAGE;
        } else {
          organizationsServing += 1;
          response.once('close', () => (organizationsServing -= 1));
        }
      }
      setTimeout(
        () =>
          refusal === undefined
            ? handle(request, response, Buffer.concat(chunks).toString('utf8'))
            : throttle(request, response, refusal),
        latency,
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.maxConnections = 4_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        server,
        stats: () => ({
          requests: { ...requests },
          rejected,
          rejections: [...rejections],
          writes: written.size,
          throttled: { ...throttled },
          maxOrganizationsInFlight,
          throttledInFlight,
          published: [...published],
        }),
      });
    });
  });
}
