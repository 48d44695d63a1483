import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { AwsClients } from '../aws/clients';
import type { HtmlReportStore } from '../aws/html-report';
import type { RunStore } from '../aws/run-store';
import { toProblems } from '../config/parse';
import { accountIdSchema, MODES, ouIdSchema, regionSchema, type SweepConfig } from '../config/schema';
import { EventValidationError } from '../errors';
import { DEFAULT_SAFETY_MARGIN_MS, publishReport } from '../handler-factory';
import { batchPhase, mergePhase, planPhase, reportKey, type DistributedSettings } from './phases';

/**
 * The distributed sweep's function: one handler, three steps, chosen by the state machine's
 * payload `{"phase": "plan" | "batch" | "merge", …}`. The plan step gets the execution's input
 * (validated like the sweep function's event); the merge step publishes the metrics and the
 * digest once for the whole run, and returns a summary (the report is in the run store).
 */

/** A Step Functions execution name: 1-80 characters, none of whitespace, brackets, wildcards, "#%\\^|~`$&,;:/ or control characters. */
const runIdSchema = z
  .string()
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/, 'must be an execution name');

/** The plan's pin of its batches, carried by the state machine. */
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be the SHA-256 of the plan's batches");

const payloadSchema = z.discriminatedUnion('phase', [
  z.strictObject({ phase: z.literal('plan'), runId: runIdSchema, input: z.unknown() }),
  z.strictObject({
    phase: z.literal('batch'),
    pin: sha256Schema,
    item: z.strictObject({
      runId: runIdSchema,
      index: z.number().int().min(0),
      accounts: z.array(z.strictObject({ id: accountIdSchema, name: z.string(), ouId: ouIdSchema.optional() })).min(1),
      maxRepairs: z.number().int().min(0),
      mode: z.enum(MODES),
      regions: z.array(regionSchema).optional(),
    }),
  }),
  z.strictObject({ phase: z.literal('merge'), runId: runIdSchema, pin: sha256Schema }),
]);

export interface DistributedDependencies {
  readonly config: SweepConfig;
  readonly settings: DistributedSettings;
  readonly clients: AwsClients;
  readonly store: RunStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly notificationTopicArn?: string | undefined;
  /** htmlReport: where the merged run's HTML page goes. */
  readonly htmlReports?: HtmlReportStore | undefined;
  readonly safetyMarginMs?: number;
}

export function createDistributedHandler(dependencies: DistributedDependencies) {
  const { config, settings, clients, store, logger } = dependencies;
  return async (event: unknown, context?: Context): Promise<unknown> => {
    if (context) logger.addContext(context);
    const parsed = payloadSchema.safeParse(event, { reportInput: true });
    if (!parsed.success) {
      throw new EventValidationError(
        'invalid step payload',
        toProblems(parsed.error.issues, (key) => key),
      );
    }
    const payload = parsed.data;
    switch (payload.phase) {
      case 'plan':
        return planPhase(config, { clients, logger }, store, settings, { runId: payload.runId, event: payload.input });
      case 'batch': {
        const margin = dependencies.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
        const deadline = context ? new Date(Date.now() + context.getRemainingTimeInMillis() - margin) : undefined;
        return batchPhase(config, { clients, logger }, store, payload.item, payload.pin, deadline);
      }
      case 'merge': {
        const { report, trigger } = await mergePhase(store, payload);
        await publishReport(report, trigger, dependencies);
        return {
          runId: payload.runId,
          mode: report.mode,
          summary: report.summary,
          rows: report.results.length,
          report: `s3://${store.bucket}/${reportKey(payload.runId)}`,
        };
      }
    }
  };
}
