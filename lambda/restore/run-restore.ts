import type { AwsCredentialIdentity } from '@smithy/types';
import { createAwsClients } from '../aws/clients';
import { getCallerIdentity, operatorSession } from '../aws/sts';
import { buildReport, reportJson, type ReportJson } from '../core/report';
import { RestoreOptionsError } from '../errors';
import { sweepTargets } from '../sweep/run';
import type { SweepLogger } from '../sweep/types';
import type { RestoreRequest } from './options';

/**
 * The run behind `restoreAccountDefaults`: the engine's account sweep (sweepTargets: the same
 * scheduler, write cap, deadline and steps as every run) on one account, entered with the
 * caller's own credentials or through the member role as the CLI enters it; the report is what the
 * CLI prints with `--json`. No Organizations call: the call names its account.
 */

const SILENT: SweepLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function runRestore(request: RestoreRequest): Promise<ReportJson> {
  const { accountId, config } = request;
  const clients = createAwsClients({
    homeRegion: request.homeRegion,
    maxAttempts: config.maxAttempts,
    ...(request.credentials ? { credentials: request.credentials } : {}),
  });
  try {
    const startedAt = new Date();
    const caller = await getCallerIdentity(clients.sts());
    let accountCredentials: ((id: string) => Promise<AwsCredentialIdentity>) | undefined;
    if (!request.assumeRole) {
      if (caller.accountId !== accountId) {
        throw new RestoreOptionsError('wrong account', [
          {
            field: 'credentials',
            message: `are of account ${caller.accountId} (${caller.arn}), not of accountId ${accountId}: nothing was read or written there; give that account's credentials, or assumeRole: true to enter it through the janitor's member role`,
          },
        ]);
      }
      // The account's own credentials, resolved once (the SDK's chain, or what was given).
      const own = await clients.sts().config.credentials();
      accountCredentials = () => Promise.resolve(own);
    }
    const { results, repairCapReached } = await sweepTargets(
      config,
      {
        clients,
        logger: request.logger ?? SILENT,
        // The read-only role for a dry run, the write role to repair: an operator's session.
        memberSession: operatorSession(config),
        ...(accountCredentials ? { accountCredentials } : {}),
      },
      { deadline: request.deadline },
      // The account's name is Organizations', which this call does not read.
      [{ id: accountId, name: '' }],
    );
    return reportJson(
      buildReport(config.mode, startedAt, new Date(), results, repairCapReached, {
        organizationId: null,
        callerAccountId: caller.accountId,
      }),
    );
  } finally {
    clients.destroy();
  }
}
