/**
 * Every status a row of the sweep report can carry, and what it means, in one table: which part of
 * the row it is, the group the table, the Markdown and the digest list it under, whether it leaves
 * something broken (exit code 1), whether it means drift was found, and one line of documentation
 * (docs/statuses.md's table is made from it). statuses.ts derives the types and lists the code uses.
 */

import { PART_STATUS_TRAITS } from './part-statuses';
import { failed, quiet, refusedRepair, routeRepair, routeWouldRepair, type StatusTraits } from './status-traits';

export type { AttentionGroupKey, StatusTraits } from './status-traits';

export const STATUS_TRAITS = {
  // A whole account.
  skipped: {
    part: 'account',
    ...quiet,
    doc: 'suspended, excluded, the management account, or an id that is not in the organization (with the reason)',
  },
  'access-denied': {
    part: 'account',
    ...failed,
    drift: false,
    failure: 'read',
    doc: 'the member role may not be assumed, or may not read there (AssumeRole, DescribeRegions, or a region’s reads answered `AccessDenied`/`UnauthorizedOperation`); the row names the action and the code',
  },

  // An account-region's route.
  ok: { part: 'target', ...quiet, doc: '0.0.0.0/0 targets the internet gateway attached to the default VPC' },
  restored: { part: 'target', ...routeRepair, doc: 'the route was missing: created (CreateRoute) and verified' },
  replaced: {
    part: 'target',
    ...routeRepair,
    doc: 'the route named a gateway that is gone or attached elsewhere, or was a blackhole: replaced (ReplaceRoute) and verified',
  },
  'would-restore': { part: 'target', ...routeWouldRepair, doc: '`restored`, in a dry run or beyond the repair cap' },
  'would-replace': { part: 'target', ...routeWouldRepair, doc: '`replaced`, in a dry run or beyond the repair cap' },
  'gateway-restored': {
    part: 'target',
    ...routeRepair,
    doc: 'opt-in `repairInternetGateway`: no gateway was attached; one was created (tagged), attached and routed to, verified',
  },
  'would-restore-gateway': {
    part: 'target',
    ...routeWouldRepair,
    doc: '`gateway-restored`, in a dry run or beyond the repair cap',
  },
  'vpc-recreated': {
    part: 'target',
    ...routeRepair,
    doc: 'opt-in `recreateDefaultVpc`: the region had no default VPC; CreateDefaultVpc, then its gateway and route as needed, verified',
  },
  'would-recreate-vpc': {
    part: 'target',
    ...routeWouldRepair,
    doc: '`vpc-recreated`, in a dry run or beyond the repair cap',
  },
  conflict: {
    part: 'target',
    group: 'conflict',
    unresolved: true,
    drift: false,
    doc: 'the route is active and targets something else (NAT, peering, TGW, ENI…): a person chose it, left alone',
  },
  'left-by-responder': {
    part: 'target',
    group: 'left-by-responder',
    unresolved: true,
    drift: true,
    doc: 'with `respectPrincipals`: one of those principals (incident response, break-glass) made the drift; nothing in the account-region is repaired',
  },
  'no-internet-gateway': {
    part: 'target',
    group: 'broken',
    unresolved: true,
    drift: false,
    doc: 'no gateway is attached to the default VPC, and `repairInternetGateway` is off',
  },
  'no-default-vpc': {
    part: 'target',
    ...quiet,
    doc: 'the region has no default VPC (many organizations delete it on purpose), and `recreateDefaultVpc` is off',
  },
  ignored: {
    part: 'target',
    ...quiet,
    ignored: true,
    doc: 'the default VPC or its main route table is tagged `account-janitor:ignore` = `true`',
  },
  'region-disabled': {
    part: 'target',
    ...quiet,
    doc: 'the region is not enabled for the account (`OptInRequired`, `AuthFailure`): expected, not an error',
  },
  'region-denied': {
    part: 'target',
    ...quiet,
    doc: 'a service control policy denies the region (a region-deny SCP), as AWS names it in clear, or as EC2’s encoded message decodes in the account (an explicit deny from outside the member role): expected, reported with the reason',
  },
  'repair-failed': {
    part: 'target',
    ...failed,
    drift: true,
    failure: 'repair',
    doc: 'a write, or its verification, failed (with the AWS error code)',
  },
  'repair-refused': {
    part: 'target',
    ...refusedRepair,
    doc: 'a write of the repair (CreateRoute, ReplaceRoute, the opt-in CreateInternetGateway, AttachInternetGateway, CreateDefaultVpc) was refused by a policy: the message names it (a service control policy, one of Control Tower’s, an explicit deny from outside the member role, the role’s own policy lacking the action) and the next step, mostly to exempt the janitor’s write role in that policy',
  },
  error: {
    part: 'target',
    ...failed,
    drift: false,
    failure: 'read',
    doc: 'a read failed after retries (with the AWS error code)',
  },
  'not-checked': {
    part: 'target',
    group: 'not-checked',
    unresolved: true,
    drift: false,
    doc: 'the run’s deadline came before this account-region (or account) was started',
  },

  ...PART_STATUS_TRAITS,
} as const satisfies Record<string, StatusTraits>;
