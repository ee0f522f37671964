import { kubeRequest } from '../api';
import { useLiveList, type Meta } from './live';

/** The three superedge.io/v1 grid kinds, by the path segment the console uses for them. */
export const KINDS = {
  deploymentgrids: 'DeploymentGrid',
  statefulsetgrids: 'StatefulSetGrid',
  servicegrids: 'ServiceGrid',
} as const;
export type KindPath = keyof typeof KINDS;
export const KIND_PATHS = Object.keys(KINDS) as KindPath[];
export const isKindPath = (k: string): k is KindPath => Object.hasOwn(KINDS, k);

export interface UnitState {
  name?: string;
  revision?: string;
  replicas?: number;
  scheduledReplicas?: number;
  pendingReplicas?: number;
  /** ServiceGrid */
  endpoints?: number;
  addresses?: string[];
}

export interface RolloutWave {
  index: number;
  name?: string;
  state: string;
  units: string[];
  updatedUnits?: number;
  totalUnits?: number;
}

export interface RolloutStatus {
  generation: number;
  fromGeneration?: number;
  state: string;
  undo?: boolean;
  updatedUnits: number;
  totalUnits: number;
  currentWave?: number;
  waves?: RolloutWave[];
  unitStates?: Record<string, string>;
  halted?: { unit: string; pod?: string; reason: string };
  message?: string;
}

export interface Grid extends Meta {
  kind: string;
  metadata: Meta['metadata'] & { generation?: number };
  spec: { gridUniqKey?: string; [k: string]: unknown };
  status?: { states?: Record<string, UnitState>; rollout?: RolloutStatus; units?: number };
}

export interface Pod extends Meta {
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: { name: string; ready: boolean }[];
  };
}

export const GRID_SELECTOR_LABEL = 'superedge.io/grid-selector';
export const UNIT_LABEL = 'edgeplane.io/unit';

const gridsPath = (kind: KindPath, fieldSelector = '') =>
  `/apis/superedge.io/v1/${kind}${fieldSelector ? `?fieldSelector=${encodeURIComponent(fieldSelector)}` : ''}`;

/** Every grid of one kind in the cluster (all namespaces), live. */
export function useGridList(clusterId: string, kind: KindPath) {
  return useLiveList<Grid>(['grids', clusterId, kind], gridsPath(kind));
}

/** One grid, live (a list + watch selected by name: grids are unique by name per cluster). */
export function useGrid(clusterId: string, kind: KindPath, name: string, onEvent?: () => void) {
  const q = useLiveList<Grid>(
    ['grid', clusterId, kind, name],
    gridsPath(kind, `metadata.name=${name}`),
    onEvent ? { onEvent } : {},
  );
  return { ...q, grid: q.data ? [...q.data.byKey.values()][0] : undefined };
}

/** The pods of one grid (the label the grid renders on them), live. */
export function useGridPods(clusterId: string, grid: string) {
  const q = useLiveList<Pod>(
    ['grid-pods', clusterId, grid],
    `/api/v1/pods?labelSelector=${encodeURIComponent(`${GRID_SELECTOR_LABEL}=${grid}`)}`,
  );
  return q;
}

export function podReady(p: Pod): boolean {
  return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** kubectl's STATUS: Running, Pending, Scheduled, ErrImagePull… */
export function podStatus(p: Pod): string {
  return p.status?.reason || p.status?.phase || 'Unknown';
}

export function podPendingReason(p: Pod): string {
  const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  return c?.message ?? '';
}

export type RolloutAction = 'pause' | 'resume' | 'undo';

/** POST `<kind>/<name>/rollout` {action}: the rollout as the API answers it after the call. */
export async function rolloutAction(
  kind: KindPath,
  namespace: string,
  name: string,
  action: RolloutAction,
): Promise<{ status: RolloutStatus }> {
  return kubeRequest(
    'POST',
    `/apis/superedge.io/v1/namespaces/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}/rollout`,
    { body: { action } },
  );
}

/** Whether the rollout is still moving (progress is shown until it is not). */
export function rolloutActive(r: RolloutStatus | undefined): boolean {
  return !!r && (r.state === 'Progressing' || r.state === 'Paused');
}
