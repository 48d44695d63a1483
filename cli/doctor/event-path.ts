import type { AwsClients } from '../../lambda/aws/clients';
import { describeFunction } from '../../lambda/aws/deployment';
import {
  describeBus,
  describeEventSources,
  describeRepairGroup,
  type DeployedRule,
} from '../../lambda/aws/event-path-deployment';
import type { SweepConfig } from '../../lambda/config/schema';
import { CLOUDTRAIL_DETAIL_TYPE, heardEventNames } from '../../lambda/core/breaking-call-pattern';
import { breakingCallOptionsFor, breakingEventNames } from '../../lambda/core/breaking-calls';
import {
  evaluatePolicy,
  parsePolicy,
  statementsOf,
  wildcardMatches,
  type AccessRequest,
  type PolicyStatement,
} from '../../lambda/core/iam-policy';
import { unqualifiedFunctionArn, type CheckRow } from './checks';
import type { StackOutputs } from '../../lambda/contract/stack-outputs';

/**
 * The event-driven repair, as deployed in the hub (`eventDrivenRepair`, on by default): the bus
 * takes breaking calls from the organization and from no one else (its policy read as AWS would
 * read it), an enabled rule on it sends them to the intake's queue (which the intake reads), and hears every call this
 * configuration repairs, the intake is active, and the quiet periods' schedule group is there.
 * The member side (the forwarding StackSet's instances) is checked with each member account.
 */

/**
 * The PutEvents a member account's forwarder makes when its rule sends one breaking call to the
 * hub's bus, as IAM sees it: `events:source` and `events:detail-type` are multivalued keys (one
 * value per entry of the batch), so they are lists here, as IAM holds them.
 */
export function forwardedBreakingCall(
  busArn: string,
  organizationId: string,
  principalArn = FORWARDER_ROLE_ARN,
  /** The member account's path in the organization (`o-…/r-…/ou-…/`), when it matters. */
  orgPaths?: readonly string[],
) {
  return {
    principal: { arn: principalArn },
    action: 'events:PutEvents',
    resource: busArn,
    context: {
      'aws:PrincipalOrgID': organizationId,
      'aws:PrincipalAccount': principalArn.split(':')[4] ?? '',
      ...(orgPaths ? { 'aws:PrincipalOrgPaths': [...orgPaths] } : {}),
      'events:source': ['aws.ec2'],
      'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    },
  } as const satisfies AccessRequest;
}

/**
 * A forwarder of a target account, as the bus policy sees it: in the first target OU (under a
 * root), or the first target account; and one of the organization outside every target.
 */
function forwarders(config: SweepConfig, organizationId: string) {
  const ou = config.targetOuIds[0];
  const target = {
    arn: forwarderRole(config.accountIds[0] ?? '111111111111'),
    orgPaths: [
      ou?.startsWith('r-') ? `${organizationId}/${ou}/` : `${organizationId}/r-0000/${ou ?? 'ou-0000-00000000'}/`,
    ],
  };
  const outsider = { arn: forwarderRole('999999999999'), orgPaths: [`${organizationId}/r-0000/ou-9999-99999999/`] };
  return {
    target,
    outsider,
    narrowed: !config.allAccounts && (config.targetOuIds.length > 0 || config.accountIds.length > 0),
  };
}

const forwarderRole = (account: string) => `arn:aws:iam::${account}:role/account-janitor-forwarder`;
const FORWARDER_ROLE_ARN = forwarderRole('111111111111');

/** An organization that is not the deployment's: the bus policy must refuse its principals. */
const ANOTHER_ORGANIZATION = 'o-0000000000';

export async function checkEventPath(
  clients: AwsClients,
  outputs: StackOutputs,
  config: SweepConfig,
): Promise<CheckRow> {
  const busArn = String(outputs.eventBusArn);
  const busName = busArn.slice(busArn.indexOf(':event-bus/') + ':event-bus/'.length);
  const groupName = String(outputs.repairScheduleGroupName);
  const intakeName = String(outputs.intakeFunctionName);
  const [bus, group, intake, sources] = await Promise.all([
    describeBus(clients, busName),
    describeRepairGroup(clients, groupName),
    describeFunction(clients, intakeName),
    describeEventSources(clients, intakeName),
  ]);
  const organizationId = config.organizationId;
  // The rule reaches the intake through its queue (or, deployed before the queue, directly).
  const read = sources.filter((source) => source.state === 'Enabled').map((source) => source.sourceArn);
  const reaches = (arn: string) =>
    read.includes(arn) || unqualifiedFunctionArn(arn) === unqualifiedFunctionArn(intake.arn);
  const toIntake = bus.rules.filter((candidate) => candidate.targetArns.some(reaches));
  const unread = bus.rules
    .flatMap((candidate) => candidate.targetArns)
    .flatMap((arn) => sources.filter((source) => source.sourceArn === arn && source.state !== 'Enabled'))
    .map((source) => `the intake does not read its queue ${source.sourceArn} (event source mapping ${source.state})`);
  // A stale disabled rule beside the live one is not the one to judge.
  const rule = toIntake.find((candidate) => candidate.state === 'ENABLED') ?? toIntake[0];
  const needed = breakingEventNames(breakingCallOptionsFor(config));
  const problems = [
    ...busPolicyProblems(bus.policy, busArn, config),
    ...ruleProblems(rule, busName, needed),
    ...(rule ? [] : unread),
    ...(intake.state !== 'Active' ? [`the intake function is ${intake.state}`] : []),
    ...(group.state !== 'ACTIVE' ? [`schedule group ${groupName} is ${group.state}`] : []),
  ];

  if (problems.length > 0) return { check: 'event path', status: 'fail', detail: problems.join('; ') };
  const pending = `${group.pending} quiet period${group.pending === 1 ? '' : 's'} pending`;
  return {
    check: 'event path',
    status: 'ok',
    detail: `${busName} takes breaking calls from ${organizationId} only; rule ${rule?.name} → ${read.some((arn) => rule?.targetArns.includes(arn)) ? "the intake's queue → " : ''}the intake (${needed.length} calls); ${pending} in ${groupName}`,
  };
}

/**
 * The bus policy, read as AWS would read it: the organization's forwarders may put breaking calls,
 * no one outside it may, nor (when the targets are narrowed) an account outside the targets; and
 * every statement that allows PutEvents holds the organization condition itself.
 */
function busPolicyProblems(policyText: string | undefined, busArn: string, config: SweepConfig): string[] {
  const problems: string[] = [];
  const organizationId = config.organizationId;
  const policy = parsePolicy(policyText);
  const sample = forwarders(config, organizationId ?? '');
  const put = (organization: string, forwarder = sample.target) =>
    evaluatePolicy(policy, forwardedBreakingCall(busArn, organization, forwarder.arn, forwarder.orgPaths), 'direct')
      .decision;
  if (!organizationId) {
    problems.push('the function has no organizationId, so the bus policy cannot be checked: redeploy with it');
  } else if (put(organizationId) !== 'allow') {
    problems.push(
      `the bus policy does not let ${organizationId} put breaking calls: the member accounts' events are refused`,
    );
  }
  if (put(ANOTHER_ORGANIZATION) === 'allow') {
    problems.push('the bus policy lets principals outside the organization put events on it');
  } else if (organizationId) {
    if (sample.narrowed && put(organizationId, sample.outsider) === 'allow') {
      problems.push(
        'the bus policy lets accounts of the organization outside the targets put events on it: redeploy the stack',
      );
    }
    // A statement may name a principal (an account outside, say) instead of allowing everyone:
    // every Allow of PutEvents must hold the organization condition itself.
    const open = statementsOf(policy).filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        actionsOf(statement).some((action) => wildcardMatches(action, 'events:PutEvents', true)) &&
        !requiresOrganization(statement, organizationId),
    );
    for (const statement of open) {
      problems.push(
        `the bus policy's statement ${statement.Sid ?? '(no Sid)'} lets principals put events without aws:PrincipalOrgID ${organizationId}`,
      );
    }
  }
  return problems;
}

/** The rule that sends to the intake: there, enabled, and hearing every call the configuration repairs. */
function ruleProblems(rule: DeployedRule | undefined, busName: string, needed: readonly string[]): string[] {
  if (!rule) return [`no rule on ${busName} sends to the intake function: breaking calls reach no one`];
  const problems: string[] = [];
  if (rule.state !== 'ENABLED') problems.push(`rule ${rule.name} is ${rule.state}: breaking calls reach no one`);
  const heard = heardEventNames(rule.pattern);
  const deaf = needed.filter((name) => !heard.includes(name));
  if (deaf.length > 0) problems.push(`rule ${rule.name} does not hear ${deaf.join(', ')}: redeploy the stack`);
  return problems;
}

const actionsOf = (statement: PolicyStatement): string[] =>
  statement.Action === undefined
    ? []
    : typeof statement.Action === 'string'
      ? [statement.Action]
      : [...statement.Action];

/** The statement requires the caller to be of the organization: StringEquals aws:PrincipalOrgID = it. */
function requiresOrganization(statement: PolicyStatement, organizationId: string): boolean {
  const equals = statement.Condition?.['StringEquals'] ?? {};
  const value = Object.entries(equals).find(([key]) => key.toLowerCase() === 'aws:principalorgid')?.[1];
  const values: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.length > 0 && values.every((candidate) => candidate === organizationId);
}
