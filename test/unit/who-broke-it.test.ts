import { describeCause, pickCause, type CloudTrailRecord } from '../../lambda/core/who-broke-it';
import { productTokens } from '../../lambda/core/user-agent';

/** Who broke it, from an account-region's CloudTrail records: the latest successful breaking call. */

const RTB = 'rtb-0a1b2c3d';
const query = {
  routeTableId: RTB,
  vpcId: 'vpc-1',
  before: new Date('2026-11-26T03:00:00Z'),
  janitorRoleName: 'AccountJanitorMemberRole',
};
const nuke = 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke';

function record(overrides: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return {
    eventName: 'DeleteRoute',
    eventTime: '2026-11-26T02:13:07Z',
    eventSource: 'ec2.amazonaws.com',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-nuke/3.56.2 aws-sdk-go/1.55.5',
    userIdentity: {
      arn: nuke,
      sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/ci-cleanup' } },
    },
    requestParameters: { routeTableId: RTB, destinationCidrBlock: '0.0.0.0/0' },
    ...overrides,
  };
}

test('the DeleteRoute of the 0.0.0.0/0 of this route table, with who, the role behind, from where, with what, on which ids', () => {
  expect(pickCause([record()], query)).toEqual({
    principalArn: nuke,
    sessionIssuerArn: 'arn:aws:iam::111122223333:role/ci-cleanup',
    eventName: 'DeleteRoute',
    eventTime: '2026-11-26T02:13:07.000Z',
    sourceIp: '198.51.100.7',
    userAgent: 'aws-nuke/3.56.2 aws-sdk-go/1.55.5',
    touched: { routeTableId: 'rtb-0a1b2c3d', destinationCidrBlock: '0.0.0.0/0' },
  });
});

test.each<[string, Partial<CloudTrailRecord>]>([
  ['a failed call', { errorCode: 'Client.UnauthorizedOperation' }],
  [
    'the janitor itself',
    { userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/AccountJanitorMemberRole/account-janitor' } },
  ],
  ['another route table', { requestParameters: { routeTableId: 'rtb-other', destinationCidrBlock: '0.0.0.0/0' } }],
  ['another route', { requestParameters: { routeTableId: RTB, destinationCidrBlock: '10.0.0.0/8' } }],
  ["this table's IPv6 ::/0", { requestParameters: { routeTableId: RTB, destinationIpv6CidrBlock: '::/0' } }],
  [
    "this table's ::/0 replaced",
    { eventName: 'ReplaceRoute', requestParameters: { routeTableId: RTB, destinationIpv6CidrBlock: '::/0' } },
  ],
  ["this table's prefix-list route", { requestParameters: { routeTableId: RTB, destinationPrefixListId: 'pl-1' } }],
  ['a DeleteRoute that names no table', { requestParameters: { destinationCidrBlock: '0.0.0.0/0' } }],
  ['a DeleteRoute that names nothing', { requestParameters: null }],
  ['a read', { eventName: 'DescribeRouteTables' }],
  ['a call after the sweep saw the drift', { eventTime: '2026-11-26T03:00:01Z' }],
])('%s is not the cause', (_, overrides) => {
  expect(pickCause([record(overrides)], query)).toBeNull();
});

test('of several, the latest; a gateway detached from this VPC counts, from another does not', () => {
  const earlier = record({
    eventTime: '2026-11-25T22:00:00Z',
    userIdentity: { arn: 'arn:aws:iam::111122223333:user/alice' },
  });
  expect(pickCause([earlier, record()], query)?.principalArn).toBe(nuke);
  const detach = (vpcId: string) =>
    record({ eventName: 'DetachInternetGateway', requestParameters: { internetGatewayId: 'igw-1', vpcId } });
  expect(pickCause([detach('vpc-1')], query)?.eventName).toBe('DetachInternetGateway');
  expect(pickCause([detach('vpc-2')], query)).toBeNull();
});

test('described for a person: what broke, by whom, with what tool, when', () => {
  const cause = pickCause([record()], query);
  expect(cause && describeCause(cause)).toBe(
    `0.0.0.0/0 deleted by ${nuke} (aws-nuke/3.56.2) at 2026-11-26 02:13:07 UTC`,
  );
});

test("the egress: the revoke on this default group, or an entry deleted or replaced in this ACL; another's does not count", () => {
  const egressQuery = { egressResourceId: 'sg-1', before: query.before, janitorRoleName: query.janitorRoleName };
  const revoke = (groupId: string) =>
    record({ eventName: 'RevokeSecurityGroupEgress', requestParameters: { groupId, ipPermissions: {} } });
  expect(pickCause([revoke('sg-1')], egressQuery)?.eventName).toBe('RevokeSecurityGroupEgress');
  expect(pickCause([revoke('sg-2')], egressQuery)).toBeNull();
  // The route's query never takes an egress call, nor the egress query a route call.
  expect(pickCause([revoke('sg-1')], query)).toBeNull();
  expect(pickCause([record()], egressQuery)).toBeNull();
  // Nor any other call: a deleted VPC is not what stripped this group.
  expect(
    pickCause([record({ eventName: 'DeleteVpc', requestParameters: { vpcId: 'vpc-1' } })], egressQuery),
  ).toBeNull();
  const aclQuery = { ...egressQuery, egressResourceId: 'acl-1' };
  for (const eventName of ['DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry']) {
    const entry = (networkAclId: string) =>
      record({ eventName, requestParameters: { networkAclId, ruleNumber: 100, egress: false } });
    expect(pickCause([entry('acl-1')], aclQuery)?.eventName).toBe(eventName);
    expect(pickCause([entry('acl-2')], aclQuery)).toBeNull();
  }
  const cause = pickCause([revoke('sg-1')], egressQuery);
  expect(cause && describeCause(cause)).toMatch(
    /^default security group egress revoked by arn:aws:sts::111122223333:assumed-role\/ci-cleanup\/nuke \(aws-nuke\/3\.56\.2\)/,
  );
});

test('a user agent is shown by its product tokens only: a URL, Markdown or a sentence in it is left out', () => {
  expect(productTokens('aws-nuke/3.56.2 aws-sdk-go/1.55.5 (go1.24.1; linux; amd64)')).toEqual([
    'aws-nuke/3.56.2',
    'aws-sdk-go/1.55.5',
  ]);
  expect(productTokens('[Re-authenticate](https://attacker.example/sso)')).toEqual([]);
  expect(productTokens('Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.1')).toEqual([
    'Boto3/1.35.0',
    'md/Botocore#1.35.0',
    'ua/2.0',
    'os/linux#6.1',
  ]);
  expect(productTokens('Please re-authenticate at https://attacker.example now')).toEqual([
    'Please',
    're-authenticate',
    'at',
    'now',
  ]);
  expect(productTokens(null)).toEqual([]);
  const cause = pickCause(
    [record({ userAgent: '[Re-authenticate](https://attacker.example/sso) aws-cli/2.17.0' })],
    query,
  );
  expect(cause && describeCause(cause)).toBe(
    `0.0.0.0/0 deleted by ${nuke} (aws-cli/2.17.0) at 2026-11-26 02:13:07 UTC`,
  );
});
