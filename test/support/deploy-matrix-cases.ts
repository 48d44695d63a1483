import type { Partition } from '../../lib/config';

/**
 * The configurations the deploy matrix synthesizes (test/infra/deploy-matrix.test.ts), pairwise:
 * each switch value in at least one case of every partition group, each opt-in alone once, all
 * opt-ins together. Other tests (the guard rail's size) walk the same cases.
 */

export const HUB_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';
export const ORG = 'o-a1b2c3d4e5';
export const REGION_OF: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

const OUS = { targetOuIds: 'ou-ab12-cdef3456', organizationId: ORG };
const ACCOUNT_IDS = {
  accountIds: `${MEMBER_ACCOUNT},333333333333`,
  memberRoleTargetOuIds: 'ou-ab12-cdef3456',
  organizationId: ORG,
};
const ALL_ACCOUNTS = { allAccounts: 'true', memberRoleTargetOuIds: 'r-ab12', organizationId: ORG };
const ALL_OPT_INS = {
  repairInternetGateway: 'true',
  recreateDefaultVpc: 'true',
  checkDefaultSubnets: 'true',
  repairDefaultSubnets: 'true',
  checkEgress: 'true',
  repairEgress: 'true',
};

export interface MatrixCase {
  readonly name: string;
  readonly partition: Partition;
  readonly context: Record<string, string>;
  /** Also synthesized without an environment (cdk synth without credentials). */
  readonly agnostic?: boolean;
}

export const MATRIX: readonly MatrixCase[] = [
  { name: 'defaults, OU targets', partition: 'aws', context: { ...OUS }, agnostic: true },
  {
    name: 'report mode, distributed, organization id looked up at deploy time',
    partition: 'aws-cn',
    context: { targetOuIds: 'ou-ab12-cdef3456', mode: 'report', fanOut: 'distributed' },
  },
  {
    name: 'account ids, distributed, delegated administrator, e-mails, operators (reading and writing), responders',
    partition: 'aws-us-gov',
    context: {
      ...ACCOUNT_IDS,
      fanOut: 'distributed',
      stackSetCallAs: 'DELEGATED_ADMIN',
      notificationEmails: 'platform@example.com,oncall@example.com',
      operatorPrincipalArns: `arn:aws-us-gov:iam::${HUB_ACCOUNT}:role/Operator`,
      operatorWritePrincipalArns: `arn:aws-us-gov:iam::${HUB_ACCOUNT}:role/Repairer`,
      respectPrincipals: `arn:aws-us-gov:iam::${MEMBER_ACCOUNT}:role/IncidentResponse*`,
      readOnlyRoleName: 'JanitorReader',
    },
  },
  {
    name: 'allAccounts, report mode, no event path, no cause lookup, no organization id',
    partition: 'aws',
    context: {
      allAccounts: 'true',
      memberRoleTargetOuIds: 'r-ab12',
      mode: 'report',
      eventDrivenRepair: 'false',
      lookUpCauses: 'false',
    },
  },
  {
    name: 'repairInternetGateway, guard rail enforced with exempt principals',
    partition: 'aws-cn',
    context: {
      ...OUS,
      repairInternetGateway: 'true',
      protectDefaultPath: 'enforce',
      guardRailExemptPrincipalArns: `arn:aws-cn:iam::${MEMBER_ACCOUNT}:role/BreakGlass*`,
    },
  },
  {
    name: 'recreateDefaultVpc, distributed',
    partition: 'aws-us-gov',
    context: { ...OUS, recreateDefaultVpc: 'true', fanOut: 'distributed' },
  },
  {
    name: 'checkDefaultSubnets, report mode, guard rail audit',
    partition: 'aws',
    context: { ...OUS, checkDefaultSubnets: 'true', mode: 'report', protectDefaultPath: 'audit' },
  },
  {
    name: 'defaultSubnets=repair, account ids',
    partition: 'aws-cn',
    context: { ...ACCOUNT_IDS, defaultSubnets: 'repair' },
  },
  {
    name: 'egress=check, no cause lookup, e-mails, event probe',
    partition: 'aws-us-gov',
    context: {
      ...OUS,
      egress: 'check',
      lookUpCauses: 'false',
      notificationEmails: 'platform@example.com',
      eventProbe: 'true',
    },
  },
  {
    name: 'repairEgress, delegated administrator, distributed',
    partition: 'aws',
    context: { ...OUS, repairEgress: 'true', stackSetCallAs: 'DELEGATED_ADMIN', fanOut: 'distributed' },
  },
  {
    name: 'every opt-in, remediate, distributed, regions all, delegated administrator, e-mails, event probe, HTML report, every restore trigger',
    partition: 'aws-cn',
    context: {
      ...OUS,
      ...ALL_OPT_INS,
      fanOut: 'distributed',
      regions: 'all',
      stackSetCallAs: 'DELEGATED_ADMIN',
      notificationEmails: 'platform@example.com',
      externalId: 'org-secret-1',
      eventProbe: 'true',
      protectDefaultPath: 'enforce',
      operatorWritePrincipalArns: `arn:aws-cn:iam::${HUB_ACCOUNT}:role/Repairer`,
      htmlReport: 'true',
      restoreOn: 'control-tower,account-moved,innovation-sandbox,event',
      innovationSandboxEventBusArn: `arn:aws-cn:events:cn-north-1:${MEMBER_ACCOUNT}:event-bus/InnovationSandboxComputeISBEventBus`,
    },
    agnostic: true,
  },
  {
    name: 'every opt-in, report mode, allAccounts, regions all, HTML report',
    partition: 'aws-us-gov',
    context: { ...ALL_ACCOUNTS, ...ALL_OPT_INS, mode: 'report', regions: 'all', htmlReport: 'true' },
  },
  {
    name: 'every opt-in, remediate, account ids, no event path, regions all, Slack and Teams channels, HTML report',
    partition: 'aws',
    context: {
      ...ACCOUNT_IDS,
      ...ALL_OPT_INS,
      eventDrivenRepair: 'false',
      regions: 'all',
      protectDefaultPath: 'enforce',
      slackChannels: 'T07EA123LEP/C07EZ1ABC01',
      teamsChannels:
        '5f8e3c2a-1b4d-4e6f-9a0b-7c8d9e0f1a2b/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2/0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
      htmlReport: 'true',
    },
    agnostic: true,
  },
];
