import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { createAwsClients } from '../../lambda/aws/clients';
import { NO_CREDENTIALS, shareAcrossAccounts } from '../../lambda/aws/member-client';
import { assumeMemberRole } from '../../lambda/aws/sts';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The member accounts' clients: one SDK client per region serves every account, each request
 * signed with its own account's credentials (moto keeps each account apart by the access key, so a
 * request signed for the wrong account would read the wrong account's VPCs).
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness();

async function credentialsOf(accountId: string) {
  return assumeMemberRole(harness.clients.sts(), {
    accountId,
    roleName: 'AccountJanitorMemberRole',
    partition: 'aws',
  });
}

test('one client per region, many accounts: concurrent requests each read their own account', async () => {
  const { accounts } = await harness.emulator.fixture.createSandboxOu(['a', 'b', 'c'], [REGION]);
  const ids = Object.values(accounts);
  const expected = await Promise.all(ids.map((id) => harness.emulator.fixture.defaultVpcId(id, REGION)));
  const views = await Promise.all(ids.map(async (id) => harness.clients.ec2(REGION, await credentialsOf(id))));
  // The same client underneath: one configuration, one middleware stack.
  expect(new Set(views.map((view) => view.middlewareStack)).size).toBe(1);
  expect(views[0]).toBeInstanceOf(EC2Client);
  harness.emulator.proxy.clear();
  const read = await Promise.all(
    Array.from({ length: 30 }, (_, index) =>
      views[index % 3]!.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] })),
    ),
  );
  expect(read.map((answer) => answer.Vpcs?.[0]?.VpcId)).toEqual(
    Array.from({ length: 30 }, (_, index) => expected[index % 3]),
  );
  expect(harness.emulator.proxy.requests.map((request) => request.accountId)).toEqual(expect.arrayContaining(ids));
});

test('a request on the shared client without an account is refused before it is sent', async () => {
  const shared = shareAcrossAccounts(
    new EC2Client({ endpoint: harness.emulator.proxy.url, region: REGION, credentials: NO_CREDENTIALS }),
  );
  harness.emulator.proxy.clear();
  await expect(shared.send(new DescribeVpcsCommand({}))).rejects.toThrow(
    'account-janitor: a member account request without its account signer',
  );
  expect(harness.emulator.proxy.requests).toEqual([]);
  shared.destroy();
});

test('AWS_ENDPOINT_URL_EC2 (else AWS_ENDPOINT_URL) is read once, for the member clients', async () => {
  const clients = createAwsClients({
    homeRegion: REGION,
    environment: { AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: harness.emulator.proxy.url },
  });
  try {
    const ec2 = clients.ec2(REGION, { accessKeyId: 'x', secretAccessKey: 'y' });
    const endpoint = await ec2.config.endpoint?.();
    expect(endpoint?.port).toBe(1);
    const trail = clients.cloudTrail(REGION, { accessKeyId: 'x', secretAccessKey: 'y' });
    expect(String((await trail.config.endpoint?.())?.hostname)).toBe('127.0.0.1');
  } finally {
    clients.destroy();
  }
  // FIPS as the SDK reads it from the environment; an empty service variable does not hide the general one.
  const fips = createAwsClients({
    homeRegion: REGION,
    environment: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_EC2: '', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' },
  });
  try {
    const ec2 = fips.ec2(REGION, { accessKeyId: 'x', secretAccessKey: 'y' });
    expect(await ec2.config.useFipsEndpoint()).toBe(true);
    expect((await ec2.config.endpoint?.())?.port).toBe(2);
  } finally {
    fips.destroy();
  }
});
