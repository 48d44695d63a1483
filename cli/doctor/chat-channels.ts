import { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { describeChatChannel } from '../../lambda/aws/chat-channels';
import type { AwsClients } from '../../lambda/aws/clients';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';
import type { CheckRow } from './checks';

/**
 * The chat channels (slackChannels, teamsChannels): each AWS Chatbot configuration the stack made
 * still exists and is subscribed to the notifications topic (read through Cloud Control: the
 * caller needs cloudformation:GetResource and chatbot:Describe/Get of the configurations). The test notification
 * (`--send-test-notification`) reaches them as it reaches the e-mails.
 */
export async function checkChatChannels(clients: AwsClients, outputs: StackOutputs): Promise<CheckRow[]> {
  const check = 'chat channels';
  const arns = (outputs.chatChannelArns ?? '').split(',').filter(Boolean);
  const topicArn = String(outputs.notificationTopicArn);
  const client = clients.hub(CloudControlClient);
  return Promise.all(
    arns.map(async (arn): Promise<CheckRow> => {
      const channel = await describeChatChannel(client, arn);
      if (!channel) {
        return { check, status: 'fail', detail: `${arn} does not exist: deleted outside the stack; redeploy it` };
      }
      const what = `${channel.kind === 'slack' ? 'Slack' : 'Teams'} channel ${channel.channelId} (${channel.name})`;
      if (!channel.topicArns.includes(topicArn)) {
        return {
          check,
          status: 'fail',
          detail: `${what} is not subscribed to ${topicArn}: it hears no alarm and no digest; redeploy the stack`,
        };
      }
      return { check, status: 'ok', detail: `${what} is subscribed to the topic` };
    }),
  );
}
