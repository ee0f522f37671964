import { NotFoundError } from '@edgeplane/es-kit';
import {
  KinsClusterFailed,
  KinsDemotionRequested,
  KinsNodeJoinRequested,
  KinsNodeLeaveRequested,
  KinsPromotionRequested,
  KinsPublicAccessDisabled,
  KinsPublicAccessEnabled,
  NodeUnitCreated,
  NodeUnitDeleted,
  NodeUnitDemotedFromK3s,
  NodeUnitMembersChanged,
  NodeUnitUpdated,
  NodeUnitUpgradedToK3s,
  type EventOf,
} from '@edgeplane/contracts';
import { NO_KINS, type ActiveKins, type KinsState } from '../kins/kins.state.js';
import type { NodeUnitSpec } from '../model/node-unit.model.js';

/** The catalogue events of the NodeUnit aggregate (stream `nodeunit:<clusterId>:<name>`). */
export const NODE_UNIT_EVENTS = [
  NodeUnitCreated,
  NodeUnitUpdated,
  NodeUnitDeleted,
  NodeUnitMembersChanged,
  KinsPromotionRequested,
  NodeUnitUpgradedToK3s,
  KinsClusterFailed,
  KinsNodeJoinRequested,
  KinsNodeLeaveRequested,
  KinsPublicAccessEnabled,
  KinsPublicAccessDisabled,
  KinsDemotionRequested,
  NodeUnitDemotedFromK3s,
] as const;

export type NodeUnitEvent = EventOf<(typeof NODE_UNIT_EVENTS)[number]>;

export type NodeUnitState =
  | { status: 'absent' }
  | {
      status: 'active';
      clusterId: string;
      name: string;
      spec: NodeUnitSpec;
      isDefault: boolean;
      managedBy?: string;
      /** Resolved members, as last published by NodeUnitMembersChanged. */
      members: string[];
      kins: KinsState;
      /** Last Kins promotion generation (0 = never promoted); survives delete/re-create. */
      generation: number;
      createdAt: string;
    }
  | { status: 'deleted'; clusterId: string; name: string; generation: number };

/** A live unit: what the `proj_units` read model holds and every read path shows. */
export type ActiveUnitState = Extract<NodeUnitState, { status: 'active' }>;

export const initialNodeUnitState: NodeUnitState = { status: 'absent' };

/** The unit, or NOT_FOUND: every command but create and delete needs a live unit. */
export function activeUnit(state: NodeUnitState, name: string): ActiveUnitState {
  if (state.status !== 'active') throw new NotFoundError('NodeUnit', name);
  return state;
}

export function evolveNodeUnit(state: NodeUnitState, event: NodeUnitEvent): NodeUnitState {
  switch (event.type) {
    case 'NodeUnitCreated': {
      const d = event.data;
      return {
        status: 'active',
        clusterId: d.clusterId,
        name: d.name,
        spec: specOf(d),
        isDefault: d.default,
        ...(d.managedBy ? { managedBy: d.managedBy } : {}),
        members: [],
        kins: NO_KINS,
        generation: state.status === 'absent' ? 0 : state.generation,
        createdAt: d.at,
      };
    }
    case 'NodeUnitDeleted':
      if (state.status !== 'active') return state;
      return {
        status: 'deleted',
        clusterId: state.clusterId,
        name: state.name,
        generation: state.generation,
      };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'NodeUnitUpdated':
      return { ...state, spec: specOf(event.data) };
    case 'NodeUnitMembersChanged':
      return { ...state, members: event.data.members };
    case 'KinsPromotionRequested': {
      const d = event.data;
      return {
        ...state,
        generation: d.generation,
        kins: {
          phase: 'promoting',
          generation: d.generation,
          mode: d.mode,
          kubernetesVersion: d.kubernetesVersion,
          nodes: d.nodes,
          serviceCidr: d.serviceCidr,
          clusterDns: d.clusterDns,
          nodePortRange: d.nodePortRange,
          kubeconfigs: d.kubeconfigs,
        },
      };
    }
    case 'NodeUnitDemotedFromK3s':
      return { ...state, kins: NO_KINS };
  }
  if (state.kins.phase === 'none') return state;
  const kins: ActiveKins = state.kins;
  switch (event.type) {
    case 'NodeUnitUpgradedToK3s': {
      const { failureReason: _dropped, ...rest } = kins;
      return {
        ...state,
        kins: {
          ...rest,
          phase: 'independent',
          ...(event.data.apiServerEndpoint ? { apiServerEndpoint: event.data.apiServerEndpoint } : {}),
          ...(event.data.k3sVersion ? { k3sVersion: event.data.k3sVersion } : {}),
        },
      };
    }
    case 'KinsClusterFailed':
      return { ...state, kins: { ...kins, phase: 'failed', failureReason: event.data.reason } };
    case 'KinsNodeJoinRequested':
      return {
        ...state,
        kins: {
          ...kins,
          nodes: [...kins.nodes, { name: event.data.node, role: event.data.role }].sort((a, b) =>
            a.name < b.name ? -1 : 1,
          ),
        },
      };
    case 'KinsNodeLeaveRequested':
      return { ...state, kins: { ...kins, nodes: kins.nodes.filter((n) => n.name !== event.data.node) } };
    case 'KinsPublicAccessEnabled':
      return { ...state, kins: { ...kins, publicAccess: { passwordHash: event.data.passwordHash } } };
    case 'KinsPublicAccessDisabled': {
      const { publicAccess: _off, ...rest } = kins;
      return { ...state, kins: rest };
    }
    case 'KinsDemotionRequested': {
      const { publicAccess: _off, ...rest } = kins;
      return { ...state, kins: { ...rest, phase: 'demoting' } };
    }
  }
  return state;
}

function specOf(d: NodeUnitSpec): NodeUnitSpec {
  return {
    type: d.type,
    nodes: d.nodes,
    ...(d.selector ? { selector: d.selector } : {}),
    allNodes: d.allNodes,
    setNode: d.setNode,
    labels: d.labels,
  };
}
