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

/** Codes with which EC2 answers in a region that is disabled for the account (or denied to it by policy). */
export const REGION_DISABLED_CODES: ReadonlySet<string> = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'OptInRequired',
]);
