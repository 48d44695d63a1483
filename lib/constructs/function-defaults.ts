import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { sweepConfigToEnvironment } from '../../lambda/config/environment';
import type { SweepConfig } from '../../lambda/config/schema';
import { NODE_RUNTIME_FLAGS } from '../../lambda/contract/runtime';

/** What the account-janitor functions (sweep, event intake, distributed sweep) share. */

/** This package's root: two levels up from lib/constructs (sources) or dist/lib/constructs (built). */
const PACKAGE_ROOT = path.resolve(
  __dirname,
  '..',
  '..',
  ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []),
);
const PACKAGE_LOCK = path.join(PACKAGE_ROOT, 'package-lock.json');
/**
 * A handler (`handler`, `events/intake-handler`): its TypeScript source in this repository, its
 * compiled JavaScript when installed as a library.
 */
function handlerEntry(name: string): string {
  const entries = [
    path.join(PACKAGE_ROOT, 'lambda', `${name}.ts`),
    path.join(PACKAGE_ROOT, 'dist', 'lambda', `${name}.js`),
  ];
  const entry = entries.find((file) => existsSync(file));
  if (!entry) {
    throw new Error(`account-janitor: no handler at ${entries.join(' or ')}: is the package built (npm run build)?`);
  }
  return entry;
}

/**
 * What every account-janitor function shares: its handler (source or compiled), nodejs24.x on
 * arm64, JSON logs at INFO, the sweep's configuration and the Node.js flags in its environment,
 * and the bundling (the local esbuild, minified, with source maps and this package's SDK versions).
 */
export function janitorFunctionDefaults(
  handlerName: string,
  config: SweepConfig,
  environment: Record<string, string>,
): Pick<
  nodejs.NodejsFunctionProps,
  | 'entry'
  | 'handler'
  | 'runtime'
  | 'architecture'
  | 'loggingFormat'
  | 'applicationLogLevelV2'
  | 'systemLogLevelV2'
  | 'environment'
  | 'bundling'
  | 'depsLockFilePath'
  | 'projectRoot'
> {
  return {
    entry: handlerEntry(handlerName),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
    environment: {
      ...sweepConfigToEnvironment(config),
      ...environment,
      NODE_OPTIONS: NODE_RUNTIME_FLAGS.join(' '),
    },
    bundling: {
      forceDockerBundling: false,
      minify: true,
      sourceMap: true,
      target: 'node24',
      format: nodejs.OutputFormat.CJS,
      // Warnings and errors only: no bundle-size summary in every synth.
      logLevel: nodejs.LogLevel.WARNING,
      // Ship the SDK versions the tests ran with, not the runtime's.
      externalModules: [],
    },
    // In this repository, bundle against its own lock file; installed as a library (no lock file
    // is published), NodejsFunction finds the app's.
    ...(existsSync(PACKAGE_LOCK) ? { depsLockFilePath: PACKAGE_LOCK, projectRoot: PACKAGE_ROOT } : {}),
  };
}

/** A function's log group: one year by default, kept when the stack goes, so any run can be audited. */
export function janitorLogGroup(scope: Construct, id: string, retention = logs.RetentionDays.ONE_YEAR): logs.LogGroup {
  return new logs.LogGroup(scope, id, { retention, removalPolicy: RemovalPolicy.RETAIN });
}

/**
 * A bucket policy statement: no principal but `role` may write or delete objects under `prefix`,
 * whatever its own IAM policies allow (what the janitor's objects steer or point to is its own).
 */
export function onlyRoleWrites(bucket: s3.IBucket, prefix: string, role: iam.IRole, sid: string): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
    }),
  );
}
