import { partitionOf } from '../lambda/core/partition';
import { guardRailPolicy, guardRailPolicyText } from './guard-rail-policy';
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
    guardRailPolicyText(options); // refuses a policy over the size limit
    return guardRailPolicy(options);
  },
  (sweep, deployment) =>
    `${partition} partition; lets through ${sweep.memberRoleName}${deployment.guardRailExemptPrincipalArns.length > 0 ? ` and ${deployment.guardRailExemptPrincipalArns.length} exempt principals` : ''}; ${guardRailPolicyText({ config: sweep, partition, exemptPrincipalArns: deployment.guardRailExemptPrincipalArns }).length} characters`,
);
