import type { SweepConfig } from '../config/schema';
import type { SwitchSettingKey } from '../config/settings';
import type { EgressFinding } from './plan-egress-repair';
import type { ReachFinding } from './plan-reach';
import type { SubnetFinding } from './plan-subnet-repair';
import type { EgressStatus, PartKey, ProtectionStatus, StatusOfPart, SubnetStatus } from './statuses';

/**
 * The parts of an account-region's row besides its route, each defined once: its row field (the
 * key), its result, the switch that turns it on, how the report names it, what it repaired, how a
 * responder's change demotes it, what its cause is looked up by and the metrics it adds. The
 * report, the digest, the metrics, the CLI's table and the sweep loop over `ROW_PARTS`; the
 * places that must know a part's specifics (its step, its reads, its permissions) are tables
 * keyed by `PartKey`, so a new part does not compile until each has its entry.
 *
 * Adding a part: its statuses in part-statuses.ts (with `part: '<key>'`, which makes the key), its
 * result type and entry here, its planner in core/, its step in sweep/steps/ (and the line in
 * steps/index.ts), its AWS calls in aws/, its setting in config/settings.ts. The compiler names
 * the rest (CONTRIBUTING: "Adding a check").
 */

/** What every part's result says: a status of its own, the AWS error code when it failed, a message. */
interface PartResultBase<K extends PartKey> {
  readonly status: StatusOfPart<K>;
  /** The AWS error code, for the part's failed statuses. */
  readonly errorCode: string | null;
  readonly message: string;
}

/** The default subnets of an account-region, when they were checked. */
export interface SubnetsResult extends PartResultBase<'subnets'> {
  readonly status: SubnetStatus;
  /** Zones given a default subnet by this run (CreateDefaultSubnet, verified). */
  readonly zonesRepaired: readonly string[];
  /** Zones still without a default subnet after this run. */
  readonly zonesMissing: readonly string[];
  /** Report-only problems of the existing default subnets. */
  readonly findings: readonly SubnetFinding[];
}

/** The default security group's egress and the default network ACL, when they were checked. */
export interface EgressResult extends PartResultBase<'egress'> {
  readonly status: EgressStatus;
  /** What was found blocked or restricted, naming the group or ACL and the direction (before any repair). */
  readonly findings: readonly EgressFinding[];
  /** What this run put back, verified: e.g. `sg-… egress all traffic to 0.0.0.0/0`. */
  readonly repaired: readonly string[];
}

/** The guard rail's tag on the default path of an account-region. */
export interface ProtectionResult extends PartResultBase<'protection'> {
  readonly status: ProtectionStatus;
  /** Every resource of the default path found (ignored ones left out). */
  readonly resources: readonly string[];
  /** What this run tagged, verified. */
  readonly tagged: readonly string[];
}

/** The path check (the `reach` switch): would AWS carry a packet from a default subnet to the internet? */
export interface ReachResult extends PartResultBase<'reach'> {
  readonly status: StatusOfPart<'reach'>;
  /** What takes the path away: Block Public Access, shadowing routes, default subnets on other tables. */
  readonly findings: readonly ReachFinding[];
}

/** Each part's result, by its row field. */
export interface PartResults {
  readonly subnets: SubnetsResult;
  readonly egress: EgressResult;
  readonly protection: ProtectionResult;
  readonly reach: ReachResult;
}

/** The metrics a part adds to a run's (sweep-metrics.ts lists every name). */
export type PartMetricName =
  | 'SubnetsRepaired'
  | 'SubnetsMisconfigured'
  | 'EgressBlocked'
  | 'EgressRepaired'
  | 'DefaultPathTagged'
  | 'PathBlockedByBpa'
  | 'PathRouteShadowed'
  | 'PathSubnetOffPath';

/** The settings that switch the row parts on: the switches (`off | check | repair`) and the guard rail's mode. */
export type PartSwitches = Pick<SweepConfig, SwitchSettingKey | 'protectDefaultPath' | 'reach'>;

export interface RowPart<K extends PartKey> {
  /** What its message is prefixed with in a row ("subnets: …"). */
  readonly label: string;
  /** Its line in the CLI's summary ("default subnets: 3 subnets-ok"); `null`: no line. */
  readonly summaryTitle: string | null;
  /**
   * The report's count of its statuses (`subnetSummary`); `null`: none. Rows of a sweep that did
   * not check the part still count zeros, so a report's JSON has the same keys every night.
   */
  readonly summaryKey: 'subnetSummary' | 'egressSummary' | 'reachSummary' | null;
  /**
   * Without a result, the row says `null` (the part is always in the row's JSON) or leaves the field
   * out (`absent`: it appears only when switched on).
   */
  readonly whenOff: 'null' | 'absent';
  /** Whether the configuration switches it on. */
  readonly enabled: (config: PartSwitches) => boolean;
  /** What this run repaired of it, verified: a repair, which dates the row and lists it as repaired. */
  readonly repaired: (result: PartResults[K]) => readonly string[];
  /** Drift found beyond what its status says (e.g. found stripped, then put back by someone else). */
  readonly foundDrift: (result: PartResults[K]) => boolean;
  /**
   * The part as a responder left it (respectPrincipals): what a dry run would have repaired, shown as
   * found broken; `undefined` leaves it as found.
   */
  readonly leftByResponder: (result: PartResults[K]) => PartResults[K] | undefined;
  /**
   * The resource whose CloudTrail calls name the cause of its drift, when the part has its own
   * (looked up apart from the route's); `undefined`: its drift is the route's to explain.
   */
  readonly causeResource: ((result: PartResults[K]) => string | undefined) | null;
  /**
   * What it reports without repairing that a call heard by the event path may explain (the path
   * check's findings): a carried cause that concerns one is the row's cause. No nightly lookup is
   * made for them: their calls are named within minutes, or not at all. `null`: none.
   */
  readonly causeFindings: ((result: PartResults[K]) => readonly ReachFinding[]) | null;
  /** Its metric that counts its repairs (a run's repairs add them up); `null`: it repairs nothing. */
  readonly repairsMetric: PartMetricName | null;
  /** The metrics it adds, over the rows that carry it. */
  readonly metrics: Partial<Record<PartMetricName, (results: readonly PartResults[K][]) => number>>;
}

const sum = <T>(results: readonly T[], count: (result: T) => number) =>
  results.reduce((total, result) => total + count(result), 0);

/** Egress drift worth a lookup: found stripped where the repair is on (restored, or to be). */
const EGRESS_LOOKED_UP: ReadonlySet<EgressStatus> = new Set([
  'egress-restored',
  'would-restore-egress',
  'egress-repair-failed',
  'egress-repair-refused',
]);

const foundBlocked = (egress: EgressResult) => egress.findings.some((finding) => finding.state === 'blocked');

/** A part that repairs nothing and finds no drift: no repair, no demotion, no cause of its own. */
const REPAIRS_NOTHING = {
  repaired: () => [],
  foundDrift: () => false,
  leftByResponder: () => undefined,
  causeResource: null,
  causeFindings: null,
  repairsMetric: null,
} as const;

export const ROW_PARTS = {
  subnets: {
    label: 'subnets',
    summaryTitle: 'default subnets',
    summaryKey: 'subnetSummary',
    whenOff: 'null',
    enabled: (config) => config.defaultSubnets !== 'off',
    repaired: (subnets) => subnets.zonesRepaired,
    foundDrift: (subnets) => subnets.zonesRepaired.length > 0,
    leftByResponder: (subnets) =>
      subnets.status === 'would-restore-subnets'
        ? {
            ...subnets,
            status: 'subnets-missing',
            message: `${subnets.message.replace(/: would create them$/, '')} (not repaired)`,
          }
        : undefined,
    causeResource: null,
    causeFindings: null,
    repairsMetric: 'SubnetsRepaired',
    metrics: {
      /** Default subnets created (one per zone), verified. */
      SubnetsRepaired: (results) => sum(results, (subnets) => subnets.zonesRepaired.length),
      /** Account-regions with a default subnet that breaks tasks with public IPs (report only). */
      SubnetsMisconfigured: (results) => results.filter((subnets) => subnets.findings.length > 0).length,
    },
  },
  egress: {
    label: 'egress',
    summaryTitle: 'egress',
    summaryKey: 'egressSummary',
    whenOff: 'null',
    enabled: (config) => config.egress !== 'off',
    repaired: (egress) => egress.repaired,
    foundDrift: foundBlocked,
    leftByResponder: (egress) =>
      egress.status === 'would-restore-egress'
        ? { ...egress, status: 'egress-blocked', message: 'egress blocked (not repaired)' }
        : undefined,
    /**
     * With the repair switch on, the stripped group (or else ACL). With the check alone
     * (`egress-blocked`), no lookup: in accounts that keep the default group closed on purpose
     * (CIS 5.4), every account-region is blocked every night, and the run's lookups belong to drift.
     */
    causeResource: (egress) =>
      EGRESS_LOOKED_UP.has(egress.status)
        ? egress.findings.find((finding) => finding.state === 'blocked')?.resourceId
        : undefined,
    causeFindings: null,
    repairsMetric: 'EgressRepaired',
    metrics: {
      /** Account-regions whose default security group or network ACL was found stripped (blocked), repaired or not. */
      EgressBlocked: (results) => results.filter(foundBlocked).length,
      /** Account-regions whose stripped egress was put back (AWS's defaults), verified. */
      EgressRepaired: (results) => results.filter((egress) => egress.repaired.length > 0).length,
    },
  },
  protection: {
    label: 'protection',
    summaryTitle: null,
    summaryKey: null,
    whenOff: 'absent',
    enabled: (config) => config.protectDefaultPath !== 'off',
    // Tagging is a write, not a repair of drift: it dates no row.
    ...REPAIRS_NOTHING,
    metrics: {
      /** protectDefaultPath: resources this run tagged account-janitor:protected, verified. */
      DefaultPathTagged: (results) => sum(results, (protection) => protection.tagged.length),
    },
  },
  reach: {
    label: 'path',
    summaryTitle: 'path',
    summaryKey: 'reachSummary',
    whenOff: 'null',
    enabled: (config) => config.reach !== 'off',
    // Report only: what it finds is not drift the janitor undoes.
    ...REPAIRS_NOTHING,
    causeFindings: (reach) => reach.findings,
    metrics: {
      PathBlockedByBpa: (results) => results.filter((reach) => reach.status === 'bpa-blocked').length,
      PathRouteShadowed: (results) => results.filter((reach) => reach.status === 'route-shadowed').length,
      PathSubnetOffPath: (results) => results.filter((reach) => reach.status === 'subnet-off-path').length,
    },
  },
} as const satisfies { readonly [K in PartKey]: RowPart<K> };

/** The parts in the order a row lists them. */
export const PART_KEYS = Object.keys(ROW_PARTS) as PartKey[];

/** A part's definition, typed by its key. */
export const rowPart = <K extends PartKey>(key: K): RowPart<K> => ROW_PARTS[key] as unknown as RowPart<K>;

type PartsWhenOff<W extends 'null' | 'absent'> = {
  [K in PartKey]: (typeof ROW_PARTS)[K]['whenOff'] extends W ? K : never;
}[PartKey];
/**
 * A row's part fields: `null` when not checked for the parts always in its JSON (`subnets`,
 * `egress`), absent for the others (`protection`).
 */
export type RowPartFields = { readonly [K in PartsWhenOff<'null'>]: PartResults[K] | null } & {
  readonly [K in PartsWhenOff<'absent'>]?: PartResults[K] | null;
};
/** A row's part fields, as far as this module needs to see them. */
export type PartFields = { readonly [K in PartKey]?: PartResults[K] | null | undefined };

/** The parts of a row that carry a result, with their key. */
export function partsOf(row: PartFields): { key: PartKey; result: PartResults[PartKey] }[] {
  // A loop, not flatMap: it runs for every row several times a sweep (statuses, drift, metrics).
  const parts: { key: PartKey; result: PartResults[PartKey] }[] = [];
  for (const key of PART_KEYS) {
    const result = row[key];
    if (result) parts.push({ key, result });
  }
  return parts;
}

/** What the row's parts repaired this run, verified (default subnets created, egress put back). */
export function partsRepaired(row: PartFields): boolean {
  return PART_KEYS.some((key) => {
    const result = row[key];
    return result ? rowPart(key).repaired(result).length > 0 : false;
  });
}

/** Drift a row's parts found beyond their statuses. */
export function partsFoundDrift(row: PartFields): boolean {
  return PART_KEYS.some((key) => {
    const result = row[key];
    return result ? rowPart(key).foundDrift(result) : false;
  });
}

/** The fields a row has before any part ran: `null` for the parts always in its JSON. */
export function emptyParts(): { readonly [K in PartsWhenOff<'null'>]: null } {
  return Object.fromEntries(PART_KEYS.filter((key) => ROW_PARTS[key].whenOff === 'null').map((key) => [key, null])) as {
    readonly [K in PartsWhenOff<'null'>]: null;
  };
}
