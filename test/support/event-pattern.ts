import { spawnSync } from 'node:child_process';

/**
 * Which of the events an EventBridge pattern matches, by moto's implementation of EventBridge's
 * matcher (moto's TestEventPattern API is a stub; its matcher, `moto.events.models.EventPattern`,
 * is not).
 */
export function matches(pattern: Record<string, unknown>, events: unknown[]): boolean[] {
  const script = [
    'import json, sys',
    'from moto.events.models import EventPattern',
    'data = json.load(sys.stdin)',
    "pattern = EventPattern.load(json.dumps(data['pattern']))",
    "print(json.dumps([pattern.matches_event(event) for event in data['events']]))",
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], {
    input: JSON.stringify({ pattern, events }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`moto's matcher failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as boolean[];
}
