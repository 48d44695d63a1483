import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createAwsClients } from '../lambda/aws/clients';
import { parseSweepConfig } from '../lambda/config/parse';
import { describeCause } from '../lambda/core/cause';
import type { SweepReport } from '../lambda/core/report';
import { takeBreakingEvent } from '../lambda/events/intake';
import { renderDigest } from '../lambda/report/digest';
import {
  cloudTrailEvent,
  intakeSettingsFor,
  pendingRepairs,
  runDueRepairs,
  SILENT_LOGGER,
  silentSweepHandler,
} from './event-path';
import type { OrganizationFixture } from './organization-fixture';
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
  const accountId = org.accounts['alpha-healthy'];
  const region = 'eu-west-1';
  const clients = createAwsClients({ homeRegion: 'us-east-1' });
  const scheduler = clients.hub(SchedulerClient);
  try {
    const config = parseSweepConfig(org.config, 'demo', (key) => key);
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
    if (outcome.action !== 'scheduled') return false;
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
    return (
      reports.length === 1 && row?.status === 'restored' && row.cause?.eventName === 'DeleteRoute' && target !== null
    );
  } finally {
    clients.destroy();
  }
}
