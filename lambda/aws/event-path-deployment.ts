import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type Rule,
} from '@aws-sdk/client-eventbridge';
import { LambdaClient, paginateListEventSourceMappings } from '@aws-sdk/client-lambda';
import { GetScheduleGroupCommand, paginateListSchedules, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { AwsClients } from './clients';
import { collect } from './pages';

/**
 * What `account-janitor doctor` reads of the event-driven repair in the hub: the bus and its
 * policy, the rules on it and their targets, the queues the intake reads (its event source
 * mappings), and the quiet periods' schedule group. Reads only.
 */

export interface DeployedRule {
  readonly name: string;
  readonly state: string;
  /** The rule's event pattern, parsed (`undefined` when it has none or it is not JSON). */
  readonly pattern: Record<string, unknown> | undefined;
  readonly targetArns: readonly string[];
}

export interface DeployedBus {
  /** The bus's resource policy, as JSON text (`undefined`: none). */
  readonly policy: string | undefined;
  readonly rules: readonly DeployedRule[];
}

export async function describeBus(clients: AwsClients, busName: string): Promise<DeployedBus> {
  const events = clients.hub(EventBridgeClient);
  const [bus, rules] = await Promise.all([
    events.send(new DescribeEventBusCommand({ Name: busName })),
    listRules(events, busName),
  ]);
  const described = await Promise.all(
    rules.map(async (rule): Promise<DeployedRule> => {
      const { Targets: targets = [] } = await events.send(
        new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: busName }),
      );
      let pattern: Record<string, unknown> | undefined;
      try {
        pattern = rule.EventPattern ? (JSON.parse(rule.EventPattern) as Record<string, unknown>) : undefined;
      } catch {
        pattern = undefined;
      }
      return {
        name: String(rule.Name),
        state: String(rule.State),
        pattern,
        targetArns: targets.map((target) => String(target.Arn)),
      };
    }),
  );
  return { policy: bus.Policy, rules: described };
}

/** A queue a function reads: the event source mapping's source and its state (`Enabled`, `Disabled`…). */
export interface DeployedEventSource {
  readonly sourceArn: string;
  readonly state: string;
}

export async function describeEventSources(clients: AwsClients, functionName: string): Promise<DeployedEventSource[]> {
  const mappings = await collect(
    paginateListEventSourceMappings({ client: clients.hub(LambdaClient) }, { FunctionName: functionName }),
    (page) => page.EventSourceMappings ?? [],
  );
  return mappings.map((mapping) => ({ sourceArn: String(mapping.EventSourceArn), state: String(mapping.State) }));
}

/** Every rule on the bus (EventBridge's ListRules has no SDK paginator: its NextToken by hand). */
async function listRules(events: EventBridgeClient, busName: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let nextToken: string | undefined;
  do {
    const page = await events.send(new ListRulesCommand({ EventBusName: busName, NextToken: nextToken }));
    rules.push(...(page.Rules ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return rules;
}

/** The schedule group's state, and how many schedules (quiet periods) wait in it. */
export async function describeRepairGroup(
  clients: AwsClients,
  groupName: string,
): Promise<{ readonly state: string; readonly pending: number }> {
  const scheduler = clients.hub(SchedulerClient);
  const [group, schedules] = await Promise.all([
    scheduler.send(new GetScheduleGroupCommand({ Name: groupName })),
    collect(paginateListSchedules({ client: scheduler }, { GroupName: groupName }), (page) => page.Schedules),
  ]);
  return { state: String(group.State), pending: schedules.length };
}
