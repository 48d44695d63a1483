import { WriteBudget, withClaim } from '../../lambda/sweep/budget';

/** The run's write budget: writes count when sent; unused room goes back; room is asked for once. */

const send = () => Promise.resolve('sent');
const refuse = () => Promise.reject(new Error('UnauthorizedOperation'));

test('a claim within the cap is granted; writes beyond it are not', () => {
  const budget = new WriteBudget(3);
  expect(budget.claim(2)).toBeDefined();
  expect(budget.claim(2)).toBeUndefined();
  expect(budget.reached).toBe(true);
  expect(budget.claim(1)).toBeDefined();
});

test('room for the worst case is asked for, but only the claimed writes are held', () => {
  const budget = new WriteBudget(4);
  expect(budget.claim(1, 5)).toBeUndefined();
  const vpc = budget.claim(1, 4);
  expect(vpc).toBeDefined();
  // Three writes are still free: only one was claimed.
  expect(budget.claim(3)).toBeDefined();
});

test('writes not sent go back when the claim is settled; a refused write still counts', async () => {
  const budget = new WriteBudget(3);
  const claim = budget.claim(3);
  if (!claim) throw new Error('expected a claim');
  await claim.write(send);
  await expect(claim.write(refuse)).rejects.toThrow('UnauthorizedOperation');
  claim.settle();
  // Two sent (one refused), one given back.
  expect(budget.claim(2)).toBeUndefined();
  expect(budget.claim(1)).toBeDefined();
});

test('withClaim settles the claim even when its use throws; a claim writes no more than it holds', async () => {
  const budget = new WriteBudget(2);
  const claim = budget.claim(2);
  if (!claim) throw new Error('expected a claim');
  await expect(withClaim(claim, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(budget.claim(2)).toBeDefined();
  const one = new WriteBudget(1).claim(1);
  await one?.write(send);
  await expect(one?.write(send)).rejects.toThrow('a write beyond its claim');
});
