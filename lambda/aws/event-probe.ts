import { PROBE_TAG_KEY } from '../contract/names';
import { INTERNET_ROUTE_CIDR } from '../core/route-table';
import {
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { withAction } from './error-code';

/**
 * doctor's event probe in one member account-region, through the member role under its own
 * session name: a throwaway route table in the default VPC, tagged `account-janitor:probe` on
 * creation, a 0.0.0.0/0 route to the gateway added to it and deleted (the breaking call the
 * forwarder must hear; the table has no subnet, so the route carries no traffic), then the
 * table deleted. The default VPC's main route table, and every route of the default path, is never
 * touched. The member role may make these writes only on route tables that carry the probe tag.
 */

/** The probe's session name: not the janitor's own, so its DeleteRoute is forwarded like anyone else's. */
export const PROBE_SESSION_NAME = 'account-janitor-probe';
/**
 * 0.0.0.0/0, as the breaking call the event rules hear names it (they hear a DeleteRoute of no other
 * destination), in the probe's own table: no subnet is associated with it, so the route carries no
 * one's traffic while it exists.
 */
export const PROBE_DESTINATION = INTERNET_ROUTE_CIDR;

export interface ProbeCall {
  readonly routeTableId: string;
  /** When the DeleteRoute was answered. */
  readonly deletedAt: Date;
}

export async function probeBreakingCall(
  client: EC2Client,
  target: { readonly vpcId: string; readonly gatewayId: string; readonly runId: string },
  now: () => Date = () => new Date(),
): Promise<ProbeCall> {
  const { RouteTable: table } = await withAction('ec2:CreateRouteTable', () =>
    client.send(
      new CreateRouteTableCommand({
        VpcId: target.vpcId,
        TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: PROBE_TAG_KEY, Value: target.runId }] }],
      }),
    ),
  );
  const routeTableId = table?.RouteTableId;
  if (!routeTableId) throw new Error('CreateRouteTable returned no route table');
  let call: ProbeCall;
  try {
    await withAction('ec2:CreateRoute', () =>
      client.send(
        new CreateRouteCommand({
          RouteTableId: routeTableId,
          DestinationCidrBlock: PROBE_DESTINATION,
          GatewayId: target.gatewayId,
        }),
      ),
    );
    await withAction('ec2:DeleteRoute', () =>
      client.send(new DeleteRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: PROBE_DESTINATION })),
    );
    call = { routeTableId, deletedAt: now() };
  } catch (error) {
    // The table goes in any case; the first failure is the one reported.
    await deleteProbeTable(client, routeTableId).catch(() => undefined);
    throw error;
  }
  await deleteProbeTable(client, routeTableId);
  return call;
}

function deleteProbeTable(client: EC2Client, routeTableId: string) {
  return withAction('ec2:DeleteRouteTable', () =>
    client.send(new DeleteRouteTableCommand({ RouteTableId: routeTableId })),
  );
}
