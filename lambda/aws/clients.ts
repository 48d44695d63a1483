import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_MAX_ATTEMPTS } from '../config/schema';
import { forAccount, NO_CREDENTIALS, shareAcrossAccounts } from './member-client';

/**
 * The one place where AWS SDK clients are made. Endpoints, credentials and regions come from the
 * SDK's own conventions (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, the default credential
 * chain); what is set here is how they share connections.
 *
 * Every client shares one HTTP handler, whose keep-alive agents pool connections per endpoint and
 * cap the sockets open at once: a member account's short-lived EC2 client reuses connections
 * that other accounts opened to the same regional endpoint, and a sweep of a thousand accounts
 * stays far below Lambda's limit of 1,024 open files.
 */

export interface AwsClientOptions {
  /** Region of the hub calls (Organizations, STS) and of DescribeRegions in member accounts. */
  readonly homeRegion: string;
  /** Attempts per request, first one included (SDK adaptive retry mode). */
  readonly maxAttempts?: number;
  /** Sockets open at once across all endpoints. */
  readonly maxSockets?: number;
  /**
   * Where `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` are read for the member accounts'
   * clients, once (default `process.env`). The shared config file's `endpoint_url` is not read for them.
   */
  readonly environment?: NodeJS.ProcessEnv;
  /**
   * The hub clients' credentials (Organizations, STS, SNS, `hub()`): default the SDK's chain. A
   * library caller gives its own here; member accounts' clients always get theirs per call.
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface AwsClients {
  readonly homeRegion: string;
  /** The hub account's Organizations client. */
  organizations(): OrganizationsClient;
  /** The hub account's STS client. */
  sts(): STSClient;
  /** The hub account's SNS client (the run digest). */
  sns(): SNSClient;
  /** An EC2 client for a member account in a region. Cheap: it holds no connection of its own. */
  ec2(region: string, credentials: AwsCredentialIdentity): EC2Client;
  /** A CloudTrail client for a member account in a region (who broke it), as cheap. */
  cloudTrail(region: string, credentials: AwsCredentialIdentity): CloudTrailClient;
  /**
   * A member account's STS client, in the home region (a region-deny SCP leaves that one open):
   * what decodes EC2's refusals in the account that was refused. As cheap.
   */
  memberSts(credentials: AwsCredentialIdentity): STSClient;
  /**
   * Another client of the hub account in the home region, on the same connection pool, retries
   * and user agent (made once per class): the `doctor` reads CloudFormation, Lambda, Scheduler…
   * this way, without the Lambda bundle importing those SDKs.
   */
  hub<T>(Client: HubClientClass<T>): T;
  /** Closes every pooled connection. Clients must not be used afterwards. */
  destroy(): void;
}

/** The settings every client here is made with. */
export interface SharedClientConfig {
  readonly region: string;
  readonly maxAttempts: number;
  readonly retryMode: 'adaptive';
  readonly requestHandler: NodeHttpHandler;
  readonly customUserAgent: [string, string][];
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}
export type HubClientClass<T> = new (config: SharedClientConfig) => T;

export const DEFAULT_MAX_SOCKETS = 512;
const USER_AGENT: [string, string][] = [['account-janitor', '1']];
const USER_AGENT_APP_ID = 'account-janitor';

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const agentOptions = { keepAlive: true, maxSockets, maxTotalSockets: maxSockets, maxFreeSockets: maxSockets };
  const requestHandler = new NodeHttpHandler({
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
  });
  const common = {
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive',
    requestHandler,
    customUserAgent: USER_AGENT,
  } as const;
  const environment = options.environment ?? process.env;
  /**
   * The member accounts' clients (one per region, member-client.ts). Everything the SDK would
   * otherwise look up for each new client (environment, then the shared config files, through a
   * chain of thrown ProviderErrors) is given here, read once from the environment.
   */
  const memberConfig = (serviceEnvironmentKey: string) => {
    const ignoreEndpoints = environment['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']?.toLowerCase() === 'true';
    const endpoint = ignoreEndpoints
      ? undefined
      : environment[`AWS_ENDPOINT_URL_${serviceEnvironmentKey}`] || environment['AWS_ENDPOINT_URL'] || undefined;
    return {
      ...common,
      // As the SDK reads them (environment only; not the shared config file's use_fips_endpoint).
      useFipsEndpoint: environment['AWS_USE_FIPS_ENDPOINT']?.toLowerCase() === 'true',
      useDualstackEndpoint: environment['AWS_USE_DUALSTACK_ENDPOINT']?.toLowerCase() === 'true',
      authSchemePreference: [] as string[],
      userAgentAppId: USER_AGENT_APP_ID,
      defaultsMode: 'legacy' as const,
      ignoreConfiguredEndpointUrls: true,
      // The same commands, over and over: resolve each one's middleware once per client.
      cacheMiddleware: true,
      ...(endpoint ? { endpoint } : {}),
    };
  };
  const ec2Config = memberConfig('EC2');
  const cloudTrailConfig = memberConfig('CLOUDTRAIL');
  const stsConfig = memberConfig('STS');
  // One client per region for every member account (member-client.ts).
  const ec2ByRegion = new Map<string, EC2Client>();
  const cloudTrailByRegion = new Map<string, CloudTrailClient>();
  const stsByRegion = new Map<string, STSClient>();
  const sharedIn = <C extends object>(clients: Map<string, C>, region: string, make: () => C): C => {
    let client = clients.get(region);
    if (!client) {
      client = shareAcrossAccounts(make());
      clients.set(region, client);
    }
    return client;
  };

  const hubConfig = {
    ...common,
    region: options.homeRegion,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  let organizations: OrganizationsClient | undefined;
  let sts: STSClient | undefined;
  let sns: SNSClient | undefined;
  const hubClients = new Map<unknown, unknown>();
  return {
    homeRegion: options.homeRegion,
    organizations: () => (organizations ??= new OrganizationsClient(hubConfig)),
    sts: () => (sts ??= new STSClient(hubConfig)),
    sns: () => (sns ??= new SNSClient(hubConfig)),
    ec2: (region, credentials) =>
      forAccount(
        sharedIn(ec2ByRegion, region, () => new EC2Client({ ...ec2Config, region, credentials: NO_CREDENTIALS })),
        credentials,
        { region, service: 'ec2', maxAttempts: common.maxAttempts },
      ),
    cloudTrail: (region, credentials) =>
      forAccount(
        sharedIn(
          cloudTrailByRegion,
          region,
          () => new CloudTrailClient({ ...cloudTrailConfig, region, credentials: NO_CREDENTIALS }),
        ),
        credentials,
        { region, service: 'cloudtrail', maxAttempts: common.maxAttempts },
      ),
    memberSts: (credentials) =>
      forAccount(
        sharedIn(
          stsByRegion,
          options.homeRegion,
          () => new STSClient({ ...stsConfig, region: options.homeRegion, credentials: NO_CREDENTIALS }),
        ),
        credentials,
        { region: options.homeRegion, service: 'sts', maxAttempts: common.maxAttempts },
      ),
    hub: <T>(Client: HubClientClass<T>): T => {
      if (!hubClients.has(Client)) hubClients.set(Client, new Client(hubConfig));
      return hubClients.get(Client) as T;
    },
    destroy: () => requestHandler.destroy(),
  };
}
