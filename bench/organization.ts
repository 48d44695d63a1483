import type { OrganizationFixture } from '../test/support/organization-fixture';

/** Accounts per OU in the benchmarks' organizations: the first page of ListAccountsForParent holds 20. */
const ACCOUNTS_PER_OU = 25;

/**
 * `count` accounts named `bench-<n>`, in OUs of 25 under `parent` (named `<ouPrefix><n>`), as the
 * benchmarks' organizations are built. Returns the account ids, in order.
 */
export async function createBenchAccounts(
  fixture: OrganizationFixture,
  parent: string,
  rootId: string,
  count: number,
  ouPrefix: string,
): Promise<string[]> {
  const ous: string[] = [];
  for (let index = 0; index < Math.ceil(count / ACCOUNTS_PER_OU); index += 1) {
    ous.push(await fixture.createOu(parent, `${ouPrefix}${index}`));
  }
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push(await fixture.createAccount(`bench-${index}`, String(ous[Math.floor(index / ACCOUNTS_PER_OU)]), rootId));
  }
  return ids;
}
