import { z } from 'zod';
import { GUARD_RAIL_STATEMENT_IDS, MEMBER_DENY_STATEMENT_ID } from '../contract/permissions';

/**
 * Which policy refused a call, as precisely as AWS's answer lets it be said, and what a person does
 * about it. Pure: decided from AWS's message and, for EC2, from the document
 * `sts:DecodeAuthorizationMessage` made of it (the AWS call is in aws/sts.ts).
 *
 * AWS says it two ways. Most services name the kind of policy in clear ("… with an explicit deny in
 * a service control policy", "… because no identity-based policy allows the ec2:CreateRoute
 * action"). EC2 says "You are not authorized to perform this operation. Encoded authorization
 * failure message: …": the decoded document (STS API reference; IAM User Guide, "Use
 * DecodeAuthorizationMessage with a CLI") reads
 * `{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"statementId":"…","effect":"DENY",…}]},"failures":{"items":[]},"context":{"principal":{…},"action":"…","resource":"…","conditions":{"items":[…]}}}`
 * and names no policy type either: only the statements that matched. The janitor's member roles
 * deny nothing but writes to ignored resources (MEMBER_DENY_STATEMENT_ID), so any other explicit
 * deny comes from outside the role. Both texts come from the member account, whose admin writes
 * its policies: they are validated and bounded here, never trusted.
 */

/** The longest encoded message STS decodes (DecodeAuthorizationMessage's `EncodedMessage`). */
export const MAX_ENCODED_MESSAGE = 10_240;
/** The longest decoded document read: a denial's statements and context, with room to spare. */
export const MAX_DECODED_MESSAGE = 65_536;
/** Matched statements read of a decoded document. */
const MAX_MATCHED_STATEMENTS = 100;
/** The longest statement id named in a row. */
const MAX_STATEMENT_ID = 128;

/** The policy types AWS names in a clear-text denial (IAM User Guide, "Troubleshoot access denied error messages"). */
const POLICY_TYPE =
  '(service control policy|resource control policy|permissions boundary|identity-based policy|resource-based policy|session policy|VPC endpoint policy)';
const EXPLICIT_DENY = new RegExp(`with an explicit deny in an? ${POLICY_TYPE}`, 'i');
const NOT_ALLOWED = new RegExp(`because no ${POLICY_TYPE} allows`, 'i');
/** EC2's form: the message's encoded part, as long as STS takes (a longer one is cut, not decodable). */
const ENCODED = /Encoded authorization failure message: ?([A-Za-z0-9_\-+/=]{1,10240})(?![A-Za-z0-9_\-+/=])/;

/** Statements of others' policies that AWS documents, named by their Sid. */
export const KNOWN_STATEMENTS: Readonly<Record<string, string>> = {
  // Control Tower, "Deny access to AWS based on the requested AWS Region" (the landing zone's Region deny control).
  GRREGIONDENY: "Control Tower's Region deny control",
  // Control Tower's data residency control "Disallow internet access for an Amazon VPC instance managed
  // by a customer": denies CreateInternetGateway, AttachInternetGateway, CreateDefaultVpc and
  // CreateDefaultSubnet to all but AWSControlTowerExecution.
  GRDISALLOWVPCINTERNETACCESS:
    "Control Tower's data residency control “Disallow internet access for an Amazon VPC instance managed by a customer” (it exempts only AWSControlTowerExecution)",
  ...Object.fromEntries(
    Object.values(GUARD_RAIL_STATEMENT_IDS).map((sid) => [
      sid,
      "the janitor's own guard rail (protectDefaultPath=enforce)",
    ]),
  ),
};

/** What a refusal's message says before any decoding: a policy named in clear, EC2's encoded form, or neither. */
export type DenialMessage =
  | { readonly form: 'clear'; readonly explicit: boolean; readonly policyType: string }
  | { readonly form: 'encoded'; readonly encoded: string }
  | { readonly form: 'none' };

export function denialMessageOf(message: string): DenialMessage {
  const explicit = EXPLICIT_DENY.exec(message);
  if (explicit?.[1]) return { form: 'clear', explicit: true, policyType: explicit[1] };
  const notAllowed = NOT_ALLOWED.exec(message);
  if (notAllowed?.[1]) return { form: 'clear', explicit: false, policyType: notAllowed[1] };
  const encoded = ENCODED.exec(message)?.[1];
  return encoded ? { form: 'encoded', encoded } : { form: 'none' };
}

const boolish = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const statementSchema = z.object({
  statementId: z.string().max(MAX_STATEMENT_ID).optional(),
  effect: z.string().max(16).optional(),
});

/** The fields of a decoded document read here; anything else in it is ignored. */
const decodedSchema = z.object({
  allowed: boolish,
  explicitDeny: boolish,
  // Absent, empty (`""` in one of AWS's examples) or not as expected: no statement is named.
  matchedStatements: z
    .object({ items: z.array(statementSchema).max(MAX_MATCHED_STATEMENTS) })
    .optional()
    .catch(undefined),
});

/** A decoded refusal: whether a Deny matched, and the statements that did. */
export interface DecodedDenial {
  readonly explicitDeny: boolean;
  /** The Sids of the matched Deny statements, in AWS's order (a statement without one is left out). */
  readonly denyStatementIds: readonly string[];
}

/** The decoded document, read; `undefined` when it is not one (too long, not JSON, not of its shape, or allowed). */
export function parseDecodedMessage(text: string): DecodedDenial | undefined {
  if (text.length > MAX_DECODED_MESSAGE) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = decodedSchema.safeParse(json);
  if (!parsed.success || parsed.data.allowed) return undefined;
  const items = parsed.data.matchedStatements?.items ?? [];
  const denyStatementIds = items
    .filter((item) => item.effect === undefined || item.effect.toUpperCase() === 'DENY')
    .flatMap((item) => (item.statementId ? [item.statementId] : []));
  return { explicitDeny: parsed.data.explicitDeny, denyStatementIds };
}

/** What decoding EC2's message came to: the document's text, or the reason there is none. */
export type Decoding = { readonly text: string } | { readonly failed: string };

/** The kinds of refusal, from the most to the least precise. */
export type RefusalKind =
  /** A service control policy: named in clear, or a statement AWS documents as one (Control Tower's, the guard rail's). */
  | 'service-control-policy'
  /** An explicit deny by a statement that is not the member role's: a service control policy or a permissions boundary. */
  | 'outside-role'
  /** Another policy type named in clear (a permissions boundary, a VPC endpoint policy…). */
  | 'named'
  /** The write role's own deny: the resource is tagged account-janitor:ignore. */
  | 'member-role-deny'
  /** No explicit deny: no policy allows the call (the role's own policy lacks it). */
  | 'not-allowed'
  /** EC2's message could not be decoded. */
  | 'unknown';

/** A refused call, explained. */
export interface PolicyRefusal {
  readonly kind: RefusalKind;
  /** The policy: "a service control policy (Control Tower's Region deny control, statement GRREGIONDENY)". */
  readonly policy: string;
  /** What became of the call, as a row says it: "denied by <policy>", or "not allowed: no policy allows <action>". */
  readonly said: string;
  /**
   * An explicit deny from outside the member role's own policies: what a region-deny SCP is (on a
   * read, the region is denied, not the role broken).
   */
  readonly outsideRole: boolean;
  /** The matched Deny statement named, if any. */
  readonly statementId: string | null;
  /** What a person does about it. */
  readonly nextStep: string;
}

/** Who was refused what: the member role assumed and the IAM action. */
export interface RefusalSubject {
  readonly roleName: string;
  readonly action: string;
}

/**
 * The refusal a message (and, for EC2's encoded form, its decoding) explains. A message that names
 * no policy and has nothing to decode, or one that could not be decoded, is "denied by a policy".
 */
export function explainRefusal(message: string, subject: RefusalSubject, decoding?: Decoding): PolicyRefusal {
  const said = denialMessageOf(message);
  if (said.form === 'clear') return clearRefusal(said.explicit, said.policyType, subject);
  const decoded = decoding && 'text' in decoding ? parseDecodedMessage(decoding.text) : undefined;
  if (!decoded) {
    const why =
      said.form === 'none'
        ? "AWS's message names none"
        : `EC2's encoded message could not be decoded: ${decoding && 'failed' in decoding ? decoding.failed : 'not a decoded refusal'}`;
    const policy = `a policy (${why})`;
    return {
      kind: 'unknown',
      policy,
      said: `denied by ${policy}`,
      outsideRole: false,
      statementId: null,
      nextStep: `${said.form === 'encoded' ? 'decode it in the account (aws sts decode-authorization-message), then ' : 'find the policy, then '}exempt the janitor's write role (${subject.roleName}) in it, or allow the role ${subject.action}`,
    };
  }
  return decodedRefusal(decoded, subject);
}

const exemptIn = (policy: string, subject: RefusalSubject) =>
  `exempt the janitor's write role (${subject.roleName}) in ${policy}, e.g. an ArnNotLike aws:PrincipalArn condition naming arn:aws:iam::*:role/${subject.roleName}`;

function clearRefusal(explicit: boolean, policyType: string, subject: RefusalSubject): PolicyRefusal {
  const type = policyType.toLowerCase() === 'vpc endpoint policy' ? 'VPC endpoint policy' : policyType.toLowerCase();
  const policy = `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}`;
  const scp = type === 'service control policy';
  if (!explicit) {
    return {
      kind: 'not-allowed',
      policy: `no ${type}`,
      said: `not allowed: no ${type} allows ${subject.action}`,
      outsideRole: false,
      statementId: null,
      nextStep:
        type === 'identity-based policy'
          ? notAllowedStep(subject)
          : `allow ${subject.action} to the janitor's write role (${subject.roleName}) in the ${type}`,
    };
  }
  const outsideRole = type !== 'identity-based policy' && type !== 'session policy';
  return {
    kind: scp ? 'service-control-policy' : 'named',
    policy,
    said: `denied by ${policy}`,
    outsideRole,
    statementId: null,
    nextStep: exemptIn(`that ${type}`, subject),
  };
}

const notAllowedStep = (subject: RefusalSubject) =>
  `the member role's policy lacks ${subject.action}: deploy the member role (its StackSet) for this configuration, or an allow-list SCP or permissions boundary leaves it out`;

function decodedRefusal(decoded: DecodedDenial, subject: RefusalSubject): PolicyRefusal {
  if (!decoded.explicitDeny) {
    return {
      kind: 'not-allowed',
      policy: 'no policy',
      said: `not allowed: no policy allows ${subject.action} (no explicit deny)`,
      outsideRole: false,
      statementId: null,
      nextStep: notAllowedStep(subject),
    };
  }
  const ids = decoded.denyStatementIds;
  const known = ids.find((id) => KNOWN_STATEMENTS[id] !== undefined);
  if (known) {
    const policy = `a service control policy (${KNOWN_STATEMENTS[known]}, statement ${known})`;
    return {
      kind: 'service-control-policy',
      policy,
      said: `denied by ${policy}`,
      outsideRole: true,
      statementId: known,
      nextStep: knownStep(known, subject),
    };
  }
  const other = ids.find((id) => id !== MEMBER_DENY_STATEMENT_ID);
  if (other !== undefined || ids.length === 0) {
    const statement = other === undefined ? '' : `; statement ${other}`;
    const policy = `a policy outside the member role's own (a service control policy or a permissions boundary${statement})`;
    return {
      kind: 'outside-role',
      policy,
      said: `denied by ${policy}`,
      outsideRole: true,
      statementId: other ?? null,
      nextStep: exemptIn('that policy', subject),
    };
  }
  const policy = `the member role's own deny (statement ${MEMBER_DENY_STATEMENT_ID})`;
  return {
    kind: 'member-role-deny',
    policy,
    said: `denied by ${policy}`,
    outsideRole: false,
    statementId: MEMBER_DENY_STATEMENT_ID,
    nextStep: 'the resource is tagged account-janitor:ignore: remove the tag for the janitor to repair it',
  };
}

function knownStep(statementId: string, subject: RefusalSubject): string {
  if (statementId === 'GRDISALLOWVPCINTERNETACCESS') {
    return 'the control exempts only AWSControlTowerExecution: keep this repair off for the OUs it governs, or remove the control from them';
  }
  if (statementId === 'GRREGIONDENY')
    return 'the region is not governed: remove it from the configured regions, or govern it in the landing zone';
  if ((Object.values(GUARD_RAIL_STATEMENT_IDS) as string[]).includes(statementId)) {
    return `the guard rail exempts another write role: deploy it with memberRoleName ${subject.roleName}`;
  }
  return exemptIn('that policy', subject);
}

/**
 * A breaking call heard refused (CloudTrail's record, on the event path), judged by its decoded
 * message: the guard rail's own statement refused it, another policy did, or the message could not
 * be decoded.
 */
export function guardRailVerdict(decoding: Decoding): 'guard-rail' | 'other-policy' | 'unknown' {
  const decoded = 'text' in decoding ? parseDecodedMessage(decoding.text) : undefined;
  if (!decoded) return 'unknown';
  const guardRail = Object.values(GUARD_RAIL_STATEMENT_IDS) as string[];
  return decoded.explicitDeny && decoded.denyStatementIds.some((id) => guardRail.includes(id))
    ? 'guard-rail'
    : 'other-policy';
}
