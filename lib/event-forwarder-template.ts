import type { SweepConfig } from '../lambda/config/schema';
import { FORWARDER_ROLE_NAME_PREFIX, FORWARDER_RULE_NAME } from '../lambda/contract/names';
import { janitorSessionArn } from '../lambda/core/who-broke-it';
import { breakingCallPattern } from '../lambda/core/breaking-call-pattern';
import { breakingCallOptionsFor } from '../lambda/core/breaking-calls';
import type { PartSwitches } from '../lambda/core/row-parts';

/**
 * The CloudFormation template that forwards the breaking calls of a member account-region to the
 * hub's event bus: one EventBridge rule on the default bus (CloudTrail's management events, the
 * calls that break the default path, successful and not the janitor's own) whose target is the
 * hub's bus, cross-account and cross-region, through a role that may put events there and nowhere
 * else. Deployed by a service-managed StackSet in every target account and event region. The rule
 * and the role are named (`lambda/contract/names.ts`), one role per region (IAM is global), so
 * that the guard rail's SCP (protectDefaultPath=enforce) can keep them by ARN.
 */

export type EventForwarderConfig = Pick<SweepConfig, 'memberRoleName'> & PartSwitches;

export const HUB_EVENT_BUS_ARN_PARAMETER = 'HubEventBusArn';

export function eventForwarderTemplate(config: EventForwarderConfig): Record<string, unknown> {
  const pattern = breakingCallPattern({
    ...breakingCallOptionsFor(config),
    janitorSessionArn: '__JANITOR_SESSION__',
  });
  // The janitor's own session in this account (role and session name): known only in the account, so Fn::Sub.
  const eventPattern = JSON.parse(JSON.stringify(pattern), (_key, value: unknown) =>
    value === '__JANITOR_SESSION__'
      ? { 'Fn::Sub': janitorSessionArn('${AWS::Partition}', '${AWS::AccountId}', config.memberRoleName) }
      : value,
  ) as Record<string, unknown>;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'account-janitor: forwards the calls that break the default VPC internet path to the hub event bus',
    Parameters: {
      [HUB_EVENT_BUS_ARN_PARAMETER]: {
        Type: 'String',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[\\w.\\-/]+$',
        Description: 'The event bus of the account-janitor stack (its EventBusArn output)',
      },
    },
    Resources: {
      ForwarderRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { 'Fn::Sub': `${FORWARDER_ROLE_NAME_PREFIX}\${AWS::Region}` },
          Description: 'account-janitor: EventBridge puts breaking calls on the hub event bus',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'PutEventsOnHubBus',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: HUB_EVENT_BUS_ARN_PARAMETER } },
                ],
              },
            },
          ],
        },
      },
      BreakingCallsRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: FORWARDER_RULE_NAME,
          Description: 'account-janitor: calls that break the default VPC internet path, to the hub',
          EventBusName: 'default',
          EventPattern: eventPattern,
          State: 'ENABLED',
          Targets: [
            {
              Id: 'HubEventBus',
              Arn: { Ref: HUB_EVENT_BUS_ARN_PARAMETER },
              RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] },
            },
          ],
        },
      },
    },
  };
}
