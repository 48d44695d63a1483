import { HTML_REPORT_BUCKET_VARIABLE } from '../../lambda/contract/names';
import { evaluatePolicy, type AccessRequest, type PolicyDocument } from '../../lambda/core/iam-policy';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';
import type { ResolvedTemplate } from '../support/template-walk';

/**
 * htmlReport on the synthesized stack, as AWS would judge it: the functions that publish a run
 * are told the bucket, their role may put a page under reports/ (over TLS) and nothing else there,
 * the bucket is private and keeps a page 400 days; off, none of it exists.
 */

interface Publisher {
  readonly functionId: string;
  readonly bucket: string;
  readonly roleArn: string;
  readonly identityPolicies: readonly PolicyDocument[];
}

function publishers(resolved: ResolvedTemplate): Publisher[] {
  return resolved.ofType('AWS::Lambda::Function').flatMap(([functionId]) => {
    const variables = (resolved.property(functionId, 'Environment') as { Variables?: Record<string, unknown> })
      ?.Variables;
    const bucket = variables?.[HTML_REPORT_BUCKET_VARIABLE];
    if (typeof bucket !== 'string') return [];
    const roleArn = String(resolved.property(functionId, 'Role'));
    const roleId = resolved
      .ofType('AWS::IAM::Role')
      .find(([id]) => resolved.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) === roleArn)?.[0];
    const identityPolicies = resolved
      .ofType('AWS::IAM::Policy')
      .filter(([id]) => ((resolved.property(id, 'Roles') as string[] | undefined) ?? []).includes(String(roleId)))
      .map(([id]) => resolved.property(id, 'PolicyDocument') as PolicyDocument);
    return [{ functionId, bucket, roleArn, identityPolicies }];
  });
}

/** Allowed when an identity policy allows it and the bucket's policy denies nothing of it. */
function decide(
  resolved: ResolvedTemplate,
  publisher: Publisher,
  action: string,
  key: string,
  tls = true,
  principalArn = publisher.roleArn,
) {
  const bucketId = resolved
    .ofType('AWS::S3::Bucket')
    .find(([id]) => resolved.resolve({ Ref: id }) === publisher.bucket)?.[0];
  const bucketPolicy = resolved
    .ofType('AWS::S3::BucketPolicy')
    .find(([id]) => resolved.property(id, 'Bucket') === publisher.bucket)?.[0];
  if (bucketId === undefined) return 'no such bucket';
  const request: AccessRequest = {
    principal: { arn: principalArn },
    action,
    resource: `${String(resolved.resolve({ 'Fn::GetAtt': [bucketId, 'Arn'] }))}/${key}`,
    context: { 'aws:SecureTransport': String(tls), 'aws:PrincipalArn': principalArn },
  };
  const resourcePolicy = bucketPolicy
    ? (resolved.property(bucketPolicy, 'PolicyDocument') as PolicyDocument)
    : undefined;
  if (evaluatePolicy(resourcePolicy, request, 'account').decision === 'deny') return 'deny';
  return publisher.identityPolicies.some((policy) => evaluatePolicy(policy, request, 'identity').decision === 'allow')
    ? 'allow'
    : 'none';
}

const outputsOf = (resolved: ResolvedTemplate) =>
  (resolved.template as { Outputs?: Record<string, unknown> }).Outputs ?? {};

test.each([
  ['single', {}, ['Sweep']],
  ['distributed', { fanOut: 'distributed' }, ['Sweep', 'Distributed']],
] as const)(
  'htmlReport (%s): the publishing functions may put a page under reports/ only, in a private bucket',
  (_, extra, owners) => {
    const { resolved } = synthesizeStack({ ...TEST_CONTEXT, ...extra, htmlReport: 'true' });
    const found = publishers(resolved);
    expect(
      found.map((publisher) => owners.find((owner) => publisher.functionId.includes(`AccountJanitor${owner}`))),
    ).toEqual(owners);
    const [bucket] = new Set(found.map((publisher) => publisher.bucket));
    expect(new Set(found.map((publisher) => publisher.bucket)).size).toBe(1);
    for (const publisher of found) {
      expect(decide(resolved, publisher, 's3:PutObject', 'reports/2026/12/04/run.html')).toBe('allow');
      expect(decide(resolved, publisher, 's3:PutObject', 'reports/2026/12/04/run.html', false)).toBe('deny');
      expect(decide(resolved, publisher, 's3:PutObject', 'elsewhere/run.html')).toBe('none');
      expect(decide(resolved, publisher, 's3:DeleteObject', 'reports/2026/12/04/run.html')).toBe('none');
      // Nobody else may replace or delete a page a digest points to, whatever their own policies say.
      const admin = 'arn:aws:iam::111111111111:role/Admin';
      expect(decide(resolved, publisher, 's3:PutObject', 'reports/2026/12/04/run.html', true, admin)).toBe('deny');
      expect(decide(resolved, publisher, 's3:DeleteObject', 'reports/2026/12/04/run.html', true, admin)).toBe('deny');
    }
    const bucketId = resolved.ofType('AWS::S3::Bucket').find(([id]) => resolved.resolve({ Ref: id }) === bucket)?.[0];
    expect(resolved.property(String(bucketId), 'PublicAccessBlockConfiguration')).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(resolved.property(String(bucketId), 'LifecycleConfiguration')).toMatchObject({
      Rules: expect.arrayContaining([{ Prefix: 'reports/', ExpirationInDays: 400, Status: 'Enabled' }]),
    });
    expect(outputsOf(resolved)['HtmlReportBucketName']).toEqual({ Value: { Ref: bucketId } });
  },
);

test('without htmlReport, no function is told a bucket and no reports bucket exists', () => {
  const { resolved } = synthesizeStack({ ...TEST_CONTEXT });
  expect(publishers(resolved)).toEqual([]);
  expect(resolved.ofType('AWS::S3::Bucket')).toEqual([]);
  expect(outputsOf(resolved)['HtmlReportBucketName']).toBeUndefined();
});
