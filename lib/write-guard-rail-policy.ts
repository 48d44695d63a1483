import { partitionOf } from '../lambda/core/partition';
import { guardRailPolicyText } from './guard-rail-policy';
import { writeTemplateFromContext } from './write-template';

/**
 * `npm run guard-rail-policy [-- <file>]`: writes the guard rail's service control policy (for the
 * member role name and guardRailExemptPrincipalArns of cdk.json's context, in the partition of
 * AWS_REGION, default aws) for teams that manage SCPs elsewhere: Landing Zone Accelerator, Account
 * Factory for Terraform, Control Tower customizations. Attach it to the target OUs.
 */
const partition = partitionOf(process.env['AWS_REGION'] ?? 'us-east-1');
writeTemplateFromContext(
  'guard-rail-policy.json',
  (sweep, deployment) => {
    const options = { config: sweep, partition, exemptPrincipalArns: deployment.guardRailExemptPrincipalArns };
    // Refuses a policy over AWS's size limit, naming its size.
    return JSON.parse(guardRailPolicyText(options)) as Record<string, unknown>;
  },
  (sweep, deployment) => {
    const exempt = deployment.guardRailExemptPrincipalArns;
    const options = { config: sweep, partition, exemptPrincipalArns: exempt };
    const through = exempt.length > 0 ? ` and ${exempt.length} exempt principals` : '';
    return `${partition} partition; lets through ${sweep.memberRoleName}${through}; ${guardRailPolicyText(options).length} characters`;
  },
);
