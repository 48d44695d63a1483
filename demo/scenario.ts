import { join } from 'node:path';
import type { SweepConfigInput } from '../lambda/config/schema';
import type { AwsProxy } from '../test/support/aws-proxy';
import { emulateBlockPublicAccess } from '../test/support/block-public-access';
import type { OrganizationFixture } from '../test/support/organization-fixture';

/**
 * The demo organization: nested OUs, ten member accounts in three regions, set up with AWS's
 * real default network, then broken the ways a "delete everything" clean-up breaks it. The
 * integration tests sweep the same organization, so the demo shows what the tests prove.
 *
 *   Root ── management account (route deleted in us-east-1; never targeted)
 *    ├─ Sandboxes
 *    │   ├─ Team Alpha: alpha-healthy, alpha-route-deleted
 *    │   └─ Team Beta:  beta-stale-gateway, beta-no-gateway, beta-suspended
 *    ├─ CI:             ci-runner-1, ci-runner-2, ci-ignored, ci-excluded
 *    └─ Production:     prod-outside (route deleted; outside the selection)
 *
 * Besides routes, gateways and a default VPC, it deletes a default subnet (ci-runner-1) and turns
 * off public IPs on another (alpha-healthy): what the opt-in subnet switches find. Two
 * account-regions keep their route and lose the path (PATH_TAKEN_AWAY): routes that shadow
 * 0.0.0.0/0, and VPC Block Public Access, which moto does not have: the proxy in front of moto
 * plays it for that one account-region (test/support/block-public-access.ts).
 */

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

export const DEMO_ACCOUNTS = [
  'alpha-healthy',
  'alpha-route-deleted',
  'beta-stale-gateway',
  'beta-no-gateway',
  'beta-suspended',
  'ci-runner-1',
  'ci-runner-2',
  'ci-ignored',
  'ci-excluded',
  'prod-outside',
] as const;
export type DemoAccount = (typeof DEMO_ACCOUNTS)[number];

/** Where the route is in place and the path is not: what the path check (reach) finds. */
export const PATH_TAKEN_AWAY = {
  /** 0.0.0.0/1 and 128.0.0.0/1 to a network interface: `route-shadowed`. */
  shadowed: { account: 'ci-runner-2', region: 'eu-west-1' },
  /** VPC Block Public Access on (emulated), no exclusion: `bpa-blocked`. */
  blocked: { account: 'beta-no-gateway', region: 'eu-west-1' },
} as const satisfies Record<string, { account: DemoAccount; region: (typeof DEMO_REGIONS)[number] }>;

export interface DemoOrganization {
  readonly rootId: string;
  readonly managementAccountId: string;
  readonly ous: { sandboxes: string; teamAlpha: string; teamBeta: string; ci: string; production: string };
  readonly accounts: Record<DemoAccount, string>;
  readonly regions: readonly string[];
  /** The configuration the demo sweeps with (OUs Sandboxes and CI, minus ci-excluded). */
  readonly config: SweepConfigInput;
  /** What the clean-up broke, for the narration. */
  readonly damage: readonly string[];
}

/**
 * Builds the organization in moto (through `fixture`) and breaks it; `proxy`, the one in front of
 * moto that the janitor talks to, plays what moto does not have (VPC Block Public Access).
 */
export async function buildDemoOrganization(fixture: OrganizationFixture, proxy: AwsProxy): Promise<DemoOrganization> {
  const { rootId, managementAccountId } = await fixture.createOrganization();
  const sandboxes = await fixture.createOu(rootId, 'Sandboxes');
  const [teamAlpha, teamBeta, ci, production] = await Promise.all([
    fixture.createOu(sandboxes, 'Team Alpha'),
    fixture.createOu(sandboxes, 'Team Beta'),
    fixture.createOu(rootId, 'CI'),
    fixture.createOu(rootId, 'Production'),
  ]);
  const parents: Record<DemoAccount, string> = {
    'alpha-healthy': teamAlpha,
    'alpha-route-deleted': teamAlpha,
    'beta-stale-gateway': teamBeta,
    'beta-no-gateway': teamBeta,
    'beta-suspended': teamBeta,
    'ci-runner-1': ci,
    'ci-runner-2': ci,
    'ci-ignored': ci,
    'ci-excluded': ci,
    'prod-outside': production,
  };
  const accounts = {} as Record<DemoAccount, string>;
  for (const name of DEMO_ACCOUNTS) {
    accounts[name] = await fixture.createAccount(name, parents[name], rootId, { purpose: 'testing' });
  }

  // One account-region at a time: moto serves sequential requests several times faster.
  for (const accountId of [managementAccountId, ...Object.values(accounts)]) {
    for (const region of DEMO_REGIONS) await fixture.provisionDefaultNetwork(accountId, region);
  }

  const [east, west, sydney] = DEMO_REGIONS;
  const damage: string[] = [];
  const broke = async (what: string, act: Promise<unknown>) => {
    await act;
    damage.push(what);
  };
  await broke(
    'alpha-route-deleted: route deleted in us-east-1 and eu-west-1',
    Promise.all([
      fixture.deleteInternetRoute(accounts['alpha-route-deleted'], east),
      fixture.deleteInternetRoute(accounts['alpha-route-deleted'], west),
    ]),
  );
  await broke(
    'beta-stale-gateway: gateway deleted and a new one attached in eu-west-1 (route is stale)',
    fixture.replaceInternetGateway(accounts['beta-stale-gateway'], west),
  );
  await broke(
    'beta-no-gateway: gateway detached and deleted in ap-southeast-2',
    fixture.detachAndDeleteGateway(accounts['beta-no-gateway'], sydney),
  );
  await broke(
    'beta-suspended: route deleted in us-east-1, then the account was closed (SUSPENDED)',
    (async () => {
      await fixture.deleteInternetRoute(accounts['beta-suspended'], east);
      await fixture.suspendAccount(accounts['beta-suspended']);
    })(),
  );
  await broke(
    'ci-runner-1: route deleted in all three regions',
    Promise.all(DEMO_REGIONS.map((region) => fixture.deleteInternetRoute(accounts['ci-runner-1'], region))),
  );
  await broke(
    'ci-runner-1: default subnet of eu-west-1c deleted',
    fixture.deleteDefaultSubnets(accounts['ci-runner-1'], west, [`${west}c`]),
  );
  await broke(
    'alpha-healthy: public IPs on launch turned off on the default subnet of ap-southeast-2a (route intact)',
    fixture.turnOffPublicIps(accounts['alpha-healthy'], sydney, `${sydney}a`),
  );
  await broke(
    "alpha-route-deleted: every egress rule of the default security group revoked in eu-west-1 (aws-nuke's EC2DefaultSecurityGroupRule)",
    fixture.stripDefaultSecurityGroup(accounts['alpha-route-deleted'], west),
  );
  await broke(
    'beta-stale-gateway: default security group narrowed to https out by a person in us-east-1',
    fixture.narrowDefaultSecurityGroup(accounts['beta-stale-gateway'], east),
  );
  await broke(
    'ci-runner-2: default VPC deleted in ap-southeast-2; 0.0.0.0/0 sent to a NAT gateway in us-east-1 by a human',
    Promise.all([
      fixture.deleteDefaultVpc(accounts['ci-runner-2'], sydney),
      fixture.pointRouteAtNatGateway(accounts['ci-runner-2'], east),
    ]),
  );
  const { shadowed, blocked } = PATH_TAKEN_AWAY;
  await broke(
    `${shadowed.account}: 0.0.0.0/1 and 128.0.0.0/1 sent to a network interface in ${shadowed.region} by a security review (0.0.0.0/0 left to the gateway)`,
    fixture.shadowInternetRoute(accounts[shadowed.account], shadowed.region),
  );
  emulateBlockPublicAccess(proxy, {
    accountId: accounts[blocked.account],
    region: blocked.region,
    mode: 'block-bidirectional',
    managedBy: 'account',
    exclusionsAllowed: 'allowed',
  });
  damage.push(
    `${blocked.account}: VPC Block Public Access turned on (block-bidirectional) in ${blocked.region} by the account's security team (played by the proxy in front of moto, see below)`,
  );
  await broke(
    'ci-ignored: route deleted in us-east-1, main route table tagged account-janitor:ignore=true',
    (async () => {
      await fixture.deleteInternetRoute(accounts['ci-ignored'], east);
      await fixture.tagIgnored(accounts['ci-ignored'], east, 'route-table');
    })(),
  );
  await broke(
    'ci-excluded: route deleted in us-east-1 (the account is excluded)',
    fixture.deleteInternetRoute(accounts['ci-excluded'], east),
  );
  await broke(
    'prod-outside: route deleted in us-east-1 (the account is outside the selected OUs)',
    fixture.deleteInternetRoute(accounts['prod-outside'], east),
  );
  await broke(
    'management account: route deleted in us-east-1 (never targeted unless named)',
    fixture.deleteInternetRoute(managementAccountId, east),
  );

  return {
    rootId,
    managementAccountId,
    ous: { sandboxes, teamAlpha, teamBeta, ci, production },
    accounts,
    regions: DEMO_REGIONS,
    config: {
      targetOuIds: [sandboxes, ci],
      excludeAccountIds: [accounts['ci-excluded']],
      regions: [...DEMO_REGIONS],
      concurrency: 16,
    },
    damage,
  };
}

/** Where the demo writes the HTML report of its organization (gitignored; `npm run demo:screenshot` reads it). */
export const DEMO_HTML_REPORT = join(__dirname, '..', '.demo', 'report.html');
/** The dry run's digest in its chat form (AWS Chatbot's custom notification), beside the HTML report. */
export const DEMO_CHAT_MESSAGE = join(__dirname, '..', '.demo', 'chat-message.json');
