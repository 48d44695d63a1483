import { Token } from 'aws-cdk-lib';
import type { InputProblem } from '../lambda/errors';
import type { AccountJanitorProps } from './account-janitor-props';

/**
 * The rules of the restore triggers' props (restoreOn), each with its one message naming the
 * prop; checked with the construct's other rules (account-janitor-rules.ts).
 */

type RestoreRule = (
  props: AccountJanitorProps,
  scope: { readonly region?: string | undefined },
) => InputProblem | undefined;

export const RESTORE_RULES: readonly RestoreRule[] = [
  (props) =>
    (props.restoreOn?.length ?? 0) > 0 && props.eventDrivenRepair === false
      ? {
          field: 'restoreOn',
          value: (props.restoreOn ?? []).join(','),
          message:
            'needs eventDrivenRepair: the triggers reach the hub’s bus, which eventDrivenRepair=false leaves out',
        }
      : undefined,
  (props) => {
    const wanted = props.restoreOn?.includes('innovation-sandbox') ?? false;
    const given = props.innovationSandboxEventBusArn !== undefined;
    if (wanted === given) return undefined;
    return wanted
      ? {
          field: 'innovationSandboxEventBusArn',
          message: 'restoreOn innovation-sandbox needs Innovation Sandbox’s event bus ARN, where its rule listens',
        }
      : {
          field: 'innovationSandboxEventBusArn',
          value: props.innovationSandboxEventBusArn,
          message: 'is used only with restoreOn innovation-sandbox: add it to restoreOn, or leave the ARN out',
        };
  },
  (props, { region }) => {
    const arn = props.innovationSandboxEventBusArn;
    if (!arn || Token.isUnresolved(arn) || region === undefined || Token.isUnresolved(region)) return undefined;
    const busRegion = arn.split(':')[3];
    if (busRegion === region) return undefined;
    return {
      field: 'innovationSandboxEventBusArn',
      value: arn,
      message: `must be in the stack's region (${region}): a rule lives in its bus's region, and the stack makes it (deploy the janitor in ${busRegion ?? 'its region'}, or make the rule there yourself: docs/restore-triggers.md)`,
    };
  },
  // Without principals, only the hub account's own (by their IAM policies) may put the restore event.
  (props) =>
    (props.restoreEventPrincipalArns?.length ?? 0) > 0 && !(props.restoreOn?.includes('event') ?? false)
      ? {
          field: 'restoreEventPrincipalArns',
          value: (props.restoreEventPrincipalArns ?? []).join(','),
          message: 'are used only with restoreOn event: add it to restoreOn, or leave them out',
        }
      : undefined,
];
