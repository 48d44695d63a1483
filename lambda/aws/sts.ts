export { partitionOf } from '../core/partition';
import {
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
  type STSClient,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { SweepConfig } from '../config/schema';
import { JANITOR_SESSION_NAME } from '../core/who-broke-it';

/** The janitor's own session name: the forwarder and the cause lookup recognise it by it. */
export const ROLE_SESSION_NAME = JANITOR_SESSION_NAME;
/**
 * An operator's session (the CLI, doctor): never the janitor's own name, which the write role
 * admits for the hub's functions only, so the forwarder and the cause lookup see an operator's calls.
 */
export const OPERATOR_SESSION_NAME = 'account-janitor-operator';

/** Which member role a run assumes, and under which session name. */
export interface MemberSession {
  readonly roleName: string;
  readonly sessionName: string;
}

/** The hub's functions: the write role (in report mode it has no write), as the janitor. */
export function functionSession(config: Pick<SweepConfig, 'memberRoleName'>): MemberSession {
  return { roleName: config.memberRoleName, sessionName: JANITOR_SESSION_NAME };
}

/**
 * An operator on a laptop: the read-only role, unless the run may write (remediate mode); then the
 * write role, which trusts an operator only when listed in operatorWritePrincipalArns.
 */
export function operatorSession(
  config: Pick<SweepConfig, 'memberRoleName' | 'readOnlyRoleName' | 'mode'>,
): MemberSession {
  return {
    roleName: config.mode === 'remediate' ? config.memberRoleName : config.readOnlyRoleName,
    sessionName: OPERATOR_SESSION_NAME,
  };
}

export interface MemberRole {
  readonly accountId: string;
  readonly roleName: string;
  readonly externalId?: string | undefined;
  /** The partition of the ARN (`aws`, `aws-cn`, `aws-us-gov`); default `aws`. */
  readonly partition?: string | undefined;
  /** The session name (default the janitor's own, which the forwarder and the cause lookup leave out). */
  readonly sessionName?: string;
}

export function memberRoleArn(role: MemberRole): string {
  return `arn:${role.partition ?? 'aws'}:iam::${role.accountId}:role/${role.roleName}`;
}

export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
}

/** Who the credentials are (needs no permission). */
export async function getCallerIdentity(client: STSClient): Promise<CallerIdentity> {
  const { Account: accountId, Arn: arn } = await client.send(new GetCallerIdentityCommand({}));
  if (!accountId || !arn) throw new Error('GetCallerIdentity returned no account');
  return { accountId, arn };
}

/** Assumes the janitor's role in a member account: one call per account and sweep. */
export async function assumeMemberRole(client: STSClient, role: MemberRole): Promise<AwsCredentialIdentity> {
  const { Credentials: credentials } = await client.send(
    new AssumeRoleCommand({
      RoleArn: memberRoleArn(role),
      RoleSessionName: role.sessionName ?? ROLE_SESSION_NAME,
      ExternalId: role.externalId,
      DurationSeconds: 3600,
    }),
  );
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`AssumeRole into ${role.accountId} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

/**
 * The document behind EC2's "Encoded authorization failure message", decoded in the account that
 * was refused (sts:DecodeAuthorizationMessage). Its text as AWS returns it: what it says is for
 * core/policy-denial.ts to read, as untrusted input.
 */
export async function decodeAuthorizationMessage(client: STSClient, encodedMessage: string): Promise<string> {
  const { DecodedMessage: decoded } = await client.send(
    new DecodeAuthorizationMessageCommand({ EncodedMessage: encodedMessage }),
  );
  if (decoded === undefined) throw new Error('DecodeAuthorizationMessage returned no message');
  return decoded;
}
