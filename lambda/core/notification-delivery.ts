import { evaluatePolicy, type AccessRequest, type PolicyDocument, type RequestPrincipal } from './iam-policy';

/**
 * Can a publisher (a CloudWatch alarm, the janitor's function role) deliver to the notifications
 * topic? The whole path AWS checks: the topic policy (SNS), then, for an encrypted topic, the key
 * policy (KMS), with the publisher's identity policies where those policies defer to its account.
 * Pure: the stack's template tests and `account-janitor doctor` both feed it, one from the
 * synthesized template, the other from the live resources. The emulator checks none of this.
 */

export interface Publisher {
  /** What the problems call it: "alarm AccountJanitor_DriftDetected", "the function role". */
  readonly name: string;
  readonly principal: RequestPrincipal;
  /** The ARN the request comes from (an alarm's), for `aws:SourceArn`. */
  readonly sourceArn?: string;
  /** The identity policies of an IAM principal (none for a service). */
  readonly identityPolicies?: readonly PolicyDocument[];
}

export interface NotificationPath {
  readonly topicArn: string;
  /** The topic's access policy; undefined when the topic has none (SNS's default applies). */
  readonly topicPolicy: PolicyDocument | undefined;
  /** The topic's KMS key ARN, when the topic is encrypted. */
  readonly keyArn?: string | undefined;
  readonly keyPolicy?: PolicyDocument | undefined;
  /** The key is the AWS managed SNS key (alias/aws/sns), whose policy no service may use. */
  readonly awsManagedKey?: boolean;
}

/** The KMS calls SNS makes for a publisher of an encrypted topic (`kms:GenerateDataKey*` covers the first). */
const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/** What stops this publisher from delivering; empty when it can. */
export function deliveryProblems(publisher: Publisher, path: NotificationPath): string[] {
  const topicAccount = accountOfArn(path.topicArn) ?? '';
  const service = 'service' in publisher.principal;
  // A service acting for a resource sends its ARN and account; an IAM principal sends neither.
  const sourceAccount = service ? (accountOfArn(publisher.sourceArn ?? '') ?? topicAccount) : undefined;
  const ownerAccount = sourceAccount ?? accountOfArn((publisher.principal as { arn: string }).arn) ?? '';
  const context: Record<string, string> = {
    'aws:SecureTransport': 'true',
    ...(service && sourceAccount ? { 'aws:SourceAccount': sourceAccount } : {}),
    ...(service && publisher.sourceArn ? { 'aws:SourceArn': publisher.sourceArn } : {}),
    // SNS's own default policy keys on the owner of the publishing resource or principal.
    'aws:SourceOwner': ownerAccount,
    'kms:EncryptionContext:aws:sns:topicArn': path.topicArn,
  };
  const request = (action: string, resource: string): AccessRequest => ({
    principal: publisher.principal,
    action,
    resource,
    context,
  });
  const problems: string[] = [];

  // SNS: a service needs the topic policy; a principal of the topic's account may rely on its own policy.
  const publish = decide(
    publisher,
    path.topicPolicy ?? defaultTopicPolicy(path.topicArn, topicAccount),
    request('sns:Publish', path.topicArn),
    topicAccount,
    true,
  );
  if (publish !== 'allow') {
    problems.push(
      publish === 'deny'
        ? `${publisher.name}: sns:Publish on ${path.topicArn} is denied explicitly`
        : `${publisher.name}: the topic policy of ${path.topicArn} allows ${describePrincipal(publisher.principal)} no sns:Publish (with aws:SourceArn ${publisher.sourceArn ?? '-'}, aws:SourceAccount ${sourceAccount ?? '-'})`,
    );
  }

  if (!path.keyArn) return problems;
  if (path.awsManagedKey) {
    problems.push(
      `${publisher.name}: the topic is encrypted with the AWS managed key alias/aws/sns, whose key policy lets no other service use it`,
    );
    return problems;
  }
  const keyAccount = accountOfArn(path.keyArn) ?? '';
  for (const action of KMS_ACTIONS) {
    const decision = decide(publisher, path.keyPolicy, request(action, path.keyArn), keyAccount, false);
    if (decision === 'allow') continue;
    problems.push(
      decision === 'deny'
        ? `${publisher.name}: ${action} on the topic's key ${path.keyArn} is denied explicitly`
        : `${publisher.name}: the key policy of ${path.keyArn} allows ${describePrincipal(publisher.principal)} no ${action} (with aws:SourceArn ${publisher.sourceArn ?? '-'}, aws:SourceAccount ${sourceAccount ?? '-'})`,
    );
  }
  return problems;
}

/**
 * One resource's decision for one request: an explicit deny anywhere wins; a statement naming the
 * publisher allows; a statement naming its account allows when its own policies allow too; a
 * principal of the resource's account may also rely on its own policies alone where the service
 * allows that (SNS does, KMS does not).
 */
function decide(
  publisher: Publisher,
  resourcePolicy: PolicyDocument | undefined,
  request: AccessRequest,
  resourceAccount: string,
  identityAloneSuffices: boolean,
): 'allow' | 'deny' | 'none' {
  const identities = publisher.identityPolicies ?? [];
  const byIdentity = identities.map((policy) => evaluatePolicy(policy, request, 'identity').decision);
  if (evaluatePolicy(resourcePolicy, request, 'account').decision === 'deny' || byIdentity.includes('deny')) {
    return 'deny';
  }
  if (evaluatePolicy(resourcePolicy, request, 'direct').decision === 'allow') return 'allow';
  if (!('arn' in publisher.principal) || accountOfArn(publisher.principal.arn) !== resourceAccount) return 'none';
  const identityAllows = byIdentity.includes('allow');
  const accountAllowed = evaluatePolicy(resourcePolicy, request, 'account').decision === 'allow';
  return identityAllows && (accountAllowed || identityAloneSuffices) ? 'allow' : 'none';
}

/** SNS's default topic policy (the publishing part): anyone acting for the owner account may publish. */
function defaultTopicPolicy(topicArn: string, account: string): PolicyDocument {
  return {
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'SNS:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
}

export function accountOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

function describePrincipal(principal: RequestPrincipal): string {
  return 'service' in principal ? principal.service : principal.arn;
}
