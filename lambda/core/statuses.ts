/**
 * The statuses' types and the lists the code uses, derived from the one table of statuses
 * (status-table.ts), so a new status is classified once, there, and the compiler asks for every
 * field.
 */

import { STATUS_TRAITS, type AttentionGroupKey, type StatusTraits } from './status-table';

export { STATUS_TRAITS, type AttentionGroupKey } from './status-table';

type Traits = typeof STATUS_TRAITS;
/** Any status a row carries: its route's (or account's), its default subnets', its egress', its protection's. */
export type RowStatus = keyof Traits;
/** The statuses of one part (`account`, `target`, or a row part's key). */
export type StatusOfPart<P extends string> = {
  [S in RowStatus]: Traits[S]['part'] extends P ? S : never;
}[RowStatus];
/** The parts of a row besides its route: the `part` of their statuses (row-parts.ts defines each). */
export type PartKey = Exclude<Traits[RowStatus]['part'], 'account' | 'target'>;

export type AccountStatus = StatusOfPart<'account'>;
export type TargetStatus = StatusOfPart<'target'>;
export type SweepStatus = AccountStatus | TargetStatus;
export type SubnetStatus = StatusOfPart<'subnets'>;
export type EgressStatus = StatusOfPart<'egress'>;
export type ProtectionStatus = StatusOfPart<'protection'>;

const ALL = Object.keys(STATUS_TRAITS) as RowStatus[];
const traitsOf = (status: RowStatus): StatusTraits => STATUS_TRAITS[status];
const ofPart = <S extends RowStatus>(part: string) => ALL.filter((status) => traitsOf(status).part === part) as S[];
const where = <S extends RowStatus>(test: (traits: StatusTraits) => boolean): ReadonlySet<S> =>
  new Set(ALL.filter((status) => test(traitsOf(status))) as S[]);

export const ACCOUNT_STATUSES: readonly AccountStatus[] = ofPart('account');
export const TARGET_STATUSES: readonly TargetStatus[] = ofPart('target');
export const SWEEP_STATUSES: readonly SweepStatus[] = [...ACCOUNT_STATUSES, ...TARGET_STATUSES];
export const SUBNET_STATUSES: readonly SubnetStatus[] = ofPart('subnets');
export const EGRESS_STATUSES: readonly EgressStatus[] = ofPart('egress');

/** The statuses of a row part, in the table's order. */
export const statusesOfPart = <K extends PartKey>(part: K): readonly StatusOfPart<K>[] => ofPart(part);

/** Statuses that leave something broken or unverified: any of them makes the CLI exit 1. */
export const UNRESOLVED_STATUSES = where((traits) => traits.unresolved);
/** Statuses that mean the route, gateway, VPC, a default subnet or the egress had drifted, whatever became of it. */
export const DRIFT_STATUSES = where((traits) => traits.drift);
/** The route, its gateway or its VPC repaired. */
export const REPAIRED_STATUSES = where<SweepStatus>((traits) => traits.routeRepaired === true);
/** Statuses that changed, or would change, the route: their digest line says before → after. */
export const ROUTE_CHANGE_STATUSES = where((traits) => traits.routeChange === true);
/** A read failed (the account, the region, or a part's reads): `AccountErrors`. */
export const READ_FAILURE_STATUSES = where((traits) => traits.failure === 'read');
/** A repair failed or was not verified: `RepairsFailed`. */
export const REPAIR_FAILURE_STATUSES = where((traits) => traits.failure === 'repair');
/** A write of the janitor refused by a policy: `WritesRefused`. */
export const REFUSED_STATUSES = where((traits) => traits.refused === true);
/** Tagged account-janitor:ignore. */
export const IGNORED_STATUSES = where((traits) => traits.ignored === true);
/** A part's healthy states: a row shows them only when there is nothing else. */
export const HEALTHY_PART_STATUSES = where((traits) => traits.healthy === true);

/** The statuses listed under a group. */
export function statusesOfGroup(group: AttentionGroupKey): RowStatus[] {
  return ALL.filter((status) => traitsOf(status).group === group);
}
