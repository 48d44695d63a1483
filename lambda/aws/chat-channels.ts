import { type CloudControlClient, GetResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudcontrol';

/**
 * The AWS Chatbot channel configurations the stack made, as `doctor` reads them (the functions
 * never do): through the Cloud Control API, which reads both kinds (`AWS::Chatbot::
 * SlackChannelConfiguration`, `…::MicrosoftTeamsChannelConfiguration`) as CloudFormation made
 * them, with one SDK client current with the others.
 */

export interface DeployedChatChannel {
  readonly kind: 'slack' | 'teams';
  readonly arn: string;
  /** The configuration's name, and the channel's id. */
  readonly name: string;
  readonly channelId: string;
  readonly topicArns: readonly string[];
}

const TYPE_OF = {
  slack: 'AWS::Chatbot::SlackChannelConfiguration',
  teams: 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration',
} as const;

/** Which kind a configuration's ARN names (`…:chat-configuration/slack-channel/…`, `…/microsoft-teams-channel/…`). */
export function chatChannelKind(arn: string): 'slack' | 'teams' {
  return arn.includes(':chat-configuration/microsoft-teams-channel/') ? 'teams' : 'slack';
}

/** The channel configuration, or `undefined` when there is none by that ARN. */
export async function describeChatChannel(
  client: CloudControlClient,
  arn: string,
): Promise<DeployedChatChannel | undefined> {
  const kind = chatChannelKind(arn);
  try {
    const { ResourceDescription: found } = await client.send(
      new GetResourceCommand({ TypeName: TYPE_OF[kind], Identifier: arn }),
    );
    if (!found?.Properties) return undefined;
    const properties = JSON.parse(found.Properties) as {
      ConfigurationName?: string;
      SlackChannelId?: string;
      TeamsChannelId?: string;
      SnsTopicArns?: string[];
    };
    return {
      kind,
      arn,
      name: properties.ConfigurationName ?? arn,
      channelId: (kind === 'slack' ? properties.SlackChannelId : properties.TeamsChannelId) ?? '',
      topicArns: properties.SnsTopicArns ?? [],
    };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
