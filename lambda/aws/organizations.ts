import {
  AccountNotFoundException,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  paginateListTagsForResource,
  ParentNotFoundException,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { TargetSelectionError } from '../errors';

/** The Organizations calls of the janitor: read-only, every page, the largest page sizes. */

/** The largest page the List* calls of Organizations accept. */
const PAGE_SIZE = 20;

/**
 * Organizations requests at once, at most, from one walk of the organization (discovery, doctor's
 * policy reads). Organizations' request rate is low (5 per second assumed: docs/scale.md), and far
 * below what even this many callers reach at the hub's round trip of ~10 ms: the SDK's adaptive
 * retry paces the rest. A wider walk (the sweep's concurrency, 128) only queues more throttled
 * requests, each spending retry capacity and up to `maxAttempts`.
 */
export const ORGANIZATIONS_CONCURRENCY = 4;

export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED… (the newer `State`, else the older `Status`). */
  readonly state: string;
  /** The OU (or root) it was listed under, when it was found by listing one. */
  readonly parentId?: string;
}

export interface OrganizationIdentity {
  readonly id: string;
  readonly managementAccountId: string;
}

export async function describeOrganization(client: OrganizationsClient): Promise<OrganizationIdentity> {
  const { Organization } = await client.send(new DescribeOrganizationCommand({}));
  if (!Organization?.Id || !Organization.MasterAccountId) {
    throw new Error('DescribeOrganization returned no organization id or management account id');
  }
  return { id: Organization.Id, managementAccountId: Organization.MasterAccountId };
}

export async function listAllAccounts(client: OrganizationsClient): Promise<OrganizationAccount[]> {
  const accounts: OrganizationAccount[] = [];
  for await (const page of paginateListAccounts({ client, pageSize: PAGE_SIZE }, {})) {
    accounts.push(...(page.Accounts ?? []).map(toAccount));
  }
  return accounts;
}

/**
 * Every account below a root or OU, through nested OUs to any depth. Sibling OUs are walked
 * concurrently; `schedule` bounds how many list calls run at once.
 */
export async function listAccountsBelow(
  client: OrganizationsClient,
  parentId: string,
  schedule: <T>(task: () => Promise<T>) => Promise<T>,
  /** Where the names of the OUs below are written, as their listing gives them. */
  ouNames?: Map<string, string>,
  /** Where each OU below is written with its parent (an OU or `parentId`). */
  ouParents?: Map<string, string>,
): Promise<OrganizationAccount[]> {
  try {
    const [accounts, childOus] = await Promise.all([
      schedule(() => listAccountsForParent(client, parentId)),
      schedule(() => listChildOus(client, parentId)),
    ]);
    for (const ou of childOus) {
      if (ou.name) ouNames?.set(ou.id, ou.name);
      ouParents?.set(ou.id, parentId);
    }
    const nested = await Promise.all(
      childOus.map((ou) => listAccountsBelow(client, ou.id, schedule, ouNames, ouParents)),
    );
    return [...accounts, ...nested.flat()];
  } catch (error) {
    if (error instanceof ParentNotFoundException) {
      throw new TargetSelectionError('target selection', [
        { field: 'OU', value: parentId, message: 'does not exist in this organization' },
      ]);
    }
    throw error;
  }
}

/** The account, or `undefined` when it is not a member of the organization. */
export async function describeAccount(
  client: OrganizationsClient,
  accountId: string,
): Promise<OrganizationAccount | undefined> {
  try {
    const { Account: account } = await client.send(new DescribeAccountCommand({ AccountId: accountId }));
    return account ? toAccount(account) : undefined;
  } catch (error) {
    if (error instanceof AccountNotFoundException) return undefined;
    throw error;
  }
}

export async function listAccountTags(client: OrganizationsClient, accountId: string): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for await (const page of paginateListTagsForResource({ client }, { ResourceId: accountId })) {
    for (const tag of page.Tags ?? []) tags.set(tag.Key ?? '', tag.Value ?? '');
  }
  return tags;
}

/**
 * The OUs and the root above an account, nearest first (ListParents up to the root, or up to the
 * first one `stopAt` accepts): whether it sits below a target OU, without listing the
 * organization. At most `maxDepth` levels (AWS allows five OUs below the root).
 */
export async function listAncestors(
  client: OrganizationsClient,
  accountId: string,
  stopAt: (parentId: string) => boolean = () => false,
  maxDepth = 6,
): Promise<string[]> {
  const ancestors: string[] = [];
  let childId = accountId;
  for (let depth = 0; depth < maxDepth; depth += 1) {
    let parent: { id: string; type: string } | undefined;
    for await (const page of paginateListParents({ client }, { ChildId: childId })) {
      const [first] = page.Parents ?? [];
      if (first?.Id) parent = { id: first.Id, type: String(first.Type) };
    }
    if (!parent) break;
    ancestors.push(parent.id);
    if (parent.type === 'ROOT' || stopAt(parent.id)) break;
    childId = parent.id;
  }
  return ancestors;
}

async function listAccountsForParent(client: OrganizationsClient, parentId: string): Promise<OrganizationAccount[]> {
  const accounts: OrganizationAccount[] = [];
  for await (const page of paginateListAccountsForParent({ client, pageSize: PAGE_SIZE }, { ParentId: parentId })) {
    accounts.push(...(page.Accounts ?? []).map((account) => ({ ...toAccount(account), parentId })));
  }
  return accounts;
}

async function listChildOus(
  client: OrganizationsClient,
  parentId: string,
): Promise<{ readonly id: string; readonly name: string | undefined }[]> {
  const ous: { id: string; name: string | undefined }[] = [];
  for await (const page of paginateListOrganizationalUnitsForParent(
    { client, pageSize: PAGE_SIZE },
    { ParentId: parentId },
  )) {
    ous.push(...(page.OrganizationalUnits ?? []).flatMap((ou) => (ou.Id ? [{ id: ou.Id, name: ou.Name }] : [])));
  }
  return ous;
}

/**
 * An OU's name for the report (`Root` for a root), or `undefined` when it cannot be read: a name is
 * for people, and never worth failing a run.
 */
export async function describeOuName(client: OrganizationsClient, ouId: string): Promise<string | undefined> {
  if (ouId.startsWith('r-')) return 'Root';
  try {
    const { OrganizationalUnit: ou } = await client.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }),
    );
    return ou?.Name;
  } catch {
    return undefined;
  }
}

function toAccount(account: Account): OrganizationAccount {
  return {
    id: account.Id ?? '',
    name: account.Name ?? '',
    state: String(account.State ?? account.Status ?? 'UNKNOWN'),
  };
}
