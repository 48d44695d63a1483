import { jsonChunks } from '../../lambda/aws/run-store';

/** The merged report's JSON in pieces: they join to exactly what JSON.stringify writes. */

test.each([
  ['an empty list', { a: 1, results: [], b: 'x' }],
  ['a list the size of a chunk', { results: [1, 2, 3] }],
  ['a list past a chunk', { results: [{ a: 1 }, { b: '→ 🧪' }, null, 'x', [1], { c: { d: [2] } }, 7] }],
  ['properties JSON leaves out', { a: undefined, results: [undefined, 1], f: () => 1, c: null }],
  ['no list', { a: 1, b: [1, 2] }],
  ['a list key that is not an array', { results: 'none', z: 1 }],
  ['the list first and last', { results: [1, 2, 3, 4], after: { results: [5] } }],
])('%s', (_, value) => {
  for (const perChunk of [1, 3, 1000]) {
    expect([...jsonChunks(value, 'results', perChunk)].join('')).toBe(JSON.stringify(value));
  }
});

test('the list is written a slice at a time: no chunk holds more than its items', () => {
  const results = Array.from({ length: 2500 }, (_, index) => ({ index }));
  const chunks = [...jsonChunks({ mode: 'remediate', results }, 'results', 1000)];
  // {, "mode":…, "results":[, three slices of at most 1,000 items, ], }
  expect(chunks).toHaveLength(8);
  expect(chunks.map((chunk) => chunk.length).sort((a, b) => b - a)[0]).toBeLessThan(JSON.stringify(results).length / 2);
});
