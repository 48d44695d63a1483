import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createAwsClients } from '../lambda/aws/clients';
import { parseSweepConfig } from '../lambda/config/parse';
import type { SweepConfig } from '../lambda/config/schema';
import { describeCause } from '../lambda/core/who-broke-it';
import type { SweepReport } from '../lambda/core/report';
import { sweepMetrics } from '../lambda/core/sweep-metrics';
import { takeBreakingEvent } from '../lambda/events/intake';
import { renderDigest } from '../lambda/report/digest';
import {
  cloudTrailEvent,
  intakeSettingsFor,
  pendingRepairs,
  runDueRepairs,
  SILENT_LOGGER,
  silentSweepHandler,
} from '../test/support/event-path';
import type { OrganizationFixture } from '../test/support/organization-fixture';
import type { DemoOrganization } from './scenario';

/**
 * The demo's event-driven step: a clean-up deletes a route; CloudTrail's event of the call reaches
 * the intake (moto keeps no trail, so the demo hands over the event CloudTrail would send); the
 * intake starts the account-region's quiet period, a one-time schedule in moto's EventBridge
 * Scheduler; when it is due, the schedule's input goes to the sweep function's handler, as
 * Scheduler would. The intake and the handler are the real ones. Returns true when the route is
 * back and the repair names who deleted it.
 */

const QUIET_PERIOD_SECONDS = 3;

export async function eventDrivenRepairStep(
  fixture: OrganizationFixture,
  org: DemoOrganization,
  say: (text: string) => void,
): Promise<boolean> {
  const config = parseSweepConfig(org.config, 'demo', (key) => key);
  const { report, target } = await deleteRouteThroughEventPath(fixture, org, config, say);
  const row = report?.results[0];
  return row?.status === 'restored' && row.cause?.eventName === 'DeleteRoute' && target !== null;
}

/**
 * The demo's guard rail step (protectDefaultPath=audit): a sweep tags the default paths
 * account-janitor:protected, then the clean-up deletes a route again; the repair comes as before,
 * and the digest names the call as one the guard rail would have refused. Returns true when it does.
 */
export async function guardRailAuditStep(
  fixture: OrganizationFixture,
  org: DemoOrganization,
  say: (text: string) => void,
): Promise<boolean> {
  const config = parseSweepConfig({ ...org.config, protectDefaultPath: 'audit' }, 'demo', (key) => key);
  const clients = createAwsClients({ homeRegion: 'us-east-1' });
  let tagged: number;
  try {
    const sweep = await silentSweepHandler(config, clients)({});
    tagged = sweepMetrics(sweep).DefaultPathTagged;
  } finally {
    clients.destroy();
  }
  say(
    `  The nightly sweep tags the default paths account-janitor:protected=true: ${tagged} resources, one CreateTags per account-region`,
  );
  const { report } = await deleteRouteThroughEventPath(fixture, org, config, say);
  const row = report?.results[0];
  const digest = report ? renderDigest(report, 'event') : undefined;
  const section = digest?.message.split('\n\n').find((part) => part.startsWith('The guard rail would have refused'));
  if (section) for (const line of section.trimEnd().split('\n')) say(`    ${line.trim()}`);
  return (
    tagged > 0 && row?.status === 'restored' && row.wouldBlock?.eventName === 'DeleteRoute' && section !== undefined
  );
}

/** The clean-up deletes alpha-healthy's route in eu-west-1; CloudTrail's event goes through the intake and the schedule. */
async function deleteRouteThroughEventPath(
  fixture: OrganizationFixture,
  org: DemoOrganization,
  config: SweepConfig,
  say: (text: string) => void,
): Promise<{ report: SweepReport | undefined; target: string | null }> {
  const accountId = org.accounts['alpha-healthy'];
  const region = 'eu-west-1';
  const clients = createAwsClients({ homeRegion: 'us-east-1' });
  const scheduler = clients.hub(SchedulerClient);
  try {
    const settings = await intakeSettingsFor(scheduler, QUIET_PERIOD_SECONDS);
    const routeTableId = await fixture.mainRouteTableId(accountId, region);
    await fixture.deleteInternetRoute(accountId, region);
    const deletedAt = new Date();
    say(
      `  ${deletedAt.toISOString().slice(11, 19)} ci-cleanup/nuke deletes 0.0.0.0/0 of ${routeTableId} in alpha-healthy ${region}`,
    );
    say('  (moto keeps no CloudTrail: the demo hands the intake the event CloudTrail would send)');

    const event = cloudTrailEvent({
      accountId,
      region,
      eventName: 'DeleteRoute',
      time: deletedAt,
      requestParameters: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
    });
    const outcome = await takeBreakingEvent(event, { config, settings, scheduler, logger: SILENT_LOGGER });
    if (outcome.action !== 'scheduled') return { report: undefined, target: null };
    say(
      `  intake: quiet period of ${accountId} ${region} started; repair at ${outcome.at.slice(11, 19)} unless another breaking call comes (${QUIET_PERIOD_SECONDS} s here; 5 min by default)`,
    );

    // Scheduler's part: wait for the schedule to come due, then hand its input to the sweep function.
    const [pending] = await pendingRepairs(scheduler, settings.scheduleGroupName);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (pending?.at.getTime() ?? 0) - Date.now())));
    const handler = silentSweepHandler(config, clients);
    const reports: SweepReport[] = await runDueRepairs(scheduler, settings.scheduleGroupName, new Date(), (input) =>
      handler(input),
    );
    const row = reports[0]?.results[0];
    say(`  ${new Date().toISOString().slice(11, 19)} the schedule runs the sweep function on that one account-region:`);
    say(`    ${row?.accountId} ${row?.region} ${row?.status}${row?.cause ? `: ${describeCause(row.cause)}` : ''}`);
    const digest = reports[0] ? renderDigest(reports[0], 'event') : undefined;
    if (digest) {
      say(`  The e-mail (one per account-region and quiet period): "${digest.subject}"`);
      for (const line of digest.message.trimEnd().split('\n').slice(-1)) say(`    ${line.trim()}`);
    }
    const target = await fixture.internetRouteTarget(accountId, region);
    say(`  alpha-healthy ${region}: 0.0.0.0/0 → ${target ?? 'still missing'}`);
    return { report: reports.length === 1 ? reports[0] : undefined, target };
  } finally {
    clients.destroy();
  }
}
