import {
  BREAKING_CALLS,
  BREAKING_EVENT_NAMES,
  type BreakingCallName,
  type HeardWith,
} from '../../lambda/core/breaking-calls';

/** The breaking calls of the table heard with one switch (`always`, `subnets`, `egress`), in its order. */
export function callsHeardWith(heard: HeardWith): BreakingCallName[] {
  return BREAKING_EVENT_NAMES.filter((name) => BREAKING_CALLS[name].heard === heard);
}
