import type { JSONColumnType } from 'kysely';

/** What a node's agent last reported about one of its pods, as readiness and endpoints need it. */
export interface ReportedPodStatus {
  ready: boolean;
  /** since when it has been ready (the report that first said so); absent when not ready */
  readySince?: string;
  /** a definite failure (phase Failed, an image that cannot be pulled, a crash loop) */
  failed: boolean;
  reason?: string;
  ip?: string;
  /** the template hash the pod runs, as the agent names it */
  revision?: string;
}

/** NodePodsStatusReported (tunnel): per node, the latest status of its pods by pod name. */
export interface ProjPodStatusTable {
  cluster_id: string;
  node: string;
  pods: JSONColumnType<Record<string, ReportedPodStatus>>;
  reported_at: string;
  /** the node's allocatable as its agent reported it (null: never reported; placement assumes) */
  allocatable: JSONColumnType<NodeAllocatable | null, string | null, string | null>;
}

/** What a node offers pods (the agent's NodePodsStatusReported.allocatable). */
export interface NodeAllocatable {
  cpuMilli: number;
  memoryBytes: number;
  pods: number;
}
