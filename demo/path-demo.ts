import { exclusionCommand, type ReachFinding } from '../lambda/core/plan-reach';
import type { SweepReport, SweepResult } from '../lambda/core/report';
import type { AwsProxy } from '../test/support/aws-proxy';
import type { OrganizationFixture } from '../test/support/organization-fixture';
import { PATH_TAKEN_AWAY, type DemoOrganization } from './scenario';

/**
 * The demo's path check: the two account-regions whose route is in place and whose path is not
 * (the scenario's PATH_TAKEN_AWAY). After the dry run, what each finding means and what a person
 * does about it; after the repairs, that the janitor wrote nothing there. Each returns true when
 * what it says is so.
 */

type Place = (typeof PATH_TAKEN_AWAY)[keyof typeof PATH_TAKEN_AWAY];

const rowAt = (report: SweepReport, org: DemoOrganization, place: Place): SweepResult | undefined =>
  report.results.find((row) => row.accountId === org.accounts[place.account] && row.region === place.region);

/** Before the runs: the one part of the demo's AWS that moto does not play, and who plays it. */
export function sayWhatIsEmulated(say: (text: string) => void): void {
  const { blocked } = PATH_TAKEN_AWAY;
  say('\nMoto has no VPC Block Public Access: the janitor reaches moto through a local proxy that answers as EC2');
  say(
    `would for ${blocked.account} in ${blocked.region} (BlockPublicAccessStates in DescribeVpcs, and the two reads that`,
  );
  say("explain it). Everything else the janitor reads and writes is moto's.");
}

/** After the dry run: what the two findings mean and what a person does; true when the rows say them. */
export function explainPathFindings(report: SweepReport, org: DemoOrganization, say: (text: string) => void): boolean {
  const { shadowed, blocked } = PATH_TAKEN_AWAY;
  const blockedRow = rowAt(report, org, blocked);
  const shadowedRow = rowAt(report, org, shadowed);
  const shadows = (shadowedRow?.reach?.findings ?? []).filter(
    (finding): finding is Extract<ReachFinding, { kind: 'shadow' }> => finding.kind === 'shadow',
  );
  const routes = shadows.map((finding) => `${finding.destination} → ${finding.target}`).join(' and ');
  say('\nTwo rows above are ok by the route and still keep tasks off the internet: the route is there, the path');
  say('is not. The path check (on by default) finds them and reports them for a person; it changes nothing:');
  say(`  ${blocked.account} in ${blocked.region} (bpa-blocked): VPC Block Public Access is on for the region, so no`);
  say("    traffic passes an internet gateway, whatever the routes say. It is the security team's control and the");
  say('    janitor never changes it: they turn it off, or let the default VPC out with an exclusion:');
  say(`    ${exclusionCommand(blockedRow?.vpcId ?? 'vpc-…')}`);
  say(`  ${shadowed.account} in ${shadowed.region} (route-shadowed): ${routes}`);
  say('    are more specific than 0.0.0.0/0, so every public address goes there instead of to the gateway. The');
  say("    janitor never deletes a person's route: whoever added them removes them, or points them at the gateway.");
  return (
    blockedRow?.status === 'ok' &&
    blockedRow.reach?.status === 'bpa-blocked' &&
    shadowedRow?.status === 'ok' &&
    shadowedRow.reach?.status === 'route-shadowed' &&
    shadows.length === 2
  );
}

/** After every run: no write reached either account-region, and the shadowing routes are still there. */
export async function pathLeftAlone(
  fixture: OrganizationFixture,
  proxy: AwsProxy,
  org: DemoOrganization,
  say: (text: string) => void,
): Promise<boolean> {
  const writesTo = (place: Place) =>
    proxy.requests.filter(
      (request) =>
        request.service === 'ec2' &&
        request.accountId === org.accounts[place.account] &&
        request.region === place.region &&
        !request.action.startsWith('Describe'),
    ).length;
  const { shadowed, blocked } = PATH_TAKEN_AWAY;
  const tables = await fixture.routeTables(org.accounts[shadowed.account], shadowed.region);
  const halves = tables
    .flatMap((table) => table.Routes ?? [])
    .filter((route) => route.DestinationCidrBlock === '0.0.0.0/1' || route.DestinationCidrBlock === '128.0.0.0/1');
  const written = writesTo(shadowed) + writesTo(blocked);
  say(
    `  ${shadowed.account} in ${shadowed.region}: ${halves.map((route) => `${route.DestinationCidrBlock} → ${route.NetworkInterfaceId}`).join(', ')} still there (route-shadowed: reported, not deleted)`,
  );
  say(
    `  ${shadowed.account} in ${shadowed.region}, ${blocked.account} in ${blocked.region}: ${written === 0 ? 'no EC2 write' : `${written} EC2 writes`} in any run so far: the path check only reads, Block Public Access stays as the security team set it`,
  );
  return halves.length === 2 && written === 0;
}
