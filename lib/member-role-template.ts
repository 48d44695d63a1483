import type { SweepConfig } from '../lambda/config/schema';
import { JANITOR_SESSION_NAME } from '../lambda/core/who-broke-it';
import {
  probeStatements,
  readStatements,
  trailStatements,
  trustReadStatements,
  writeStatements,
  type MemberPermissionsConfig,
} from './member-role-permissions';

export { memberWriteActions } from './member-role-permissions';

/**
 * The CloudFormation template of the two roles the janitor has in each member account. The stack
 * deploys it with a service-managed StackSet; `npm run member-role-template` writes it to a file
 * for teams that deploy roles their own way. Parameters: the hub role's ARN, and optionally the
 * operators who read (the CLI's --dry-run, doctor) and those who may also repair (the CLI).
 *
 * - The write role (memberRoleName): the engine's reads and, in remediate mode, the writes of the
 *   enabled repairs (member-role-permissions.ts). It trusts the hub's functions only under the
 *   janitor's session name (`sts:RoleSessionName`), which the forwarder and the cause lookup leave
 *   out; and operators only when listed in OperatorWritePrincipalArns, under any other session name,
 *   so their calls are heard like anyone's.
 * - The read-only role (readOnlyRoleName): the engine's reads, doctor's trail reads, doctor's read
 *   of the two roles' trust (GetRole of these two) and (with eventProbe) doctor's probe on
 *   probe-tagged route tables. It trusts the hub and every operator.
 *
 * Both require the external id when one is set.
 */

/** What the member roles depend on: the sweep settings they must allow, typed once for every caller. */
export type MemberRoleConfig = MemberPermissionsConfig &
  Pick<SweepConfig, 'memberRoleName' | 'readOnlyRoleName' | 'externalId'> & {
    /**
     * The event-driven repair is deployed: `doctor` reads, through the read-only role, which trail
     * records the account's write management events.
     * @default true
     */
    readonly eventPath?: boolean;
    /**
     * `doctor --probe` may make its throwaway breaking call through the read-only role: create a
     * route table tagged account-janitor:probe in a VPC, add and delete a route in it, delete it.
     * @default false
     */
    readonly eventProbe?: boolean;
  };

export const HUB_ROLE_ARN_PARAMETER = 'HubRoleArn';
/** Optional: operators (a role running the CLI's --dry-run, or `doctor`) the read-only role trusts. */
export const OPERATOR_PRINCIPALS_PARAMETER = 'OperatorPrincipalArns';
/** Optional: operators the write role trusts too (a role repairing with the CLI). */
export const OPERATOR_WRITE_PRINCIPALS_PARAMETER = 'OperatorWritePrincipalArns';
const HAS_OPERATORS = 'HasOperatorPrincipals';
const HAS_OPERATOR_WRITERS = 'HasOperatorWritePrincipals';

export function memberRoleTemplate(config: MemberRoleConfig): Record<string, unknown> {
  const externalId = config.externalId ? { 'sts:ExternalId': config.externalId } : undefined;
  const assume = (sid: string, principal: string, conditions: Record<string, Record<string, string>> = {}) => {
    const condition = {
      ...conditions,
      ...(externalId ? { StringEquals: { ...conditions['StringEquals'], ...externalId } } : {}),
    };
    return {
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: { Ref: principal } },
      Action: 'sts:AssumeRole',
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
  };
  const when = (condition: string, statement: Record<string, unknown>) => ({
    'Fn::If': [condition, statement, { Ref: 'AWS::NoValue' }],
  });
  // Only the hub's functions may be the janitor; a writing operator may be anyone else.
  const janitorSession = { 'sts:RoleSessionName': JANITOR_SESSION_NAME };
  const operatorWriters = assume('OperatorWriters', OPERATOR_WRITE_PRINCIPALS_PARAMETER, {
    StringNotEquals: janitorSession,
  });
  const writeTrust = [
    assume('HubFunction', HUB_ROLE_ARN_PARAMETER, { StringEquals: janitorSession }),
    when(HAS_OPERATOR_WRITERS, operatorWriters),
  ];
  const readOnlyTrust = [
    assume('HubFunction', HUB_ROLE_ARN_PARAMETER),
    when(HAS_OPERATORS, assume('Operators', OPERATOR_PRINCIPALS_PARAMETER)),
    when(HAS_OPERATOR_WRITERS, assume('OperatorWriters', OPERATOR_WRITE_PRINCIPALS_PARAMETER)),
  ];
  const reads = readStatements(config);
  const writeStatementsOf = [...reads, ...writeStatements(config)];
  const readOnlyStatements = [
    ...reads,
    ...trustReadStatements(config),
    ...((config.eventPath ?? true) ? trailStatements() : []),
    ...(config.eventProbe ? probeStatements() : []),
  ];
  const role = (name: string, description: string, trust: unknown[], statements: unknown[]) => ({
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: name,
      Description: description,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: trust },
      Policies: [
        {
          PolicyName: 'account-janitor-default-route',
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      ],
    },
  });
  const hasAny = (parameter: string) => ({
    'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: parameter }] }, ''] }],
  });
  const operatorList = (description: string) => ({ Type: 'CommaDelimitedList', Default: '', Description: description });

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'account-janitor member roles: let the janitor hub function check, and restore, the default VPC internet route of this account; and operators read it.',
    Parameters: {
      [HUB_ROLE_ARN_PARAMETER]: {
        Type: 'String',
        Description: "ARN of the account-janitor function's role in the hub (management or tooling) account",
        AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$',
      },
      [OPERATOR_PRINCIPALS_PARAMETER]: operatorList(
        'Optional: ARNs of roles that may assume the read-only role: operators running the account-janitor CLI with --dry-run, or doctor (comma-separated)',
      ),
      [OPERATOR_WRITE_PRINCIPALS_PARAMETER]: operatorList(
        'Optional: ARNs of roles that may also assume the write role: operators repairing with the account-janitor CLI (comma-separated)',
      ),
    },
    Conditions: {
      [HAS_OPERATORS]: hasAny(OPERATOR_PRINCIPALS_PARAMETER),
      [HAS_OPERATOR_WRITERS]: hasAny(OPERATOR_WRITE_PRINCIPALS_PARAMETER),
    },
    Resources: {
      MemberRole: role(
        config.memberRoleName,
        'Assumed by account-janitor to check and restore the default VPC 0.0.0.0/0 route',
        writeTrust,
        writeStatementsOf,
      ),
      ReadOnlyRole: role(
        config.readOnlyRoleName,
        'Assumed by account-janitor operators (CLI --dry-run, doctor) to read the default VPC internet path',
        readOnlyTrust,
        readOnlyStatements,
      ),
    },
    Outputs: {
      MemberRoleArn: { Description: 'The write role', Value: { 'Fn::GetAtt': ['MemberRole', 'Arn'] } },
      ReadOnlyRoleArn: { Description: 'The read-only role', Value: { 'Fn::GetAtt': ['ReadOnlyRole', 'Arn'] } },
    },
  };
}
