import {
  buildReport,
  type EgressResult,
  type SubnetsResult,
  type SweepReport,
  type SweepResult,
} from '../../lambda/core/report';
import type { EgressStatus, SubnetStatus, SweepStatus } from '../../lambda/core/statuses';

/** A report row with plausible values; override what the test is about. */
export function result(status: SweepStatus, overrides: Partial<SweepResult> = {}): SweepResult {
  const accountLevel = status === 'skipped' || status === 'access-denied';
  return {
    accountId: '111122223333',
    accountName: 'sandbox-1',
    region: accountLevel ? null : 'eu-west-1',
    status,
    vpcId: accountLevel ? null : 'vpc-1',
    routeTableId: accountLevel ? null : 'rtb-1',
    internetGatewayId: accountLevel ? null : 'igw-1',
    previousTarget: null,
    errorCode: null,
    message: `${status} message`,
    subnets: null,
    egress: null,
    reach: null,
    cause: null,
    repairedAt: null,
    ...overrides,
  };
}

/** The subnets part of a row; override what the test is about. */
export function subnets(status: SubnetStatus, overrides: Partial<SubnetsResult> = {}): SubnetsResult {
  return {
    status,
    zonesRepaired: [],
    zonesMissing: [],
    findings: [],
    errorCode: null,
    message: `${status} message`,
    ...overrides,
  };
}

/** The egress part of a row; override what the test is about. */
export function egress(status: EgressStatus, overrides: Partial<EgressResult> = {}): EgressResult {
  return { status, findings: [], repaired: [], errorCode: null, message: `${status} message`, ...overrides };
}

export function report(results: SweepResult[], mode: 'remediate' | 'report' = 'remediate'): SweepReport {
  return buildReport(mode, new Date('2026-11-26T01:00:00Z'), new Date('2026-11-26T01:00:12.5Z'), results);
}
