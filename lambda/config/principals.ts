import { z } from 'zod';

/**
 * The principals a deployment names, as IAM ARN patterns, defined once: responders
 * (`respectPrincipals`), the guard rail's exemptions (`guardRailExemptPrincipalArns`) and the
 * operators the member roles trust (`operatorPrincipalArns`, `operatorWritePrincipalArns`). The
 * partition is named (`aws`, `aws-cn`, `aws-us-gov`…), the account is a 12-digit account id, and
 * only the role, user or session name may carry IAM's wildcards (`*`, `?`), where the pattern is
 * matched as `ArnLike` does (a trust policy's principal takes none). A wildcard account would name
 * a role of that name in every account, one any member admin can create and then act as.
 */

/** An ARN's fields as a principal pattern has them: `arn:<partition>:<service>::<account>:<type>/<name>`. */
const ARN_FIELDS = /^arn:([^:]*):([^:]*)::([^:]*):([^/:]*)\/(.*)$/s;
const PARTITION = /^aws(-[a-z]+)*$/;
const ACCOUNT = /^\d{12}$/;
/** IAM's characters of a role, user or session name, with the path's `/`. */
const NAME = /^[\w+=,.@/-]{1,512}$/;
const WILDCARD_NAME = /^[\w+=,.@/*?-]{1,512}$/;

type PrincipalType = 'iam:role' | 'iam:user' | 'sts:assumed-role';

interface PrincipalKind {
  /** The `<service>:<type>` an ARN of this kind may have. */
  readonly types: readonly PrincipalType[];
  /** The name may carry `*` and `?` (the pattern is matched as IAM's `ArnLike`). */
  readonly wildcards: boolean;
  /** What is allowed, as the one-line message says it. */
  readonly allowed: string;
}

export const PRINCIPAL_KINDS = {
  /** respectPrincipals: matched against the caller's session ARN and its role's ARN. */
  responder: {
    types: ['iam:role', 'iam:user', 'sts:assumed-role'],
    wildcards: true,
    allowed:
      'an IAM role or user ARN or an STS session ARN such as arn:aws:iam::111122223333:role/IncidentResponse* (a 12-digit account id; wildcards * and ? in the name only)',
  },
  /** guardRailExemptPrincipalArns: the SCP's `ArnNotLike` on `aws:PrincipalArn`. */
  exempt: {
    types: ['iam:role', 'iam:user'],
    wildcards: true,
    allowed:
      'an IAM role or user ARN such as arn:aws:iam::111122223333:role/BreakGlass* (a 12-digit account id; wildcards * and ? in the name only)',
  },
  /** restoreEventPrincipalArns: the hub bus policy's `ArnLike` on `aws:PrincipalArn` (who may put a restore event). */
  restorer: {
    types: ['iam:role', 'iam:user'],
    wildcards: true,
    allowed:
      'an IAM role or user ARN such as arn:aws:iam::111122223333:role/CleanupPipeline (a 12-digit account id; wildcards * and ? in the name only)',
  },
  /** operatorPrincipalArns, operatorWritePrincipalArns: a trust policy's principal, exactly. */
  operator: {
    types: ['iam:role'],
    wildcards: false,
    allowed: 'an IAM role ARN such as arn:aws:iam::111122223333:role/Operator (a 12-digit account id, no wildcard)',
  },
} as const satisfies Record<string, PrincipalKind>;

export type PrincipalKindName = keyof typeof PRINCIPAL_KINDS;

/** What is wrong with a pattern of this kind, as one line; `undefined` when it is allowed. */
export function principalProblem(value: string, kindName: PrincipalKindName): string | undefined {
  const kind: PrincipalKind = PRINCIPAL_KINDS[kindName];
  const [, partition = '', service = '', account = '', type = '', name = ''] = ARN_FIELDS.exec(value) ?? [];
  const shaped =
    PARTITION.test(partition) &&
    kind.types.includes(`${service}:${type}` as PrincipalType) &&
    (kind.wildcards ? WILDCARD_NAME : NAME).test(name);
  if (!shaped) return `must be ${kind.allowed}`;
  if (!ACCOUNT.test(account)) {
    return `the account must be a 12-digit account id (a wildcard account matches a role any member admin can create); must be ${kind.allowed}`;
  }
  return undefined;
}

/** The schema of one pattern of this kind: the message of `principalProblem`. */
export function principalSchema(kindName: PrincipalKindName) {
  return z.string().superRefine((value, context) => {
    const problem = principalProblem(value, kindName);
    if (problem) context.addIssue({ code: 'custom', input: value, message: problem });
  });
}
