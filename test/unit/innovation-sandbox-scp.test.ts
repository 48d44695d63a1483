import { parseSweepConfig } from '../../lambda/config/parse';
import type { PolicyDocument } from '../../lambda/core/iam-policy';
import { memberWriteStatements } from '../../lambda/core/member-writes';
import {
  FULL_AWS_ACCESS,
  repairCallsOf,
  requestsOf,
  scpRefusals,
  type CallSite,
  type ScpLevel,
} from '../../lambda/core/scp-evaluation';

/**
 * Innovation Sandbox's write protection, as doctor's `service control policies` check reads it
 * (restoreOn innovation-sandbox: the restore runs while the account is in its pool OUs). The
 * policy's shape is Innovation Sandbox's `DenyAllExceptIsbRoles`: every action denied unless the
 * caller's role is one of its own (aws-solutions/innovation-sandbox-on-aws@dea7503f587e1e0ae4bcf1d9994409ef1cb2306b,
 * source/infrastructure/lib/components/service-control-policies/isb-deny-all-non-control-plane-actions.json,
 * attached to the Available, CleanUp, Quarantine, Entry and Exit OUs in
 * source/infrastructure/lib/isb-account-pool-resources.ts), written here with the namespace
 * `myisb` and the key spelt as it spells it (`aws:PrincipalARN`).
 */

const NAMESPACE = 'myisb';
const ISB_ROLES = [
  `arn:aws:iam::*:role/InnovationSandbox-${NAMESPACE}*`,
  `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${NAMESPACE}_IsbAdmins*`,
  'arn:aws:iam::*:role/stacksets-exec-*',
  'arn:aws:iam::*:role/AWSControlTowerExecution',
];
const writeProtection = (exempt: readonly string[] = []): PolicyDocument => ({
  Statement: [
    {
      Sid: 'DenyAllExceptIsbRoles',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalARN': [...ISB_ROLES, ...exempt] } },
    },
  ],
});

const AVAILABLE_OU = 'ou-ab12-avail000';
const SITE: CallSite = {
  partition: 'aws',
  accountId: '222222222222',
  region: 'eu-west-1',
  roleName: 'AccountJanitorMemberRole',
  organizationId: 'o-a1b2c3d4e5',
  path: ['r-ab12', AVAILABLE_OU],
};
const levels = (document: PolicyDocument): ScpLevel[] => [
  { targetId: 'r-ab12', scps: [FULL_AWS_ACCESS] },
  {
    targetId: AVAILABLE_OU,
    scps: [FULL_AWS_ACCESS, { id: 'p-isbwrite1', name: 'InnovationSandboxWriteProtectionScp', document }],
  },
  { targetId: SITE.accountId, scps: [FULL_AWS_ACCESS] },
];
/** Every request of the write role's repair calls, with the default VPC's recreation and the guard rail's tags. */
const requests = () =>
  repairCallsOf(
    memberWriteStatements(
      parseSweepConfig(
        { targetOuIds: AVAILABLE_OU, recreateDefaultVpc: true, protectDefaultPath: 'audit' },
        'test',
        (key) => key,
      ),
    ),
  ).flatMap((call) => requestsOf(call, SITE));

test('without the exemption, every repair call of the write role is refused in its pool OUs, naming the SCP', () => {
  const all = requests();
  expect(all.length).toBeGreaterThan(4);
  for (const request of all) {
    expect([request.action, scpRefusals(levels(writeProtection()), request)]).toEqual([
      request.action,
      [
        {
          kind: 'deny',
          targetId: AVAILABLE_OU,
          scp: { id: 'p-isbwrite1', name: 'InnovationSandboxWriteProtectionScp' },
          statement: 'DenyAllExceptIsbRoles',
        },
      ],
    ]);
  }
});

test('with the write role added to its ArnNotLike list, none is refused; another role name is no exemption', () => {
  const exempted = levels(writeProtection([`arn:aws:iam::*:role/${SITE.roleName}`]));
  for (const request of requests())
    expect([request.action, scpRefusals(exempted, request)]).toEqual([request.action, []]);
  const otherName = levels(writeProtection(['arn:aws:iam::*:role/AccountJanitorReadOnlyRole']));
  expect(requests().every((request) => scpRefusals(otherName, request).length === 1)).toBe(true);
});
