import type { ColumnType, JSONColumnType } from 'kysely';
import type { Verdict } from '@edgeplane/contracts';

export interface NodeTaint {
  key: string;
  value: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * The nodes of a cluster as placement needs them, from the cluster service's events (labels of
 * every layer, operator and system taints, cordon holders, addresses, a pending drain), nodepool's
 * NodeMembershipChanged (the units it is in) and the health-arbiter's latest verdict.
 */
export interface ProjNodesTable {
  cluster_id: string;
  name: string;
  /** every label layer merged (join-time, operator, each system owner's) */
  labels: JSONColumnType<Record<string, string>>;
  /** operator taints, then each system owner's (`owner` → taints) */
  taints: JSONColumnType<NodeTaint[]>;
  system_taints: JSONColumnType<Record<string, NodeTaint[]>>;
  /** holders of a cordon (`operator`, `tier-capacity`); empty = schedulable */
  cordoned_by: JSONColumnType<string[]>;
  addresses: JSONColumnType<string[]>;
  /** the units nodepool last published for the node, and that event's stream version */
  units: JSONColumnType<string[]>;
  units_version: number;
  verdict: string | null;
  /** the units the latest verdict's evidence calls dark (the arbiter froze them) */
  dark_units: ColumnType<string[], string | undefined, string>;
  verdict_at: string | null;
  /** the id of the drain request in force (set by NodeDrainRequested, cleared by uncordon) */
  drain_request_id: string | null;
  joined_at: string;
}

export type { Verdict };
