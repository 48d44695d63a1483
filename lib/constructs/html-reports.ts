import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { onlyRoleWrites } from './function-defaults';
import { HTML_REPORT_BUCKET_VARIABLE, HTML_REPORT_PREFIX } from '../../lambda/contract/names';

/**
 * htmlReport: the nightly (and manual) run's HTML page in S3, private, one object a run under
 * `reports/`. With fanOut=distributed, the run bucket holds them; otherwise a bucket of its own.
 * The functions' role may put objects under `reports/` and nothing else there; the digest names
 * the page's S3 URI (read it with the console or `aws s3 cp`, never a public link).
 */

export interface HtmlReportsProps {
  /** The functions that publish a run's report (the sweep function; the distributed one). */
  readonly functions: readonly lambda.Function[];
  /** Their role. */
  readonly role: iam.IRole;
  /** The run bucket, with fanOut=distributed. */
  readonly bucket?: s3.Bucket;
}

/** How long a page stays: a year of nights, to look back on. */
const REPORT_RETENTION = Duration.days(400);

export class HtmlReports extends Construct {
  public readonly bucket: s3.Bucket;

  public constructor(scope: Construct, id: string, props: HtmlReportsProps) {
    super(scope, id);
    this.bucket = props.bucket ?? this.ownBucket();
    this.bucket.addLifecycleRule({ prefix: HTML_REPORT_PREFIX, expiration: REPORT_RETENTION });
    // The page a digest points to is the janitor's: no principal but the functions' role may write
    // or delete one, whatever its own IAM policies allow.
    onlyRoleWrites(this.bucket, HTML_REPORT_PREFIX, props.role, 'OnlyTheJanitorWritesReports');
    const policy = new iam.Policy(this, 'WritePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'HtmlReports',
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${HTML_REPORT_PREFIX}*`)],
        }),
      ],
    });
    policy.attachToRole(props.role);
    const bucketLogicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${HTML_REPORT_PREFIX}*]`,
      reason: "The runs' HTML pages, one object a run under reports/; nothing else in any bucket.",
    });
    for (const fn of props.functions) fn.addEnvironment(HTML_REPORT_BUCKET_VARIABLE, this.bucket.bucketName);
  }

  private ownBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Kept when the stack goes (as the log groups are); its objects expire on their own.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "The runs' HTML pages, written only by the janitor's functions and expired after 400 days; the function logs every run.",
    });
    return bucket;
  }
}
