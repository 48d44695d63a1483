import { logsWriteManagementEvents, trailCoverage, type TrailView } from '../../lambda/core/trail-coverage';

/**
 * Whether a trail records an account-region's write management events, so that EventBridge sees
 * its breaking calls: the trails a member account sees (its own and the organization's), with
 * CloudTrail's own defaults and selector forms.
 */

const trail = (overrides: Partial<TrailView> = {}): TrailView => ({
  arn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/organization-trail',
  name: 'organization-trail',
  homeRegion: 'us-east-1',
  multiRegion: true,
  organizationTrail: true,
  logging: true,
  eventSelectors: [],
  advancedEventSelectors: [],
  ...overrides,
});

describe('which trails reach the region', () => {
  test.each([
    ['a multi-region trail homed elsewhere', trail({ homeRegion: 'eu-west-1' }), true],
    ['a single-region trail homed there', trail({ multiRegion: false }), true],
    ['a single-region trail homed elsewhere', trail({ multiRegion: false, homeRegion: 'eu-west-1' }), false],
  ])('%s', (_, candidate, covered) => {
    expect(trailCoverage([candidate], 'us-east-1').covered).toBe(covered);
  });

  test('no trail at all, and one of two trails enough', () => {
    expect(trailCoverage([], 'us-east-1')).toEqual({ covered: false, reason: 'no trail covers the region' });
    const stopped = trail({ name: 'old', logging: false });
    const good = trail({ name: 'org' });
    expect(trailCoverage([stopped, good], 'us-east-1')).toEqual({ covered: true, trail: good });
  });

  test('each trail that reaches the region but records nothing is named with why', () => {
    expect(
      trailCoverage(
        [
          trail({ name: 'stopped', logging: false }),
          trail({ name: 'reads', eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }),
          trail({ name: 'hidden', logging: undefined, readError: 'AccessDeniedException' }),
          trail({ name: 'elsewhere', multiRegion: false, homeRegion: 'eu-west-1' }),
        ],
        'us-east-1',
      ),
    ).toEqual({
      covered: false,
      reason:
        'trail stopped is not logging; trail reads does not log write management events of EC2; trail hidden could not be read (AccessDeniedException)',
    });
  });
});

describe('basic event selectors', () => {
  test.each([
    ['none: CloudTrail logs every management event', [], true],
    ['All', [{ ReadWriteType: 'All', IncludeManagementEvents: true }], true],
    ['WriteOnly', [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }], true],
    ['ReadOnly', [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }], false],
    ['data events only', [{ ReadWriteType: 'All', IncludeManagementEvents: false }], false],
    [
      'management events of KMS excluded',
      [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
      true,
    ],
    ['EC2 excluded', [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['ec2.amazonaws.com'] }], false],
    [
      'one of several',
      [
        { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true },
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true },
      ],
      true,
    ],
  ])('%s', (_, eventSelectors, logs) => {
    expect(logsWriteManagementEvents(trail({ eventSelectors }))).toBe(logs);
  });
});

describe('advanced event selectors', () => {
  const management = { Field: 'eventCategory', Equals: ['Management'] };
  test.each([
    ['management, every call', [{ FieldSelectors: [management] }], true],
    ['management, writes', [{ FieldSelectors: [management, { Field: 'readOnly', Equals: ['false'] }] }], true],
    ['management, reads', [{ FieldSelectors: [management, { Field: 'readOnly', Equals: ['true'] }] }], false],
    ['management, not writes', [{ FieldSelectors: [management, { Field: 'readOnly', NotEquals: ['false'] }] }], false],
    ['data events', [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }], false],
    [
      'management of EC2',
      [{ FieldSelectors: [management, { Field: 'eventSource', Equals: ['ec2.amazonaws.com'] }] }],
      true,
    ],
    [
      'management of KMS only',
      [{ FieldSelectors: [management, { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }] }],
      false,
    ],
    [
      'management but not EC2',
      [{ FieldSelectors: [management, { Field: 'eventSource', NotEquals: ['ec2.amazonaws.com'] }] }],
      false,
    ],
    [
      'management of sources starting with ec2',
      [{ FieldSelectors: [management, { Field: 'eventSource', StartsWith: ['ec2.'] }] }],
      true,
    ],
    [
      'management of sources not starting with ec2',
      [{ FieldSelectors: [management, { Field: 'eventSource', NotStartsWith: ['ec2'] }] }],
      false,
    ],
  ])('%s', (_, advancedEventSelectors, logs) => {
    expect(logsWriteManagementEvents(trail({ advancedEventSelectors }))).toBe(logs);
  });
});
