import { statementsOf, type PolicyDocument } from '../../lambda/core/iam-policy';

/**
 * What the member role StackSet says each member role trusts, and whether a live trust policy
 * says the same (doctor's `member role trust`): the template's AssumeRolePolicyDocument resolved
 * with the StackSet's parameter values, then both compared statement by statement, in a form
 * where a list of one is its item and the order of keys and of list items does not count (IAM
 * keeps a policy as it was given; CloudFormation gives it as the template resolves). Pure.
 */

const NO_VALUE = Symbol('AWS::NoValue');

interface TemplateParameter {
  readonly Type?: string;
  readonly Default?: string;
}
interface MemberRoleTemplate {
  readonly Parameters?: Readonly<Record<string, TemplateParameter>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Resources?: Readonly<Record<string, { Type?: string; Properties?: Record<string, unknown> }>>;
}

/**
 * The trust policy of each role of the template (by role name), as CloudFormation would deploy it
 * with these parameter values (the template's defaults for the others). Only the intrinsic
 * functions the member role template uses are known: Ref (parameters, AWS::NoValue), Fn::If,
 * Fn::Not, Fn::Equals, Fn::Join; any other throws.
 */
export function templateTrusts(
  templateBody: string,
  parameters: Readonly<Record<string, string>>,
): Map<string, PolicyDocument> {
  const template = JSON.parse(templateBody) as MemberRoleTemplate;
  const ref = (name: string): unknown => {
    const declared = template.Parameters?.[name];
    if (!declared) throw new Error(`the template refers to ${name}, which is no parameter of it`);
    const value = parameters[name] ?? declared.Default ?? '';
    return declared.Type === 'CommaDelimitedList' ? value.split(',') : value;
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve).filter((item) => item !== NO_VALUE);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [first] = entries;
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      const [name, argument] = first;
      const list = (): unknown[] => (Array.isArray(argument) ? argument : [argument]);
      switch (name) {
        case 'Ref':
          return argument === 'AWS::NoValue' ? NO_VALUE : ref(String(argument));
        case 'Fn::If': {
          const [condition, then, otherwise] = list();
          return resolve(resolve(template.Conditions?.[String(condition)]) === true ? then : otherwise);
        }
        case 'Fn::Not':
          return resolve(list()[0]) !== true;
        case 'Fn::Equals': {
          const [left, right] = list().map(resolve);
          return JSON.stringify(left) === JSON.stringify(right);
        }
        case 'Fn::Join': {
          const [separator, items] = list();
          return (resolve(items) as unknown[]).map(String).join(String(separator));
        }
        default:
          throw new Error(`the template uses ${name}, which doctor does not resolve`);
      }
    }
    return Object.fromEntries(
      entries.map(([key, item]) => [key, resolve(item)] as const).filter(([, item]) => item !== NO_VALUE),
    );
  };
  const trusts = new Map<string, PolicyDocument>();
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const name = resource.Properties?.['RoleName'];
    const trust = resource.Properties?.['AssumeRolePolicyDocument'];
    if (typeof name === 'string' && trust) trusts.set(name, resolve(trust) as PolicyDocument);
  }
  return trusts;
}

/** A value in the form compared: a list of one is its item, keys and list items in order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.length === 1 ? items[0] : items.map((item) => JSON.stringify(item)).sort();
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, canonical(record[key])]),
  );
}

/** The statements only the template has (`missing` from the live policy) and only the live policy has (`added`). */
export function trustDifference(
  expected: PolicyDocument,
  live: PolicyDocument,
): { readonly missing: readonly string[]; readonly added: readonly string[] } {
  // Only statements: IAM holds no other item, though moto's CloudFormation leaves AWS::NoValue in a list as null.
  const forms = (document: PolicyDocument) =>
    statementsOf(document)
      .filter((item) => typeof item === 'object' && item !== null)
      .map((item) => JSON.stringify(canonical(item)));
  const [want, have] = [forms(expected), forms(live)];
  return {
    missing: want.filter((statement) => !have.includes(statement)),
    added: have.filter((statement) => !want.includes(statement)),
  };
}
