import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';

export const ROLE_SESSION_NAME = 'account-janitor';

export interface MemberRole {
  readonly accountId: string;
  readonly roleName: string;
  readonly externalId?: string | undefined;
}

export function memberRoleArn(role: MemberRole): string {
  return `arn:aws:iam::${role.accountId}:role/${role.roleName}`;
}

/** Assumes the janitor's role in a member account: one call per account and sweep. */
export async function assumeMemberRole(client: STSClient, role: MemberRole): Promise<AwsCredentialIdentity> {
  const { Credentials: credentials } = await client.send(
    new AssumeRoleCommand({
      RoleArn: memberRoleArn(role),
      RoleSessionName: ROLE_SESSION_NAME,
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
