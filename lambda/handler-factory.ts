import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import type { AwsClients } from './aws/clients';
import { claimEventDigest, type DigestClaim, type DigestLedger } from './aws/digest-ledger';
import { awsErrorCode } from './aws/error-code';
import { putHtmlReport, type HtmlReportStore } from './aws/html-report';
import type { SweepConfig } from './config/schema';
import { buildReport, type SweepReport } from './core/report';
import {
  METRIC_NAMES,
  MODE_DIMENSION,
  REPAIRS_BY_TRIGGER_METRICS,
  repairsOf,
  sweepMetrics,
  TIME_TO_REPAIR_METRIC,
  timesToRepair,
} from './core/sweep-metrics';
import { applyRequest, parseInvocationEvent, type SweepRequest } from './invocation-event';
import { renderDigest, UNLISTED_LOG_MESSAGE, unlistedLogEvents } from './report/digest';
import { snsDigestOf } from './report/sns-digest';
import type { RestoreTrigger } from './core/restore-triggers';
import { runSweep } from './sweep';

/**
 * The Lambda handler's behaviour, given its configuration and clients: validates the event,
 * narrows the configured sweep to it, runs the sweep, publishes its metrics and (when there is
 * something to say) one digest message, and returns the report.
 */

export interface HandlerDependencies {
  readonly config: SweepConfig;
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** SNS topic for the run digest; none, no digest. */
  readonly notificationTopicArn?: string | undefined;
  /** Where event-driven digests are counted (at most one per account-region an hour); none, no bound. */
  readonly digestLedger?: DigestLedger | undefined;
  /** Time kept back from the invocation's limit: no new work starts within it (default 90 s). */
  readonly safetyMarginMs?: number;
  /** htmlReport: where a nightly (or manual) run's HTML page goes; none, no page. */
  readonly htmlReports?: HtmlReportStore | undefined;
  /** The clock of the digest ledger (tests). */
  readonly now?: () => Date;
}

/**
 * In-flight work must finish after the last task starts: a task is a few requests, each with its
 * own timeout and retries, and the report, metrics and digest still have to go out.
 */
export const DEFAULT_SAFETY_MARGIN_MS = 90_000;

export function createHandler(dependencies: HandlerDependencies) {
  const { config, clients, logger } = dependencies;
  return async (event: unknown, context?: Context): Promise<SweepReport> => {
    if (context) logger.addContext(context);
    const request = parseInvocationEvent(event);
    const sweep = applyRequest(config, request);
    if (sweep.leftAlone) {
      logger.info('left alone: not a target', {
        trigger: request.trigger,
        scope: { ...sweep.scope },
        reason: sweep.leftAlone,
      });
      const now = new Date();
      return buildReport(sweep.config.mode, now, now, []);
    }
    const margin = dependencies.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
    const deadline = context ? new Date(Date.now() + context.getRemainingTimeInMillis() - margin) : undefined;
    logger.info('sweep started', {
      trigger: request.trigger,
      mode: sweep.config.mode,
      scope: { ...sweep.scope },
      ...(request.cause ? { cause: request.cause } : {}),
      deadline: deadline?.toISOString(),
    });
    const report = await runSweep(sweep.config, { clients, logger }, { ...sweep.scope, deadline });

    const [accountId, region] = [request.event.accountIds?.[0], request.event.regions?.[0]];
    const where = request.trigger === 'event' && accountId && region ? { accountId, region } : undefined;
    await publishReport(report, request.trigger, dependencies, where, request.restoredOn);
    return report;
  };
}

/**
 * What a finished run tells: its metrics (EMF, once per run), a `sweep finished` log line, and (when
 * there is something to say) one digest message. Shared by the single function and the merge step
 * of a distributed run.
 */
export async function publishReport(
  report: SweepReport,
  trigger: SweepRequest['trigger'],
  dependencies: Pick<
    HandlerDependencies,
    'clients' | 'logger' | 'metrics' | 'notificationTopicArn' | 'digestLedger' | 'htmlReports' | 'now'
  >,
  /** The account-region of an event-driven run: its digest is bounded by the ledger. */
  where?: { readonly accountId: string; readonly region: string },
  /** A restore's trigger: its digest names it. */
  restoredOn?: RestoreTrigger,
): Promise<void> {
  publishMetrics(report, trigger, dependencies);
  const page = trigger === 'event' ? undefined : await writeHtmlReport(report, dependencies);
  await sendDigest(report, { trigger, restoredOn }, page, dependencies, where);
}

/** The run's metrics (EMF, once per run) and its `sweep finished` log line. */
function publishMetrics(
  report: SweepReport,
  trigger: SweepRequest['trigger'],
  { logger, metrics }: Pick<HandlerDependencies, 'logger' | 'metrics'>,
): void {
  metrics.addDimension(MODE_DIMENSION, report.mode);
  const values = sweepMetrics(report);
  for (const name of METRIC_NAMES) metrics.addMetric(name, MetricUnit.Count, values[name]);
  for (const seconds of timesToRepair(report)) metrics.addMetric(TIME_TO_REPAIR_METRIC, MetricUnit.Seconds, seconds);
  if (trigger === 'event' || trigger === 'schedule') {
    metrics.addMetric(REPAIRS_BY_TRIGGER_METRICS[trigger], MetricUnit.Count, repairsOf(report));
  }
  metrics.publishStoredMetrics();
  logger.info('sweep finished', { mode: report.mode, summary: report.summary, metrics: values });
}

/**
 * The run's one digest, when there is something to say: bounded by the ledger on the event path,
 * naming the HTML page when there is one, as text and as the chat form in one SNS message.
 */
async function sendDigest(
  report: SweepReport,
  { trigger, restoredOn }: { trigger: SweepRequest['trigger']; restoredOn: RestoreTrigger | undefined },
  page: string | undefined,
  dependencies: Pick<HandlerDependencies, 'clients' | 'logger' | 'notificationTopicArn' | 'digestLedger' | 'now'>,
  where: { readonly accountId: string; readonly region: string } | undefined,
): Promise<void> {
  const { clients, logger, notificationTopicArn } = dependencies;
  const digest = renderDigest(report, trigger, restoredOn);
  if (!digest || !notificationTopicArn) return;
  const claim: DigestClaim = where ? await claimDigest(where, dependencies) : { send: true, heldBack: 0 };
  if (!claim.send) {
    logger.info('event digest held back: one went out for this account-region within the hour', {
      ...where,
      lastSentAt: claim.lastSentAt,
      heldBack: claim.heldBack,
    });
    return;
  }
  const publication = snsDigestOf(report, digest, {
    trigger,
    restoredOn,
    heldBack: claim.heldBack,
    page,
    where,
  });
  try {
    await clients.sns().send(
      new PublishCommand({
        TopicArn: notificationTopicArn,
        Subject: publication.subject,
        // Each protocol its own form: e-mail (and any queue) the text, AWS Chatbot's https
        // subscription its custom notification; the text alone when both do not fit.
        ...(publication.structured ? { MessageStructure: 'json' } : {}),
        Message: publication.message,
      }),
    );
  } catch (error) {
    logger.error('cannot publish the run digest', { topicArn: notificationTopicArn, errorCode: awsErrorCode(error) });
  }
  // The rows the message had no room for, where its "... and N more" says they are.
  for (const event of unlistedLogEvents(digest)) logger.info(UNLISTED_LOG_MESSAGE, event);
}

/** The run's HTML page, where htmlReport puts it; its S3 URI, or `undefined` (none, or it failed: logged). */
async function writeHtmlReport(
  report: SweepReport,
  { htmlReports, logger }: Pick<HandlerDependencies, 'htmlReports' | 'logger'>,
): Promise<string | undefined> {
  if (!htmlReports) return undefined;
  try {
    const uri = await putHtmlReport(htmlReports, report);
    logger.info('HTML report written', { uri });
    return uri;
  } catch (error) {
    logger.error('cannot write the HTML report', { bucket: htmlReports.bucket, errorCode: awsErrorCode(error) });
    return undefined;
  }
}

/** The ledger's word on an event-driven digest; without a ledger, or when it cannot be read, send it. */
async function claimDigest(
  where: { readonly accountId: string; readonly region: string },
  dependencies: Pick<HandlerDependencies, 'logger' | 'digestLedger' | 'now'>,
): Promise<DigestClaim> {
  const { digestLedger, logger } = dependencies;
  if (!digestLedger) return { send: true, heldBack: 0 };
  const now = (dependencies.now ?? (() => new Date()))();
  try {
    return await claimEventDigest(digestLedger, where.accountId, where.region, now);
  } catch (error) {
    // A person hears of the repair rather than nobody: the bound is for floods, not for silence.
    logger.error('cannot read the digest ledger; sending the digest', {
      ...where,
      tableName: digestLedger.tableName,
      errorCode: awsErrorCode(error),
    });
    return { send: true, heldBack: 0 };
  }
}
