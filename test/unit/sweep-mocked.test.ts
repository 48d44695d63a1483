import {
  CreateRouteCommand,
  DescribeInternetGatewaysCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  ReplaceRouteCommand,
  type AttachmentStatus,
  type Route,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createAwsClients } from '../../lambda/aws/clients';
import { parseSweepConfig } from '../../lambda/config/parse';
import { runSweep } from '../../lambda/sweep';
import { RecordingLogger } from '../support/recording-logger';

/**
 * What moto cannot produce: a literal `blackhole` route state, a write that succeeds but does not
 * show, a route written by someone else between detection and repair, a disabled region.
 */

const ACCOUNT = '111122223333';
// DescribeInternetGateways reports an attached gateway as "available", outside the SDK's enum.
const AVAILABLE = 'available' as AttachmentStatus;
const ec2 = mockClient(EC2Client);
const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);

function awsError(code: string, message = code): EC2ServiceException {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

function mainTable(route?: Route): RouteTable {
  return {
    RouteTableId: 'rtb-1',
    VpcId: 'vpc-1',
    Associations: [{ Main: true }],
    Routes: [
      { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', State: 'active' },
      ...(route ? [{ DestinationCidrBlock: '0.0.0.0/0', ...route }] : []),
    ],
  };
}

function givenRegion(route: Route | undefined) {
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', IsDefault: true }] });
  ec2.on(DescribeInternetGatewaysCommand).resolves({
    InternetGateways: [{ InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: AVAILABLE }] }],
  });
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [mainTable(route)] });
}

const config = (mode: 'remediate' | 'report' = 'remediate') =>
  parseSweepConfig({ targetOuIds: 'ou-ab12-cdef3456', regions: 'eu-west-1', mode }, 'test', (key) => key);

/** Verification re-reads without pauses (the pauses are the real ones' count, of zero length). */
const SETTLE_WITHOUT_PAUSES = [0, 0, 0];

async function sweep(mode: 'remediate' | 'report' = 'remediate') {
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
  const logger = new RecordingLogger();
  try {
    const report = await runSweep(config(mode), { clients, logger, settleDelaysMs: SETTLE_WITHOUT_PAUSES });
    return { report, logger, row: report.results.find((result) => result.region === 'eu-west-1') };
  } finally {
    clients.destroy();
  }
}

beforeEach(() => {
  ec2.reset();
  organizations.reset();
  sts.reset();
  organizations
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: '000000000000' } });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  organizations
    .on(ListAccountsForParentCommand)
    .resolves({ Accounts: [{ Id: ACCOUNT, Name: 'sandbox', State: 'ACTIVE' }] });
  organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'AK',
      SecretAccessKey: 'SK',
      SessionToken: 'ST',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
});

test('a blackhole route (literal State "blackhole") is replaced, then verified', async () => {
  givenRegion({ GatewayId: 'igw-deleted', State: 'blackhole' });
  ec2.on(ReplaceRouteCommand).callsFake(() => {
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [mainTable({ GatewayId: 'igw-1', State: 'active' })] });
    return {};
  });

  const { row, logger } = await sweep();

  expect(row).toMatchObject({ status: 'replaced', previousTarget: 'igw-deleted', internetGatewayId: 'igw-1' });
  expect(ec2).toHaveReceivedCommandWith(ReplaceRouteCommand, {
    RouteTableId: 'rtb-1',
    DestinationCidrBlock: '0.0.0.0/0',
    GatewayId: 'igw-1',
  });
  expect(ec2).not.toHaveReceivedCommand(CreateRouteCommand);
  expect(ec2).toHaveReceivedCommandWith(DescribeRouteTablesCommand, { RouteTableIds: ['rtb-1'] });
  expect(logger.entries).toContainEqual({
    level: 'info',
    message: 'route repaired',
    attributes: expect.objectContaining({
      accountId: ACCOUNT,
      region: 'eu-west-1',
      routeTableId: 'rtb-1',
      before: 'igw-deleted',
      after: 'igw-1',
      action: 'ReplaceRoute',
    }),
  });
});

test('in a dry run the blackhole is reported as would-replace and nothing is written', async () => {
  givenRegion({ GatewayId: 'igw-deleted', State: 'blackhole' });
  const { row } = await sweep('report');
  expect(row?.status).toBe('would-replace');
  expect(ec2).not.toHaveReceivedCommand(ReplaceRouteCommand);
  expect(ec2).not.toHaveReceivedCommand(CreateRouteCommand);
});

test('a write that succeeds but does not show afterwards is repair-failed, never restored', async () => {
  givenRegion(undefined);
  ec2.on(CreateRouteCommand).resolves({ Return: true });

  const { row, logger } = await sweep();

  expect(row).toMatchObject({ status: 'repair-failed', errorCode: 'VerificationFailed' });
  expect(logger.entries.some((entry) => entry.level === 'error' && entry.message === 'route repair not verified')).toBe(
    true,
  );
  // Read once, then once after each pause: EC2 had every chance to show the write.
  expect(ec2.commandCalls(DescribeRouteTablesCommand, { RouteTableIds: ['rtb-1'] })).toHaveLength(4);
});

test('a write that EC2 shows only on a later read (eventual consistency) is restored, not failed', async () => {
  givenRegion(undefined);
  ec2.on(CreateRouteCommand).callsFake(() => {
    ec2
      .on(DescribeRouteTablesCommand, { RouteTableIds: ['rtb-1'] })
      .resolvesOnce({ RouteTables: [mainTable()] })
      .resolves({ RouteTables: [mainTable({ GatewayId: 'igw-1', State: 'active' })] });
    return { Return: true };
  });

  const { row } = await sweep();

  expect(row).toMatchObject({ status: 'restored', internetGatewayId: 'igw-1' });
  expect(ec2.commandCalls(DescribeRouteTablesCommand, { RouteTableIds: ['rtb-1'] })).toHaveLength(2);
  expect(ec2).toHaveReceivedCommandTimes(CreateRouteCommand, 1);
});

test('a verification read that fails is repair-failed with its error code', async () => {
  givenRegion(undefined);
  ec2.on(CreateRouteCommand).callsFake(() => {
    ec2.on(DescribeRouteTablesCommand, { RouteTableIds: ['rtb-1'] }).rejects(awsError('RequestLimitExceeded'));
    return { Return: true };
  });
  const { row } = await sweep();
  expect(row).toMatchObject({ status: 'repair-failed', errorCode: 'RequestLimitExceeded' });
});

test('RouteAlreadyExists: someone restored the route meanwhile; report what is there, not an error', async () => {
  givenRegion(undefined);
  ec2.on(CreateRouteCommand).callsFake(() => {
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [mainTable({ GatewayId: 'igw-1', State: 'active' })] });
    throw awsError('RouteAlreadyExists');
  });

  const { row } = await sweep();

  expect(row).toMatchObject({ status: 'ok', errorCode: null });
  expect(row?.message).toContain('written by someone else');
  expect(ec2).toHaveReceivedCommandTimes(CreateRouteCommand, 1);
  expect(ec2).not.toHaveReceivedCommand(ReplaceRouteCommand);
});

test('RouteAlreadyExists with a human route now in place: a conflict, left alone', async () => {
  givenRegion(undefined);
  ec2.on(CreateRouteCommand).callsFake(() => {
    ec2
      .on(DescribeRouteTablesCommand)
      .resolves({ RouteTables: [mainTable({ NatGatewayId: 'nat-1', State: 'active' })] });
    throw awsError('RouteAlreadyExists');
  });
  const { row } = await sweep();
  expect(row).toMatchObject({ status: 'conflict', previousTarget: 'nat-1' });
  expect(ec2).not.toHaveReceivedCommand(ReplaceRouteCommand);
});

test('a failed write is repair-failed with the AWS error code, and logged', async () => {
  givenRegion(undefined);
  ec2.on(CreateRouteCommand).rejects(awsError('InvalidParameterValue'));
  const { row, logger } = await sweep();
  expect(row).toMatchObject({ status: 'repair-failed', errorCode: 'InvalidParameterValue' });
  expect(row?.message).toBe('CreateRoute failed: InvalidParameterValue');
  expect(logger.entries).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: 'route repair failed',
      attributes: expect.objectContaining({ before: 'none', after: 'igw-1' }),
    }),
  );
});

test.each(['AuthFailure', 'OptInRequired'])('a region answering %s is region-disabled, not an error', async (code) => {
  givenRegion(undefined);
  ec2.on(DescribeVpcsCommand).rejects(awsError(code));
  const { row, report } = await sweep();
  expect(row).toMatchObject({ status: 'region-disabled', errorCode: code });
  expect(report.summary.error).toBe(0);
  expect(report.summary['access-denied']).toBe(0);
});

test('UnauthorizedOperation on a read is access-denied for the account-region, naming the action', async () => {
  givenRegion(undefined);
  ec2
    .on(DescribeRouteTablesCommand)
    .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
  const { row, logger } = await sweep();
  expect(row).toMatchObject({
    status: 'access-denied',
    errorCode: 'UnauthorizedOperation',
    message:
      "ec2:DescribeRouteTables denied to AccountJanitorMemberRole (UnauthorizedOperation): check the member role's policy",
  });
  expect(logger.entries).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: 'the member role cannot read',
      attributes: expect.objectContaining({ action: 'ec2:DescribeRouteTables', errorCode: 'UnauthorizedOperation' }),
    }),
  );
});

const SCP_DENY_MESSAGE =
  'You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/AccountJanitorMemberRole/account-janitor is not authorized to perform: ec2:DescribeVpcs with an explicit deny in a service control policy';

test('UnauthorizedOperation that AWS attributes to a service control policy is region-denied, with the reason', async () => {
  givenRegion({ GatewayId: 'igw-1', State: 'active' });
  // The SCP denies eu-west-1 only; us-east-1 answers.
  ec2.on(DescribeVpcsCommand).callsFake(async (_input, getClient) => {
    if ((await getClient().config.region()) === 'eu-west-1') throw awsError('UnauthorizedOperation', SCP_DENY_MESSAGE);
    return { Vpcs: [{ VpcId: 'vpc-1', IsDefault: true }] };
  });
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
  try {
    const two = parseSweepConfig(
      { targetOuIds: 'ou-ab12-cdef3456', regions: 'eu-west-1,us-east-1' },
      'test',
      (key) => key,
    );
    const report = await runSweep(two, { clients, logger: new RecordingLogger() });
    expect(report.results.map((row) => `${row.region}: ${row.status}`)).toEqual([
      'eu-west-1: region-denied',
      'us-east-1: ok',
    ]);
    expect(report.results[0]).toMatchObject({
      errorCode: 'UnauthorizedOperation',
      message: 'ec2:DescribeVpcs denied with an explicit deny in a service control policy (UnauthorizedOperation)',
    });
  } finally {
    clients.destroy();
  }
});

test('an SCP that denies every region checked leaves the account unseen: access-denied, not a quiet region-denied', async () => {
  givenRegion(undefined);
  ec2.on(DescribeVpcsCommand).rejects(awsError('UnauthorizedOperation', SCP_DENY_MESSAGE));
  const { row, report } = await sweep();
  expect(row).toMatchObject({
    status: 'access-denied',
    message:
      'ec2:DescribeVpcs denied with an explicit deny in a service control policy (UnauthorizedOperation), in every region checked: the janitor sees nothing of this account',
  });
  expect(report.summary['region-denied']).toBe(0);
});

test('AuthFailure in a region the account itself lists as enabled (regions: all) is an error, not a disabled region', async () => {
  givenRegion(undefined);
  ec2
    .on(DescribeRegionsCommand)
    .resolves({ Regions: [{ RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' }] });
  ec2
    .on(DescribeVpcsCommand)
    .rejects(awsError('AuthFailure', 'AWS was not able to validate the provided access credentials'));
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
  try {
    const all = parseSweepConfig({ targetOuIds: 'ou-ab12-cdef3456' }, 'test', (key) => key);
    const report = await runSweep(all, { clients, logger: new RecordingLogger() });
    expect(report.results).toEqual([
      expect.objectContaining({ region: 'eu-west-1', status: 'error', errorCode: 'AuthFailure' }),
    ]);
  } finally {
    clients.destroy();
  }
});

test('any other read failure is an error with its code', async () => {
  givenRegion(undefined);
  ec2.on(DescribeInternetGatewaysCommand).rejects(awsError('InternalError'));
  const { row } = await sweep();
  expect(row).toMatchObject({ status: 'error', errorCode: 'InternalError', message: 'describe failed: InternalError' });
  expect(ec2).not.toHaveReceivedCommand(CreateRouteCommand);
});

test('the three reads of a healthy region are issued together, before any of them answers', async () => {
  let inFlight = 0;
  let peak = 0;
  const slow =
    <T>(value: T) =>
    async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return value;
    };
  ec2.on(DescribeVpcsCommand).callsFake(slow({ Vpcs: [{ VpcId: 'vpc-1', IsDefault: true }] }));
  ec2
    .on(DescribeInternetGatewaysCommand)
    .callsFake(
      slow({ InternetGateways: [{ InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: AVAILABLE }] }] }),
    );
  ec2
    .on(DescribeRouteTablesCommand)
    .callsFake(slow({ RouteTables: [mainTable({ GatewayId: 'igw-1', State: 'active' })] }));

  const { row } = await sweep();

  expect(row?.status).toBe('ok');
  expect(peak).toBe(3);
  expect(ec2.calls()).toHaveLength(3);
});

test('regions "all": the enabled regions of the account, not-opted-in ones dropped', async () => {
  givenRegion({ GatewayId: 'igw-1', State: 'active' });
  ec2.on(DescribeRegionsCommand).resolves({
    Regions: [
      { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
      { RegionName: 'me-south-1', OptInStatus: 'opted-in' },
    ],
  });
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
  try {
    const all = parseSweepConfig({ targetOuIds: 'ou-ab12-cdef3456' }, 'test', (key) => key);
    const report = await runSweep(all, { clients, logger: new RecordingLogger() });
    expect(report.results.map((result) => result.region)).toEqual(['eu-west-1', 'me-south-1']);
    expect(ec2).toHaveReceivedCommandTimes(DescribeRegionsCommand, 1);
  } finally {
    clients.destroy();
  }
});
