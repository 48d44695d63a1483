import { createProtectTags, protectTagged } from '../../aws/protect-tags';
import { PROTECT_TAG_KEY, planProtection } from '../../core/plan-protection';
import type { RegionNetwork } from '../../core/region-network';
import type { ProtectionResult } from '../../core/report';
import type { ProtectionStatus } from '../../core/statuses';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';
import { attemptWrite, readBack, refusedMessage } from '../writes';

/**
 * The guard rail's tag (protectDefaultPath audit or enforce): the default path's resources as
 * read get account-janitor:protected=true where they lack it, in one CreateTags call (one write of
 * the cap), verified with DescribeTags. Idempotent: a path already tagged costs no call. Never a
 * resource tagged account-janitor:ignore; in report mode, nothing, and the row says what it would tag.
 */
export async function protectionStep(
  target: RegionTarget,
  _vpc: DefaultVpcFacts,
  network: RegionNetwork | undefined,
): Promise<ProtectionResult | null> {
  if (!network) return null;
  const plan = planProtection(network);
  if (plan.resources.length === 0) return null;
  const resources = plan.resources.map((resource) => resource.resourceId);
  const result = (
    status: ProtectionStatus,
    message: string,
    tagged: string[] = [],
    errorCode: string | null = null,
  ) => ({
    status,
    resources,
    tagged,
    errorCode,
    message,
  });
  const { untagged } = plan;
  if (untagged.length === 0) return result('protected', `${PROTECT_TAG_KEY} on ${resources.join(', ')}`);
  const untaggedList = untagged.join(', ');
  if (target.config.mode === 'report') return result('would-protect', `would tag ${untaggedList}`);

  const audit = {
    ...target.logFields,
    action: 'CreateTags',
    tag: PROTECT_TAG_KEY,
    before: 'untagged',
    resources: untagged,
  };
  const failed = (code: string, what: string) => {
    target.logger.error('default path not protected', { ...audit, errorCode: code });
    return result('protect-failed', `${what}: ${code}`, [], code);
  };
  const sent = await target.run.budget.use(1, (claim) =>
    attemptWrite(target, claim, () => createProtectTags(target.ec2, untagged)),
  );
  if (!sent) return result('would-protect', `would tag ${untaggedList}; ${target.capNote}`);
  const write = `CreateTags ${PROTECT_TAG_KEY} on ${untaggedList}`;
  if (!sent.ok && sent.refusal) {
    target.logger.error('default path not protected', { ...audit, errorCode: sent.code });
    return result('protect-refused', refusedMessage(write, sent.code, sent.refusal), [], sent.code);
  }
  if (!sent.ok) return failed(sent.code, `${write} failed`);
  const shown = await readBack(
    target,
    () => protectTagged(target.ec2, untagged),
    (tagged) => untagged.every((id) => tagged.has(id)),
  );
  if (!shown.ok) return failed(shown.code, 'tagged, verification failed');
  const missing = untagged.filter((id) => !shown.value.has(id));
  if (missing.length > 0)
    return failed('VerificationFailed', `tagged, but ${missing.join(', ')} show no tag afterwards`);
  target.logger.info('default path protected', { ...audit, after: PROTECT_TAG_KEY, verified: true });
  return result('protected', `tagged ${untaggedList} ${PROTECT_TAG_KEY}`, [...untagged]);
}
