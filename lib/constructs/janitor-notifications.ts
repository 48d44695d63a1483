import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * Where the janitor talks to people: an SNS topic, encrypted with a key of its own (CloudWatch
 * alarms cannot publish to a topic under the AWS-managed SNS key), refusing anything but TLS,
 * with the configured e-mail subscriptions. Alarms and the run digest both go here.
 */

export interface JanitorNotificationsProps {
  readonly emails: readonly string[];
}

export class JanitorNotifications extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: JanitorNotificationsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'account-janitor notifications topic',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'account-janitor',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
