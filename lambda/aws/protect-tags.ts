import { CreateTagsCommand, paginateDescribeTags, type EC2Client } from '@aws-sdk/client-ec2';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from '../core/plan-protection';
import { withAction } from './error-code';
import { collect } from './pages';

/** The guard rail's tag on resources of the default path: one CreateTags call for all of them. */
export async function createProtectTags(client: EC2Client, resourceIds: readonly string[]): Promise<void> {
  await withAction('ec2:CreateTags', () =>
    client.send(
      new CreateTagsCommand({
        Resources: [...resourceIds],
        Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }],
      }),
    ),
  );
}

/** Which of these resources carry the guard rail's tag now (DescribeTags): the verification of a tagging. */
export async function protectTagged(client: EC2Client, resourceIds: readonly string[]): Promise<Set<string>> {
  const tags = await withAction('ec2:DescribeTags', () =>
    collect(
      paginateDescribeTags(
        { client },
        {
          Filters: [
            { Name: 'resource-id', Values: [...resourceIds] },
            { Name: 'key', Values: [PROTECT_TAG_KEY] },
          ],
        },
      ),
      (page) => page.Tags,
    ),
  );
  return new Set(
    tags.filter((tag) => tag.Value === PROTECT_TAG_VALUE && tag.ResourceId).map((tag) => String(tag.ResourceId)),
  );
}
