/**
 * Who broke it: of the CloudTrail events of an account-region, the call that broke its default
 * network path, as a pure function. The calls that can break it, how each is matched, ranked and
 * worded, are the table of `breaking-calls.ts`, shared by the nightly lookup and the event rules.
 */

import { BREAKING_CALLS, isBreakingCall, TOUCHED_KEYS, type FindingConcerns, type Touched } from './breaking-calls';
import type { ReachFinding } from './plan-reach';
import { productTokens } from './user-agent';

/**
 * The session name of the janitor's own calls through the member role (the sweep, the CLI). The
 * janitor is recognised by role and session name together: anyone else's session of the same role
 * (an operator's, doctor's probe `account-janitor-probe`) is someone else's call.
 */
export const JANITOR_SESSION_NAME = 'account-janitor';

/** The janitor's own session ARN in an account: `arn:<partition>:sts::<account>:assumed-role/<role>/account-janitor`. */
export function janitorSessionArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${JANITOR_SESSION_NAME}`;
}

/** The breaking call, as a report row and the digest show it. */
export interface Cause {
  /** Who made it: the user or assumed-role session ARN. */
  readonly principalArn: string;
  /** For an assumed role: the role behind the session. */
  readonly sessionIssuerArn: string | null;
  readonly eventName: string;
  /** ISO 8601. */
  readonly eventTime: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /**
   * The ids the call named (route table, destination, VPC, gateway, group, ACL), as its request
   * parameters gave them: what a carried cause is matched on against a row's resources.
   */
  readonly touched?: Readonly<Record<string, string>>;
}

/** The fields of a CloudTrail event record (the `CloudTrailEvent` JSON of LookupEvents) read here. */
export interface CloudTrailRecord {
  readonly eventName?: string;
  readonly eventTime?: string;
  readonly eventSource?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly userIdentity?: {
    readonly arn?: string;
    readonly sessionContext?: { readonly sessionIssuer?: { readonly arn?: string } };
  };
  readonly requestParameters?: Record<string, unknown> | null;
}

/** What broke, and where: decides which events count. */
export interface BreakageQuery {
  /** The route table whose 0.0.0.0/0 went (route drift). */
  readonly routeTableId?: string | null;
  /** The default VPC (its gateway detached or deleted). */
  readonly vpcId?: string | null;
  /** The default security group or network ACL found stripped (egress drift). */
  readonly egressResourceId?: string | null;
  /**
   * What the path check reported (not drift: nothing is repaired): a call concerns one of them as
   * its entry's `matches` says. A query with findings is about them only.
   */
  readonly findings?: readonly ReachFinding[];
  /** Only events at or before this time (the sweep saw the drift then). */
  readonly before: Date;
  /** The janitor's own member role: its calls are not the cause. */
  readonly janitorRoleName: string;
}

/**
 * The latest successful breaking call matching the query, or `null`. A call by the janitor's own
 * role, a failed call (errorCode), or one about another route, table or VPC does not count.
 */
export function pickCause(records: readonly CloudTrailRecord[], query: BreakageQuery): Cause | null {
  const candidates = records.filter((record) => {
    const name = record.eventName ?? '';
    if (!isBreakingCall(name) || record.errorCode) return false;
    if (isJanitorCall(record, query.janitorRoleName)) return false;
    const time = Date.parse(record.eventTime ?? '');
    if (Number.isNaN(time) || time > query.before.getTime()) return false;
    return concerns(record, query);
  });
  const latest = candidates.sort((a, b) => Date.parse(b.eventTime ?? '') - Date.parse(a.eventTime ?? ''))[0];
  return latest ? causeOf(latest) : null;
}

/**
 * True for a call of the janitor's own session of its member role, which never counts as a cause;
 * another session of the same role (an operator's, doctor's probe) is someone else's call.
 */
export function isJanitorCall(record: CloudTrailRecord, janitorRoleName: string): boolean {
  return record.userIdentity?.arn?.endsWith(`:assumed-role/${janitorRoleName}/${JANITOR_SESSION_NAME}`) ?? false;
}

/**
 * The longest text a cause carries in any field: the one bound from the intake (which cuts what is
 * longer) through the schedule to the targeted sweep (which refuses what is longer).
 */
export const MAX_CAUSE_TEXT = 2048;

const bounded = (text: string | undefined): string | null =>
  text === undefined || text === '' ? null : text.slice(0, MAX_CAUSE_TEXT);

/**
 * The cause a CloudTrail record names: who, what, when, from where, with what. Each text is cut
 * to MAX_CAUSE_TEXT; the user agent, which the caller chooses, is kept as its product tokens only.
 */
export function causeOf(record: CloudTrailRecord): Cause {
  const time = Date.parse(record.eventTime ?? '');
  const eventName = record.eventName ?? '';
  const touched = touchedOf(record.requestParameters ?? {});
  return {
    principalArn: bounded(record.userIdentity?.arn) ?? 'unknown',
    sessionIssuerArn: bounded(record.userIdentity?.sessionContext?.sessionIssuer?.arn),
    eventName: /^[A-Za-z]{1,64}$/.test(eventName) ? eventName : 'unknown',
    eventTime: new Date(Number.isNaN(time) ? 0 : time).toISOString(),
    sourceIp: bounded(record.sourceIPAddress),
    userAgent: bounded(productTokens(record.userAgent).join(' ')),
    ...(Object.keys(touched).length > 0 ? { touched } : {}),
  };
}

/** The ids a call named that a cause keeps: strings of at most 256 characters. */
function touchedOf(parameters: Readonly<Record<string, unknown>>): Touched {
  return Object.fromEntries(
    TOUCHED_KEYS.flatMap((key) => {
      const value = parameters[key];
      return typeof value === 'string' && value.length <= 256 ? [[key, value]] : [];
    }),
  );
}

/** Whether a breaking call is about what the query found broken, as its table entry matches it. */
function concerns(record: CloudTrailRecord, query: BreakageQuery): boolean {
  const name = record.eventName ?? '';
  const match = isBreakingCall(name) ? BREAKING_CALLS[name].concerns : null;
  if (!match || 'never' in match) return false;
  const parameters = record.requestParameters ?? {};
  // A query of the path check's findings is about them only, and only a finding's call is matched against them.
  if ('finding' in match) return concernsFinding(match, touchedOf(parameters), query.findings ?? []);
  if (query.findings) return false;
  const value = (key: string) => (typeof parameters[key] === 'string' ? parameters[key] : undefined);
  // An egress query is about its group or ACL only; a route query never takes an egress call.
  if (Boolean(query.egressResourceId) !== (match.query === 'egressResourceId')) return false;
  // A call that does not name what its match needs is about something else: a DeleteRoute of ::/0
  // or of a prefix list names no IPv4 destination, and it did not take 0.0.0.0/0.
  const named = value(match.key);
  if (named === undefined) return false;
  if (match.defaultRouteOnly && value('destinationCidrBlock') !== DEFAULT_ROUTE) return false;
  const wanted = query[match.query];
  return (match.unknown === 'any' && (wanted === undefined || wanted === null)) || named === wanted;
}

/** The destination of the default route, as a call names it. */
const DEFAULT_ROUTE = '0.0.0.0/0';

/** Whether a call concerns one of the path check's findings of its kind. */
function concernsFinding(match: FindingConcerns, touched: Touched, findings: readonly ReachFinding[]): boolean {
  return findings.some(
    (finding) =>
      finding.kind === match.finding &&
      (match.matches as (finding: ReachFinding, touched: Touched) => boolean)(finding, touched),
  );
}

/** How directly a call breaks the default route (its table entry's rank); 0 for any other call. */
const rankOf = (eventName: string): number => (isBreakingCall(eventName) ? BREAKING_CALLS[eventName].rank : 0);

/**
 * Of two breaking calls of one burst, the one to name as the cause: the more direct one, or with
 * equal rank the later one. A clean-up that deletes the route and then forty subnets is named by
 * its DeleteRoute.
 */
export function strongerCause(current: Cause, next: Cause): Cause {
  const [currentRank, nextRank] = [rankOf(current.eventName), rankOf(next.eventName)];
  if (nextRank !== currentRank) return nextRank > currentRank ? next : current;
  return Date.parse(next.eventTime) >= Date.parse(current.eventTime) ? next : current;
}

/**
 * "0.0.0.0/0 deleted by arn:…:assumed-role/ci-cleanup/nuke (aws-nuke/3.56.2) at 2026-11-26
 * 02:13:07 UTC": what broke, by whom, with what tool, when.
 */
export function describeCause(cause: Cause): string {
  const what = (isBreakingCall(cause.eventName) ? BREAKING_CALLS[cause.eventName].whatBroke : null) ?? cause.eventName;
  const [product] = productTokens(cause.userAgent);
  const agent = product ? ` (${product})` : '';
  const when = utcTime(cause.eventTime);
  return `${what} by ${cause.principalArn}${agent} at ${when}`;
}

/** An ISO 8601 time as the digest and the table say it: `2026-11-26 02:13:07 UTC`. */
export function utcTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}
