import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccountJanitor } from './account-janitor';
import type { AccountJanitorProps } from './account-janitor-props';
import { DEPLOYMENT_KEYS, type DeploymentConfig } from './config';

/** The deployable stack: one AccountJanitor, configured from CDK context. */
export class AccountJanitorStack extends Stack {
  public readonly janitor: AccountJanitor;

  public constructor(scope: Construct, id: string, config: DeploymentConfig, props?: StackProps) {
    super(scope, id, {
      description: 'account-janitor: keeps the default VPC internet route of the test accounts in place',
      ...props,
    });
    this.janitor = new AccountJanitor(this, 'AccountJanitor', accountJanitorProps(config));
  }
}

type DeploymentKey = (typeof DEPLOYMENT_KEYS)[number];

/**
 * Each deployment setting (lib/deployment-settings.ts) as the construct's prop of the same name.
 * Typed over the table: a setting with no entry here, or with no prop of its name, fails tsc (the
 * entry's type is then `never`); test/infra/deployment-props.test.ts shows that each one changes
 * the template, or is marked `synthGuard` in its table entry.
 */
export const PROP_OF_SETTING = {
  schedule: same,
  timeZone: same,
  notificationEmails: same,
  deployMemberRole: same,
  memberRoleTargetOuIds: same,
  memberRoleBeyondTargets: same,
  operatorPrincipalArns: same,
  guardRailExemptPrincipalArns: same,
  operatorWritePrincipalArns: same,
  eventDrivenRepair: same,
  eventProbe: same,
  intakeConcurrency: same,
  intakeLogRetention: same,
  quietPeriod: seconds,
  maxQuietPeriod: seconds,
  eventRegions: same,
  fanOut: same,
  batchSize: same,
  maxBatchesInFlight: same,
  slackChannels: same,
  teamsChannels: same,
  htmlReport: same,
  stackSetCallAs: same,
  restoreOn: same,
  innovationSandboxEventBusArn: same,
  restoreEventPrincipalArns: same,
} as const satisfies {
  readonly [K in DeploymentKey]: K extends keyof AccountJanitorProps
    ? (value: DeploymentConfig[K]) => AccountJanitorProps[K]
    : never;
};

/** The construct's props from the deployment's configuration: the sweep, and each setting by PROP_OF_SETTING. */
export function accountJanitorProps(config: DeploymentConfig): AccountJanitorProps {
  const settings = DEPLOYMENT_KEYS.map((key) => [
    key,
    (PROP_OF_SETTING[key] as (value: unknown) => unknown)(config[key]),
  ]);
  return { ...(Object.fromEntries(settings) as Omit<AccountJanitorProps, 'sweep'>), sweep: config.sweep };
}

function same<T>(value: T): T {
  return value;
}

/** Context gives durations in seconds; the construct takes a Duration. */
function seconds(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.seconds(value);
}
