import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { AwsClients } from '../../lambda/aws/clients';
import { stackInstancesByAccount } from '../../lambda/aws/deployment';
import { describeRegionNetwork } from '../../lambda/aws/ec2';
import { awsErrorCode, failedAction } from '../../lambda/aws/error-code';
import { PROBE_SESSION_NAME, probeBreakingCall } from '../../lambda/aws/event-probe';
import { PROBE_TAG_KEY } from '../../lambda/contract/names';
import { readSchedule } from '../../lambda/aws/scheduler';
import { assumeReadOnlyRole } from './read-only-session';
import { regionSchema, type SweepConfig } from '../../lambda/config/schema';
import { ConfigError } from '../../lambda/errors';
import { quietPeriodScheduleName } from '../../lambda/events/intake';
import type { CheckRow } from './checks';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * `doctor --probe ACCOUNT_ID/REGION`: proves the event path the way AWS runs it. Through the
 * read-only member role, under its own session name (so the forwarder hears it as anyone else's call), a throwaway
 * route table in the default VPC gets one route added and deleted; then doctor waits for the
 * intake to schedule that account-region's targeted sweep, and says how long it took from the
 * DeleteRoute. The targeted sweep finds the default path healthy and writes nothing. Needs the
 * stack deployed with context eventProbe=true (the read-only role's probe permissions, on route
 * tables tagged account-janitor:probe only).
 */

export interface ProbeTarget {
  readonly accountId: string;
  readonly region: string;
}

export interface ProbeOptions {
  /** How long to wait for the schedule (default 3 minutes). */
  readonly timeoutMs?: number;
  /** Between two reads of the schedule (default 2 seconds). */
  readonly pollMs?: number;
  readonly now?: () => Date;
}

const DEFAULT_TIMEOUT_MS = 180_000;
const DEFAULT_POLL_MS = 2_000;

/** `111122223333/eu-west-1`; anything else is bad usage (exit 2, no AWS call). */
export function parseProbeTarget(text: string): ProbeTarget {
  const [accountId = '', region = '', ...rest] = text.split('/');
  if (!/^\d{12}$/.test(accountId) || rest.length > 0 || !regionSchema.safeParse(region).success) {
    throw new ConfigError('invalid options', [
      { field: '--probe', value: text, message: 'must be ACCOUNT_ID/REGION, such as 111122223333/eu-west-1' },
    ]);
  }
  return { accountId, region };
}

const failed = (detail: string): CheckRow => ({ check: 'event probe', status: 'fail', detail });

export async function runEventProbe(
  clients: AwsClients,
  config: SweepConfig,
  outputs: StackOutputs,
  target: ProbeTarget,
  options: ProbeOptions = {},
): Promise<CheckRow> {
  const where = `${target.accountId}/${target.region}`;
  if (!outputs.eventForwardingStackSetName || !outputs.repairScheduleGroupName) {
    return failed('the stack has no event path (eventDrivenRepair=false, or the member side deployed by hand)');
  }
  // The probe writes only where this stack's forwarder is: an account and region it targets.
  const forwarders = await stackInstancesByAccount(
    clients,
    outputs.eventForwardingStackSetName,
    outputs.stackSetCallAs ?? 'SELF',
  );
  if (!forwarders.get(target.accountId)?.has(target.region)) {
    return failed(`no event forwarder of this stack in ${where}: probe an account and region the event path covers`);
  }
  // The read-only role: with eventProbe it may make the probe's calls on probe-tagged route tables.
  const credentials = await assumeReadOnlyRole(clients, config, target.accountId, PROBE_SESSION_NAME);
  const ec2 = clients.ec2(target.region, credentials);
  const network = await describeRegionNetwork(ec2);
  const vpcId = network.defaultVpc?.VpcId;
  const gatewayId = network.internetGateways.find((gateway) =>
    gateway.Attachments?.some((attachment) => attachment.VpcId === vpcId),
  )?.InternetGatewayId;
  if (!vpcId || !gatewayId) {
    return failed(
      `${where} has no default VPC with an internet gateway: the probe needs one (run the sweep to see what is broken)`,
    );
  }
  const now = options.now ?? (() => new Date());
  let call;
  try {
    call = await probeBreakingCall(ec2, { vpcId, gatewayId, runId: now().toISOString() }, now);
  } catch (error) {
    const code = awsErrorCode(error);
    const denied = /UnauthorizedOperation|AccessDenied/.test(code);
    return failed(
      `${failedAction(error) ?? 'the probe'} failed in ${where}: ${code}${denied ? ' (deploy with context eventProbe=true: the read-only role may then make the probe calls on route tables tagged ' + PROBE_TAG_KEY + ')' : ''}`,
    );
  }
  return awaitSchedule(clients, outputs, target, call.deletedAt, options);
}

async function awaitSchedule(
  clients: AwsClients,
  outputs: StackOutputs,
  target: ProbeTarget,
  deletedAt: Date,
  options: ProbeOptions,
): Promise<CheckRow> {
  const where = `${target.accountId}/${target.region}`;
  const groupName = String(outputs.repairScheduleGroupName);
  const name = quietPeriodScheduleName(target.accountId, target.region);
  const scheduler = clients.hub(SchedulerClient);
  const now = options.now ?? (() => new Date());
  const deadline = now().getTime() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // Scheduler keeps whole seconds: a schedule written in the DeleteRoute's second counts.
  const since = Math.floor(deletedAt.getTime() / 1000) * 1000;
  for (;;) {
    const schedule = await readSchedule(scheduler, groupName, name);
    if (schedule && schedule.modifiedAt.getTime() >= since) {
      const seconds = Math.max(0, Math.round((schedule.modifiedAt.getTime() - deletedAt.getTime()) / 1000));
      const runsAt = /^at\((.+)\)$/.exec(schedule.expression)?.[1];
      return {
        check: 'event probe',
        status: 'ok',
        detail: `DeleteRoute in ${where} at ${deletedAt.toISOString()} → repair ${name} scheduled ${seconds} s later${runsAt ? ` (its targeted sweep runs at ${runsAt} UTC and finds the default path healthy)` : ''}`,
      };
    }
    if (now().getTime() >= deadline) {
      return failed(
        `no repair scheduled for ${where} within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s of the probe's DeleteRoute: the breaking call did not reach the intake (see the trail, the event forwarder and the bus policy rows)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? DEFAULT_POLL_MS));
  }
}
