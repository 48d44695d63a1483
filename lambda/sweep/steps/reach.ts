import { describeBlockPublicAccess, describeDefaultSubnetsAmong } from '../../aws/ec2';
import { awsErrorCode } from '../../aws/error-code';
import { bpaModeOf, planReach, routesToGateway, type BpaDetails } from '../../core/plan-reach';
import type { RegionNetwork } from '../../core/region-network';
import type { ReachResult } from '../../core/row-parts';
import type { Subnet } from '@aws-sdk/client-ec2';
import type { RegionTarget } from '../context';
import type { DefaultVpcFacts } from '../outcome';

/**
 * The path check (reach, on by default): with the route in place, would AWS carry a packet from a
 * default subnet to the internet? Decided from the region as read (no extra call on a healthy
 * path); only when Block Public Access is not `off` are its options and exclusions read, and only
 * when a subnet of the default VPC sits on a table off the path is it asked whether that is a
 * default subnet. Report only: it writes nothing.
 *
 * `null` when there is no default VPC, or it is ignored.
 */
export async function reachStep(
  target: RegionTarget,
  vpc: DefaultVpcFacts,
  network: RegionNetwork | undefined,
): Promise<ReachResult | null> {
  const defaultVpc = network?.defaultVpc;
  if (!network || !vpc.vpcId || vpc.ignored || defaultVpc?.VpcId !== vpc.vpcId) return null;
  const subnetRouteTables = network.subnetRouteTables ?? [];
  const errors: string[] = [];
  const explain = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      const code = awsErrorCode(error);
      errors.push(code);
      target.logger.warn('path check read failed', { ...target.logFields, errorCode: code });
      return undefined;
    }
  };
  const offPath = subnetRouteTables
    .filter((table) => table.VpcId === vpc.vpcId && !routesToGateway(table, vpc.internetGatewayId))
    .flatMap((table) => (table.Associations ?? []).flatMap((association) => association.SubnetId ?? []));
  const known = network.subnets && !('readError' in network.subnets) ? network.subnets.defaultSubnets : undefined;
  const blocked = bpaModeOf(defaultVpc) !== 'off';
  const askSubnets = !known && offPath.length > 0;
  // A healthy path asks nothing more, and awaits nothing.
  const [bpa, defaultSubnets] =
    blocked || askSubnets
      ? await Promise.all([
          blocked ? explain<BpaDetails>(() => describeBlockPublicAccess(target.ec2)) : undefined,
          askSubnets ? explain<Subnet[]>(() => describeDefaultSubnetsAmong(target.ec2, offPath)) : known,
        ])
      : [undefined, known];
  const plan = planReach({
    vpc: defaultVpc,
    internetGatewayId: vpc.internetGatewayId,
    mainRouteTable: network.mainRouteTables.find((table) => table.VpcId === vpc.vpcId),
    subnetRouteTables,
    defaultSubnets: defaultSubnets ?? [],
    ...(bpa ? { bpa } : {}),
  });
  const [errorCode = null] = errors;
  const unread = errorCode ? `; not every read succeeded (${errorCode}): what they would explain is left out` : '';
  if (plan.status !== 'reach-ok') {
    target.logger.warn('the route is there, the path is not', { ...target.logFields, status: plan.status });
  }
  return { status: plan.status, findings: plan.findings, errorCode, message: `${plan.message}${unread}` };
}

/** A default VPC the janitor just created needs nothing of the path check. */
export const reachCompleteIn = () => true;
