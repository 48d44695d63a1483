import { describeAlarms, describeKey, setAlarmState, type DeployedAlarm } from '../../lambda/aws/deployment';
import { parsePolicy } from '../../lambda/core/iam-policy';
import { deliveryProblems } from '../../lambda/core/notification-delivery';
import { isConfirmedSubscription, listSome, type DoctorContext } from './checks';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * The doctor's checks of how the janitor reaches a person: the topic's subscriptions, the alarms
 * and their actions, whether the live topic policy and key policy let CloudWatch publish for each
 * alarm (the pure walk the template tests use), alarms firing now, and the test notification.
 */

/** The alarm a test notification goes through: its description tells the reader what to do. */
const TEST_ALARM = 'DeadLetters';

/** Returns how many subscriptions are confirmed. */
export async function checkSubscriptions(doctor: DoctorContext, outputs: StackOutputs): Promise<number> {
  const topic = await doctor.deployedTopic(outputs);
  const confirmed = topic.subscriptions.filter((subscription) => isConfirmedSubscription(subscription.arn));
  const pending = topic.subscriptions.filter((subscription) => !isConfirmedSubscription(subscription.arn));
  const names = (list: typeof confirmed) => list.map((item) => `${item.protocol} ${item.endpoint}`);
  if (confirmed.length === 0) {
    doctor.add(
      'subscriptions',
      'fail',
      pending.length > 0
        ? `none confirmed: nobody gets the alarms; confirm the e-mail AWS sent to ${listSome(names(pending))}`
        : 'none: nobody gets the alarms; set notificationEmails and deploy again',
    );
  } else {
    doctor.add('subscriptions', 'ok', `${confirmed.length} confirmed: ${listSome(names(confirmed))}`);
    if (pending.length > 0) {
      doctor.add('subscriptions', 'warn', `${pending.length} not confirmed yet: ${listSome(names(pending))}`);
    }
  }
  return confirmed.length;
}

export async function checkAlarms(doctor: DoctorContext, outputs: StackOutputs): Promise<DeployedAlarm[] | undefined> {
  const alarms = await describeAlarms(doctor.clients, String(outputs.alarmNamePrefix));
  if (alarms.length === 0) {
    doctor.add('alarms', 'fail', `no alarm named ${outputs.alarmNamePrefix}*`);
    return undefined;
  }
  const silent = alarms.filter(
    (alarm) => !alarm.actionsEnabled || !alarm.alarmActions.includes(String(outputs.notificationTopicArn)),
  );
  doctor.add(
    'alarms',
    silent.length === 0 ? 'ok' : 'fail',
    silent.length === 0
      ? `${alarms.length} alarms notify the topic`
      : `${silent.length} of ${alarms.length} alarms do not notify the topic: ${listSome(silent.map((alarm) => alarm.name))}`,
  );
  return alarms;
}

/** The topic policy and the key policy must let CloudWatch publish for every alarm. */
export async function checkDelivery(
  doctor: DoctorContext,
  outputs: StackOutputs,
  alarms: readonly DeployedAlarm[],
): Promise<void> {
  const topicArn = String(outputs.notificationTopicArn);
  const topic = await doctor.deployedTopic(outputs);
  const key = topic.kmsMasterKeyId ? await describeKey(doctor.clients, topic.kmsMasterKeyId) : undefined;
  const path = {
    topicArn,
    topicPolicy: parsePolicy(topic.policy),
    keyArn: key?.arn,
    keyPolicy: parsePolicy(key?.policy),
    awsManagedKey: key?.manager === 'AWS',
  };
  const problems = alarms.flatMap((alarm) =>
    deliveryProblems(
      { name: `alarm ${alarm.name}`, principal: { service: 'cloudwatch.amazonaws.com' }, sourceArn: alarm.arn },
      path,
    ),
  );
  doctor.add(
    'alarm delivery',
    problems.length === 0 ? 'ok' : 'fail',
    problems.length === 0
      ? `the topic policy${key ? ' and the key policy' : ''} let CloudWatch publish for all ${alarms.length} alarms`
      : listSome(problems, 2),
  );
}

export function checkAlarmStates(doctor: DoctorContext, alarms: readonly DeployedAlarm[]): void {
  const firing = alarms.filter((alarm) => alarm.state === 'ALARM').map((alarm) => alarm.name);
  doctor.add(
    'alarm states',
    firing.length === 0 ? 'ok' : 'fail',
    firing.length === 0 ? 'no alarm in ALARM' : `in ALARM: ${listSome(firing, 10)} (their descriptions say what to do)`,
  );
}

export async function sendTestNotification(
  doctor: DoctorContext,
  outputs: StackOutputs,
  alarms: readonly DeployedAlarm[],
  confirmed: number,
): Promise<void> {
  // Only the stack's own dead-letter alarm, and only while its every action is the stack's topic:
  // a test must never fire another alarm's EC2, Systems Manager or Lambda action.
  const name = `${outputs.alarmNamePrefix}${TEST_ALARM}`;
  const alarm = alarms.find((candidate) => candidate.name === name);
  if (!alarm) {
    doctor.add('test notification', 'fail', `no alarm ${name}: nothing was sent`);
    return;
  }
  const foreign = [...alarm.alarmActions, ...alarm.otherActions].filter(
    (action) => action !== outputs.notificationTopicArn,
  );
  if (foreign.length > 0) {
    doctor.add(
      'test notification',
      'fail',
      `refused: ${name} also acts on ${foreign.join(', ')}; a test notification changes its state, which would fire that too. Nothing was sent`,
    );
    return;
  }
  const reason = 'Test notification from account-janitor doctor: nothing is wrong, no action is needed.';
  const restored = 'Test notification from account-janitor doctor: state restored.';
  if (alarm.state === 'ALARM') {
    // Every alarm fires: go through OK, so that ALARM is a transition again, and end as it was.
    await setAlarmState(doctor.clients, alarm.name, 'OK', reason);
    await setAlarmState(doctor.clients, alarm.name, 'ALARM', restored);
  } else {
    await setAlarmState(doctor.clients, alarm.name, 'ALARM', reason);
    await setAlarmState(doctor.clients, alarm.name, alarm.state as 'OK' | 'INSUFFICIENT_DATA', restored);
  }
  doctor.add(
    'test notification',
    'ok',
    `set ${alarm.name} to ALARM ${alarm.state === 'ALARM' ? '(through OK) and left it in ALARM' : `and back to ${alarm.state}`}: the alarm should reach the ${confirmed} confirmed subscription${confirmed === 1 ? '' : 's'} (e-mails, chat channels) within a minute`,
  );
}
