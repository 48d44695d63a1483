import {
  DRIFT_STATUSES,
  HEALTHY_PART_STATUSES,
  REPAIRED_STATUSES,
  ROUTE_CHANGE_STATUSES,
  STATUS_TRAITS,
  UNRESOLVED_STATUSES,
  type RowStatus,
} from '../../lambda/core/statuses';
import { ATTENTION_GROUPS } from '../../lambda/report/attention';

/** The one table of statuses is consistent with what a person reads: the rules it must keep. */

const ALL = Object.keys(STATUS_TRAITS) as RowStatus[];
const groupOf = (status: RowStatus) => ATTENTION_GROUPS.find((group) => group.statuses.includes(status))?.key;

test('every status that leaves something broken is listed under a group, so the table and the digest show it', () => {
  expect([...UNRESOLVED_STATUSES].filter((status) => groupOf(status) === undefined)).toEqual([]);
});

test('each status is in one group at most, and every group has statuses', () => {
  for (const status of ALL) {
    expect([status, ATTENTION_GROUPS.filter((group) => group.statuses.includes(status)).length]).toEqual([
      status,
      STATUS_TRAITS[status].group === null ? 0 : 1,
    ]);
  }
  expect(ATTENTION_GROUPS.filter((group) => group.statuses.length === 0)).toEqual([]);
});

test('a repair is drift and not left broken; a healthy part is neither; a route change is a route status', () => {
  for (const status of REPAIRED_STATUSES) {
    expect([status, DRIFT_STATUSES.has(status), UNRESOLVED_STATUSES.has(status)]).toEqual([status, true, false]);
  }
  for (const status of HEALTHY_PART_STATUSES) {
    expect([status, DRIFT_STATUSES.has(status), UNRESOLVED_STATUSES.has(status), groupOf(status)]).toEqual([
      status,
      false,
      false,
      undefined,
    ]);
  }
  for (const status of ROUTE_CHANGE_STATUSES) expect([status, STATUS_TRAITS[status].part]).toEqual([status, 'target']);
});
