import type { ServerResponse } from 'node:http';

/**
 * The load double's Organizations (bench/aws-double.ts): the organization it computes (N accounts
 * in OUs of 50 below the root, the management account at the root), answered in JSON 1.1, within
 * Organizations' request rate.
 */

/**
 * Organizations' request rate, as the double enforces it: one token bucket for every Organizations
 * request of the caller's account. AWS does not publish Organizations' request rates: "Quotas and
 * service limits for AWS Organizations"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html) lists
 * the most of each entity, and a request to document the throttling limits
 * (https://github.com/awsdocs/aws-organizations-docs/issues/39, 2022) was closed unanswered when
 * that repository was archived. The rate and burst here are an ASSUMPTION, taken from the read
 * rates AWS documents for the sibling
 * Account Management API (https://docs.aws.amazon.com/accounts/latest/reference/quotas.html:
 * e.g. ListRegions and GetRegionOptStatus "5 per second, burst to 5"). The bench takes others
 * (`--organizations-rate`, `--organizations-burst`).
 */
export const ORGANIZATIONS_RATE = 5;
export const ORGANIZATIONS_BURST = 5;

/**
 * Organizations' TooManyRequestsException as the API reference documents it (the Errors of every
 * operation, e.g. https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html#API_ListAccountsForParent_Errors:
 * HTTP status 400, this message).
 */
export const ORGANIZATIONS_THROTTLED_MESSAGE =
  'You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.';

/**
 * The same exception's other message, for a request that arrives while others are still being
 * served: not in the API reference, but what users report AWS answering concurrent callers
 * (DescribeAccount from several threads: https://github.com/awsdocs/aws-organizations-docs/issues/39;
 * ListParents: https://github.com/awslabs/aws-deployment-framework/issues/752; the SDK:
 * https://github.com/aws/aws-sdk-js/issues/2135). The double answers it over `organizationsInFlight`.
 */
export const ORGANIZATIONS_IN_PROGRESS_MESSAGE =
  "AWS Organizations can't complete your request because another request is already in progress. Try again later.";

export const DOUBLE_ROOT = 'r-root';
export const DOUBLE_MANAGEMENT_ACCOUNT = '999999999999';
const ACCOUNTS_PER_OU = 50;
const PAGE = 20;

export function doubleAccountId(index: number): string {
  return String(100_000_000_000 + index);
}

export function doubleOuId(index: number): string {
  return `ou-root-${String(index).padStart(8, '0')}`;
}

/**
 * A token bucket: `take()` is true for a request within the rate (refilled at `rate` per second,
 * up to `burst`), false for one over it. An infinite rate takes every request.
 */
export function tokenBucket(rate: number, burst: number): { take(): boolean } {
  let tokens = burst;
  let refilledAt = performance.now();
  return {
    take: () => {
      if (!Number.isFinite(rate)) return true;
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * rate);
      refilledAt = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** Over the rate or the requests in flight: AWS's answer for JSON 1.1 (HTTP 400, the error type in header and body). */
export function answerThrottled(response: ServerResponse, message: string): void {
  response.writeHead(400, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': 'TooManyRequestsException',
    'x-amzn-requestid': 'double',
  });
  response.end(JSON.stringify({ __type: 'TooManyRequestsException', Message: message }));
}

/** Answers one Organizations action of an organization of `accounts` accounts, or rejects it. */
export function answerOrganizations(
  accounts: number,
  target: string,
  body: Record<string, unknown>,
  response: ServerResponse,
  reject: (response: ServerResponse, why: string) => void,
): void {
  const ouCount = Math.ceil(accounts / ACCOUNTS_PER_OU);
  const json = (value: unknown) => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(value));
  };
  const page = <T>(items: T[]) => {
    const start = Number(body['NextToken'] ?? 0);
    const size = Math.min(Number(body['MaxResults'] ?? PAGE), PAGE);
    const next = start + size < items.length ? String(start + size) : undefined;
    return { items: items.slice(start, start + size), next };
  };
  const account = (index: number) => ({
    Id: doubleAccountId(index),
    Name: `sandbox-${index}`,
    Email: `sandbox-${index}@example.com`,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: 1_700_000_000,
  });
  switch (target) {
    case 'DescribeOrganization':
      return json({
        Organization: { Id: 'o-double', MasterAccountId: DOUBLE_MANAGEMENT_ACCOUNT, FeatureSet: 'ALL' },
      });
    case 'DescribeOrganizationalUnit': {
      const id = String(body['OrganizationalUnitId']);
      if (!id.startsWith('ou-root-')) return reject(response, `DescribeOrganizationalUnit of an unknown OU ${id}`);
      return json({
        OrganizationalUnit: {
          Id: id,
          Name: id,
          Arn: `arn:aws:organizations::${DOUBLE_MANAGEMENT_ACCOUNT}:ou/o-double/${id}`,
        },
      });
    }
    case 'ListOrganizationalUnitsForParent': {
      const parent = String(body['ParentId']);
      const children = parent === DOUBLE_ROOT ? Array.from({ length: ouCount }, (_, index) => doubleOuId(index)) : [];
      const { items, next } = page(children);
      return json({ OrganizationalUnits: items.map((id) => ({ Id: id, Name: id })), NextToken: next });
    }
    case 'ListAccountsForParent': {
      const parent = String(body['ParentId']);
      let indexes: number[] = [];
      if (parent.startsWith('ou-root-')) {
        const ou = Number(parent.slice('ou-root-'.length));
        const first = ou * ACCOUNTS_PER_OU;
        indexes = Array.from({ length: Math.min(ACCOUNTS_PER_OU, accounts - first) }, (_, offset) => first + offset);
      }
      const { items, next } = page(indexes);
      const listed = items.map(account);
      if (parent === DOUBLE_ROOT && !body['NextToken']) {
        listed.push({ ...account(0), Id: DOUBLE_MANAGEMENT_ACCOUNT, Name: 'management' });
      }
      return json({ Accounts: listed, NextToken: next });
    }
    default:
      return reject(response, `unexpected Organizations action ${target}`);
  }
}
