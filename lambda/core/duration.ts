/**
 * Parses a duration such as `90s`, `10m`, `1h30m`, `1h2m3s` or `7d` into milliseconds; `undefined`
 * if malformed.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, days, hours, minutes, seconds] = match;
  const totalHours = Number(days ?? 0) * 24 + Number(hours ?? 0);
  const milliseconds = ((totalHours * 60 + Number(minutes ?? 0)) * 60 + Number(seconds ?? 0)) * 1000;
  return milliseconds > 0 ? milliseconds : undefined;
}

/** A span as a person reads it, to the largest two units: `9 d 3 h`, `5 h 12 min`, `4 min`, `30 s`. */
export function describeSpan(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const units: readonly [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
    [seconds % 60, 's'],
  ];
  const first = units.findIndex(([count]) => count > 0);
  if (first < 0) return '0 s';
  return units
    .slice(first, first + 2)
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}`)
    .join(' ');
}
