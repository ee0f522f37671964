import { NotFoundError } from '@edgeplane/es-kit';
import {
  GridApplied,
  GridChildrenChanged,
  GridDeleted,
  PodScheduled,
  PodUnscheduled,
  RolloutPaused,
  RolloutProgressed,
  RolloutResumed,
  RolloutUndone,
  RolloutWaveCompleted,
  RolloutWaveHalted,
  RolloutWaveStarted,
  ServiceEndpointsChanged,
  type EventOf,
  type gridSchemas,
} from '@edgeplane/contracts';
import type { RolloutState } from '../domain/index.js';

/** The catalogue events of the Grid aggregate (stream `grid:<clusterId>:<name>`). */
export const GRID_EVENTS = [
  GridApplied,
  GridDeleted,
  GridChildrenChanged,
  PodScheduled,
  PodUnscheduled,
  RolloutWaveStarted,
  RolloutProgressed,
  RolloutWaveCompleted,
  RolloutWaveHalted,
  RolloutPaused,
  RolloutResumed,
  RolloutUndone,
  ServiceEndpointsChanged,
] as const;

export type GridEvent = EventOf<(typeof GRID_EVENTS)[number]>;
export type GridKind = gridSchemas.GridKind;
export type GridChild = { unit: string; name: string; revision: string; generation: number };
export type Manifest = Record<string, unknown>;

/** Where one pod of a child is: on a node, or Pending with the reason. */
export interface PodState {
  child: string;
  unit: string;
  node: string | null;
  reason: string;
  /** the template hash the pod runs */
  revision: string;
  /** when it got its node (the health gate's ready-since until agents report readiness) */
  since: string;
}

export interface UnitEndpoint {
  pod: string;
  node: string;
  ip?: string;
}

/** How many applied manifests a grid keeps (undo goes back one; children of a rollout use two). */
export const MANIFEST_HISTORY = 5;

export type GridState =
  | { status: 'absent' }
  | {
      status: 'active';
      clusterId: string;
      name: string;
      kind: GridKind;
      gridUniqKey: string;
      generation: number;
      /** the applied manifests, newest last, at most MANIFEST_HISTORY */
      manifests: { generation: number; manifest: Manifest }[];
      children: GridChild[];
      pods: Record<string, PodState>;
      /** the staged rollout in force (domain RolloutState), null before the first one */
      rollout: RolloutState | null;
      /** ServiceGrid: per unit, the ready pods its selector picks on that unit's nodes */
      endpoints: Record<string, UnitEndpoint[]>;
      createdAt: string;
      updatedAt: string;
    }
  | { status: 'deleted'; clusterId: string; name: string };

export type ActiveGridState = Extract<GridState, { status: 'active' }>;

export const initialGridState: GridState = { status: 'absent' };

/** The grid, or NOT_FOUND. */
export function activeGrid(state: GridState, name: string): ActiveGridState {
  if (state.status !== 'active') throw new NotFoundError('Grid', name);
  return state;
}

/** The manifest of one generation (the newest when it is gone from the history). */
export function manifestOf(grid: ActiveGridState, generation: number): Manifest {
  const found = grid.manifests.find((m) => m.generation === generation) ?? grid.manifests.at(-1);
  return found?.manifest ?? {};
}

export function evolveGrid(state: GridState, event: GridEvent): GridState {
  if (event.type === 'GridApplied') {
    const d = event.data;
    const entry = { generation: d.generation, manifest: d.manifest };
    if (state.status !== 'active')
      return {
        status: 'active',
        clusterId: d.clusterId,
        name: d.name,
        kind: d.kind,
        gridUniqKey: d.gridUniqKey,
        generation: d.generation,
        manifests: [entry],
        children: [],
        pods: {},
        rollout: null,
        endpoints: {},
        createdAt: d.at,
        updatedAt: d.at,
      };
    return {
      ...state,
      gridUniqKey: d.gridUniqKey,
      generation: d.generation,
      manifests: [...state.manifests, entry].slice(-MANIFEST_HISTORY),
      updatedAt: d.at,
    };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'GridDeleted':
      return { status: 'deleted', clusterId: state.clusterId, name: state.name };
    case 'GridChildrenChanged':
      return { ...state, children: event.data.children, updatedAt: event.data.at };
    case 'PodScheduled': {
      const d = event.data;
      const pod: PodState = {
        child: d.child,
        unit: d.unit,
        node: d.node,
        reason: '',
        revision: d.revision,
        since: d.at,
      };
      return { ...state, pods: { ...state.pods, [d.pod]: pod }, updatedAt: d.at };
    }
    case 'PodUnscheduled': {
      const d = event.data;
      const pods = { ...state.pods };
      if (d.pending) {
        pods[d.pod] = {
          child: d.child,
          unit: d.unit,
          node: null,
          reason: d.reason,
          revision: d.revision,
          since: d.at,
        };
      } else {
        delete pods[d.pod];
      }
      return { ...state, pods, updatedAt: d.at };
    }
    case 'ServiceEndpointsChanged': {
      const d = event.data;
      const endpoints = { ...state.endpoints };
      if (d.removed) delete endpoints[d.unit];
      else endpoints[d.unit] = d.endpoints;
      return { ...state, endpoints, updatedAt: d.at };
    }
    case 'RolloutWaveStarted':
    case 'RolloutProgressed':
    case 'RolloutWaveCompleted':
    case 'RolloutWaveHalted':
    case 'RolloutPaused':
    case 'RolloutResumed':
    case 'RolloutUndone':
      // the rollout's full state rides on every rollout event (validated by the domain when made)
      return { ...state, rollout: event.data.rollout as unknown as RolloutState, updatedAt: event.data.at };
  }
}
