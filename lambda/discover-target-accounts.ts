import {
  AccountNotFoundException,
  ChildNotFoundException,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  describeAccount,
  listAccountTags,
  describeOuName,
  listAccountsBelow,
  listAllAccounts,
  listAncestors,
  ORGANIZATIONS_CONCURRENCY,
  type OrganizationAccount,
} from './aws/organizations';
import type { AccountTag, SweepConfig } from './config/schema';
import { createLimiter, type Schedule } from './core/limiter';

/**
 * Which accounts a sweep checks. The selectors (OUs, account ids, all accounts) say which accounts
 * are *matched*; the tag filter narrows them. Of the matched accounts, those excluded, not ACTIVE,
 * or the management account (unless named by id) are *skipped* and reported once, with the reason.
 */

export interface TargetAccount {
  readonly id: string;
  readonly name: string;
  /** The OU it was listed under (the HTML report groups accounts by it); absent when named by id or found by ListAccounts. */
  readonly ouId?: string;
}

export interface SkippedAccount extends TargetAccount {
  readonly reason: string;
}

export interface TargetSelection {
  readonly managementAccountId: string;
  readonly targets: readonly TargetAccount[];
  readonly skipped: readonly SkippedAccount[];
  /** The names of the OUs the accounts were listed under, where known (the HTML report shows them). */
  readonly ouNames?: Readonly<Record<string, string>>;
}

export type Selectors = Pick<
  SweepConfig,
  'targetOuIds' | 'accountIds' | 'allAccounts' | 'accountTags' | 'excludeAccountIds'
>;

export interface MatchedAccount extends OrganizationAccount {
  /** Named with accountIds (the only way to target the management account). */
  readonly namedById: boolean;
  /** `false`: named by id, but not a member of the organization. */
  readonly found: boolean;
}

/**
 * A run scoped to at most this many accounts (a targeted repair, a manual event naming a few)
 * looks each one up (DescribeAccount, ListParents up to the root) instead of listing every
 * target OU: a few calls instead of one per 20 accounts of the organization.
 */
export const MAX_ACCOUNTS_LOOKED_UP = 20;

/**
 * The one discovery of the targets: a sweep's plan (`planRun`, in one function or the distributed
 * plan step) and doctor's member checks call it. Its Organizations calls run at most
 * ORGANIZATIONS_CONCURRENCY at once, whatever the sweep's concurrency: Organizations' request
 * rate, not the number of calls in flight, bounds how fast an organization is listed.
 *
 * @param managementAccountId from DescribeOrganization, which the caller has made already (to
 *   check the organization before anything else).
 * @param scope the accounts the run is narrowed to, if any: the others need not be found.
 */
export async function discoverTargetAccounts(
  client: OrganizationsClient,
  selectors: Selectors,
  managementAccountId: string,
  scope?: readonly string[],
): Promise<TargetSelection> {
  const schedule = createLimiter(ORGANIZATIONS_CONCURRENCY);
  const ouNames = new Map<string, string>();
  const matched =
    scope && scope.length <= MAX_ACCOUNTS_LOOKED_UP
      ? await matchScopedAccounts(client, selectors, schedule, scope)
      : await matchAccounts(client, selectors, schedule, ouNames);
  const excluded = new Set(selectors.excludeAccountIds);
  const tags = new Map<string, Map<string, string>>();
  if (selectors.accountTags.length > 0) {
    const needTags = matched.filter((account) => account.found && !excluded.has(account.id));
    const fetched = await Promise.all(needTags.map((account) => schedule(() => listAccountTags(client, account.id))));
    needTags.forEach((account, index) => tags.set(account.id, fetched[index] ?? new Map<string, string>()));
  }
  return {
    managementAccountId,
    ...classifyAccounts(matched, managementAccountId, selectors, tags),
    ...(ouNames.size > 0 ? { ouNames: Object.fromEntries(ouNames) } : {}),
  };
}

/** The pure part: from matched accounts (and their tags, when filtering by tag) to targets and skips. */
export function classifyAccounts(
  matched: readonly MatchedAccount[],
  managementAccountId: string,
  selectors: Pick<Selectors, 'accountTags' | 'excludeAccountIds'>,
  tags: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Omit<TargetSelection, 'managementAccountId'> {
  const excluded = new Set(selectors.excludeAccountIds);
  const targets: TargetAccount[] = [];
  const skipped: SkippedAccount[] = [];
  for (const account of matched) {
    const { id, name } = account;
    const ou = account.parentId ? { ouId: account.parentId } : {};
    if (excluded.has(id)) {
      skipped.push({ id, name, ...ou, reason: 'excluded by excludeAccountIds' });
    } else if (!account.found) {
      skipped.push({ id, name, reason: 'not an account of this organization' });
    } else if (!hasTags(tags.get(id), selectors.accountTags)) {
      continue;
    } else if (account.state !== 'ACTIVE') {
      skipped.push({ id, name, ...ou, reason: `account is ${account.state}, not ACTIVE` });
    } else if (id === managementAccountId && !account.namedById) {
      skipped.push({ id, name, ...ou, reason: 'the management account is checked only when named by id (accountIds)' });
    } else {
      targets.push({ id, name, ...ou });
    }
  }
  return { targets, skipped };
}

function hasTags(accountTags: ReadonlyMap<string, string> | undefined, wanted: readonly AccountTag[]): boolean {
  return wanted.every((tag) => accountTags?.get(tag.key) === tag.value);
}

/**
 * An OU below a target named with the OUs above it, from the target down (`Sandboxes / Team A`),
 * so that the target's name stays in the report when its accounts are grouped by the OUs below
 * it; a target whose name is unknown is named by its id.
 */
export function ouPathNames(
  names: ReadonlyMap<string, string>,
  parents: ReadonlyMap<string, string>,
  targetOuIds: readonly string[],
): Map<string, string> {
  const targets = new Set(targetOuIds);
  const paths = new Map<string, string>();
  for (const ouId of new Set([...names.keys(), ...parents.keys()])) {
    const path: string[] = [];
    // Up to the nearest target (a nested target names its own OUs); an OU is at most 5 deep.
    for (let id: string | undefined = ouId; id !== undefined && path.length <= 5; id = parents.get(id)) {
      path.unshift(names.get(id) ?? id);
      if (targets.has(id)) break;
    }
    paths.set(ouId, path.join(' / '));
  }
  return paths;
}

/** Every account a selector names, once each, in a stable order. */
async function matchAccounts(
  client: OrganizationsClient,
  selectors: Selectors,
  schedule: Schedule,
  ouNames: Map<string, string>,
): Promise<MatchedAccount[]> {
  const ouParents = new Map<string, string>();
  const [everyAccount, belowOus, targetNames] = await Promise.all([
    selectors.allAccounts ? listAllAccounts(client) : Promise.resolve([]),
    Promise.all(selectors.targetOuIds.map((ouId) => listAccountsBelow(client, ouId, schedule, ouNames, ouParents))),
    Promise.all(selectors.targetOuIds.map((ouId) => schedule(() => describeOuName(client, ouId)))),
  ]);
  selectors.targetOuIds.forEach((ouId, index) => {
    const name = targetNames[index];
    if (name) ouNames.set(ouId, name);
  });
  const paths = ouPathNames(ouNames, ouParents, selectors.targetOuIds);
  ouNames.clear();
  for (const [ouId, path] of paths) ouNames.set(ouId, path);
  const byId = new Map<string, MatchedAccount>();
  for (const account of [...everyAccount, ...belowOus.flat()]) {
    byId.set(account.id, { ...account, namedById: false, found: true });
  }
  const named = await Promise.all(
    selectors.accountIds.map(async (id): Promise<MatchedAccount> => {
      const known = byId.get(id) ?? (await schedule(() => describeAccount(client, id)));
      return known
        ? { ...known, namedById: true, found: true }
        : { id, name: '', state: 'UNKNOWN', namedById: true, found: false };
    }),
  );
  for (const account of named) byId.set(account.id, account);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The accounts of `scope` that a selector names, found one by one: the same answer as
 * matchAccounts gives for them (an account named by id is matched even if not found).
 */
async function matchScopedAccounts(
  client: OrganizationsClient,
  selectors: Selectors,
  schedule: Schedule,
  scope: readonly string[],
): Promise<MatchedAccount[]> {
  const targetOus = new Set(selectors.targetOuIds);
  const matched = await Promise.all(
    [...new Set(scope)].map(async (id): Promise<MatchedAccount | undefined> => {
      const namedById = selectors.accountIds.includes(id);
      const walkUp = !namedById && !selectors.allAccounts && targetOus.size > 0;
      // The account and its place in the tree, at once; the walk stops at the first target OU.
      const [account, ancestors] = await Promise.all([
        schedule(() => describeAccount(client, id)),
        walkUp
          ? schedule(() => listAncestors(client, id, (parentId) => targetOus.has(parentId))).catch(notAMember)
          : [],
      ]);
      if (!account) return namedById ? { id, name: '', state: 'UNKNOWN', namedById, found: false } : undefined;
      if (namedById || selectors.allAccounts) return { ...account, namedById, found: true };
      // The nearest ancestor is the OU the account sits in, as listing the target OUs would find it.
      const [parentId] = ancestors;
      return ancestors.some((ancestor) => targetOus.has(ancestor))
        ? { ...account, ...(parentId ? { parentId } : {}), namedById, found: true }
        : undefined;
    }),
  );
  return matched
    .filter((account): account is MatchedAccount => account !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * ListParents of an account that is not in the organization: no ancestors (DescribeAccount says
 * the rest). AWS answers ChildNotFoundException; moto, AccountNotFoundException.
 */
function notAMember(error: unknown): string[] {
  if (error instanceof ChildNotFoundException || error instanceof AccountNotFoundException) return [];
  throw error;
}
