import { explainRefusal, type PolicyRefusal } from '../core/policy-denial';

/** The AWS error code of a failed call (`AccessDenied`, `RequestLimitExceeded`…), or the network error code. */
export function awsErrorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const isServiceError = '$metadata' in error || '$fault' in error;
    if (isServiceError) return error.name;
    if (typeof code === 'string') return code;
    return error.name;
  }
  return 'UnknownError';
}

/** Codes with which EC2 answers in a region the account has not opted into (or that is otherwise not usable). */
export const REGION_DISABLED_CODES: ReadonlySet<string> = new Set(['AuthFailure', 'OptInRequired']);

/** Codes of a request that IAM (a policy of the role, an SCP) refused. */
export const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'UnauthorizedOperation',
  'AccessDenied',
  'AccessDeniedException',
]);

/** What a failed read means for the account-region. */
export type ReadFailure =
  /** The region is not usable by the account (not opted in): expected, not an error. */
  | { readonly kind: 'region-disabled'; readonly code: string }
  /** A service control policy denies the region (a region-deny SCP): expected, reported with its reason. */
  | { readonly kind: 'region-denied'; readonly code: string; readonly action: string; readonly reason: string }
  /** The member role may not make the call: its policy was detached or edited. A failure. */
  | { readonly kind: 'access-denied'; readonly code: string; readonly action: string }
  | { readonly kind: 'error'; readonly code: string };

const DENIED_ACTION = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/;
const ACTION_OF_ERROR = Symbol('account-janitor.action');

/**
 * Classifies a failed read by its code and, for a denial, by which policy refused it: a service
 * control policy (or, from EC2's decoded message, an explicit deny from outside the member role)
 * denies the region; anything else is the member role's matter. Since 2021 most services name the
 * policy in clear ("… with an explicit deny in a service control policy"); EC2 encodes it, and
 * `refusal` is what its decoding in the member account explained (sweep/refusal.ts).
 */
export function classifyReadFailure(
  error: unknown,
  options: { listedEnabled?: boolean; refusal?: PolicyRefusal | undefined } = {},
): ReadFailure {
  const code = awsErrorCode(error);
  // In a region the account itself listed as enabled (regions: all), AuthFailure is no opt-in matter.
  if (REGION_DISABLED_CODES.has(code))
    return options.listedEnabled ? { kind: 'error', code } : { kind: 'region-disabled', code };
  if (!ACCESS_DENIED_CODES.has(code)) return { kind: 'error', code };
  const message = error instanceof Error ? error.message : String(error);
  const action = failedAction(error) ?? 'unknown action';
  const refusal = options.refusal ?? explainRefusal(message, { roleName: 'the member role', action });
  if (refusal.kind === 'service-control-policy' || refusal.kind === 'outside-role') {
    return { kind: 'region-denied', code, action, reason: `with an explicit deny in ${refusal.policy}` };
  }
  return { kind: 'access-denied', code, action };
}

/**
 * Runs one AWS call and, if it fails, remembers on the error which IAM action it was, so that a
 * denial can name it even when AWS's message does not.
 */
export async function withAction<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (typeof error === 'object' && error !== null && !(ACTION_OF_ERROR in error)) {
      Object.defineProperty(error, ACTION_OF_ERROR, { value: action, enumerable: false });
    }
    throw error;
  }
}

/** The IAM action of a failed call: as `withAction` recorded it, else as AWS's message names it. */
export function failedAction(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && ACTION_OF_ERROR in error) {
    return String((error as Record<symbol, unknown>)[ACTION_OF_ERROR]);
  }
  const message = error instanceof Error ? error.message : '';
  return DENIED_ACTION.exec(message)?.[1];
}
