/**
 * Who broke it: of the CloudTrail events of an account-region, the call that broke its default
 * network path, as a pure function. The calls that can break it, how each is matched, ranked and
 * worded, are the table of `breaking-calls.ts`, shared by the nightly lookup and the event rules.
 */

import {
  BREAKING_CALLS,
  isBreakingCall,
  TOUCHED_KEYS,
  type Concerns,
  type FindingConcerns,
  type Touched,
} from './breaking-calls';
import type { ReachFinding } from './plan-reach';
import { canonicalIpv4Cidr, isInternetRouteDestination } from './route-table';
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
  if (!namesWhatItMatches(match, value)) return false;
  const wanted = query[match.query];
  return (match.unknown === 'any' && (wanted === undefined || wanted === null)) || value(match.key) === wanted;
}

/** A match against what a sweep found broken (not a finding's, not `never`). */
type DriftConcerns = Extract<Concerns, { readonly query: string }>;

/**
 * Whether a call names what its match needs: the resource (`key`), and for a call on the default
 * route its destination, 0.0.0.0/0 however the caller spelled it (`10.1.2.3/0`). A DeleteRoute of
 * ::/0 or of a prefix list names no IPv4 destination: it took nothing of 0.0.0.0/0.
 */
function namesWhatItMatches(match: DriftConcerns, value: (key: string) => string | undefined): boolean {
  return (
    value(match.key) !== undefined &&
    (!match.defaultRouteOnly || isInternetRouteDestination(value('destinationCidrBlock')))
  );
}

/** Whether a cause, by the ids it named, can be the cause of anything: a drift's or a finding's. */
function mayBeACause(cause: Cause): boolean {
  if (!isBreakingCall(cause.eventName)) return false;
  const match: Concerns = BREAKING_CALLS[cause.eventName].concerns;
  if ('never' in match) return false;
  return 'finding' in match || namesWhatItMatches(match, (key) => cause.touched?.[key as keyof Touched]);
}

/** Whether a call concerns one of the path check's findings of its kind. */
function concernsFinding(match: FindingConcerns, touched: Touched, findings: readonly ReachFinding[]): boolean {
  return findings.some(
    (finding) =>
      finding.kind === match.finding &&
      (match.matches as (finding: ReachFinding, touched: Touched) => boolean)(finding, touched),
  );
}

/**
 * How directly a call breaks the default route (its table entry's rank); 0 for a call that, by
 * what it named, can be the cause of nothing (a DeleteRoute of ::/0, a DeleteSubnet).
 */
const rankOf = (cause: Cause): number =>
  isBreakingCall(cause.eventName) && mayBeACause(cause) ? BREAKING_CALLS[cause.eventName].rank : 0;

/**
 * Whether two calls name the same resource as far as both say: every id both named is the same
 * (a destination as EC2 reads it: `10.1.2.3/0` is `0.0.0.0/0`), and they share one (a
 * DetachInternetGateway and the DeleteVpc of its VPC), or neither names any (Block Public Access,
 * the account-region's one setting).
 */
function sameResource(a: Cause, b: Cause): boolean {
  const shared = TOUCHED_KEYS.filter((key) => a.touched?.[key] !== undefined && b.touched?.[key] !== undefined);
  const namesNone = (cause: Cause) => Object.keys(cause.touched ?? {}).length === 0;
  const same = (key: (typeof TOUCHED_KEYS)[number]) => {
    const [first, second] = [a.touched?.[key], b.touched?.[key]];
    return key === 'destinationCidrBlock'
      ? (canonicalIpv4Cidr(first) ?? first) === (canonicalIpv4Cidr(second) ?? second)
      : first === second;
  };
  return shared.length > 0 ? shared.every(same) : namesNone(a) && namesNone(b);
}

/**
 * Of two breaking calls of one burst, the one to name as the cause (the intake keeps one per
 * account-region's quiet period, the events in any order):
 * - the more direct one (rankOf): a clean-up that deletes the route and then forty subnets is
 *   named by its DeleteRoute; a call that can be the cause of nothing (a DeleteRoute of ::/0)
 *   never replaces one that can;
 * - of two equally direct calls on the same resource (sameResource), the later: it made the
 *   resource what the sweep will find (a responder's ReplaceRoute of the 0.0.0.0/0 a clean-up
 *   deleted);
 * - of two equally direct calls on different resources, the earlier: a later, unrelated call
 *   (another table's route) does not replace the cause of the drift the burst began with. When
 *   the earlier one is not what the sweep finds broken, the targeted sweep drops it as any carried
 *   cause that does not concern its row, and looks the cause up in CloudTrail.
 */
export function strongerCause(current: Cause, next: Cause): Cause {
  const [currentRank, nextRank] = [rankOf(current), rankOf(next)];
  if (nextRank !== currentRank) return nextRank > currentRank ? next : current;
  const [earlier, later] =
    Date.parse(next.eventTime) >= Date.parse(current.eventTime) ? [current, next] : [next, current];
  return sameResource(current, next) ? later : earlier;
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
