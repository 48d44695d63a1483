import { foldHeardCalls } from '../../lambda/events/intake-batch';
import type { HeardCall } from '../../lambda/events/intake';
import { MAX_REFUSED_CALLS } from '../../lambda/events/targeted-repair';

/** The fold of one batch's calls into quiet periods: one per account-region, the stronger cause, the latest refusals. */

const A = '111122223333';
const B = '444455556666';
const time = (second: number) => new Date(Date.UTC(2026, 10, 26, 2, 13, second)).toISOString();
const cause = (eventName: string, second: number, touched: Record<string, string>) => ({
  principalArn: `arn:aws:sts::${A}:assumed-role/ci-cleanup/nuke`,
  sessionIssuerArn: null,
  eventName,
  eventTime: time(second),
  sourceIp: null,
  userAgent: null,
  touched,
});
const heard = (accountId: string, region: string, what: Partial<HeardCall>): HeardCall => ({
  accountId,
  region,
  cause: undefined,
  refusal: null,
  ...what,
});
const refusal = (second: number) => ({
  principalArn: `arn:aws:sts::${A}:assumed-role/no-permissions/x`,
  eventName: 'DeleteRoute',
  eventTime: time(second),
  resourceId: 'rtb-1',
});

test('one quiet period per account-region, in the order first heard', () => {
  const folded = foldHeardCalls([
    heard(A, 'eu-west-1', { refusal: refusal(1) }),
    heard(B, 'eu-west-1', { refusal: refusal(2) }),
    heard(A, 'us-east-1', { refusal: refusal(3) }),
    heard(A, 'eu-west-1', { refusal: refusal(4) }),
  ]);
  expect(folded.map(({ accountId, region, refused }) => [accountId, region, refused.length])).toEqual([
    [A, 'eu-west-1', 2],
    [B, 'eu-west-1', 1],
    [A, 'us-east-1', 1],
  ]);
});

test('the cause is the stronger one whatever the order: the route over the subnets deleted after it', () => {
  const route = cause('DeleteRoute', 1, { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' });
  const subnet = cause('DeleteSubnet', 5, { subnetId: 'subnet-1' });
  for (const order of [
    [subnet, route, subnet],
    [route, subnet],
  ]) {
    const [folded] = foldHeardCalls(order.map((one) => heard(A, 'eu-west-1', { cause: one })));
    expect(folded?.cause).toEqual(route);
  }
});

test('refused calls are no cause; a period of refusals only carries the latest few', () => {
  const calls = Array.from({ length: 12 }, (_, second) => heard(A, 'eu-west-1', { refusal: refusal(second) }));
  const [folded] = foldHeardCalls(calls);
  expect(folded?.cause).toBeUndefined();
  expect(folded?.refused.map(({ eventTime }) => eventTime)).toEqual(
    Array.from({ length: MAX_REFUSED_CALLS }, (_, index) => time(12 - MAX_REFUSED_CALLS + index)),
  );
  expect(foldHeardCalls([])).toEqual([]);
});
