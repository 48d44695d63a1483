import { declaredBpa, DeclarativePolicyError } from '../../lambda/core/declarative-policy';

/**
 * An account's effective EC2 declarative policy, read as untrusted input: what it declares of VPC
 * Block Public Access, in either form AWS documents (operators applied, or still `@@assign`).
 */

const policy = (block: Record<string, unknown>, name = 'internet_gateway_block') =>
  JSON.stringify({ ec2_attributes: { vpc_block_public_access: { [name]: block } } });

test.each([
  ['effective (operators applied)', policy({ mode: 'block_bidirectional', exclusions_allowed: 'disabled' })],
  [
    'as attached (@@assign)',
    policy({
      mode: { '@@assign': 'block_bidirectional', '@@operators_allowed_for_child_policies': ['@@none'] },
      exclusions_allowed: { '@@assign': 'disabled' },
    }),
  ],
  [
    'the older name internet_gateway',
    policy({ mode: 'block_bidirectional', exclusions_allowed: 'disabled' }, 'internet_gateway'),
  ],
  ['EC2’s spelling', policy({ mode: 'block-bidirectional', exclusions_allowed: 'disabled' })],
])('Control Tower’s CT.EC2.PV.8, %s: bidirectional, no exclusions', (_, content) => {
  expect(declaredBpa(content)).toEqual({ mode: 'block-bidirectional', exclusionsAllowed: false });
});

test('ingress-only with exclusions allowed; off; exclusions unsaid', () => {
  expect(declaredBpa(policy({ mode: 'block_ingress', exclusions_allowed: 'enabled' }))).toEqual({
    mode: 'block-ingress',
    exclusionsAllowed: true,
  });
  expect(declaredBpa(policy({ mode: 'off', exclusions_allowed: 'enabled' }))).toEqual({
    mode: 'off',
    exclusionsAllowed: true,
  });
  expect(declaredBpa(policy({ mode: 'block_ingress' }))).toEqual({
    mode: 'block-ingress',
    exclusionsAllowed: undefined,
  });
});

test('a policy of other attributes declares nothing of Block Public Access', () => {
  const imds = { ec2_attributes: { instance_metadata_defaults: { http_tokens: 'required' } } };
  expect(declaredBpa(JSON.stringify(imds))).toBeUndefined();
  expect(declaredBpa('{}')).toBeUndefined();
});

test.each([
  ['not JSON', 'ec2_attributes: {', 'the effective policy is not JSON'],
  [
    'a mode of another type',
    policy({ mode: 42 }),
    /does not parse at ec2_attributes\.vpc_block_public_access\.internet_gateway_block\.mode/,
  ],
  [
    'an unknown mode',
    policy({ mode: 'block_everything' }),
    "Block Public Access's mode block_everything is none doctor knows",
  ],
  ['attributes that are no object', JSON.stringify({ ec2_attributes: 'on' }), /does not parse at ec2_attributes/],
])('%s: a DeclarativePolicyError saying what', (_, content, message) => {
  expect(() => declaredBpa(content)).toThrow(DeclarativePolicyError);
  expect(() => declaredBpa(content)).toThrow(message);
});
