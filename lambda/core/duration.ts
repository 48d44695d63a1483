/** Parses a duration such as `90s`, `10m`, `1h30m` or `1h2m3s` into milliseconds; `undefined` if malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, hours, minutes, seconds] = match;
  const milliseconds = ((Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * 60 + Number(seconds ?? 0)) * 1000;
  return milliseconds > 0 ? milliseconds : undefined;
}
