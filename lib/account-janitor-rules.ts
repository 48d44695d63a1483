import { Duration, Token } from 'aws-cdk-lib';
import { principalProblem, type PrincipalKindName } from '../lambda/config/principals';
import type { SweepConfig } from '../lambda/config/schema';
import { DEFAULT_QUIET_PERIOD_SECONDS } from '../lambda/contract/names';
import { STACK_NAME_PATTERN } from '../lambda/contract/stack-outputs';
import { ConfigError, type InputProblem } from '../lambda/errors';
import type { AccountJanitorProps } from './account-janitor-props';
import { RESTORE_RULES } from './restore-trigger-rules';

/**
 * The rules between an AccountJanitor's props, each once, with its one message naming the prop.
 * The construct checks them before it builds anything and throws AccountJanitorPropsError; the
 * deployable app reports the same problems as its CDK context's (the context keys are the props'
 * names), in one line with exit code 2.
 */

/** Props that break the rules: `invalid AccountJanitor props: <prop> <value>: <what is allowed>; …`. */
export class AccountJanitorPropsError extends ConfigError {
  public constructor(problems: readonly InputProblem[]) {
    super('invalid AccountJanitor props', problems);
    this.name = 'AccountJanitorPropsError';
  }
}

/** What the rules need besides the props: the janitor's name and the stack's partition. */
export interface RuleScope {
  /** The `name` prop, or the stack's name. */
  readonly name: string;
  /** The stack's partition when its region is concrete; undefined in an environment-agnostic synth. */
  readonly partition: string | undefined;
  /** The stack's region when it is concrete. */
  readonly region?: string | undefined;
}

/** The props' switches and the member role's OUs with their defaults: what the construct builds and the rules judge. */
export function resolvedProps(props: AccountJanitorProps) {
  return {
    deployMemberRole: props.deployMemberRole ?? true,
    eventDrivenRepair: props.eventDrivenRepair ?? true,
    eventProbe: props.eventProbe ?? false,
    memberRoleTargetOuIds: props.memberRoleTargetOuIds?.length ? props.memberRoleTargetOuIds : props.sweep.targetOuIds,
    quietPeriod: props.quietPeriod ?? Duration.seconds(DEFAULT_QUIET_PERIOD_SECONDS),
  };
}

type Rule = (props: AccountJanitorProps, scope: RuleScope) => InputProblem | readonly InputProblem[] | undefined;

/** The props that name principals, each with its kind of pattern (`lambda/config/principals.ts`). */
const PRINCIPAL_PROPS = {
  respectPrincipals: { kind: 'responder', of: (props) => props.sweep.respectPrincipals },
  guardRailExemptPrincipalArns: { kind: 'exempt', of: (props) => props.guardRailExemptPrincipalArns },
  operatorPrincipalArns: { kind: 'operator', of: (props) => props.operatorPrincipalArns },
  operatorWritePrincipalArns: { kind: 'operator', of: (props) => props.operatorWritePrincipalArns },
  restoreEventPrincipalArns: { kind: 'restorer', of: (props) => props.restoreEventPrincipalArns },
} as const satisfies Record<
  string,
  { kind: PrincipalKindName; of: (props: AccountJanitorProps) => readonly string[] | undefined }
>;

const RULES: readonly Rule[] = [
  // Each principal names its account (the app's context is refused with the same line).
  (props) =>
    Object.entries(PRINCIPAL_PROPS).flatMap(([field, { kind, of }]) =>
      (of(props) ?? []).flatMap((value) => {
        const message = Token.isUnresolved(value) ? undefined : principalProblem(value, kind);
        return message ? [{ field, value, message }] : [];
      }),
    ),
  (_props, { name }) =>
    STACK_NAME_PATTERN.test(name)
      ? undefined
      : { field: 'name', value: name, message: 'must be letters, digits and dashes, as a stack name' },
  (props) => {
    const { deployMemberRole, memberRoleTargetOuIds } = resolvedProps(props);
    if (!deployMemberRole || memberRoleTargetOuIds.length > 0) return undefined;
    return {
      field: 'memberRoleTargetOuIds',
      message:
        'the member role StackSet deploys to OUs: name them (or targetOuIds), or set deployMemberRole=false and deploy the role yourself',
    };
  },
  (props) => {
    const { deployMemberRole, memberRoleTargetOuIds } = resolvedProps(props);
    const beyond = rolloutBeyondTargets(props.sweep, deployMemberRole, memberRoleTargetOuIds);
    if (beyond.length === 0 || props.memberRoleBeyondTargets) return undefined;
    return {
      field: 'memberRoleTargetOuIds',
      value: beyond.join(','),
      message: `not among the targets (targetOuIds: ${props.sweep.targetOuIds.join(', ') || 'none'}): in remediate mode the hub could write there; target them, or set memberRoleBeyondTargets=true if it is meant`,
    };
  },
  (props) => {
    const quiet = resolvedProps(props).quietPeriod.toSeconds();
    const max = props.maxQuietPeriod?.toSeconds();
    if (max === undefined || Token.isUnresolved(max) || Token.isUnresolved(quiet) || max >= quiet) return undefined;
    return { field: 'maxQuietPeriod', value: durationText(max), message: `must be at least quietPeriod (${quiet} s)` };
  },
  (props) => {
    const { eventProbe, eventDrivenRepair } = resolvedProps(props);
    if (!eventProbe || eventDrivenRepair) return undefined;
    return {
      field: 'eventProbe',
      message: 'needs eventDrivenRepair: the probe proves the event path, which eventDrivenRepair=false leaves out',
    };
  },
  (props) => {
    const configured = props.sweep.regions;
    if (configured === 'all') return undefined;
    const outside = (props.eventRegions ?? []).filter((r) => !Token.isUnresolved(r) && !configured.includes(r));
    if (outside.length === 0) return undefined;
    return {
      field: 'eventRegions',
      value: outside.join(','),
      message: `not among the configured regions (${configured.join(', ')})`,
    };
  },
  (props, { partition }) => {
    // AWS Chatbot exists in the aws partition only (an agnostic template carries a CfnRule instead).
    const field = [
      props.slackChannels?.length ? 'slackChannels' : '',
      props.teamsChannels?.length ? 'teamsChannels' : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (partition === undefined || partition === 'aws' || field === '') return undefined;
    return { field, message: `AWS Chatbot is not available in the ${partition} partition (the aws partition only)` };
  },
];

/** Every rule the props break, in one list. */
export function accountJanitorProblems(props: AccountJanitorProps, scope: RuleScope): InputProblem[] {
  return [...RULES, ...RESTORE_RULES].flatMap((rule) => rule(props, scope) ?? []);
}

/**
 * The OUs the member role StackSet would reach that the sweep does not target, in remediate mode
 * (a read-only role anywhere is harmless). With `allAccounts` nothing is beyond; with account ids
 * alone the StackSet reaches only those accounts (see MemberRoleStackSet). An OU nested
 * below a target OU is counted as beyond: the synth cannot see the organization's tree.
 */
export function rolloutBeyondTargets(
  sweep: SweepConfig,
  deployMemberRole: boolean,
  memberRoleTargetOuIds: readonly string[],
): string[] {
  if (!deployMemberRole || sweep.mode !== 'remediate' || sweep.allAccounts) return [];
  // Accounts named by id alone: the StackSet deploys to those accounts of the OUs, nowhere else.
  if (sweep.targetOuIds.length === 0) return [];
  return memberRoleTargetOuIds.filter((ouId) => !sweep.targetOuIds.includes(ouId));
}

/** Seconds as a duration is written in context (`2m`, `1h30m`, `90s` as `1m30s`). */
function durationText(seconds: number): string {
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${rest || seconds === 0 ? `${rest}s` : ''}`;
}
