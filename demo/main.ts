import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../cli/cli';
import { startAwsProxy, type AwsProxy } from '../test/support/aws-proxy';
import { startMotoServer, type MotoServer } from '../test/support/moto-server';
import { OrganizationFixture, useEmulator } from '../test/support/organization-fixture';
import { eventDrivenRepairStep, guardRailAuditStep } from './event-demo';
import { keepEmulator } from './keep';
import { explainPathFindings, pathLeftAlone, sayWhatIsEmulated } from './path-demo';
import { buildDemoOrganization, DEMO_CHAT_MESSAGE, DEMO_HTML_REPORT, type DemoOrganization } from './scenario';
import type { SweepReport } from '../lambda/core/report';
import { renderChatNotification } from '../lambda/report/chat';
import { renderDigest } from '../lambda/report/digest';

/**
 * `npm run demo`: the janitor on an emulated organization, no AWS account needed. Starts moto, and
 * in front of it the proxy the integration tests use (it plays VPC Block Public Access, which moto
 * does not have, for one account-region), builds the demo organization and breaks it, then runs the
 * account-janitor command: a dry run (and its HTML report, written to .demo/report.html), what the
 * path check found, a remediation, a rerun, and a run with the opt-in repairs; shows what was left
 * alone; and ends with an event-driven repair (a deleted route back after its quiet period, with
 * who deleted it) and the guard rail in audit mode. Stops the proxy and moto at the end; with
 * `--keep`, leaves them running on the demo organization built afresh, for the CLI (`keep.ts`).
 */

const say = (text: string) => process.stdout.write(`${text}\n`);
const heading = (text: string) => say(`\n\x1b[1m== ${text}\x1b[0m`);

async function janitor(args: string[]): Promise<number> {
  say(`\n$ account-janitor ${args.join(' ')}`);
  const code = await runCli(['node', 'account-janitor', ...args], {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stdout.write(`  ${text}`),
    stderrIsTty: false,
    // In a terminal, the table fits its width and has colour, as the command's would.
    stdoutIsTty: process.stdout.isTTY === true,
    stdoutColumns: process.stdout.columns,
    env: process.env,
  });
  say(`(exit code ${code})`);
  return code;
}

function selectionArgs(org: DemoOrganization): string[] {
  return [
    '--ou',
    `${org.ous.sandboxes},${org.ous.ci}`,
    '--exclude-account',
    org.accounts['ci-excluded'],
    '--region',
    org.regions.join(','),
    // The emulator keeps no CloudTrail history to look causes up in; step 6 shows who broke it.
    '--no-causes',
  ];
}

/** The dry run's report, as `--json` prints it (the path check's rows are read from it). */
async function dryRunReport(org: DemoOrganization): Promise<SweepReport> {
  let json = '';
  await runCli(['node', 'account-janitor', ...selectionArgs(org), '--dry-run', '--json'], {
    stdout: (text) => (json += text),
    stderr: () => undefined,
    stderrIsTty: false,
    env: process.env,
  });
  return JSON.parse(json) as SweepReport;
}

/** The dry run again, as the one page a person opens (`--output html --all`); true when it was written. */
async function htmlReport(org: DemoOrganization, report: SweepReport): Promise<boolean> {
  say(
    `\n$ account-janitor ${[...selectionArgs(org), '--dry-run', '--output', 'html', '--all'].join(' ')} > ${relative(process.cwd(), DEMO_HTML_REPORT)}`,
  );
  let html = '';
  const code = await runCli(
    ['node', 'account-janitor', ...selectionArgs(org), '--dry-run', '--output', 'html', '--all'],
    {
      stdout: (text) => (html += text),
      stderr: () => undefined,
      stderrIsTty: false,
      env: process.env,
    },
  );
  mkdirSync(dirname(DEMO_HTML_REPORT), { recursive: true });
  writeFileSync(DEMO_HTML_REPORT, html);
  // The same report's digest as a Slack or Teams channel gets it (npm run demo:screenshot draws it).
  const digest = renderDigest(report, 'schedule');
  if (digest) {
    const chat = renderChatNotification(report, { title: digest.subject, trigger: 'schedule' });
    writeFileSync(DEMO_CHAT_MESSAGE, `${JSON.stringify(chat, null, 2)}\n`);
  }
  say(`The same dry run as one self-contained page, a heatmap of accounts × regions by OU (exit code ${code}):`);
  say(`  ${pathToFileURL(DEMO_HTML_REPORT).href}`);
  return code === 1 && html.includes('<table class="map">');
}

async function demo(moto: MotoServer, proxy: AwsProxy): Promise<number> {
  // The janitor talks to the proxy; the demo's own set-up and checks talk to moto.
  useEmulator(proxy.url);
  const fixture = new OrganizationFixture(moto.url);
  try {
    heading(`An emulated AWS Organization (moto at ${moto.url}), broken by a clean-up script`);
    const org = await buildDemoOrganization(fixture, proxy);
    say(`Organization: root ${org.rootId}, management account ${org.managementAccountId}`);
    say(
      `OUs: Sandboxes ${org.ous.sandboxes} (Team Alpha ${org.ous.teamAlpha}, Team Beta ${org.ous.teamBeta}), CI ${org.ous.ci}, Production ${org.ous.production}`,
    );
    say(`Every account has AWS's default network in ${org.regions.join(', ')}. Then the clean-up ran:`);
    for (const line of org.damage) say(`  - ${line}`);
    sayWhatIsEmulated(say);
    say('\nThe runs below pass --no-causes: the emulator keeps no CloudTrail history to find who broke what in');
    say('(step 6 shows the event-driven path, which names who did).');

    heading('1. Dry run: what is broken in the Sandboxes and CI OUs (no write)');
    say('The table lists what needs a person first, worst first, and counts the rest: --all lists every row,');
    say('--wide adds the VPC, route table, gateway and previous target, --output markdown writes it for a CI summary.');
    const dryRun = await janitor([...selectionArgs(org), '--dry-run']);
    const report = await dryRunReport(org);
    const pathFound = explainPathFindings(report, org, say);
    const page = await htmlReport(org, report);

    heading('2. Remediation: restore what is missing or stale, verify every write');
    await janitor(selectionArgs(org));

    heading('3. Rerun: everything repairable is fixed, nothing is written');
    const rerun = await janitor(selectionArgs(org));

    heading(
      '4. Opt-in repairs: a new gateway, a default VPC, a default subnet and the default security group egress where deleted',
    );
    await janitor([
      ...selectionArgs(org),
      '--repair-internet-gateway',
      '--recreate-default-vpc',
      '--repair-default-subnets',
      '--repair-egress',
    ]);
    // What the demo says below, it checks: the demo fails if a claim is not true.
    const sydney = 'ap-southeast-2';
    const runner = org.accounts['ci-runner-2'];
    const vpcRoute = await fixture.internetRouteTarget(runner, sydney);
    say(
      `  ci-runner-2 in ${sydney}: default VPC ${await fixture.defaultVpcId(runner, sydney)} is back, 0.0.0.0/0 → ${vpcRoute}`,
    );
    const zones = (await fixture.defaultSubnets(org.accounts['ci-runner-1'], 'eu-west-1')).map(
      (subnet) => subnet.AvailabilityZone,
    );
    say(`  ci-runner-1 in eu-west-1: default subnets in ${zones.join(', ')}`);
    const privateSubnets = (await fixture.defaultSubnets(org.accounts['alpha-healthy'], sydney)).filter(
      (subnet) => subnet.MapPublicIpOnLaunch === false,
    );
    say(
      `  alpha-healthy in ${sydney}: ${privateSubnets.map((subnet) => subnet.SubnetId).join(', ')} still without public IPs: reported (subnets-misconfigured), not changed`,
    );
    const stripped = (await fixture.defaultEgress(org.accounts['alpha-route-deleted'], 'eu-west-1')).group;
    const strippedBack = (stripped.IpPermissionsEgress ?? []).some(
      (rule) => rule.IpProtocol === '-1' && rule.IpRanges?.some((range) => range.CidrIp === '0.0.0.0/0'),
    );
    say(
      `  alpha-route-deleted in eu-west-1: default security group ${stripped.GroupId} ${strippedBack ? 'lets all traffic out again' : 'still has no egress rule'}`,
    );
    const narrowed = (await fixture.defaultEgress(org.accounts['beta-stale-gateway'], 'us-east-1')).group;
    const stillNarrowed = (narrowed.IpPermissionsEgress ?? []).every((rule) => rule.IpProtocol === 'tcp');
    say(
      `  beta-stale-gateway in us-east-1: ${narrowed.GroupId} ${stillNarrowed ? 'still allows https out only' : 'was changed'}: reported (egress-restricted), not changed`,
    );
    const optInsDone =
      vpcRoute?.startsWith('igw-') === true &&
      zones.join() === 'eu-west-1a,eu-west-1b,eu-west-1c' &&
      privateSubnets.length === 1 &&
      strippedBack &&
      stillNarrowed;

    heading('5. Left alone, as promised');
    const untouched = [
      ['prod-outside (outside the selected OUs)', org.accounts['prod-outside']],
      ['ci-excluded (excluded)', org.accounts['ci-excluded']],
      ['the management account', org.managementAccountId],
    ] as const;
    for (const [what, accountId] of untouched) {
      const target = await fixture.internetRouteTarget(accountId, 'us-east-1');
      say(
        `  ${what}: 0.0.0.0/0 in us-east-1 ${target === null ? 'is still missing (not touched)' : `targets ${target}`}`,
      );
    }
    const natTarget = await fixture.internetRouteTarget(org.accounts['ci-runner-2'], 'us-east-1');
    say(`  ci-runner-2: the human's NAT route in us-east-1 still targets ${natTarget}`);
    const pathUntouched = await pathLeftAlone(fixture, proxy, org, say);
    say('\nWithout the opt-in switches, a region with no default VPC and a VPC with no internet gateway are');
    say('reported for a human. A route a human pointed at a NAT gateway is always reported and never overridden.');

    heading(
      '6. Within minutes: a clean-up deletes a route, its CloudTrail event starts a quiet period, the janitor repairs and says who',
    );
    const eventRepaired = await eventDrivenRepairStep(fixture, org, say);

    heading(
      '7. Prevention, audit first (protectDefaultPath=audit): the default paths are tagged, and a clean-up that breaks one is named',
    );
    const audited = await guardRailAuditStep(fixture, org, say);
    say(
      '  With enforce, an SCP refuses that DeleteRoute on the tagged table; the clean-up logs AccessDenied and goes on.',
    );
    const asExpected =
      dryRun === 1 && pathFound && page && rerun === 1 && optInsDone && pathUntouched && eventRepaired && audited;
    if (!asExpected) say('\nThe demo did not end as described above: see the output.');
    return asExpected ? 0 : 1;
  } finally {
    fixture.destroy();
  }
}

/** Resolves on Ctrl-C (or a plain kill): the kept emulator then stops. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function main(args: readonly string[]): Promise<void> {
  const unknown = args.filter((arg) => arg !== '--keep');
  if (unknown.length > 0) {
    process.stderr.write(
      `demo: unknown argument ${unknown.join(' ')} (the one option is --keep: leave the emulator running)\n`,
    );
    process.exitCode = 2;
    return;
  }
  let moto: MotoServer;
  try {
    moto = await startMotoServer();
  } catch (error) {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  let proxy: AwsProxy | undefined;
  try {
    proxy = await startAwsProxy(moto.url);
    process.exitCode = await demo(moto, proxy);
    if (args.includes('--keep')) {
      await proxy.close();
      proxy = undefined;
      proxy = (await keepEmulator(moto, say)).proxy;
      await untilStopped();
    }
  } finally {
    await proxy?.close();
    await moto.stop();
  }
}

void main(process.argv.slice(2));
