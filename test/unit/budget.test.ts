import { WriteBudget, WriteBudgetError } from '../../lambda/sweep/budget';

/**
 * The run's write budget: a step asks once for room; its writes count as they are sent (refused
 * ones too); the room it did not use goes back when it ends; steps running at the same time
 * cannot together overshoot the cap.
 */

const send = () => Promise.resolve('sent');
const refuse = () => Promise.reject(new Error('UnauthorizedOperation'));

test('a step within the cap runs; one beyond it does not, and the cap is marked reached', async () => {
  const budget = new WriteBudget(1);
  expect(await budget.use(1, (claim) => claim.write(send))).toBe('sent');
  const step = jest.fn();
  expect(await budget.use(1, step)).toBeUndefined();
  expect(step).not.toHaveBeenCalled();
  expect(budget.reached).toBe(true);
});

test('room for the worst case is asked for, but only the writes asked for are held meanwhile', async () => {
  const budget = new WriteBudget(4);
  expect(await budget.use(1, () => Promise.resolve('vpc'), 5)).toBeUndefined();
  const inner = await budget.use(
    1,
    async (claim) => {
      await claim.write(send);
      // While the recreation runs, three writes are still free.
      return budget.use(3, () => Promise.resolve('the rest fits'));
    },
    4,
  );
  expect(inner).toBe('the rest fits');
});

test('while a step holds its room, a concurrent step cannot take it; unused room comes back after', async () => {
  const budget = new WriteBudget(3);
  let release: () => void = () => undefined;
  const holding = budget.use(3, async (claim) => {
    await claim.write(send);
    await new Promise<void>((resolve) => (release = resolve));
  });
  expect(await budget.use(1, () => Promise.resolve('no room'))).toBeUndefined();
  release();
  await holding;
  // One write sent, two given back.
  expect(await budget.use(3, () => Promise.resolve('over'))).toBeUndefined();
  expect(await budget.use(2, () => Promise.resolve('room again'))).toBe('room again');
});

test('a refused write still counts; the room comes back even when the step throws', async () => {
  const budget = new WriteBudget(2);
  await expect(budget.use(2, async (claim) => claim.write(refuse))).rejects.toThrow('UnauthorizedOperation');
  expect(await budget.use(1, () => Promise.resolve('one left'))).toBe('one left');
  expect(await budget.use(2, () => Promise.resolve('two'))).toBeUndefined();
});

test('a write beyond the claim is a WriteBudgetError (a bug), never sent', async () => {
  const budget = new WriteBudget(5);
  const sent = jest.fn(send);
  await expect(
    budget.use(1, async (claim) => {
      await claim.write(sent);
      return claim.write(sent);
    }),
  ).rejects.toThrow(WriteBudgetError);
  expect(sent).toHaveBeenCalledTimes(1);
});
