import { classifyReadFailure } from '../aws/error-code';
import type { SweepResult } from '../core/report';
import type { RegionTarget } from './context';
import { refusalOf } from './refusal';
import { regionRow } from './rows';

/**
 * A read that failed: a region the account cannot use is `region-disabled`, one an SCP denies is
 * `region-denied` (both expected, not errors; the SCP named in clear, or in EC2's encoded message
 * decoded in the account); a member role that may not read is `access-denied` (a failure: its
 * policy was detached or edited); anything else is an `error`.
 */
export async function readFailure(target: RegionTarget, error: unknown): Promise<SweepResult> {
  const failure = classifyReadFailure(error, {
    listedEnabled: target.config.regions === 'all',
    // EC2 names no policy in clear: its encoded message, decoded in the account, says which denied.
    refusal: await refusalOf(target, error),
  });
  const { logger, account, region } = target;
  switch (failure.kind) {
    case 'region-disabled':
      return regionRow(
        account,
        region,
        'region-disabled',
        `EC2 answered ${failure.code}: the region is not enabled for this account`,
        failure.code,
      );
    case 'region-denied':
      return regionRow(
        account,
        region,
        'region-denied',
        `${failure.action} denied ${failure.reason} (${failure.code})`,
        failure.code,
      );
    case 'access-denied':
      logger.error('the member role cannot read', {
        accountId: account.id,
        region,
        action: failure.action,
        errorCode: failure.code,
      });
      return regionRow(
        account,
        region,
        'access-denied',
        `${failure.action} denied to ${target.run.memberSession.roleName} (${failure.code}): check the member role's policy`,
        failure.code,
      );
    default:
      logger.error('cannot describe the default network', { accountId: account.id, region, errorCode: failure.code });
      return regionRow(account, region, 'error', `describe failed: ${failure.code}`, failure.code);
  }
}
