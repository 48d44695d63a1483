import { describeSpan, parseDuration } from '../../lambda/core/duration';

test.each<[string, number]>([
  ['90s', 90_000],
  ['10m', 600_000],
  ['1h30m', 5_400_000],
  ['1h2m3s', 3_723_000],
  [' 2m ', 120_000],
  ['7d', 604_800_000],
  ['1d12h', 129_600_000],
])('%j is %d ms', (text, milliseconds) => {
  expect(parseDuration(text)).toBe(milliseconds);
});

test.each(['', '10', 'ten minutes', '1w', '-5m', '0s', '0d', '5m1h', '1h2d'])('%j is not a duration', (text) => {
  expect(parseDuration(text)).toBeUndefined();
});

test.each<[number, string]>([
  [0, '0 s'],
  [30_000, '30 s'],
  [4 * 60_000 + 59_000, '4 min 59 s'],
  [(5 * 60 + 12) * 60_000 + 7_000, '5 h 12 min'],
  [9 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000, '9 d 3 h'],
  [8 * 86_400_000 + 5 * 60_000, '8 d'],
  [-1, '0 s'],
])('%d ms reads %j', (milliseconds, text) => {
  expect(describeSpan(milliseconds)).toBe(text);
});
