import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { cloudTrailEvent, pendingRepairs, runDueRepairs, silentSweepHandler } from '../support/event-path';
import { createAwsClients } from '../../lambda/aws/clients';
import { PROBE_DESTINATION, PROBE_SESSION_NAME } from '../../lambda/aws/event-probe';
import { sweepConfigFromEnvironment } from '../../lambda/config/environment';
import type { SweepConfig } from '../../lambda/config/schema';
import type { SweepReport } from '../../lambda/core/report';
import type { CheckRow, DoctorReport } from '../../cli/doctor/checks';
import { runDoctor } from '../../cli/doctor/doctor';
import { intakeSettingsFromEnvironment, takeBreakingEvent } from '../../lambda/events/intake';
import { INTAKE_ENVIRONMENT_VARIABLES } from '../../lambda/contract/names';
import { stackSetBodies } from '../support/authorization-data';
import { doctorJson } from '../support/doctor-cli';
import { DeploymentFixture, HUB_ACCOUNT, STACK_NAME, type Deployment } from '../support/deployment-fixture';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';
import { matches } from '../support/event-pattern';
import { RecordingLogger } from '../support/recording-logger';
import type { CfnTemplate } from '../support/template-walk';

/**
 * `doctor --probe ACCOUNT/REGION` end to end against moto: the probe's throwaway breaking call is
 * made in the member account through the member role; the member account's forwarder is played by
 * the test (moto has no CloudTrail and runs no cross-account rule): it sees the probe's DeleteRoute
 * on the wire, checks that the deployed forwarder rule's pattern matches CloudTrail's event of it
 * (by moto's EventBridge matcher), and delivers it to the real intake with the deployed intake's
 * configuration. Doctor then finds the schedule; the targeted sweep it starts writes nothing.
 */

const REGION = 'us-east-1';
let emulator: Emulator;
let deployer: DeploymentFixture;
let ouId: string;
let rootId: string;
let accounts: Record<'alpha' | 'beta', string>;
let organizationId: string;

beforeEach(async () => {
  emulator = await freshEmulator();
  ({ rootId, ouId, accounts } = await emulator.fixture.createSandboxOu(['alpha', 'beta'], [REGION]));
  ({ organizationId } = await emulator.fixture.describeOrganization());
  for (const account of Object.values(accounts)) await emulator.fixture.recordManagementEvents(account, REGION);
  deployer = new DeploymentFixture(motoUrl(), emulator.proxy.url);
});

afterEach(async () => {
  deployer.destroy();
  await emulator.close();
});

const template = (context: Record<string, unknown> = {}): CfnTemplate =>
  DeploymentFixture.synthesize({
    targetOuIds: ouId,
    organizationId,
    regions: REGION,
    notificationEmails: 'ops@example.com',
    eventProbe: 'true',
    ...context,
  });

const doctor = doctorJson;

const probeRow = (report: DoctorReport): CheckRow | undefined => report.rows.find((row) => row.check === 'event probe');

/** The deployed intake's environment: its own settings and the sweep configuration. */
function intakeOf(deployment: Deployment): { config: SweepConfig; environment: Record<string, string> } {
  const { resolved } = deployment;
  for (const [id] of resolved.ofType('AWS::Lambda::Function')) {
    const variables = (resolved.property(id, 'Environment') as { Variables?: Record<string, string> }).Variables ?? {};
    if (variables[INTAKE_ENVIRONMENT_VARIABLES.scheduleGroupName]) {
      return { config: sweepConfigFromEnvironment(variables), environment: variables };
    }
  }
  throw new Error('no intake function in the deployment');
}

/**
 * A member account's forwarder, played: each DeleteRoute the account makes on the wire becomes
 * CloudTrail's event of it (by the probe's session), which must match the deployed forwarder rule,
 * and goes to the intake. Runs until stopped; returns the events it forwarded.
 */
function forwarder(deployment: Deployment, accountId: string) {
  const member = stackSetBodies(deployment.resolved, { account: accountId, region: REGION, partition: 'aws' }).find(
    (body) => body.resolved.template.Resources['BreakingCallsRule'],
  );
  if (!member) throw new Error('no forwarder StackSet');
  const rule = member.resolved.property('BreakingCallsRule', 'EventPattern') as Record<string, unknown>;
  const { config, environment } = intakeOf(deployment);
  const settings = intakeSettingsFromEnvironment(environment);
  const scheduler = new SchedulerClient({ endpoint: motoUrl(), region: REGION });
  const forwarded: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const request of emulator.proxy.requests) {
        if (seen.has(request) || request.action !== 'DeleteRoute' || request.accountId !== accountId) continue;
        seen.add(request);
        const event = cloudTrailEvent({
          accountId,
          region: request.region,
          eventName: 'DeleteRoute',
          time: new Date(),
          roleName: config.memberRoleName,
          sessionName: PROBE_SESSION_NAME,
          requestParameters: {
            routeTableId: request.params.get('RouteTableId'),
            destinationCidrBlock: request.params.get('DestinationCidrBlock'),
          },
        });
        if (!matches(rule, [event])[0]) continue;
        forwarded.push(event);
        await takeBreakingEvent(event, { config, settings, scheduler, logger: new RecordingLogger() });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    rule,
    stop: async () => {
      running = false;
      await loop;
      scheduler.destroy();
      return forwarded;
    },
  };
}

test("the probe's DeleteRoute reaches the intake: the repair is scheduled, doctor says how fast, and its targeted sweep writes nothing", async () => {
  const deployment = await deployer.deploy(template());
  const mainTableBefore = await emulator.fixture.routeTables(accounts.alpha, REGION);
  const internetTarget = await emulator.fixture.internetRouteTarget(accounts.alpha, REGION);
  const member = forwarder(deployment, accounts.alpha);
  emulator.proxy.clear();

  const { code, report } = await doctor('--probe', `${accounts.alpha}/${REGION}`);
  const forwarded = await member.stop();

  expect(probeRow(report)).toEqual({
    check: 'event probe',
    status: 'ok',
    detail: expect.stringMatching(
      new RegExp(
        `^DeleteRoute in ${accounts.alpha}/${REGION} at \\S+ → repair repair-${accounts.alpha}-${REGION} scheduled \\d+ s later \\(its targeted sweep runs at \\S+ UTC and finds the default path healthy\\)$`,
      ),
    ) as unknown,
  });
  expect(report.rows.filter((row) => row.status === 'fail')).toEqual([]);
  expect(code).toBe(0);
  // One breaking call, by the probe's own session (the janitor's own session would not be forwarded).
  expect(forwarded).toHaveLength(1);
  const janitorsOwn = cloudTrailEvent({
    accountId: accounts.alpha,
    region: REGION,
    eventName: 'DeleteRoute',
    time: new Date(),
    roleName: 'AccountJanitorMemberRole',
    sessionName: 'account-janitor',
  });
  expect(matches(member.rule, [janitorsOwn])).toEqual([false]);
  // What the probe wrote in the member account: its own table and route, then nothing left.
  const memberWrites = emulator.proxy.requests
    .filter((request) => request.accountId === accounts.alpha && !/^(Describe|Get|List)/.test(request.action))
    .map(
      (request) =>
        `${request.action}${request.params.get('DestinationCidrBlock') ? ` ${request.params.get('DestinationCidrBlock')}` : ''}`,
    );
  expect(memberWrites).toEqual([
    'CreateRouteTable',
    `CreateRoute ${PROBE_DESTINATION}`,
    `DeleteRoute ${PROBE_DESTINATION}`,
    'DeleteRouteTable',
  ]);
  expect(await emulator.fixture.routeTables(accounts.alpha, REGION)).toEqual(mainTableBefore);
  expect(await emulator.fixture.internetRouteTarget(accounts.alpha, REGION)).toBe(internetTarget);

  // The targeted sweep the schedule starts (Scheduler played once the quiet period is over).
  const scheduler = new SchedulerClient({ endpoint: motoUrl(), region: REGION });
  const groupName = deployment.outputs['RepairScheduleGroupName'] ?? '';
  const [repair] = await pendingRepairs(scheduler, groupName);
  expect(repair?.input).toMatchObject({
    detail: {
      accountId: accounts.alpha,
      region: REGION,
      cause: { eventName: 'DeleteRoute', principalArn: expect.stringMatching(/\/account-janitor-probe$/) as unknown },
    },
  });
  emulator.proxy.clear();
  const clients = createAwsClients({ homeRegion: REGION });
  const handler = silentSweepHandler(intakeOf(deployment).config, clients);
  const [sweep] = await runDueRepairs<SweepReport>(scheduler, groupName, new Date(Date.now() + 86_400_000), (input) =>
    handler(input),
  );
  clients.destroy();
  scheduler.destroy();
  expect(sweep?.results.map((row) => `${row.accountId} ${row.region} ${row.status}`)).toEqual([
    `${accounts.alpha} ${REGION} ok`,
  ]);
  const sweepWrites = emulator.proxy.requests.filter((request) =>
    /^(Create|Replace|Delete|Authorize|Attach)/.test(request.action),
  );
  expect(sweepWrites).toEqual([]);
});

test('without eventProbe the member role may not probe: the row names the refused call and the context key', async () => {
  await deployer.deploy(template({ eventProbe: 'false' }));
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateRouteTable', accountId: accounts.alpha },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) =>
      `You are not authorized to perform this operation. User: arn:aws:sts::${request.accountId}:assumed-role/AccountJanitorReadOnlyRole/${PROBE_SESSION_NAME} is not authorized to perform: ec2:CreateRouteTable because no identity-based policy allows the ec2:CreateRouteTable action`,
  });
  const { code, report } = await doctor('--probe', `${accounts.alpha}/${REGION}`);
  expect(code).toBe(1);
  expect(probeRow(report)).toEqual({
    check: 'event probe',
    status: 'fail',
    detail: `ec2:CreateRouteTable failed in ${accounts.alpha}/${REGION}: UnauthorizedOperation (deploy with context eventProbe=true: the read-only role may then make the probe calls on route tables tagged account-janitor:probe)`,
  });
});

test('a breaking call that never reaches the intake: the probe fails after its wait, and cleans up after itself', async () => {
  await deployer.deploy(template());
  const before = await emulator.fixture.routeTables(accounts.beta, REGION);
  const clients = createAwsClients({ homeRegion: REGION });
  const report = await runDoctor(
    {
      stackName: STACK_NAME,
      probe: { accountId: accounts.beta, region: REGION },
      probeOptions: { timeoutMs: 1_000, pollMs: 100 },
    },
    clients,
  );
  clients.destroy();
  expect(probeRow(report)).toEqual({
    check: 'event probe',
    status: 'fail',
    detail: `no repair scheduled for ${accounts.beta}/${REGION} within 1 s of the probe's DeleteRoute: the breaking call did not reach the intake (see the trail, the event forwarder and the bus policy rows)`,
  });
  expect(await emulator.fixture.routeTables(accounts.beta, REGION)).toEqual(before);
});

test('only where this stack forwards breaking calls: another account is refused before any write', async () => {
  await deployer.deploy(template());
  const outsider = await emulator.fixture.createAccount('outsider', rootId, rootId);
  emulator.proxy.clear();
  const { code, report } = await doctor('--probe', `${outsider}/${REGION}`);
  expect(code).toBe(1);
  expect(probeRow(report)?.detail).toBe(
    `no event forwarder of this stack in ${outsider}/${REGION}: probe an account and region the event path covers`,
  );
  expect(emulator.proxy.requests.filter((request) => request.accountId === outsider)).toEqual([]);
  expect(HUB_ACCOUNT).not.toBe(outsider);
});

test.each(['123/us-east-1', `111122223333`, '111122223333/mars-1', '111122223333/us-east-1/x'])(
  '--probe %s is bad usage: exit 2, no AWS call',
  async (target) => {
    emulator.proxy.clear();
    const { code, stderr } = await doctor('--probe', target);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: --probe "${target}": must be ACCOUNT_ID/REGION, such as 111122223333/eu-west-1 (see account-janitor doctor --help)\n`,
    );
    expect(emulator.proxy.requests).toEqual([]);
  },
);
