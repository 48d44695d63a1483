import { Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { SweepConfig } from '../../lambda/config/schema';
import { STACK_SET_NAME_PREFIX } from '../../lambda/contract/names';
import { eventForwarderTemplate, HUB_EVENT_BUS_ARN_PARAMETER } from '../event-forwarder-template';
import { deploymentTargets, serviceManagedStackSet, type StackSetCallAs } from './member-role-stack-set';

/**
 * The breaking-call forwarder (lib/event-forwarder-template.ts) in every target account and event
 * region, through a service-managed StackSet with automatic deployment, to the same accounts as
 * the member role.
 */

export interface EventForwardingStackSetProps {
  readonly config: SweepConfig;
  readonly bus: events.IEventBus;
  readonly targetOuIds: readonly string[];
  /** The regions whose breaking calls are forwarded. */
  readonly regions: readonly string[];
  readonly callAs?: StackSetCallAs;
}

export class EventForwardingStackSet extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;

  public constructor(scope: Construct, id: string, props: EventForwardingStackSetProps) {
    super(scope, id);
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: `${STACK_SET_NAME_PREFIX}events-${Stack.of(this).stackName}`,
      description: 'account-janitor: forwards the calls that break the default VPC internet path to the hub',
      ...serviceManagedStackSet(props.callAs),
      // The forwarder's role is named: the guard rail keeps it by ARN.
      capabilities: ['CAPABILITY_NAMED_IAM'],
      parameters: [{ parameterKey: HUB_EVENT_BUS_ARN_PARAMETER, parameterValue: props.bus.eventBusArn }],
      stackInstancesGroup: [
        { deploymentTargets: deploymentTargets(props.config, props.targetOuIds), regions: [...props.regions] },
      ],
      templateBody: JSON.stringify(eventForwarderTemplate(props.config)),
    });
  }
}
