import { writeFileSync } from 'node:fs';
import { partitionOf } from '../lambda/core/partition';
import { guardRailPolicyTexts } from './guard-rail-policy';
import { fileArgument, runWithContext } from './write-template';

/**
 * `npm run guard-rail-policy -- <file>`: writes the guard rail's service control policy (for the
 * member role names and guardRailExemptPrincipalArns of cdk.json's context, in the partition of
 * AWS_REGION, default aws) for teams that manage SCPs elsewhere: Landing Zone Accelerator, Account
 * Factory for Terraform, Control Tower customizations. Attach it to the target OUs. It writes the
 * minified text it measured; when the statements pass AWS's limit together, two policies (the
 * second beside the first, `-2` before its extension), to be attached both. Over the limit even
 * split: one line, exit code 2.
 */
const partition = partitionOf(process.env['AWS_REGION'] ?? 'us-east-1');
runWithContext(({ sweep, guardRailExemptPrincipalArns: exempt }) => {
  const file = fileArgument('guard-rail-policy.json');
  const texts = guardRailPolicyTexts({ config: sweep, partition, exemptPrincipalArns: exempt });
  const files = texts.map((_, index) => (index === 0 ? file : file.replace(/(\.[^./]*)?$/, `-${index + 1}$1`)));
  // Exactly the text measured: no trailing newline, which AWS would count too.
  texts.forEach((text, index) => writeFileSync(files[index] as string, text));
  const through = exempt.length > 0 ? ` and ${exempt.length} exempt principals` : '';
  const sizes = texts.map((text) => text.length).join(' and ');
  const split = texts.length > 1 ? ': split in two, attach both' : '';
  process.stdout.write(
    `wrote ${files.join(' and ')} (${partition} partition; lets through ${sweep.memberRoleName}${through}; ${sizes} characters${split})\n`,
  );
});
