import { startAwsProxy, type AwsProxy } from '../test/support/aws-proxy';
import type { MotoServer } from '../test/support/moto-server';
import { EMULATOR_CREDENTIALS, OrganizationFixture } from '../test/support/organization-fixture';
import { buildDemoOrganization, type DemoOrganization } from './scenario';

/**
 * `npm run demo -- --keep`: after the demo, the emulator stays up with the demo organization built
 * and broken afresh, for a person to try the CLI on from another shell. It prints the `export`
 * lines that point the AWS SDK at it and three commands to try; Ctrl-C stops it.
 */

export interface KeptEmulator {
  readonly org: DemoOrganization;
  readonly proxy: AwsProxy;
  /** The environment the printed `export` lines set. */
  readonly environment: Readonly<Record<string, string>>;
  /** The commands the demo suggests, each as the arguments of `account-janitor`. */
  readonly commands: readonly (readonly string[])[];
  close(): Promise<void>;
}

/**
 * Resets moto, builds the demo organization again (broken as at the demo's start) behind a new
 * proxy (which plays VPC Block Public Access), and says how to use it.
 */
export async function keepEmulator(moto: MotoServer, say: (text: string) => void): Promise<KeptEmulator> {
  await moto.reset();
  const proxy = await startAwsProxy(moto.url);
  const fixture = new OrganizationFixture(moto.url);
  let org: DemoOrganization;
  try {
    org = await buildDemoOrganization(fixture, proxy);
  } catch (error) {
    await proxy.close();
    throw error;
  } finally {
    fixture.destroy();
  }
  const environment = {
    AWS_ENDPOINT_URL: proxy.url,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // The emulator has the demo's three regions (`--region all` would name every partition's) and no
  // CloudTrail history to look causes up in (--no-causes).
  const selection = ['--ou', `${org.ous.sandboxes},${org.ous.ci}`, '--region', org.regions.join(','), '--no-causes'];
  const commands = [
    [...selection, '--dry-run'],
    [...selection, '--dry-run', '--output', 'html', '--all'],
    ['--account', org.accounts['alpha-route-deleted'], '--region', org.regions.join(','), '--no-causes', '--json'],
  ];
  say(`\nThe emulator keeps running with the demo organization, broken again as at the start (moto at ${moto.url},`);
  say(`the janitor's proxy in front of it at ${proxy.url}). In another shell, in this directory:\n`);
  say(
    `  export ${Object.entries(environment)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
  );
  say(`  unset AWS_PROFILE AWS_SESSION_TOKEN\n`);
  say('Then try (npx account-janitor runs the CLI from this clone):\n');
  const suffixes = ['', ' > report.html', ' | head -40'];
  commands.forEach((args, index) => say(`  npx account-janitor ${args.join(' ')}${suffixes[index] ?? ''}`));
  say('\nThe first two read only (--dry-run); the third repairs one account. Ctrl-C stops the emulator.');
  return { org, proxy, environment, commands, close: () => proxy.close() };
}
