import { NotFoundError } from '@edgeplane/es-kit';
import {
  ClusterAccessChanged,
  ClusterAdminCredentialIssued,
  ClusterAutoUpgradeChanged,
  ClusterCapacityCordonsLifted,
  ClusterCreated,
  ClusterDeleted,
  ClusterNodeAdmitted,
  ClusterNodeReleased,
  ClusterRemoteLoginChanged,
  ClusterTierChanged,
  ClusterUsageRecorded,
  ClusterUserCredentialIssued,
  ClusterUserCredentialsRevoked,
  type EventOf,
} from '@edgeplane/contracts';
import type { ContainerRuntime } from '../reference-data/reference-data.js';

// ───────────────────────────── events ─────────────────────────────

/** The catalogue events of the Cluster aggregate (its projection reads the same list). */
export const CLUSTER_EVENTS = [
  ClusterCreated,
  ClusterAdminCredentialIssued,
  ClusterUserCredentialIssued,
  ClusterUserCredentialsRevoked,
  ClusterAccessChanged,
  ClusterTierChanged,
  ClusterAutoUpgradeChanged,
  ClusterCapacityCordonsLifted,
  ClusterNodeAdmitted,
  ClusterNodeReleased,
  ClusterUsageRecorded,
  ClusterRemoteLoginChanged,
  ClusterDeleted,
] as const;

export type ClusterEvent = EventOf<(typeof CLUSTER_EVENTS)[number]>;

export type ClusterEventOf<T extends ClusterEvent['type']> = Extract<ClusterEvent, { type: T }>;

/** Builds one event of the aggregate, its data checked against the event's type. */
export function clusterEvent<T extends ClusterEvent['type']>(
  type: T,
  data: ClusterEventOf<T>['data'],
): ClusterEventOf<T> {
  return { type, data } as ClusterEventOf<T>;
}

// ───────────────────────────── state ─────────────────────────────

export const KUBE_PROXY_MODES = ['iptables', 'ipvs'] as const;
export type KubeProxyMode = (typeof KUBE_PROXY_MODES)[number];

/** Public facts of an X.509 credential the handler created before deciding (keys stay in the key store). */
export interface CredentialFacts {
  serial: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
}

export type CredentialRole = 'view' | 'edit' | 'cluster-admin';

/** An active restricted credential (a user's kubeconfig certificate); its key was never kept. */
export interface UserCredentialState extends CredentialFacts {
  user: string;
  role: CredentialRole;
  groups: string[];
  issuedAt: string;
}

export interface AccessState {
  publicAccess: boolean;
  privateAccess: { enabled: boolean; subnetId: string | null };
}

export interface ClusterSpec {
  clusterId: string;
  name: string;
  description: string;
  kubernetesVersion: string;
  runtime: ContainerRuntime;
  region: string;
  kubeProxyMode: KubeProxyMode;
  vpcId: string | null;
  vpcCidr: string;
  podCidr: string;
  serviceCidr: string;
  nodeCidrs: string[];
  ca: { certPem: string; fingerprint: string; notAfter: string };
  createdAt: string;
}

export interface ActiveCluster {
  status: 'active';
  spec: ClusterSpec;
  tier: string;
  autoUpgrade: boolean;
  access: AccessState;
  remoteLogin: boolean;
  adminCredential: CredentialFacts;
  /**
   * Active restricted credentials, oldest first (absent in states folded before they existed).
   * A certificate of the cluster CA that is neither the admin's, a node's nor listed here is refused.
   */
  userCredentials?: UserCredentialState[];
  /** Admitted node names in join order. */
  nodes: string[];
  /** Nodes admitted beyond the node cap, still cordoned for capacity, in join order. */
  overCapacityNodes: string[];
  usage: { pods: number; configMaps: number; crds: number };
}

export type ClusterState =
  | { status: 'absent' }
  | ActiveCluster
  | { status: 'deleted'; clusterId: string; name: string; deletedAt: string };

export const initialClusterState: ClusterState = { status: 'absent' };

export function requireActive(state: ClusterState, clusterId: string): ActiveCluster {
  if (state.status !== 'active') throw new NotFoundError('cluster', clusterId);
  return state;
}

/** Nodes can reach the API server (and so join) only with public or private access on. */
export function hasJoinAccess(access: AccessState): boolean {
  return access.publicAccess || access.privateAccess.enabled;
}

export function noJoinAccess(clusterName: string): string {
  return `cluster ${clusterName} has neither public nor private APIServer access on; enable one before adding nodes`;
}

// ───────────────────────────── evolve ─────────────────────────────

export function evolveCluster(state: ClusterState, event: ClusterEvent): ClusterState {
  if (event.type === 'ClusterCreated') {
    const d = event.data;
    return {
      status: 'active',
      spec: {
        clusterId: d.clusterId,
        name: d.name,
        description: d.description,
        kubernetesVersion: d.kubernetesVersion,
        runtime: d.runtime,
        region: d.region,
        kubeProxyMode: d.kubeProxyMode,
        vpcId: d.vpcId,
        vpcCidr: d.vpcCidr,
        podCidr: d.podCidr,
        serviceCidr: d.serviceCidr,
        nodeCidrs: d.nodeCidrs,
        ca: d.ca,
        createdAt: d.createdAt,
      },
      tier: d.tier,
      autoUpgrade: d.autoUpgrade,
      access: d.access,
      remoteLogin: d.remoteLogin,
      adminCredential: { serial: '', fingerprint: '', notBefore: d.createdAt, notAfter: d.createdAt },
      nodes: [],
      overCapacityNodes: [],
      usage: { pods: 0, configMaps: 0, crds: 0 },
    };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'ClusterAdminCredentialIssued': {
      const { serial, fingerprint, notBefore, notAfter } = event.data;
      return { ...state, adminCredential: { serial, fingerprint, notBefore, notAfter } };
    }
    case 'ClusterUserCredentialIssued': {
      const { clusterId: _c, ...credential } = event.data;
      // expired credentials drop out here: they verify no more anyway, and the list stays bounded
      const kept = (state.userCredentials ?? []).filter(
        (c) => Date.parse(c.notAfter) > Date.parse(event.data.issuedAt),
      );
      return { ...state, userCredentials: [...kept, credential] };
    }
    case 'ClusterUserCredentialsRevoked': {
      const revoked = new Set(event.data.credentials.map((c) => c.fingerprint));
      return {
        ...state,
        userCredentials: (state.userCredentials ?? []).filter((c) => !revoked.has(c.fingerprint)),
      };
    }
    case 'ClusterAccessChanged':
      return {
        ...state,
        access: { publicAccess: event.data.publicAccess, privateAccess: event.data.privateAccess },
      };
    case 'ClusterTierChanged':
      return { ...state, tier: event.data.to };
    case 'ClusterAutoUpgradeChanged':
      return { ...state, autoUpgrade: event.data.enabled };
    case 'ClusterRemoteLoginChanged':
      return { ...state, remoteLogin: event.data.enabled };
    case 'ClusterCapacityCordonsLifted': {
      const lifted = new Set(event.data.nodeNames);
      return { ...state, overCapacityNodes: state.overCapacityNodes.filter((n) => !lifted.has(n)) };
    }
    case 'ClusterNodeAdmitted':
      return {
        ...state,
        nodes: [...state.nodes, event.data.nodeName],
        overCapacityNodes: event.data.overCapacity
          ? [...state.overCapacityNodes, event.data.nodeName]
          : state.overCapacityNodes,
      };
    case 'ClusterNodeReleased':
      return {
        ...state,
        nodes: state.nodes.filter((n) => n !== event.data.nodeName),
        overCapacityNodes: state.overCapacityNodes.filter((n) => n !== event.data.nodeName),
      };
    case 'ClusterUsageRecorded':
      return {
        ...state,
        usage: { pods: event.data.pods, configMaps: event.data.configMaps, crds: event.data.crds },
      };
    case 'ClusterDeleted':
      return {
        status: 'deleted',
        clusterId: event.data.clusterId,
        name: event.data.name,
        deletedAt: event.data.deletedAt,
      };
    default:
      return state;
  }
}
