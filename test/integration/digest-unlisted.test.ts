import { DOUBLE_ROOT } from '../../bench/aws-double';
import { createAwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import { MAX_ROWS_PER_SECTION, UNLISTED_LOG_MESSAGE } from '../../lambda/report/digest';
import { captureJsonLines } from '../support/capture-output';
import { useLoadDouble } from '../support/load-double';
import { LAMBDA_CONTEXT, testHandler } from '../support/test-handler';

/**
 * A run with more to tell than a digest lists (at most MAX_ROWS_PER_SECTION rows a group): the
 * digest says how many more and where they are, and the function's log has every one of them.
 * Against the load double (bench/aws-double.ts): 210 accounts, every account-region drifted.
 */

const double = useLoadDouble();

test('the rows the digest has no room for are in the function’s log, where its "... and N more" says', async () => {
  // Organizations' rate left out: this is about the digest, not discovery.
  const stats = await double.start({
    accounts: 210,
    regions: ['eu-west-1'],
    latencyMs: 0,
    driftEvery: 1,
    organizationsRate: Infinity,
  });
  const clients = createAwsClients({ homeRegion: 'us-east-1' });
  try {
    const config = parseSweepConfig(
      { targetOuIds: [DOUBLE_ROOT], regions: ['eu-west-1'], maxRepairsPerRun: 1_000, lookUpCauses: false },
      'test',
      (key) => key,
    );
    const handler = testHandler(config, clients, 'arn:aws:sns:us-east-1:123456789012:account-janitor');

    const { value: report, lines } = await captureJsonLines(() => handler({}, LAMBDA_CONTEXT));

    const restored = report.results.filter((row) => row.status === 'restored');
    expect(restored.length).toBeGreaterThan(MAX_ROWS_PER_SECTION);
    const [published, ...others] = stats().published;
    expect(others).toEqual([]);
    // One form per protocol (MessageStructure json): the e-mail's is `default`.
    const message = (JSON.parse(published ?? '{}') as { default?: string }).default;
    const more = restored.length - MAX_ROWS_PER_SECTION;
    expect(message).toContain(`... and ${more} more (the function's log lists them: "${UNLISTED_LOG_MESSAGE}")`);
    const listedIds = new Set(restored.map((row) => row.accountId).filter((id) => message?.includes(id)));
    expect(listedIds.size).toBe(MAX_ROWS_PER_SECTION);

    const logged = lines.filter((line) => line['message'] === UNLISTED_LOG_MESSAGE);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((line) => line['group'] === logged[0]?.['group'])).toBe(true);
    const rows = logged.flatMap((line) => line['rows'] as string[]);
    expect(rows).toHaveLength(more);
    // Every repaired account-region is in the digest or in the log, once.
    const unlistedIds = restored.map((row) => row.accountId).filter((id) => !listedIds.has(id));
    expect(unlistedIds.every((id) => rows.filter((row) => row.includes(id)).length === 1)).toBe(true);
  } finally {
    clients.destroy();
  }
}, 60_000);
