/**
 * How many single-character edits (insert, delete, substitute, or swap two neighbours) turn `a`
 * into `b`: the optimal string alignment distance, which counts a transposed pair (`tagret`) as
 * one typo, as a person makes it. Gives up early: anything over `limit` is `limit + 1`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rows of the dynamic-programming table: two back (for swaps), the last, the current.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
      rowMin = Math.min(rowMin, best);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, limit + 1);
}

/**
 * The one known name within `maxEdits` of `typed` (the closest; none when two are as close), for a
 * "did you mean". Letter case counts as no edit: `targetOUIds` is one name, not three typos.
 */
export function closestName(typed: string, known: readonly string[], maxEdits: number): string | undefined {
  const scored = known
    .map((name) => ({ name, distance: editDistance(typed.toLowerCase(), name.toLowerCase(), maxEdits) }))
    .filter(({ distance }) => distance <= maxEdits)
    .sort((x, y) => x.distance - y.distance);
  const [first, second] = scored;
  if (!first || (second && second.distance === first.distance)) return undefined;
  return first.name;
}
