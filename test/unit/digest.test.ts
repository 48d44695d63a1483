import {
  MAX_ROWS_PER_SECTION,
  MAX_UNLISTED_LOG_BYTES,
  renderDigest,
  unlistedLogEvents,
} from '../../lambda/report/digest';
import { formatCount } from '../../lambda/report/attention';
import { egress, report, result, subnets } from '../support/results';

describe('renderDigest', () => {
  test('nothing repaired, failed, in conflict, ignored, not checked or to repair: no message at all', () => {
    expect(renderDigest(report([result('ok'), result('no-default-vpc'), result('skipped')]))).toBeUndefined();
  });

  test('a repair whose breaking call is known says who broke it, when, and how long until the repair', () => {
    const digest = renderDigest(
      report([
        result('restored', {
          cause: {
            principalArn: 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke',
            sessionIssuerArn: 'arn:aws:iam::111122223333:role/ci-cleanup',
            eventName: 'DeleteRoute',
            eventTime: '2026-11-26T02:13:07.000Z',
            sourceIp: '198.51.100.7',
            userAgent: 'aws-nuke/3.56.2 aws-sdk-go/1.55.5',
          },
          repairedAt: '2026-11-26T02:18:12.000Z',
        }),
      ]),
    );
    expect(digest?.message).toContain(
      'restored message; 0.0.0.0/0 deleted by arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke (aws-nuke/3.56.2) at 2026-11-26 02:13:07 UTC, repaired at 02:18:12 UTC (5 min 5 s after)',
    );
  });

  test('ignored account-regions are listed every run, with the reason; regions not checked are counted', () => {
    const digest = renderDigest(
      report([
        result('ok'),
        result('ignored', { region: 'us-east-1', message: 'default VPC is tagged account-janitor:ignore=true' }),
        result('region-disabled', { region: 'ap-east-1', errorCode: 'AuthFailure', routeTableId: null }),
        result('region-denied', {
          region: 'me-south-1',
          errorCode: 'UnauthorizedOperation',
          routeTableId: null,
          message: 'ec2:DescribeVpcs denied with an explicit deny in a service control policy (UnauthorizedOperation)',
        }),
      ]),
    );
    expect(digest?.subject).toBe('account-janitor: 1 ignored');
    expect(digest?.message).toContain(
      // The ignored row is listed below, so the count line leaves it out.
      'Not listed: 1 account-region ok, 1 region disabled, 1 region denied by an SCP.',
    );
    expect(digest?.message).toContain(
      'Ignored, tagged account-janitor:ignore=true: whoever can tag a VPC, route table, default security group or network ACL silences the janitor there (1):\n  111122223333 (sandbox-1) us-east-1 rtb-1 ignored: default VPC is tagged account-janitor:ignore=true',
    );
    // Regions not checked are expected (opt-in regions, region-deny SCPs): counted, not listed.
    expect(digest?.message).not.toContain('me-south-1');
    expect(renderDigest(report([result('region-disabled', { routeTableId: null })]))).toBeUndefined();
  });

  test('one message, the groups worst first as the CLI shows them, before and after for each repair', () => {
    const digest = renderDigest(
      report([
        result('restored', {
          accountId: '111122223333',
          accountName: 'sandbox-1',
          region: 'eu-west-1',
          routeTableId: 'rtb-1',
          internetGatewayId: 'igw-1',
        }),
        result('replaced', {
          accountId: '111122223333',
          region: 'us-east-1',
          previousTarget: 'igw-old',
          internetGatewayId: 'igw-2',
          routeTableId: 'rtb-2',
        }),
        result('repair-failed', {
          accountId: '444455556666',
          accountName: 'locked',
          errorCode: 'UnauthorizedOperation',
          message: 'CreateRoute failed: UnauthorizedOperation',
        }),
        result('access-denied', {
          accountId: '777788889999',
          accountName: 'gone',
          errorCode: 'AccessDenied',
          message: 'AssumeRole failed',
        }),
        result('conflict', { previousTarget: 'nat-1', message: 'human route' }),
        result('ok'),
      ]),
    );
    expect(digest?.subject).toBe('account-janitor: 2 failed, 1 in conflict, 2 repaired');
    const message = digest?.message ?? '';
    expect(message).toContain(
      'account-janitor remediate run, 2026-11-26T01:00:00.000Z to 2026-11-26T01:00:12.500Z: 2 failed, 1 in conflict, 2 repaired.\nNot listed: 1 account-region ok.\n',
    );
    expect(message).toContain(
      'Repaired (2):\n  111122223333 (sandbox-1) eu-west-1 rtb-1 restored: 0.0.0.0/0 none -> igw-1:',
    );
    expect(message).toContain('us-east-1 rtb-2 replaced: 0.0.0.0/0 igw-old -> igw-2:');
    expect(message).toContain(
      'Failed (2):\n  444455556666 (locked) eu-west-1 rtb-1 repair-failed [UnauthorizedOperation]: CreateRoute failed',
    );
    expect(message).toContain('777788889999 (gone) access-denied [AccessDenied]: AssumeRole failed');
    expect(message).toContain('Conflict: a person pointed 0.0.0.0/0 elsewhere, left alone (1):');
    // Worst first: failures, then the conflict, then the repairs.
    expect(message.indexOf('Failed (2)')).toBeLessThan(message.indexOf('Conflict:'));
    expect(message.indexOf('Conflict:')).toBeLessThan(message.indexOf('Repaired (2)'));
    expect(message).not.toContain(' ok:');
  });

  test('the opt-in repairs are repairs too, and their dry runs are to repair', () => {
    const repaired = renderDigest(
      report([
        result('gateway-restored', { previousTarget: 'igw-gone', internetGatewayId: 'igw-new' }),
        result('vpc-recreated', { internetGatewayId: 'igw-new2' }),
      ]),
    );
    expect(repaired?.subject).toBe('account-janitor: 2 repaired');
    expect(repaired?.message).toContain('gateway-restored: 0.0.0.0/0 igw-gone -> igw-new');
    const planned = renderDigest(report([result('would-restore-gateway'), result('would-recreate-vpc')], 'report'));
    expect(planned?.subject).toBe('account-janitor: 2 to repair');
  });

  test('a gateway left missing (switch off) is reported as broken and left alone', () => {
    const digest = renderDigest(report([result('no-internet-gateway', { message: 'no gateway attached' })]));
    expect(digest?.subject).toBe('account-janitor: 1 left broken');
    expect(digest?.message).toContain(
      'Broken, left alone: its repair switch is off (1):\n  111122223333 (sandbox-1) eu-west-1 rtb-1 no-internet-gateway: no gateway attached',
    );
  });

  test('default subnets and egress: each row once, in its worst group, with what it shows', () => {
    const digest = renderDigest(
      report([
        result('restored', {
          subnets: subnets('subnets-restored', {
            zonesRepaired: ['eu-west-1c'],
            message: 'created the default subnet of eu-west-1c (subnet-9)',
          }),
        }),
        result('ok', {
          accountId: '444455556666',
          subnets: subnets('subnets-repair-failed', {
            errorCode: 'InvalidSubnet.Conflict',
            message: 'CreateDefaultSubnet in eu-west-1b failed: InvalidSubnet.Conflict',
          }),
        }),
        result('ok', {
          accountId: '777788889999',
          subnets: subnets('subnets-misconfigured', { message: 'subnet-1 (eu-west-1a) does not assign public IPs' }),
        }),
        result('ok', {
          accountId: '777788880000',
          subnets: subnets('subnets-missing', { message: 'no default subnet in eu-west-1b' }),
        }),
        result('ok', { subnets: subnets('subnets-ok') }),
      ]),
    );
    expect(digest?.subject).toBe('account-janitor: 1 failed, 1 left broken, 1 with findings, 1 repaired');
    const message = digest?.message ?? '';
    expect(message).toContain(
      'Repaired (1):\n  111122223333 (sandbox-1) eu-west-1 rtb-1 restored, subnets-restored: 0.0.0.0/0 none -> igw-1: restored message; subnets: created the default subnet of eu-west-1c (subnet-9)\n',
    );
    expect(message).toContain(
      'Failed (1):\n  444455556666 (sandbox-1) eu-west-1 rtb-1 subnets-repair-failed [InvalidSubnet.Conflict]: subnets: CreateDefaultSubnet in eu-west-1b failed',
    );
    expect(message).toContain(
      'Broken, left alone: its repair switch is off (1):\n  777788880000 (sandbox-1) eu-west-1 rtb-1 subnets-missing: subnets: no default subnet in eu-west-1b',
    );
    expect(message).toContain(
      'Report-only findings: never changed, fix by hand or leave as intended (1):\n  777788889999 (sandbox-1) eu-west-1 rtb-1 subnets-misconfigured: subnets: subnet-1',
    );
    expect(message).not.toContain('subnets-ok');
    const mixed = renderDigest(
      report([
        result('ok', {
          subnets: subnets('subnets-misconfigured', {
            zonesRepaired: ['eu-west-1c'],
            message: 'created the default subnet of eu-west-1c (subnet-9); subnet-1 does not assign public IPs',
          }),
        }),
        result('ok', {
          accountId: '444455556666',
          subnets: subnets('subnets-error', { errorCode: 'UnauthorizedOperation' }),
        }),
      ]),
    );
    // A report-only finding is a finding first, even beside a zone repaired in the same run.
    expect(mixed?.subject).toBe('account-janitor: 1 failed, 1 with findings');
    expect(mixed?.message).toContain(
      'Failed (1):\n  444455556666 (sandbox-1) eu-west-1 rtb-1 subnets-error [UnauthorizedOperation]',
    );
    const planned = renderDigest(report([result('ok', { subnets: subnets('would-restore-subnets') })], 'report'));
    expect(planned?.subject).toBe('account-janitor: 1 to repair');
  });

  test('report mode: what would be repaired', () => {
    const digest = renderDigest(
      report([result('would-restore'), result('would-replace', { previousTarget: 'igw-old' })], 'report'),
    );
    expect(digest?.subject).toBe('account-janitor: 2 to repair');
    expect(digest?.message).toContain('Would repair: dry run, or beyond the repair cap (2):');
  });

  test('a huge run stays one bounded message', () => {
    const rows = Array.from({ length: 5_000 }, (_, index) =>
      result('restored', { accountId: String(index).padStart(12, '0') }),
    );
    const digest = renderDigest(report(rows));
    expect(digest?.message.split('\n').filter((line) => line.includes(' restored: '))).toHaveLength(
      MAX_ROWS_PER_SECTION,
    );
    expect(digest?.message).toContain(`... and ${formatCount(5_000 - MAX_ROWS_PER_SECTION)} more`);
    expect(Buffer.byteLength(digest?.message ?? '')).toBeLessThan(256 * 1024);
    // The rest, for the function's log: every unlisted row once, in order, in bounded events.
    expect(digest?.unlisted.map(({ title, lines }) => [title, lines.length])).toEqual([
      ['Repaired', 5_000 - MAX_ROWS_PER_SECTION],
    ]);
    expect(digest?.unlisted[0]?.lines[0]).toContain(String(MAX_ROWS_PER_SECTION).padStart(12, '0'));
    const events = unlistedLogEvents(digest ?? { unlisted: [] });
    expect(events.length).toBeGreaterThan(1);
    expect(events.map((event) => event.part)).toEqual(events.map((_, index) => index + 1));
    expect(events.flatMap((event) => event.rows)).toEqual(digest?.unlisted[0]?.lines);
    for (const event of events)
      expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(MAX_UNLISTED_LOG_BYTES + 1024);
  });

  test('a run whose rows all fit lists nothing for the log', () => {
    const digest = renderDigest(report([result('restored')]));
    expect(digest?.unlisted).toEqual([]);
    expect(unlistedLogEvents(digest ?? { unlisted: [] })).toEqual([]);
  });
});

test('a row whose default group and ACL are both tagged (egress-ignored) is listed with the ignored ones, not counted', () => {
  const digest = renderDigest(
    report([
      result('ok', {
        egress: egress('egress-ignored', { message: 'sg-1 and acl-1 tagged account-janitor:ignore=true: left alone' }),
      }),
      result('ok', { region: 'us-east-1' }),
    ]),
  );
  expect(digest?.subject).toBe('account-janitor: 1 ignored');
  expect(digest?.message).toContain('Not listed: 1 account-region ok.');
  expect(digest?.message).toContain(
    '111122223333 (sandbox-1) eu-west-1 rtb-1 egress-ignored: egress: sg-1 and acl-1 tagged',
  );
});
