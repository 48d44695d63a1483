import { classifyAccounts, type MatchedAccount } from '../../lambda/discover-target-accounts';

const MANAGEMENT = '000000000000';
const account = (id: string, overrides: Partial<MatchedAccount> = {}): MatchedAccount => ({
  id,
  name: `name-${id}`,
  state: 'ACTIVE',
  namedById: false,
  found: true,
  ...overrides,
});
const none = new Map<string, Map<string, string>>();

describe('classifyAccounts', () => {
  test('active matched accounts are targets', () => {
    expect(
      classifyAccounts([account('1'), account('2')], MANAGEMENT, { accountTags: [], excludeAccountIds: [] }, none),
    ).toEqual({
      targets: [
        { id: '1', name: 'name-1' },
        { id: '2', name: 'name-2' },
      ],
      skipped: [],
    });
  });

  test.each(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'])('a %s account is skipped with the reason', (state) => {
    const { targets, skipped } = classifyAccounts(
      [account('1', { state })],
      MANAGEMENT,
      { accountTags: [], excludeAccountIds: [] },
      none,
    );
    expect(targets).toEqual([]);
    expect(skipped).toEqual([{ id: '1', name: 'name-1', reason: `account is ${state}, not ACTIVE` }]);
  });

  test('an excluded account is skipped, even when named by id', () => {
    const { targets, skipped } = classifyAccounts(
      [account('1', { namedById: true })],
      MANAGEMENT,
      { accountTags: [], excludeAccountIds: ['1'] },
      none,
    );
    expect(targets).toEqual([]);
    expect(skipped[0]?.reason).toBe('excluded by excludeAccountIds');
  });

  test('the management account is skipped unless named by id', () => {
    const selectors = { accountTags: [], excludeAccountIds: [] };
    expect(classifyAccounts([account(MANAGEMENT)], MANAGEMENT, selectors, none).skipped[0]?.reason).toContain(
      'management account',
    );
    expect(classifyAccounts([account(MANAGEMENT, { namedById: true })], MANAGEMENT, selectors, none).targets).toEqual([
      { id: MANAGEMENT, name: `name-${MANAGEMENT}` },
    ]);
  });

  test('an account id that is not in the organization is skipped with the reason', () => {
    const { skipped } = classifyAccounts(
      [account('9', { found: false, namedById: true, name: '' })],
      MANAGEMENT,
      { accountTags: [], excludeAccountIds: [] },
      none,
    );
    expect(skipped).toEqual([{ id: '9', name: '', reason: 'not an account of this organization' }]);
  });

  test('the tag filter keeps accounts with every tag; the others are not matched, not reported', () => {
    const tags = new Map([
      [
        '1',
        new Map([
          ['env', 'sandbox'],
          ['team', 'a'],
        ]),
      ],
      ['2', new Map([['env', 'sandbox']])],
      [
        '3',
        new Map([
          ['env', 'prod'],
          ['team', 'a'],
        ]),
      ],
    ]);
    const selectors = {
      accountTags: [
        { key: 'env', value: 'sandbox' },
        { key: 'team', value: 'a' },
      ],
      excludeAccountIds: [],
    };
    expect(
      classifyAccounts([account('1'), account('2'), account('3'), account('4')], MANAGEMENT, selectors, tags),
    ).toEqual({
      targets: [{ id: '1', name: 'name-1' }],
      skipped: [],
    });
  });
});
