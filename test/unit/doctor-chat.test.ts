import { CloudControlClient, GetResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudcontrol';
import { mockClient } from 'aws-sdk-client-mock';
import { checkChatChannels } from '../../cli/doctor/chat-channels';
import { createAwsClients } from '../../lambda/aws/clients';

/**
 * doctor's chat channel check. moto has no Cloud Control for Chatbot: the answers are AWS's
 * documented shapes (GetResource's ResourceDescription with the properties as JSON text,
 * ResourceNotFoundException).
 */

const cloudControl = mockClient(CloudControlClient);
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:AccountJanitor-notifications';
const SLACK = 'arn:aws:chatbot::111111111111:chat-configuration/slack-channel/AccountJanitor-slack-1';
const TEAMS = 'arn:aws:chatbot::111111111111:chat-configuration/microsoft-teams-channel/AccountJanitor-teams-1';

const described = (identifier: string, properties: Record<string, unknown>) => ({
  TypeName: 'AWS::Chatbot::SlackChannelConfiguration',
  ResourceDescription: { Identifier: identifier, Properties: JSON.stringify(properties) },
});

async function check() {
  const clients = createAwsClients({ homeRegion: 'eu-west-1', maxAttempts: 1 });
  try {
    return await checkChatChannels(clients, { notificationTopicArn: TOPIC, chatChannelArns: `${SLACK},${TEAMS}` });
  } finally {
    clients.destroy();
  }
}

beforeEach(() => cloudControl.reset());

test('each configuration exists and hears the topic: one ok row each, each read as its own type', async () => {
  cloudControl
    .on(GetResourceCommand, { TypeName: 'AWS::Chatbot::SlackChannelConfiguration', Identifier: SLACK })
    .resolves(
      described(SLACK, {
        Arn: SLACK,
        ConfigurationName: 'AccountJanitor-slack-1',
        SlackWorkspaceId: 'T07EA123LEP',
        SlackChannelId: 'C07EZ1ABC01',
        SnsTopicArns: [TOPIC],
      }),
    )
    .on(GetResourceCommand, { TypeName: 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration', Identifier: TEAMS })
    .resolves(
      described(TEAMS, {
        Arn: TEAMS,
        ConfigurationName: 'AccountJanitor-teams-1',
        TeamsChannelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
        SnsTopicArns: [TOPIC],
      }),
    );
  expect(await check()).toEqual([
    {
      check: 'chat channels',
      status: 'ok',
      detail: 'Slack channel C07EZ1ABC01 (AccountJanitor-slack-1) is subscribed to the topic',
    },
    {
      check: 'chat channels',
      status: 'ok',
      detail:
        'Teams channel 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2 (AccountJanitor-teams-1) is subscribed to the topic',
    },
  ]);
});

test('a configuration deleted or no longer subscribed fails with what to do', async () => {
  cloudControl
    .on(GetResourceCommand, { Identifier: SLACK })
    .resolves(described(SLACK, { ConfigurationName: 'AccountJanitor-slack-1', SlackChannelId: 'C07EZ1ABC01' }))
    .on(GetResourceCommand, { Identifier: TEAMS })
    .rejects(
      new ResourceNotFoundException({
        message: `AWS::Chatbot::MicrosoftTeamsChannelConfiguration Handler returned status FAILED: not found`,
        $metadata: {},
      }),
    );
  expect(await check()).toEqual([
    {
      check: 'chat channels',
      status: 'fail',
      detail: `Slack channel C07EZ1ABC01 (AccountJanitor-slack-1) is not subscribed to ${TOPIC}: it hears no alarm and no digest; redeploy the stack`,
    },
    {
      check: 'chat channels',
      status: 'fail',
      detail: `${TEAMS} does not exist: deleted outside the stack; redeploy it`,
    },
  ]);
});
