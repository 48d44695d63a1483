import { z } from 'zod';
import { JanitorError } from '../errors';
import type { BpaMode } from './plan-reach';

/**
 * What an account's effective EC2 declarative policy (Organizations DescribeEffectivePolicy,
 * `DECLARATIVE_POLICY_EC2`) says of VPC Block Public Access, read as untrusted input. The policy's
 * attribute, as AWS documents it:
 *
 *     { "ec2_attributes": { "vpc_block_public_access": { "internet_gateway_block": {
 *         "mode": { "@@assign": "block_bidirectional" },        // off | block_ingress | block_bidirectional
 *         "exclusions_allowed": { "@@assign": "disabled" } } } } } // enabled | disabled
 *
 * An effective policy has its inheritance operators applied (`"mode": "block_bidirectional"`); both
 * forms are read, and the attribute's older documented name `internet_gateway` too. The modes are
 * given as EC2 spells them (`block-bidirectional`), as DescribeVpcs does.
 */

export interface DeclaredBpa {
  readonly mode: BpaMode;
  /** Whether accounts may exclude a VPC or subnet; `undefined` when the policy does not say. */
  readonly exclusionsAllowed: boolean | undefined;
}

/** A value as an effective policy gives it, or still under its `@@assign` operator. */
const assigned = z
  .union([z.string(), z.looseObject({ '@@assign': z.string() })])
  .transform((value) => (typeof value === 'string' ? value : value['@@assign']));

const internetGatewayBlock = z.looseObject({ mode: assigned.optional(), exclusions_allowed: assigned.optional() });

const effectivePolicy = z.looseObject({
  ec2_attributes: z
    .looseObject({
      vpc_block_public_access: z
        .looseObject({
          internet_gateway_block: internetGatewayBlock.optional(),
          internet_gateway: internetGatewayBlock.optional(),
        })
        .optional(),
    })
    .optional(),
});

const MODES: Readonly<Record<string, BpaMode>> = {
  off: 'off',
  block_ingress: 'block-ingress',
  block_bidirectional: 'block-bidirectional',
};

/** An effective policy that does not say what doctor can read. */
export class DeclarativePolicyError extends JanitorError {
  public constructor(message: string) {
    super(message);
    this.name = 'DeclarativePolicyError';
  }
}

/**
 * Block Public Access as the policy declares it; `undefined` when it declares nothing about it.
 * Throws a DeclarativePolicyError naming what does not parse (not JSON, an unknown mode…).
 */
export function declaredBpa(policyContent: string): DeclaredBpa | undefined {
  let json: unknown;
  try {
    json = JSON.parse(policyContent);
  } catch {
    throw new DeclarativePolicyError('the effective policy is not JSON');
  }
  const parsed = effectivePolicy.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeclarativePolicyError(
      `the effective policy does not parse at ${issue?.path.join('.') || 'its top'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const block = parsed.data.ec2_attributes?.vpc_block_public_access;
  const declared = block?.internet_gateway_block ?? block?.internet_gateway;
  if (declared?.mode === undefined) return undefined;
  const mode = MODES[declared.mode.toLowerCase().replace(/-/g, '_')];
  if (!mode) throw new DeclarativePolicyError(`Block Public Access's mode ${declared.mode} is none doctor knows`);
  const exclusions = declared.exclusions_allowed?.toLowerCase();
  return { mode, exclusionsAllowed: exclusions === undefined ? undefined : exclusions === 'enabled' };
}
