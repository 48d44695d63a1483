/**
 * A small, pure evaluator of IAM policy documents: does this statement list allow or deny one
 * request? It knows what the janitor's own policies use (principals, wildcard actions and
 * resources, the string, ARN, Bool and Null condition operators, `…IfExists`, the set operators
 * over multivalued keys, policy variables in condition values) and what service control policies
 * add (NotAction, `aws:PrincipalArn` under the negated operators), and treats anything else
 * pessimistically: an Allow with a condition it cannot read does not allow, a Deny with one
 * denies, and says it is unsure. So a "yes" from it is one AWS would give too; a "no" may be too
 * cautious, never too kind.
 *
 * Why not a library: the one full simulator on npm (@cloud-copilot/iam-simulate) is AGPL-3.0,
 * which this Apache-2.0 project cannot ship.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** Who is asking: an AWS service, or an IAM principal (role, user, account root) by ARN. */
export type RequestPrincipal = { readonly service: string } | { readonly arn: string };

export interface AccessRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /**
   * Condition keys of the request (`aws:SourceArn`, `aws:SecureTransport`…), as strings; a
   * multivalued key (`ArrayOf…` in the Service Authorization Reference: `aws:TagKeys`,
   * `events:source` of PutEvents…) as a list, even of one value, and an empty list when the
   * request carries the key with no value.
   */
  readonly context: Readonly<Record<string, RequestValue>>;
  /**
   * Keys the request may carry with a value not known here (`aws:PrincipalTag/*`; `*` for any key
   * the context lacks): a condition block on one cannot be read, and is read pessimistically as an
   * unknown operator is. Without it, a key the context lacks is absent from the request.
   */
  readonly unknownKeys?: readonly string[];
}

/** One value of a single-valued key, or the values of a multivalued one. */
export type RequestValue = string | readonly string[];

export type Decision = 'allow' | 'deny' | 'none';

export interface Evaluation {
  readonly decision: Decision;
  /** The Sid (or position) of the statement that decided, for messages. */
  readonly statement?: string;
  /**
   * What the decision rests on that could not be read (`a condition on aws:PrincipalTag/team`,
   * `the operator DateGreaterThan`): a `deny` with it may not deny (no certain Deny applies); a
   * `none` with it may have been an `allow`. Absent when the decision is certain.
   */
  readonly unsure?: string;
}

/** Parses a policy JSON string (as SNS and KMS return them); undefined when there is none. */
export function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined || text === '') return undefined;
  const parsed = JSON.parse(text) as PolicyDocument;
  return parsed;
}

export function statementsOf(policy: PolicyDocument | undefined): readonly PolicyStatement[] {
  if (!policy) return [];
  const statement: PolicyStatement | readonly PolicyStatement[] = policy.Statement;
  return isStatementList(statement) ? statement : [statement];
}

function isStatementList(
  statement: PolicyStatement | readonly PolicyStatement[],
): statement is readonly PolicyStatement[] {
  return Array.isArray(statement);
}

/**
 * How a policy's principals are read: `identity` policies name none; a resource policy's `direct`
 * reading counts only statements naming the principal itself (or `*`); the `account` reading also
 * counts statements naming its account, which in AWS only hand the decision to the account's own
 * IAM policies.
 */
export type PrincipalReading = 'identity' | 'direct' | 'account';

/**
 * An explicit Deny wins; else an Allow allows; else nothing is said (`none`). A Deny that applies
 * only on a pessimistic reading gives way to a certain one, and says so (`unsure`).
 */
export function evaluatePolicy(
  policy: PolicyDocument | undefined,
  request: AccessRequest,
  reading: PrincipalReading,
): Evaluation {
  let allowedBy: string | undefined;
  let unsureDeny: Evaluation | undefined;
  let unreadAllow: string | undefined;
  for (const [index, statement] of statementsOf(policy).entries()) {
    const applies = statementApplies(statement, request, reading);
    const name = statement.Sid ?? `statement ${index + 1}`;
    const deny = statement.Effect === 'Deny';
    if (applies === true) {
      if (deny) return { decision: 'deny', statement: name };
      allowedBy ??= name;
    } else if (applies !== false) {
      // Read pessimistically: a Deny applies, an Allow does not; either way, not for certain.
      if (deny) unsureDeny ??= { decision: 'deny', statement: name, unsure: applies.unread };
      else unreadAllow ??= applies.unread;
    }
  }
  if (unsureDeny) return unsureDeny;
  if (allowedBy) return { decision: 'allow', statement: allowedBy };
  return unreadAllow ? { decision: 'none', unsure: unreadAllow } : { decision: 'none' };
}

/** Whether a statement applies: yes, no, or cannot be told (what could not be read). */
type Applies = boolean | { readonly unread: string };

function statementApplies(statement: PolicyStatement, request: AccessRequest, reading: PrincipalReading): Applies {
  const deny = statement.Effect === 'Deny';
  if (reading !== 'identity') {
    // A Deny naming the account applies to all of its principals, whatever the reading.
    const viaAccount = reading === 'account' || deny;
    if (statement.Principal !== undefined && !principalMatches(statement.Principal, request.principal, viaAccount)) {
      return false;
    }
    if (statement.NotPrincipal !== undefined && principalMatches(statement.NotPrincipal, request.principal, true)) {
      return false;
    }
  }
  if (statement.Action !== undefined && !anyMatches(statement.Action, request.action, true)) return false;
  if (statement.NotAction !== undefined && anyMatches(statement.NotAction, request.action, true)) return false;
  if (statement.Resource !== undefined && !anyMatches(statement.Resource, request.resource, false)) return false;
  if (statement.NotResource !== undefined && anyMatches(statement.NotResource, request.resource, false)) return false;
  return conditionsHold(statement.Condition, request);
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `*` and `?` wildcards, as IAM reads them; actions compare without case. */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const expression = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${expression}$`, ignoreCase ? 'is' : 's').test(value);
}

function anyMatches(patterns: string | readonly string[], value: string, ignoreCase: boolean): boolean {
  return asList(patterns).some((pattern) => wildcardMatches(pattern, value, ignoreCase));
}

function principalMatches(principal: unknown, requester: RequestPrincipal, viaAccount: boolean): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const map = principal as Record<string, unknown>;
  // {"AWS": "*"} means anyone, as "*" does: services included.
  if (asList(map['AWS']).includes('*')) return true;
  if ('service' in requester) return asList(map['Service']).includes(requester.service);
  const accountOf = (arn: string) => /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
  return asList(map['AWS']).some((entry) => {
    if (entry === '*' || entry === requester.arn) return true;
    if (!viaAccount) return false;
    // An account (its id or its root) as principal stands for every principal of that account.
    const account = /^\d{12}$/.test(entry) ? entry : /^arn:[^:]+:iam::(\d{12}):root$/.exec(entry)?.[1];
    return account !== undefined && account === accountOf(requester.arn);
  });
}

/**
 * Every operator block must hold. Condition key names compare without case, as in AWS. A key the
 * request lacks fails the block (it holds with `…IfExists`, and for negated operators; with the
 * set operators, `ForAnyValue:` over no value fails and `ForAllValues:` holds: an empty set is
 * a subset of anything). A single-valued operator never matches a multivalued key, negated or
 * not: IAM requires a set operator there. A set operator reads a single-valued key as a set of
 * one. `Null` asks whether the key is absent (no value at all). A block that cannot be read (an
 * operator not known here, a key of `unknownKeys`, a variable the request lacks) makes the answer
 * unsure, unless another block fails for certain: the caller reads it pessimistically (an Allow
 * does not allow, a Deny denies).
 */
function conditionsHold(condition: PolicyStatement['Condition'], request: AccessRequest): Applies {
  if (!condition) return true;
  const byLowerKey = new Map(Object.entries(request.context).map(([key, value]) => [key.toLowerCase(), value]));
  const unknown = (key: string) =>
    !byLowerKey.has(key.toLowerCase()) &&
    (request.unknownKeys ?? []).some((pattern) => wildcardMatches(pattern, key, true));
  let unread: string | undefined;
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(keys)) {
      const values = substituteVariables(asList(expected), byLowerKey);
      const result =
        unknown(key) || !values ? undefined : testOperator(operator, byLowerKey.get(key.toLowerCase()), values);
      if (result === false) return false;
      if (result === undefined) {
        unread ??= unknown(key)
          ? `a condition on ${key}`
          : !values
            ? `a policy variable in ${operator} ${key}`
            : `the operator ${operator}`;
      }
    }
  }
  return unread ? { unread } : true;
}

/**
 * Policy variables in condition values (`${aws:ResourceOrgID}`) take the request's value of that
 * key; a variable the request lacks (or a multivalued key, which IAM refuses as a variable) leaves
 * the block unreadable (`undefined`).
 */
function substituteVariables(values: string[], context: ReadonlyMap<string, RequestValue>): string[] | undefined {
  let unresolved = false;
  const substituted = values.map((value) =>
    value.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
      const resolved = context.get(key.toLowerCase());
      if (typeof resolved !== 'string') unresolved = true;
      return typeof resolved === 'string' ? resolved : '';
    }),
  );
  return unresolved ? undefined : substituted;
}

function testOperator(operator: string, actual: RequestValue | undefined, expected: string[]): boolean | undefined {
  const absent = actual === undefined || (typeof actual !== 'string' && actual.length === 0);
  if (operator.toLowerCase() === 'null') {
    return expected.some((value) => value.toLowerCase() === String(absent));
  }
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(operator);
  const single = set ? (set[2] ?? '') : operator;
  const ifExists = single.endsWith('IfExists');
  const base = ifExists ? single.slice(0, -'IfExists'.length) : single;
  const compare = comparator(base);
  if (!compare) return undefined;
  const negated = /Not(Equals|Like)/.test(base);
  const matchesOne = (value: string) => {
    const any = expected.some((candidate) => compare(candidate, value));
    return negated ? !any : any;
  };
  if (set) {
    const requestValues = actual === undefined ? [] : typeof actual === 'string' ? [actual] : actual;
    return set[1] === 'ForAllValues' ? requestValues.every(matchesOne) : requestValues.some(matchesOne);
  }
  if (actual === undefined) return ifExists || negated;
  if (typeof actual !== 'string') return false;
  return matchesOne(actual);
}

function comparator(operator: string): ((expected: string, actual: string) => boolean) | undefined {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return (expected, actual) => expected === actual;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return (expected, actual) => expected.toLowerCase() === actual.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return (expected, actual) => wildcardMatches(expected, actual);
    // ArnEquals takes wildcards per component too: the same comparison as ArnLike.
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return arnMatches;
    case 'Bool':
      return (expected, actual) => expected.toLowerCase() === actual.toLowerCase();
    default:
      return undefined;
  }
}

/**
 * ArnLike: each of the six colon-separated components of the ARN (the last takes the rest, colons
 * and all) matched on its own, so a wildcard never spans a colon into the next component.
 */
function arnMatches(pattern: string, arn: string): boolean {
  const components = (text: string) => {
    const parts = text.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const expected = components(pattern);
  const actual = components(arn);
  if (!expected || !actual) return false;
  return expected.every((component, index) => wildcardMatches(component, actual[index] ?? ''));
}
