import type { Generated } from 'kysely';

/**
 * `proj_tunnel_nodes`: every node the gateway may admit — present, with the serial of its active
 * credential — and what its peer set is made of (addresses from NodeJoined, units from nodepool).
 * Membership may arrive before the join, so a row can exist with `present = false`. Each `*_pos`
 * is the position, in the fact's source stream, of the event that set it.
 */
export interface ProjTunnelNodesTable {
  cluster_id: string;
  node: string;
  present: Generated<boolean>;
  ips: Generated<string[]>;
  presence_pos: Generated<number>;
  credential_serial: string | null;
  credential_pos: Generated<number>;
  units: Generated<string[]>;
  units_pos: Generated<number>;
  updated_at: Generated<Date>;
}
