import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { janitorLogGroup } from './function-defaults';
import { nagEnvironment } from './nag';

/**
 * The organization id, read at deploy time (Organizations DescribeOrganization, from the account
 * the stack deploys to: the management account or a delegated administrator may both call it).
 * Without an expected id its answer is what the hub's bus policy admits and the function checks
 * itself against. With one (organizationId given in the context, which then wins), the lookup's
 * own permission holds only for principals of that organization (`aws:PrincipalOrgID`): in any
 * other organization DescribeOrganization is refused, the custom resource fails, and the deploy
 * stops before anything trusts the wrong organization.
 */
export interface OrganizationLookupProps {
  /** The organization the context names: the deploy fails unless the stack's account is in it. */
  readonly expectedOrganizationId?: string;
}

export class OrganizationLookup extends Construct {
  /** The organization id: the expected one, or a token known once the stack deploys. */
  public readonly organizationId: string;

  public constructor(scope: Construct, id: string, props: OrganizationLookupProps = {}) {
    super(scope, id);
    const expected = props.expectedOrganizationId;
    const lookup = new cr.AwsCustomResource(this, 'DescribeOrganization', {
      onUpdate: {
        service: 'Organizations',
        action: 'DescribeOrganization',
        physicalResourceId: cr.PhysicalResourceId.fromResponse('Organization.Id'),
        outputPaths: ['Organization.Id'],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // DescribeOrganization takes no resource.
        new iam.PolicyStatement({
          actions: ['organizations:DescribeOrganization'],
          resources: ['*'],
          ...(expected ? { conditions: { StringEquals: { 'aws:PrincipalOrgID': expected } } } : {}),
        }),
      ]),
      installLatestAwsSdk: false,
      logGroup: janitorLogGroup(this, 'Logs'),
    });
    Validations.of(lookup).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'organizations:DescribeOrganization takes no resource: * is the only resource it can be granted on.',
    });
    // The custom resource's one function (a singleton of the stack) logs with the basic execution role.
    Validations.of(lookup.grantPrincipal as unknown as IConstruct).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:${nagEnvironment(this).partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
      reason: "The AwsCustomResource singleton function's own role (CDK's): CloudWatch Logs writes only.",
    });
    this.organizationId = expected ?? lookup.getResponseField('Organization.Id');
  }
}
