import { createLimiter } from '../../lambda/core/limiter';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createLimiter', () => {
  test('never runs more than the limit at once, and runs everything', async () => {
    const schedule = createLimiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        schedule(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
          return index;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  test('starts waiting tasks in the order they were scheduled', async () => {
    const schedule = createLimiter(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => schedule(() => Promise.resolve(void order.push(n)))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  test('waiting urgent tasks start before waiting normal ones, each in order', async () => {
    const schedule = createLimiter(1);
    const order: string[] = [];
    const run = (name: string, urgent = false) => schedule(() => Promise.resolve(void order.push(name)), urgent);
    await Promise.all([run('first'), run('normal-1'), run('urgent-1', true), run('normal-2'), run('urgent-2', true)]);
    expect(order).toEqual(['first', 'urgent-1', 'urgent-2', 'normal-1', 'normal-2']);
  });

  test('a failing task (thrown or rejected) frees its slot', async () => {
    const schedule = createLimiter(1);
    await expect(schedule(() => Promise.reject(new Error('rejected')))).rejects.toThrow('rejected');
    await expect(
      schedule(() => {
        throw new Error('thrown');
      }),
    ).rejects.toThrow('thrown');
    await expect(schedule(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  test.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', (limit) => {
    expect(() => createLimiter(limit)).toThrow(RangeError);
  });
});
