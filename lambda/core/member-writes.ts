import {
  PART_PERMISSIONS,
  routeWriteStatements,
  type PartStatement,
  type RouteRepairSwitches,
} from '../contract/permissions';
import type { SweepConfig } from '../config/schema';
import { PART_KEYS, type PartSwitches } from './row-parts';

/**
 * What the member write role may write with a configuration, statement by statement: the route's
 * repairs, then each row part's that repairs. One list for the stack (lib/member-role-permissions.ts
 * makes the role's policy of it) and for `doctor` (which asks whether the organization's service
 * control policies let those calls through).
 */

/** The settings the write role's statements depend on. */
export type MemberWritesConfig = Pick<SweepConfig, 'mode'> & RouteRepairSwitches & PartSwitches;

/** The write role's statements; none in report mode. */
export function memberWriteStatements(config: MemberWritesConfig): PartStatement[] {
  if (config.mode !== 'remediate') return [];
  return [
    ...routeWriteStatements(config),
    ...PART_KEYS.flatMap((key) => (PART_PERMISSIONS[key].writes(config) ? PART_PERMISSIONS[key].write : [])),
  ];
}

/** Every write the write role may make with this configuration, once each. */
export function memberWriteActions(config: MemberWritesConfig): string[] {
  return [...new Set(memberWriteStatements(config).flatMap((statement) => asList(statement.actions)))];
}

const asList = (actions: string | readonly string[]): readonly string[] =>
  typeof actions === 'string' ? [actions] : actions;
