import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  FinalizeHandler,
  FinalizeHandlerArguments,
  HttpRequest,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';

/**
 * One SDK client per region and service serves every member account: each request carries its
 * account's signer, and the client signs with it. A client made per account and region costs its
 * configuration and its middleware stack again, thousands of times a sweep; this way they are
 * made once per region.
 *
 * How: `forAccount(client, credentials)` returns a view of the shared client whose `send` puts a
 * SigV4 signer for those credentials on the command's input (under a symbol: never serialized);
 * the client's own signing middleware is replaced by one that signs each request (each retry
 * too) with that signer. The shared client's own credentials are a placeholder that signs nothing:
 * a request without an account's signer fails before it is sent. (The SDK's correction of a
 * skewed clock, which lives in its signing middleware, is not kept: a Lambda's clock is kept by NTP.)
 */

const MEMBER_SIGNER = Symbol('account-janitor member signer');

/** The shared client's own credentials: never used to sign. */
export const NO_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'account-janitor-member-client-without-account',
  secretAccessKey: 'unused',
};

interface SharedClient {
  readonly middlewareStack: MiddlewareStack<object, MetadataBearer>;
  readonly config: { readonly region: () => Promise<string> | string; readonly signingName?: string };
  send(command: { input: object }, ...rest: unknown[]): Promise<unknown>;
}
type SignedInput = { [MEMBER_SIGNER]?: SignatureV4 };

/** Makes a client (made with `credentials: NO_CREDENTIALS`) sign each request with its account's signer. */
export function shareAcrossAccounts<T extends object>(client: T): T {
  const { middlewareStack } = client as unknown as SharedClient;
  middlewareStack.remove('httpSigningMiddleware');
  middlewareStack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      const signer = (args.input as SignedInput)[MEMBER_SIGNER];
      if (!signer) throw new Error('account-janitor: a member account request without its account signer');
      return next({ ...args, request: await signer.sign(args.request as HttpRequest) });
    },
    {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: 'accountJanitorMemberSigning',
    },
  );
  return client;
}

/**
 * The shared client as one account sees it: the same client, whose requests are signed with these
 * credentials for `service` in `region` (one signer, so its signing key is derived once).
 */
export function forAccount<T extends object>(
  client: T,
  credentials: AwsCredentialIdentity,
  scope: { readonly region: string; readonly service: string },
): T {
  const shared = client as unknown as SharedClient;
  const signer = new SignatureV4({ credentials, region: scope.region, service: scope.service, sha256: Sha256 });
  const send = (command: { input: object }, ...rest: unknown[]) => {
    (command.input as SignedInput)[MEMBER_SIGNER] = signer;
    return shared.send(command, ...rest);
  };
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === 'send' ? send : (Reflect.get(target, property, receiver) as unknown),
  });
}
