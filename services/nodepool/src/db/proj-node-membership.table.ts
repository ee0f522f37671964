import type { JSONColumnType } from 'kysely';
import type { NodeLayer } from '../membership/membership.engine.js';

/** The layer nodepool last published per node (NodeMembershipChanged). */
export interface ProjNodeMembershipTable {
  cluster_id: string;
  node: string;
  layer: JSONColumnType<NodeLayer>;
  /** global position of the event the layer comes from; an older one never overwrites it */
  last_position: number;
}
