import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createAwsClients } from '../lambda/aws/clients';
import { parseSweepConfig } from '../lambda/config/parse';
import type { SweepReport } from '../lambda/core/report';
import { takeBreakingEventBatch } from '../lambda/events/intake-batch';
import {
  cloudTrailEvent,
  intakeSettingsFor,
  runDueRepairs,
  SILENT_LOGGER,
  silentSweepHandler,
} from '../test/support/event-path';
import { startMotoServer } from '../test/support/moto-server';
import { OrganizationFixture, useEmulator } from '../test/support/organization-fixture';
import { startAwsProxy } from '../test/support/aws-proxy';
import { createBenchAccounts } from './organization';

/**
 * The event path's own time: from a breaking call's event reaching the intake to the verified
 * repair, the quiet period left out (set to 0; in AWS it is 5 minutes by default). Against moto
 * behind the latency proxy, in an organization of `accounts` accounts in nested OUs: intake
 * (one CreateSchedule), then the targeted sweep through the sweep function's handler (the
 * account looked up, the role assumed, the describes, the write, its verification).
 */

export interface EventPathMeasurement {
  accounts: number;
  latencyMs: number;
  repairs: number;
  intakeMs: { median: number; max: number };
  sweepMs: { median: number; max: number };
  totalMs: { median: number; max: number };
  requestsPerRepair: Record<string, number>;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
};

export async function eventPathBenchmark(
  accounts: number,
  latencyMs: number,
  repairs = 5,
): Promise<EventPathMeasurement> {
  const moto = await startMotoServer();
  const region = 'eu-west-1';
  try {
    useEmulator(moto.url);
    const fixture = new OrganizationFixture(moto.url);
    const { rootId } = await fixture.createOrganization();
    const sandboxes = await fixture.createOu(rootId, 'Sandboxes');
    const ids = await createBenchAccounts(fixture, sandboxes, rootId, accounts, 'team-');
    const broken = ids
      .filter((_, index) => index % Math.max(1, Math.floor(accounts / repairs)) === 0)
      .slice(0, repairs);
    for (const accountId of broken) await fixture.provisionDefaultNetwork(accountId, region);

    const proxy = await startAwsProxy(moto.url);
    useEmulator(proxy.url);
    const clients = createAwsClients({ homeRegion: 'us-east-1' });
    const scheduler = clients.hub(SchedulerClient);
    const settings = await intakeSettingsFor(scheduler, 0);
    const config = parseSweepConfig({ targetOuIds: sandboxes, regions: [region] }, 'bench', (key) => key);
    const handler = silentSweepHandler(config, clients);
    const intakeMs: number[] = [];
    const sweepMs: number[] = [];
    const totalMs: number[] = [];
    for (const accountId of broken) {
      const routeTableId = await fixture.mainRouteTableId(accountId, region);
      await fixture.deleteInternetRoute(accountId, region);
      const event = cloudTrailEvent({
        accountId,
        region,
        eventName: 'DeleteRoute',
        time: new Date(),
        requestParameters: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
      });
      proxy.clear(); // clear() also resets the latency
      proxy.setLatency(latencyMs);
      const arrived = performance.now();
      // As the intake takes it from its queue: a batch (of one here).
      const taken = await takeBreakingEventBatch([{ messageId: accountId, body: JSON.stringify(event) }], {
        config,
        settings,
        scheduler,
        logger: SILENT_LOGGER,
      });
      if (taken.batchItemFailures.length > 0) throw new Error(`event path: the intake failed for ${accountId}`);
      const scheduled = performance.now();
      const [report] = await runDueRepairs<SweepReport>(
        scheduler,
        settings.scheduleGroupName,
        new Date(Date.now() + 1000),
        async (input) => {
          const started = performance.now();
          const result = await handler(input);
          sweepMs.push(performance.now() - started);
          return result;
        },
      );
      const row = report?.results.find((result) => result.accountId === accountId);
      if (row?.status !== 'restored') throw new Error(`event path: ${accountId} ${row?.status ?? 'no row'}`);
      intakeMs.push(scheduled - arrived);
      totalMs.push(scheduled - arrived + (sweepMs[sweepMs.length - 1] ?? 0));
    }
    // The requests of the last repair (the schedule's own GetSchedule/ListSchedules are the bench's).
    const requestsPerRepair: Record<string, number> = {};
    for (const request of proxy.requests) {
      if (request.service === 'scheduler' && request.action !== 'CreateSchedule') continue;
      const key = `${request.service}:${request.action}`;
      requestsPerRepair[key] = (requestsPerRepair[key] ?? 0) + 1;
    }
    await proxy.close();
    clients.destroy();
    fixture.destroy();
    const round = (value: { median: number; max: number }) => ({
      median: Math.round(value.median),
      max: Math.round(value.max),
    });
    return {
      accounts,
      latencyMs,
      repairs: broken.length,
      intakeMs: round(stats(intakeMs)),
      sweepMs: round(stats(sweepMs)),
      totalMs: round(stats(totalMs)),
      requestsPerRepair,
    };
  } finally {
    await moto.stop();
  }
}
