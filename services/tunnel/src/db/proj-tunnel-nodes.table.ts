import type { Generated } from 'kysely';

/**
 * `proj_tunnel_nodes`: every node the gateway may admit — present, with the serial of its active
 * credential — and what its peer set is made of (addresses from NodeJoined, units from nodepool).
 * Membership may arrive before the join, so a row can exist with `present = false`.
 */
export interface ProjTunnelNodesTable {
  cluster_id: string;
  node: string;
  present: Generated<boolean>;
  ips: Generated<string[]>;
  units: Generated<string[]>;
  credential_serial: string | null;
  updated_at: Generated<Date>;
}
