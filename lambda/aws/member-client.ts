import { getUserAgentMiddlewareOptions, userAgentMiddleware } from '@aws-sdk/core/client';
import { AwsSdkSigV4Signer } from '@aws-sdk/core/httpAuthSchemes';
import { AdaptiveRetryStrategy, retryMiddleware, retryMiddlewareOptions } from '@smithy/core/retry';
import { Sha256 } from '@smithy/core/checksum';
import { getSchemaSerdePlugin } from '@smithy/core/schema';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest as SdkHttpRequest } from '@smithy/core/transport';
import type {
  AwsCredentialIdentity,
  SerializeHandler,
  SerializeHandlerArguments,
  SerializeMiddleware,
  BuildHandler,
  BuildHandlerArguments,
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  HttpRequest,
  MetadataBearer,
  MiddlewareStack,
  RetryStrategyV2,
} from '@smithy/types';

/**
 * One SDK client per region and service serves every member account: each request carries its
 * account's signer and retry strategy, and the client signs and retries with them. A client made
 * per account and region costs its configuration and its middleware stack again, thousands of
 * times a sweep; this way they are made once per region.
 *
 * How: `forAccount(client, credentials)` returns a view of the shared client whose `send` puts, on
 * a copy of the command's input (under a symbol: never serialized), a SigV4 signer for those
 * credentials and an adaptive retry strategy of that account-region's own (EC2 throttles per
 * account: one throttled account must not slow the others, nor spend their retries). The
 * client's retry and signing middlewares are replaced by ones that use them; each retry is
 * signed anew. The shared client's own credentials are a placeholder: a request without an
 * account's signer fails before it is sent. A skewed clock is corrected as the SDK corrects it,
 * with the SDK's own signer: each answer's Date header updates one offset per shared client (the
 * machine's clock is wrong for every account alike), and a request refused for its time is
 * retried, signed at the corrected time.
 */

const MEMBER = Symbol('account-janitor member account');

interface MemberRequest {
  readonly signer: SignatureV4;
  readonly retryStrategy: RetryStrategyV2;
  /** The retry middleware with this account-region's strategy: built once, not per request. */
  retry?: ReturnType<typeof retryMiddleware>;
}
type MemberInput = { [MEMBER]?: MemberRequest };

/** The shared client's own credentials: never used to sign. */
export const NO_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'account-janitor-member-client-without-account',
  secretAccessKey: 'unused',
};

interface SharedClient {
  readonly middlewareStack: MiddlewareStack<object, MetadataBearer>;
  readonly config: Parameters<typeof retryMiddleware>[0];
  send(command: { input: object }, ...rest: unknown[]): Promise<unknown>;
}

const memberOf = (input: object): MemberRequest => {
  const member = (input as MemberInput)[MEMBER];
  if (!member) throw new Error('account-janitor: a member account request without its account signer');
  return member;
};

/** Makes a client (made with `credentials: NO_CREDENTIALS`) retry and sign each request as its account's. */
export function shareAcrossAccounts<T extends object>(client: T): T {
  const shared = client as unknown as { config: object };
  shared.config = fastCopy(shared.config);
  const { middlewareStack, config } = client as unknown as SharedClient;
  for (const name of ['httpSigningMiddleware', 'serializerMiddleware', 'deserializerMiddleware']) {
    if (!middlewareStack.remove(name)) throw new Error(`account-janitor: the SDK client has no ${name} to replace`);
  }
  // The serializer and deserializer again, on the fast copy of the configuration they copy per
  // request; the serializer's requests of reads remembered.
  getSchemaSerdePlugin(config as unknown as Parameters<typeof getSchemaSerdePlugin>[0]).applyToStack({
    add: (middleware: SerializeMiddleware<object, MetadataBearer>, options: { step: string }) =>
      middlewareStack.add(
        (options.step === 'serialize' ? rememberedReads(middleware) : middleware) as never,
        options as never,
      ),
  } as unknown as MiddlewareStack<object, MetadataBearer>);
  // Same name, step and priority: replaces the SDK's own (override).
  middlewareStack.add(rememberedUserAgent(config as unknown as Parameters<typeof userAgentMiddleware>[0]), {
    ...getUserAgentMiddlewareOptions,
  });
  // Same name, step and priority: replaces the SDK's own (override).
  middlewareStack.add(
    (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
      (args: FinalizeHandlerArguments<object>) => {
        const member = memberOf(args.input);
        const { retryStrategy } = member;
        member.retry ??= retryMiddleware({ ...config, retryStrategy: () => Promise.resolve(retryStrategy) });
        return member.retry(next, context)(args);
      },
    { ...retryMiddlewareOptions },
  );
  // The SDK's SigV4 signer, for its clock-skew handling: it signs with the account's SignatureV4 at
  // the corrected time, and reads the server's Date from each answer, error or not.
  const sdkSigner = new AwsSdkSigV4Signer();
  const clock = { systemClockOffset: 0 };
  middlewareStack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
      async (args: FinalizeHandlerArguments<object>) => {
        const { signer } = memberOf(args.input);
        const properties = {
          context,
          config: {
            signer: () => Promise.resolve(signer),
            get systemClockOffset() {
              return clock.systemClockOffset;
            },
            set systemClockOffset(offset: number) {
              clock.systemClockOffset = offset;
            },
          },
        };
        const offsetBefore = clock.systemClockOffset;
        const request = await sdkSigner.sign(args.request as HttpRequest, NO_CREDENTIALS, properties);
        try {
          const output = await next({ ...args, request });
          sdkSigner.successHandler(output.response, properties);
          return output;
        } catch (error) {
          try {
            // Marks an error whose answer corrected the clock as retryable, and throws it.
            return sdkSigner.errorHandler(properties)(error as Error);
          } catch (marked) {
            throw unmarkUnlessCorrected(marked, clock.systemClockOffset - offsetBefore);
          }
        }
      },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'accountJanitorMemberSigning' },
  );
  return client;
}

/**
 * The client's resolved configuration, copied into an object of the same properties (getters and
 * setters included) that V8 keeps in its fast representation. The SDK copies the configuration
 * with `{ ...config }` three times a request (endpoint, serializer, deserializer); the object the
 * SDK assembles (44 keys, many merges) takes about 29 µs a copy, the copy here about 3 µs
 * (measured on Node 20, 2026-12-07). The commands read it from the client when their middleware
 * is first resolved: made before the first request.
 */
function fastCopy<C extends object>(config: C): C {
  return Object.defineProperties({}, Object.getOwnPropertyDescriptors(config)) as C;
}

/** Reads whose serialized requests are remembered: a Describe has no idempotency token to make anew. */
const REMEMBERED_READ = /^Describe/;
const MAX_REMEMBERED_READS = 256;

/**
 * The SDK's serializer, its requests of reads remembered: a sweep sends the same few describes
 * (the same filters, to the same regional endpoint) for every account, and the serializer walks
 * their schemas each time. A read whose command, input and endpoint were serialized before gets
 * a copy of that request; a page token or another filter makes another entry.
 */
function rememberedReads(sdkMiddleware: SerializeMiddleware<object, MetadataBearer>) {
  const remembered = new Map<string, HttpRequest>();
  return (next: SerializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    (args: SerializeHandlerArguments<object>) => {
      if (!REMEMBERED_READ.test(context.commandName ?? '')) return sdkMiddleware(next, context)(args);
      // JSON leaves out the symbol-keyed account signer.
      const key = `${context.commandName} ${context.endpointV2?.url.href} ${JSON.stringify(args.input)}`;
      const request = remembered.get(key);
      if (request) return next({ ...args, request: SdkHttpRequest.clone(request) });
      const remember: SerializeHandler<object, MetadataBearer> = (serialized) => {
        if (remembered.size >= MAX_REMEMBERED_READS) remembered.clear();
        remembered.set(key, SdkHttpRequest.clone(serialized.request as HttpRequest));
        return next(serialized);
      };
      return sdkMiddleware(remember, context)(args);
    };
}

const USER_AGENT_HEADERS = ['user-agent', 'x-amz-user-agent'] as const;

/**
 * The SDK's user agent middleware, its answers remembered: it builds the same two headers for
 * every request of a command (escaping every part, asking for the default user agent, encoding
 * the features the request used), some 4 % of a sweep's CPU. The first request of each command
 * and set of features goes through the SDK's middleware; the others get the headers it set.
 */
function rememberedUserAgent(config: Parameters<typeof userAgentMiddleware>[0]) {
  const sdkMiddleware = userAgentMiddleware(config);
  const remembered = new Map<string, Partial<Record<string, string>>>();
  return (
      next: BuildHandler<object, MetadataBearer>,
      context: HandlerExecutionContext,
    ): BuildHandler<object, MetadataBearer> =>
    (args: BuildHandlerArguments<object>) => {
      const request = args.request as HttpRequest | undefined;
      if (!request?.headers) return sdkMiddleware(next, context)(args);
      const features = context as {
        __smithy_context?: { features?: object };
        __aws_sdk_context?: { features?: object };
      };
      const key = JSON.stringify([
        context.commandName,
        context.userAgent,
        features.__smithy_context?.features,
        features.__aws_sdk_context?.features,
        USER_AGENT_HEADERS.map((name) => request.headers[name]),
      ]);
      const headers = remembered.get(key);
      if (headers) {
        for (const name of USER_AGENT_HEADERS) if (headers[name] !== undefined) request.headers[name] = headers[name];
        return next(args);
      }
      const remember: BuildHandler<object, MetadataBearer> = (built) => {
        const builtHeaders = (built.request as HttpRequest).headers;
        remembered.set(key, Object.fromEntries(USER_AGENT_HEADERS.map((name) => [name, builtHeaders[name]])));
        return next(built);
      };
      return sdkMiddleware(remember, context)(args);
    };
}

/**
 * One account's SigV4 signer in one region. SignatureV4 finds its signing key in a process-wide
 * cache of 50 keys, keyed by an HMAC of the credentials it computes on every request: thousands of
 * account-regions thrash it, and each request derives its key again (five HMACs). This signer keeps
 * the keys of its own credentials: one derivation per day, region and service.
 */
function accountSigner(credentials: AwsCredentialIdentity, region: string, service: string): SignatureV4 {
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256 });
  const keys = new Map<string, Promise<Uint8Array>>();
  const cachedSigningKey = (
    signingCredentials: AwsCredentialIdentity,
    signingRegion: string,
    shortDate: string,
    signingService?: string,
  ): Promise<Uint8Array> => {
    const name = signingService ?? service;
    const key = `${shortDate}/${signingRegion}/${name}/${signingCredentials.accessKeyId}/${signingCredentials.sessionToken ?? ''}`;
    let signingKey = keys.get(key);
    if (!signingKey) {
      if (keys.size >= 4) keys.clear();
      signingKey = getSigningKey(Sha256, signingCredentials, shortDate, signingRegion, name);
      keys.set(key, signingKey);
    }
    return signingKey;
  };
  // SignatureV4 declares getSigningKey private; it calls it as a method, so the instance's own wins.
  Object.defineProperty(signer, 'getSigningKey', { value: cachedSigningKey });
  return signer;
}

/** A correction smaller than this is the Date header's one-second jitter, not a clock put right. */
export const CLOCK_CORRECTION_MS = 60_000;

/**
 * The SDK marks an error `clockSkewCorrected` (and its retry strategy then retries it) whenever
 * the offset is over four minutes and moved at all, which the Date header's one-second resolution
 * makes it do on every answer: once the clock is off, every error (`InvalidPermission.Duplicate`,
 * `RouteAlreadyExists`…) would be sent again. Only an answer that moved the offset by a minute or
 * more corrected the clock.
 */
function unmarkUnlessCorrected(error: unknown, moved: number): unknown {
  const metadata = (error as { $metadata?: { clockSkewCorrected?: boolean } } | undefined)?.$metadata;
  if (metadata?.clockSkewCorrected && Math.abs(moved) < CLOCK_CORRECTION_MS) delete metadata.clockSkewCorrected;
  return error;
}

/**
 * The shared client as one account sees it in one region: the same client, whose requests are
 * signed with these credentials (one signer: its signing key is derived once) and retried under
 * this account-region's own adaptive rate limit and retry budget.
 */
export function forAccount<T extends object>(
  client: T,
  credentials: AwsCredentialIdentity,
  scope: { readonly region: string; readonly service: string; readonly maxAttempts: number },
): T {
  const shared = client as unknown as SharedClient;
  const member: MemberRequest = {
    signer: accountSigner(credentials, scope.region, scope.service),
    retryStrategy: new AdaptiveRetryStrategy(scope.maxAttempts),
  };
  const send = (command: { input: object }, ...rest: unknown[]) => {
    // A copy: an input shared between two accounts' commands must not carry the other's signer.
    command.input = { ...command.input, [MEMBER]: member };
    return shared.send(command, ...rest);
  };
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === 'send' ? send : (Reflect.get(target, property, receiver) as unknown),
  });
}
