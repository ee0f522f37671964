import type { X509Certificate } from 'node:crypto';

/** The gateway's in-memory view of one cluster (what identity checks and desired state read). */
export interface ClusterEntry {
  id: string;
  name: string;
  caPem: string;
  ca: X509Certificate;
  remoteLogin: boolean;
  deleted: boolean;
  multiRegion: boolean;
  disabledUnits: ReadonlySet<string>;
}

/** The gateway's in-memory view of one node. */
export interface NodeEntry {
  clusterId: string;
  name: string;
  present: boolean;
  ips: readonly string[];
  units: readonly string[];
  serial: string | null;
  probePort: number | null;
  /** the content hash of the pods assigned to the node (null: none ever assigned) */
  podsDigest: string | null;
  /** the NodePodsAssigned streamVersion those pods came from (0: none) */
  podsVersion: number;
  /** the content hash of the ServiceGrids of the node's units (null: none) */
  servicesDigest: string | null;
}
