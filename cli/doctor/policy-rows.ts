import type { SweepConfig } from '../../lambda/config/schema';
import type { DeclaredBpa } from '../../lambda/core/declarative-policy';
import type { RepairCall, ScpRefusal } from '../../lambda/core/scp-evaluation';
import { listSome, type CheckRow } from './checks';

/**
 * The rows of the organization's policies (`organization-policies.ts`): a warning per SCP that
 * refuses the write role's repair calls, and per target where a declarative policy turns on Block
 * Public Access; else one `ok` row each. Warnings, never failures: the deployment works, the
 * organization undoes its repairs there.
 */

/** Warning rows of one kind, at most; the rest are counted. */
const MAX_POLICY_ROWS = 20;

/** A target OU, root or named account, and its sampled accounts with the root and OUs above each. */
export interface Target {
  readonly id: string;
  readonly accounts: readonly { readonly id: string; readonly path: readonly string[] }[];
}

/** One refusal, as found in the sampled accounts of a target. */
export interface ScpFinding {
  readonly target: Target;
  /** The first sampled account it was found in: where below the target it is attached. */
  readonly account: Target['accounts'][number];
  readonly refusal: ScpRefusal;
  readonly actions: Set<string>;
  readonly accounts: Set<string>;
  readonly regions: Set<string>;
}

export interface ScpSummary {
  readonly config: Pick<SweepConfig, 'memberRoleName' | 'mode'>;
  readonly calls: readonly RepairCall[];
  readonly regions: readonly string[];
  readonly samples: readonly Target[];
  /** Sampled accounts evaluated (the management account is not: no SCP applies to it). */
  readonly accounts: number;
  /** The names of the SCPs on the way, once each. */
  readonly policies: readonly string[];
  readonly findings: readonly ScpFinding[];
}

export interface BpaSample {
  readonly accountId: string;
  /** What the account's effective policy declares; `undefined`: nothing about Block Public Access. */
  readonly declared?: DeclaredBpa;
  /** Why its effective policy could not be read. */
  readonly unreadable?: string;
}

const SCPS = 'service control policies';
const DECLARATIVE = 'declarative policies';

/** `1 target`, `3 targets`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `ou-…`, `r-…`, or `account 111122223333`. */
const label = (id: string) => (/^\d{12}$/.test(id) ? `account ${id}` : id);

export function scpRows(summary: ScpSummary): CheckRow[] {
  const { config, calls, regions, samples, findings } = summary;
  const role = `the janitor's write role ${config.memberRoleName}`;
  if (calls.length === 0) {
    return [
      { check: SCPS, status: 'ok', detail: `${config.mode} mode: ${role} makes no repair call an SCP could refuse` },
    ];
  }
  if (findings.length === 0) {
    const actions = [...new Set(calls.map((call) => call.action))];
    return [
      {
        check: SCPS,
        status: 'ok',
        detail:
          summary.accounts === 0
            ? 'no target account to sample (the management account is not: no SCP applies to it)'
            : `${count(summary.policies.length, 'SCP')} (${listSome([...summary.policies], 4)}) from the root down to ${count(summary.accounts, 'sampled account')} of ${count(samples.length, 'target')} let ${role} make its repair calls (${listSome(actions, 4)}) in ${regions.join(', ')}`,
      },
    ];
  }
  const sorted = [...findings].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  return capped(
    SCPS,
    sorted.map((finding) => ({ check: SCPS, status: 'warn', detail: scpMessage(finding, summary, role) })),
  );
}

/** By target, then from the root down, then by SCP. */
const sortKey = ({ target, account, refusal }: ScpFinding) =>
  [
    target.id,
    String([...account.path, account.id].indexOf(refusal.targetId)).padStart(2, '0'),
    refusal.kind === 'deny' ? refusal.scp.id : '~',
  ].join(' ');

function scpMessage(finding: ScpFinding, summary: ScpSummary, role: string): string {
  const { refusal, target } = finding;
  const actions = [...finding.actions].join(', ');
  const where = whereAttached(finding);
  const sampled = target.accounts.length;
  const some = [
    finding.regions.size < summary.regions.length ? ` in ${[...finding.regions].join(', ')}` : '',
    finding.accounts.size < sampled
      ? ` in ${finding.accounts.size} of ${sampled} sampled accounts (${listSome([...finding.accounts])})`
      : '',
  ].join('');
  if (refusal.kind === 'no-allow') {
    return refusal.unsure
      ? `no SCP on ${where} surely allows ${actions} to ${role}${some}: one allows them only on ${refusal.unsure}, which doctor cannot know; SCPs are an allow list at every level`
      : `no SCP on ${where} allows ${actions} to ${role}${some}: SCPs are an allow list at every level, so those repairs fail there until one does`;
  }
  const scp =
    refusal.scp.name && refusal.scp.name !== refusal.scp.id
      ? `${refusal.scp.id} (${refusal.scp.name})`
      : refusal.scp.id;
  const statement = !refusal.statement
    ? 'a statement'
    : refusal.statement.startsWith('statement ')
      ? refusal.statement
      : `statement ${refusal.statement}`;
  return refusal.unsure
    ? `the SCP ${scp} on ${where} may deny ${actions} to ${role}${some}: its ${statement} depends on ${refusal.unsure}, which doctor cannot know; if it does, exempt the role there (aws:PrincipalArn)`
    : `the SCP ${scp} on ${where} denies ${actions} to ${role}${some}: exempt the role in its ${statement} (aws:PrincipalArn), or those repairs fail there`;
}

/** Where the refusing SCP is attached, said against the target: on it, above it, or below it. */
function whereAttached({ refusal, target, account }: ScpFinding): string {
  const chain = [...account.path, account.id];
  const at = chain.indexOf(refusal.targetId);
  const targetAt = chain.indexOf(target.id);
  if (refusal.targetId === target.id || at < 0 || targetAt < 0) return label(refusal.targetId);
  if (at < targetAt) return `${label(refusal.targetId)} (above ${label(target.id)})`;
  return refusal.targetId === account.id
    ? `${label(account.id)} itself (in ${label(target.id)})`
    : `${refusal.targetId} (below ${label(target.id)})`;
}

export function bpaRows(
  read: readonly { readonly target: Target; readonly accounts: readonly BpaSample[] }[],
): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const { target, accounts } of read) {
    const blocked = accounts.filter((sample) => sample.declared && sample.declared.mode !== 'off');
    const [first] = blocked;
    if (first?.declared) {
      const { mode, exclusionsAllowed } = first.declared;
      const exclusions =
        exclusionsAllowed === undefined
          ? ''
          : exclusionsAllowed
            ? ', exclusions allowed: a default VPC excluded with allow-bidirectional passes'
            : ', exclusions not allowed';
      const some = blocked.length < accounts.length ? `; ${blocked.length} of ${accounts.length} sampled accounts` : '';
      rows.push({
        check: DECLARATIVE,
        status: 'warn',
        detail: `a declarative policy turns on Block Public Access in ${label(target.id)}: restored routes carry no traffic there (${mode}${exclusions}${some})`,
      });
    }
    for (const sample of accounts.filter((item) => item.unreadable)) {
      rows.push({
        check: DECLARATIVE,
        status: 'warn',
        detail: `the effective EC2 declarative policy of account ${sample.accountId} (in ${label(target.id)}) cannot be read: ${sample.unreadable}`,
      });
    }
  }
  if (rows.length > 0) return capped(DECLARATIVE, rows);
  const sampled = read.reduce((count, { accounts }) => count + accounts.length, 0);
  return [
    {
      check: DECLARATIVE,
      status: 'ok',
      detail:
        sampled === 0
          ? 'no target account to sample'
          : `no declarative policy turns on Block Public Access in ${count(sampled, 'sampled account')} of ${count(read.length, 'target')}`,
    },
  ];
}

function capped(check: string, rows: readonly CheckRow[]): CheckRow[] {
  if (rows.length <= MAX_POLICY_ROWS) return [...rows];
  return [
    ...rows.slice(0, MAX_POLICY_ROWS),
    { check, status: 'warn', detail: `and ${rows.length - MAX_POLICY_ROWS} more like these` },
  ];
}

/** Organizations refused a read: what doctor needs to make it. */
export function readRefusedRow(check: string, action: string | undefined, code: string): CheckRow {
  const needs =
    check === SCPS
      ? 'organizations:ListParents, ListPoliciesForTarget and DescribePolicy'
      : 'organizations:ListParents and DescribeEffectivePolicy';
  return {
    check,
    status: 'warn',
    detail: `could not read the ${check}: ${action ?? 'a read'} was refused (${code}); doctor needs ${needs}, from the management account or a delegated administrator`,
  };
}
