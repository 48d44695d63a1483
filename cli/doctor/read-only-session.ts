import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsClients } from '../../lambda/aws/clients';
import { assumeMemberRole, OPERATOR_SESSION_NAME, partitionOf } from '../../lambda/aws/sts';
import type { SweepConfig } from '../../lambda/config/schema';

/**
 * doctor's way into a member account: the read-only role (it trusts the operators,
 * operatorPrincipalArns), with the configuration's external id, in the home region's partition.
 * The probe passes its own session name, which the event path hears as someone else's call.
 */
export function assumeReadOnlyRole(
  clients: AwsClients,
  config: Pick<SweepConfig, 'readOnlyRoleName' | 'externalId'>,
  accountId: string,
  sessionName: string = OPERATOR_SESSION_NAME,
): Promise<AwsCredentialIdentity> {
  return assumeMemberRole(clients.sts(), {
    accountId,
    roleName: config.readOnlyRoleName,
    sessionName,
    externalId: config.externalId,
    partition: partitionOf(clients.homeRegion),
  });
}
