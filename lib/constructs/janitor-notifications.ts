import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * Where the janitor talks to people: an SNS topic, encrypted with a key of its own (CloudWatch
 * alarms cannot publish to a topic under the AWS-managed SNS key), refusing anything but TLS,
 * with the configured e-mail subscriptions. Alarms and the run digest both go here.
 *
 * A topic policy replaces SNS's default policy, so the alarms need a statement of their own: the
 * topic policy and the key policy both let `cloudwatch.amazonaws.com` in, only for this account's
 * alarms whose names start with `alarmNamePrefix` (aws:SourceAccount, aws:SourceArn).
 */

export interface JanitorNotificationsProps {
  readonly emails: readonly string[];
  /** The alarms that may publish: those of this account named `<alarmNamePrefix>…`. */
  readonly alarmNamePrefix: string;
}

export class JanitorNotifications extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: JanitorNotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const onlyTheseAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${props.alarmNamePrefix}*`,
      },
    };
    this.key = new kms.Key(this, 'Key', {
      description: 'account-janitor notifications topic',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: onlyTheseAlarms,
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'account-janitor',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: onlyTheseAlarms,
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
