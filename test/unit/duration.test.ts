import { parseDuration } from '../../lambda/core/duration';

test.each<[string, number]>([
  ['90s', 90_000],
  ['10m', 600_000],
  ['1h30m', 5_400_000],
  ['1h2m3s', 3_723_000],
  [' 2m ', 120_000],
])('%j is %d ms', (text, milliseconds) => {
  expect(parseDuration(text)).toBe(milliseconds);
});

test.each(['', '10', 'ten minutes', '1d', '-5m', '0s', '5m1h'])('%j is not a duration', (text) => {
  expect(parseDuration(text)).toBeUndefined();
});
