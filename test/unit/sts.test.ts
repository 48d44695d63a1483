import { memberRoleArn, partitionOf } from '../../lambda/aws/sts';

/** The member role's ARN is built for the partition of the home region, never `arn:aws:` alone. */
test.each([
  ['eu-west-1', 'arn:aws:iam::111122223333:role/AccountJanitorMemberRole'],
  ['cn-north-1', 'arn:aws-cn:iam::111122223333:role/AccountJanitorMemberRole'],
  ['us-gov-west-1', 'arn:aws-us-gov:iam::111122223333:role/AccountJanitorMemberRole'],
])('home region %s: %s', (region, arn) => {
  expect(
    memberRoleArn({ accountId: '111122223333', roleName: 'AccountJanitorMemberRole', partition: partitionOf(region) }),
  ).toBe(arn);
});
