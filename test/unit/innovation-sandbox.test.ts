import { isInnovationSandboxContent } from '../../cli/doctor/innovation-sandbox';

/** doctor knows Innovation Sandbox's SCPs by their statement ids when they are renamed. */

const policy = (statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

test.each([
  [policy([{ Sid: 'ProtectIsbControlPlaneResources', Effect: 'Deny', Action: '*', Resource: '*' }]), true],
  [policy({ Sid: 'DenyAllExceptIsbRoles', Effect: 'Deny', Action: '*', Resource: '*' }), true],
  [policy([{ Sid: 'Other' }, { Sid: 'DenyAllExceptAwsNukeSupportedServices' }]), true],
  [policy([{ Sid: 'DenyRegionAccess' }]), false], // a Sid that is not Innovation Sandbox's alone
  [policy([{ Effect: 'Deny', Action: '*', Resource: '*' }]), false],
  ['not json', false],
])('%s: %s', (content, expected) => {
  expect(isInnovationSandboxContent(content)).toBe(expected);
});
