import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EMULATOR_CREDENTIALS } from './organization-fixture';

export interface SnsInbox {
  readonly topicArn: string;
  /** Every message published to the topic so far, as SNS delivered it to a subscribed queue. */
  messages(): Promise<{ Subject?: string; Message: string }[]>;
  destroy(): void;
}

/** An SNS topic in moto with an SQS queue subscribed to it, to read what was published. */
export async function createSnsInbox(motoUrl: string, name: string): Promise<SnsInbox> {
  const common = { endpoint: motoUrl, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS };
  const sns = new SNSClient(common);
  const sqs = new SQSClient(common);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.['QueueArn'] }));
  const received: { Subject?: string; Message: string }[] = [];
  return {
    topicArn: String(TopicArn),
    messages: async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      for (const message of Messages ?? [])
        received.push(JSON.parse(String(message.Body)) as { Subject?: string; Message: string });
      return received;
    },
    destroy: () => {
      sns.destroy();
      sqs.destroy();
    },
  };
}
