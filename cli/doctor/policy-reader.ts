import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { effectiveEc2Policy, listScpsOf, parentOf, policyContent } from '../../lambda/aws/organization-policies';
import { parsePolicy } from '../../lambda/core/iam-policy';
import type { Schedule } from '../../lambda/core/limiter';
import { FULL_AWS_ACCESS, type AttachedScp } from '../../lambda/core/scp-evaluation';

/**
 * doctor's Organizations reads, shared by the checks that read the organization's policies
 * (`service control policies`, `declarative policies`, `innovation sandbox`).
 */

/** The Organizations reads, each made once: a child's parent, a target's SCPs, a policy's content. */
export class PolicyReader {
  private readonly parents = new Map<string, Promise<string | undefined>>();
  private readonly attached = new Map<string, Promise<AttachedScp[]>>();
  private readonly contents = new Map<string, Promise<AttachedScp>>();

  public constructor(
    public readonly client: OrganizationsClient,
    public readonly schedule: Schedule,
  ) {}

  /** Where an account was listed is its parent already: no call. */
  public knowParent(childId: string, parentId: string): void {
    if (!this.parents.has(childId)) this.parents.set(childId, Promise.resolve(parentId));
  }

  public parent(childId: string): Promise<string | undefined> {
    return once(this.parents, childId, async () => (await this.schedule(() => parentOf(this.client, childId)))?.id);
  }

  /** The root and OUs above a child, root first (AWS nests at most five OUs below the root); a root has none. */
  public async pathOf(childId: string): Promise<string[]> {
    const path: string[] = [];
    let id = childId.startsWith('r-') ? undefined : await this.parent(childId);
    while (id) {
      path.unshift(id);
      id = id.startsWith('r-') || path.length > 6 ? undefined : await this.parent(id);
    }
    return path;
  }

  /** The SCPs attached to a root, OU or account; FullAWSAccess is AWS's, and is not read. */
  public scpsOf(targetId: string): Promise<AttachedScp[]> {
    return once(this.attached, targetId, async () => {
      const summaries = await this.schedule(() => listScpsOf(this.client, targetId));
      return Promise.all(
        summaries.map((summary) =>
          summary.id === FULL_AWS_ACCESS.id
            ? Promise.resolve(FULL_AWS_ACCESS)
            : once(this.contents, summary.id, async () => {
                const content = await this.schedule(() => policyContent(this.client, summary.id));
                return { id: summary.id, name: summary.name, document: parseScp(content) };
              }),
        ),
      );
    });
  }

  public effectiveEc2Policy(accountId: string): Promise<string | undefined> {
    return this.schedule(() => effectiveEc2Policy(this.client, accountId));
  }
}

export function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let cached = cache.get(key);
  if (!cached) {
    cached = read();
    cache.set(key, cached);
  }
  return cached;
}

function parseScp(content: string): AttachedScp['document'] {
  try {
    const document = parsePolicy(content);
    return document && typeof document === 'object' && 'Statement' in document ? document : undefined;
  } catch {
    return undefined;
  }
}
