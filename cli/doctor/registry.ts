import { checkChatChannels } from './chat-channels';
import { checkEventPath } from './event-path';
import { checkGuardRail } from './guard-rail';
import { checkInnovationSandbox } from './innovation-sandbox';
import { checkMemberAccounts } from './members';
import { checkMemberTrust } from './member-trust';
import {
  checkAlarms,
  checkAlarmStates,
  checkDelivery,
  checkSubscriptions,
  sendTestNotification,
} from './notifications';
import { checkOrganizationPolicies, POLICY_SAMPLE_SIZE } from './organization-policies';
import { runEventProbe } from './probe';
import type { CheckRowDoc, DoctorCheck, Finding } from './check-entry';

/**
 * doctor's checks, each defined once, in the order their rows are printed: what it reads, what it
 * needs of the checks before it, when it applies, how it runs, and when its rows fail (the table of
 * docs/deploy.md is made from it: `npm run docs`). The doctor runs them in this order
 * (`doctor.ts`); a check whose read fails gets one failed row under its name, and the checks that
 * need what it would have found are skipped.
 */

export type {
  CheckOptions,
  CheckRowDoc,
  Doctor,
  DoctorCheck,
  Finding,
  Findings,
  HubChecks,
  Known,
} from './check-entry';

/** One entry, its needs inferred (so that `run` may read only what it needs). */
function check<Needs extends Finding>(entry: DoctorCheck<Needs>): DoctorCheck {
  return entry;
}

/** One row named as the check. */
const row = (name: string, failsWhen: string): CheckRowDoc[] => [{ check: name, failsWhen }];

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  check({
    name: 'stack',
    reads: "the stack's status and outputs (CloudFormation)",
    needs: [],
    run: async (doctor) => {
      const outputs = await doctor.hubChecks.stack();
      return outputs && { outputs };
    },
    rows: row('stack', 'no stack of that name in the region, not `*_COMPLETE`, or its outputs are missing'),
  }),
  check({
    name: 'function',
    reads: "the function's state and environment (Lambda)",
    needs: ['outputs'],
    run: async (doctor, { outputs }) => {
      const config = await doctor.hubChecks.function(outputs);
      return config && { config };
    },
    rows: row(
      'function',
      'the function is not `Active`, or its environment does not parse with the shared schema (the row says which variable)',
    ),
  }),
  check({
    name: 'schedule',
    reads: 'the nightly schedule (EventBridge Scheduler) and the function',
    needs: ['outputs'],
    run: (doctor, { outputs }) => doctor.hubChecks.schedule(outputs),
    rows: row(
      'schedule',
      'the schedule is not `ENABLED`, does not target the function, has no dead-letter queue or no time zone',
    ),
  }),
  check({
    name: 'dead-letter queue',
    reads: "the dead-letter queue's depth (SQS)",
    needs: ['outputs'],
    run: (doctor, { outputs }) => doctor.hubChecks.deadLetters(outputs),
    rows: row('dead-letter queue', 'a failed invocation waits in it'),
  }),
  check({
    name: 'subscriptions',
    reads: "the topic's subscriptions (SNS)",
    needs: ['outputs'],
    run: async (doctor, { outputs }) => ({ confirmed: await checkSubscriptions(doctor, outputs) }),
    rows: row('subscriptions', 'the topic has no confirmed subscription (an unconfirmed e-mail is named)'),
  }),
  check({
    name: 'chat channels',
    reads: "each AWS Chatbot channel configuration of the stack's output ChatChannelArns (Cloud Control)",
    needs: ['outputs'],
    when: {
      doc: 'with `slackChannels` or `teamsChannels`',
      applies: ({ outputs }) => Boolean(outputs.chatChannelArns),
    },
    run: async (doctor, { outputs }) => doctor.addRows(await checkChatChannels(doctor.clients, outputs)),
    rows: row(
      'chat channels',
      'a channel configuration of the stack no longer exists, or is not subscribed to the topic (a row per channel)',
    ),
  }),
  check({
    name: 'alarms',
    reads: 'the alarms named after the stack, with their actions and states (CloudWatch)',
    needs: ['outputs'],
    run: async (doctor, { outputs }) => {
      const alarms = await checkAlarms(doctor, outputs);
      return alarms && { alarms };
    },
    rows: row('alarms', 'no alarm named `<stack>_…`, or one does not notify the topic'),
  }),
  check({
    name: 'alarm delivery',
    reads: "the topic's policy and its key's policy (SNS, KMS)",
    needs: ['outputs', 'alarms'],
    run: (doctor, { outputs, alarms }) => checkDelivery(doctor, outputs, alarms),
    rows: row(
      'alarm delivery',
      'the live topic policy or key policy would refuse CloudWatch for an alarm: the same walk as the template tests',
    ),
  }),
  check({
    name: 'alarm states',
    reads: "nothing more: the alarms' states as `alarms` read them",
    needs: ['alarms'],
    run: (doctor, { alarms }) => Promise.resolve(checkAlarmStates(doctor, alarms)),
    rows: row('alarm states', 'an alarm is in `ALARM` now'),
  }),
  check({
    name: 'last run',
    reads: "the function's heartbeat metric TargetsChecked (CloudWatch)",
    needs: ['config'],
    run: (doctor, { config }) => doctor.hubChecks.lastRun(config),
    rows: row('last run', 'no run reported `TargetsChecked` in 26 hours (the heartbeat metric)'),
  }),
  check({
    name: 'event path',
    reads:
      "the hub's bus, its policy and rules, the intake function and the queue it reads, the repairs' schedule group",
    needs: ['outputs', 'config'],
    when: { doc: 'with `eventDrivenRepair`', applies: ({ outputs }) => Boolean(outputs.eventBusArn) },
    run: async (doctor, { outputs, config }) => doctor.addRows([await checkEventPath(doctor.clients, outputs, config)]),
    rows: row(
      'event path',
      "the hub's bus policy, read as AWS would, refuses the organization's breaking calls or takes anyone else's; no enabled rule on the bus sends to the intake (through a queue the intake reads), or its pattern misses a call the function's configuration repairs (say an egress switch turned on since the deployment); the intake is not `Active`; the repairs' schedule group is not `ACTIVE`. When all is well it says how many quiet periods are pending",
    ),
  }),
  check({
    name: 'guard rail',
    reads: "the stack's service control policy and its targets (Organizations)",
    needs: ['outputs', 'config'],
    when: { doc: 'with `protectDefaultPath`', applies: ({ config }) => config.protectDefaultPath !== 'off' },
    run: async (doctor, { outputs, config }) => doctor.addRows([await checkGuardRail(doctor.clients, config, outputs)]),
    rows: row(
      'guard rail',
      "with `enforce`, the stack's SCP is missing, not a service control policy, or not attached to every target OU and named account (needs `organizations:DescribePolicy` and `ListTargetsForPolicy`); with `audit`, an informational row",
    ),
  }),
  check({
    name: 'member accounts',
    reads:
      "the organization, the target accounts, the StackSets' instances; in each account through the read-only role, EC2 and (with the event path) the trails",
    needs: ['outputs', 'config'],
    run: async (doctor, { outputs, config }) => {
      const { rows, organization, targets } = await checkMemberAccounts(doctor.clients, config, outputs, {
        trailSample: doctor.options.trailSample,
      });
      doctor.addRows(rows);
      return { organization, targets };
    },
    rows: [
      { check: 'organization', failsWhen: 'the caller is in another organization than `organizationId`' },
      {
        check: 'member accounts',
        failsWhen:
          "in a target account the member role cannot be assumed, one EC2 read fails with it in the home region, or the member role's StackSet instance is not `CURRENT`, or (with `eventDrivenRepair`) the event forwarder's instance is not `CURRENT` in every event region, or no trail records the account's write management events in an event region (no trail reaches it, the trail is not logging, or its event selectors leave out write management events of EC2: the row names the region and why), or (with `protectDefaultPath`) the default VPC's main route table in the home region lacks `account-janitor:protected`. Each such account gets a row of its own",
      },
    ],
  }),
  check({
    name: 'service control policies',
    reads: `the SCPs attached to the root, the OUs and the accounts above and below each target, down to its first ${POLICY_SAMPLE_SIZE} target accounts by id, and those accounts' effective EC2 declarative policy (Organizations)`,
    needs: ['config', 'organization', 'targets'],
    run: async (doctor, { config, organization, targets }) =>
      doctor.addRows(await checkOrganizationPolicies({ clients: doctor.clients, config, organization, targets })),
    rows: [
      {
        check: 'service control policies',
        failsWhen: `only when a read fails otherwise than refused (the row names the code). Warns: in remediate mode, an SCP attached from the root down to one of the first ${POLICY_SAMPLE_SIZE} target accounts of a target (OU, root or named account) denies a repair call of the write role (those of the route and the repairs switched on) in a swept region (with \`regions=all\`, doctor's), or may deny one on what doctor cannot know (the role's tags, the resources' tags…), or a level has no SCP allowing it; the row names the SCP and where it is attached. Needs \`organizations:ListParents\`, \`ListPoliciesForTarget\` and \`DescribePolicy\` (a refused read is a warning saying so)`,
      },
      {
        check: 'declarative policies',
        failsWhen: `never (its reads fail under \`service control policies\`). Warns: the effective EC2 declarative policy of one of those accounts turns on VPC Block Public Access (the restored routes carry no traffic there), or cannot be read. Needs \`organizations:DescribeEffectivePolicy\``,
      },
    ],
  }),
  check({
    name: 'innovation sandbox',
    reads: "the SCPs attached to the target accounts' OUs and the OUs above them (Organizations)",
    needs: ['config', 'targets'],
    when: {
      doc: 'with `protectDefaultPath=enforce`',
      applies: ({ config }) => config.protectDefaultPath === 'enforce',
    },
    run: async (doctor, { config, targets }) =>
      doctor.addRows([await checkInnovationSandbox(doctor.clients, config, targets)]),
    rows: row(
      'innovation sandbox',
      "never. Warns: one of Innovation Sandbox on AWS's SCPs (by name, or by its statement ids) applies to a target account: its clean-up's aws-nuke has no filter for what the guard rail refuses, so each clean-up fails until `account-janitor nuke-preset --tool aws-nuke` is merged into its nuke config; or the SCPs cannot be read",
    ),
  }),
  check({
    name: 'member role trust',
    reads:
      "the member role StackSet's template and parameters (CloudFormation); in each target account (or the `--sample`) through the read-only role, the two member roles (IAM GetRole)",
    needs: ['outputs', 'config'],
    when: { doc: 'with the member role StackSet', applies: ({ outputs }) => Boolean(outputs.memberRoleStackSetName) },
    run: async (doctor, { outputs, config }) =>
      doctor.addRows(await checkMemberTrust(doctor.clients, config, outputs, { sample: doctor.options.trailSample })),
    rows: row(
      'member role trust',
      "in a target account the write or read-only role is gone, or trusts other than the StackSet's template says with its parameters (the row quotes the statements added and missing: the guard rail's `enforce` refuses such a change, `audit` cannot hear it). An account doctor cannot enter is a warning here (the `member accounts` row says why)",
    ),
  }),
  check({
    name: 'event probe',
    reads: 'a throwaway route table in the probed account-region (the read-only role), then the repair schedule',
    needs: ['outputs', 'config'],
    when: { doc: 'with `--probe`', applies: (_known, options) => options.probe !== undefined },
    run: async (doctor, { outputs, config }) => {
      const { probe, probeOptions } = doctor.options;
      if (probe) doctor.addRows([await runEventProbe(doctor.clients, config, outputs, probe, probeOptions)]);
    },
    rows: row(
      'event probe',
      "the stack has no event path, or no event forwarder in that account-region; it has no default VPC with an internet gateway; the read-only role may not make the probe's calls (deploy with `eventProbe=true`); or no repair of it is scheduled within 3 minutes of the probe's `DeleteRoute` (step 7)",
    ),
  }),
  check({
    name: 'test notification',
    reads: 'the dead-letter alarm, as `alarms` read it; it sets its state twice',
    needs: ['outputs', 'alarms'],
    when: {
      doc: 'with `--send-test-notification`',
      applies: (_known, options) => Boolean(options.sendTestNotification),
    },
    run: (doctor, { outputs, alarms, confirmed }) => sendTestNotification(doctor, outputs, alarms, confirmed ?? 0),
    rows: row(
      'test notification',
      'no alarm `<stack>_DeadLetters`, or it acts on anything but the topic: nothing is sent (see below)',
    ),
  }),
];
