/**
 * The grid domain's data: grids as parsed from `superedge.io/v1` YAML (plus Edgeplane's
 * overriders and rollout strategy), the units and nodes they fan out over, the children they
 * render into, pod placements, rollouts and endpoints. Plain serialisable data (no classes, no
 * Dates: instants are ISO-8601 strings) so the service can carry any of it in events.
 *
 * The functions over these types live next to this file (parse, fan-out, variants, render,
 * placement, rollout, endpoints) and are exported together from `./index.ts`.
 */
import type { IDeploymentSpec, IStatefulSetSpec } from 'kubernetes-models/apps/v1';
import type { IServiceSpec } from 'kubernetes-models/v1';

export type { IDeploymentSpec, IStatefulSetSpec, IServiceSpec };

export const GRID_API_VERSION = 'superedge.io/v1';
export const GRID_KINDS = ['DeploymentGrid', 'StatefulSetGrid', 'ServiceGrid'] as const;
export type GridKind = (typeof GRID_KINDS)[number];

/** Kubernetes label selector; an empty selector selects every unit (Kubernetes semantics). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] }[];
}

/** Which units an overrider or a rollout wave applies to: by unit labels and/or by unit name. */
export interface UnitMatcher {
  /** over the NodeUnit's own labels (plus `edgeplane.io/unit=<unit name>`, always present) */
  unitSelector?: LabelSelector;
  /** unit names; matched in addition to (OR) the selector */
  units?: string[];
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
  [resource: string]: string | undefined;
}

/**
 * Edgeplane extension `spec.overriders[]`: per-unit differences chosen by unit labels. Applied in
 * declaration order after the SuperEdge template choice; a later overrider wins on the same field.
 */
export interface Overrider extends UnitMatcher {
  name?: string;
  replicas?: number;
  /** container name → image; `*` means every container */
  images?: { container: string; image: string }[];
  /** set (or with `remove: true` delete) an env var; no container = every container */
  env?: { container?: string; name: string; value?: string; remove?: boolean }[];
  /** requests/limits merged per resource name; no container = every container */
  resources?: { container?: string; requests?: ResourceList; limits?: ResourceList }[];
}

/** One explicit rollout wave (Fleet's partition): the units it holds. */
export interface WaveSpec extends UnitMatcher {
  name: string;
}

/** Edgeplane extension `spec.rolloutStrategy`: staged rollout across units (Fleet-style waves). */
export interface RolloutStrategy {
  /** explicit waves, in order; units no wave matches form a last wave `rest` */
  waves: WaveSpec[];
  /** without explicit waves: units per automatic wave (a count, or a percentage like "25%") */
  waveSize: number | string;
  /** at most this many units updating (not yet soaked) at once inside a wave (count or "%") */
  maxUnavailable: number | string;
  /** the health gate: a unit's pods must stay ready this long before it counts as done */
  soakSeconds: number;
  /** a unit whose pods are not all ready this long after its update started fails the rollout */
  progressDeadlineSeconds: number;
  /** created paused: the plan exists but no wave starts until resumed */
  paused: boolean;
}

export interface GridMetadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** DeploymentGrid / StatefulSetGrid spec: SuperEdge's six fields plus our two extensions. */
export interface WorkloadGridSpec<T> {
  /** the NodeGroup whose NodeUnits the grid fans out over (SuperEdge: the node label key) */
  gridUniqKey: string;
  template?: T;
  templatePool: Record<string, T>;
  /** unit name → name of a templatePool entry */
  templates: Record<string, string>;
  /** `default` (or empty) = spec.template */
  defaultTemplateName: string;
  autoDeleteUnusedTemplate: boolean;
  overriders: Overrider[];
  rolloutStrategy: RolloutStrategy;
}

export interface DeploymentGrid {
  apiVersion: typeof GRID_API_VERSION;
  kind: 'DeploymentGrid';
  metadata: GridMetadata;
  spec: WorkloadGridSpec<IDeploymentSpec>;
}

export interface StatefulSetGrid {
  apiVersion: typeof GRID_API_VERSION;
  kind: 'StatefulSetGrid';
  metadata: GridMetadata;
  spec: WorkloadGridSpec<IStatefulSetSpec>;
}

export interface ServiceGrid {
  apiVersion: typeof GRID_API_VERSION;
  kind: 'ServiceGrid';
  metadata: GridMetadata;
  spec: { gridUniqKey: string; template: IServiceSpec };
}

export type WorkloadGrid = DeploymentGrid | StatefulSetGrid;
export type Grid = WorkloadGrid | ServiceGrid;

export interface ParsedGrids {
  grids: { grid: Grid; document: number }[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Units and nodes (what the service knows from nodepool, cluster and health-arbiter)

export interface Taint {
  key: string;
  value: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The health-arbiter's verdict words (libs/contracts health VerdictSchema). */
export type NodeVerdict = 'Ready' | 'NotReadyNoSchedule' | 'NotReadyNoExecute' | 'Unknown';

export interface Allocatable {
  /** millicores */
  cpuMilli: number;
  memoryBytes: number;
  pods: number;
}

export interface NodeView {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** cordoned */
  unschedulable: boolean;
  /** a drain was requested: cordoned and its pods move elsewhere in the unit */
  draining: boolean;
  verdict: NodeVerdict;
  allocatable: Allocatable;
}

export interface UnitView {
  name: string;
  labels: Record<string, string>;
  nodes: NodeView[];
  /** the whole unit is dark (arbiter's unit-dark-freeze): keep every pod where it is */
  frozen: boolean;
}

// ---------------------------------------------------------------------------------------------
// Fan-out, variants and rendering

/** A Kubernetes object as JSON (what `kubernetes-models` `toJSON()` gives). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: unknown;
  [key: string]: unknown;
}

/** One child of a workload grid in one unit, before rendering. */
export interface ChildPlan {
  grid: string;
  kind: 'Deployment' | 'StatefulSet';
  unit: string;
  /** `<grid>-<unit>`, hash-shortened past the limit (see childName) */
  name: string;
  /** which SuperEdge template was chosen: `default` (spec.template) or a templatePool key */
  templateName: string;
  /** names of the overriders that applied, in order */
  overriders: string[];
  replicas: number;
  /** hash of the per-unit pod template (not of replicas): the unit's revision identity */
  templateHash: string;
}

export interface RenderedChild extends ChildPlan {
  object: K8sObject;
  /** pod names, stable per unit: StatefulSet `<child>-<i>`, Deployment `<child>-<hash>-<i>` */
  pods: PodSpecRef[];
}

/** What placement needs of one desired pod. */
export interface PodSpecRef {
  name: string;
  child: string;
  unit: string;
  ordinal: number;
  /** StatefulSet pods: `<pod>.<service>.<ns>.svc.cluster.local` and the unit-agnostic alias */
  dns?: { fqdn: string; unitAlias: string };
  requests: { cpuMilli: number; memoryBytes: number };
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  /** required node affinity terms (OR of terms, AND of expressions inside one) */
  requiredNodeAffinity: NodeSelectorTerm[];
  labels: Record<string, string>;
  templateHash: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeSelectorTerm {
  matchExpressions: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
    values: string[];
  }[];
}

export interface RenderResult {
  children: RenderedChild[];
  /** the ServiceGrid's one Service `<grid>-svc` (SuperEdge), absent for workload grids */
  service?: K8sObject;
  /** every object, children first: what `grid render -o yaml` prints */
  objects: K8sObject[];
  /** units that got no child, and why (e.g. templates[unit] names no pool entry) */
  problems: { unit: string; field: string; description: string }[];
}

// ---------------------------------------------------------------------------------------------
// Placement

export interface PodPlacement {
  pod: string;
  child: string;
  unit: string;
  /** null while Pending */
  node: string | null;
  phase: 'Scheduled' | 'Pending';
  /** Pending: the scheduler-style reason ("0/3 nodes are available: …") */
  reason?: string;
  templateHash: string;
  requests: { cpuMilli: number; memoryBytes: number };
}

export interface PlacementInput {
  pods: PodSpecRef[];
  units: UnitView[];
  /** the last placement; pods keep their node unless it can no longer hold them */
  previous: PodPlacement[];
}

export interface PlacementResult {
  placements: PodPlacement[];
  /** pods that changed node or got one (scheduled, rescheduled) */
  moved: { pod: string; from: string | null; to: string | null; why: string }[];
  /** previous pods no longer desired (scaled down, unit left) */
  removed: string[];
}

// ---------------------------------------------------------------------------------------------
// Rollout

export interface RolloutWave {
  name: string;
  units: string[];
}

export type UnitRolloutState = 'Waiting' | 'Updating' | 'Soaking' | 'Done' | 'Failed';

export interface UnitRollout {
  state: UnitRolloutState;
  /** when the unit began updating */
  startedAt?: string;
  /** since when every pod of the unit's child has been ready at the target revision */
  readySince?: string;
  doneAt?: string;
}

export type RolloutPhase = 'Progressing' | 'Paused' | 'Failed' | 'Complete';

export interface RolloutFailure {
  unit: string;
  pod: string | null;
  reason: string;
  at: string;
}

export interface RolloutState {
  grid: string;
  /** the revision being rolled out */
  toRevision: number;
  /** the revision units run before their wave (undo goes back to it); null for the first one */
  fromRevision: number | null;
  phase: RolloutPhase;
  waves: RolloutWave[];
  /** index into waves of the wave in progress (waves.length when complete) */
  currentWave: number;
  maxUnavailable: number;
  soakSeconds: number;
  progressDeadlineSeconds: number;
  units: Record<string, UnitRollout>;
  failure?: RolloutFailure;
  /** true when this rollout is an undo (back to fromRevision of the rollout it replaced) */
  undo: boolean;
  updatedAt: string;
}

/** What the service observed of one pod (agent status), for the health gate and endpoints. */
export interface PodObservation {
  pod: string;
  unit: string;
  node: string | null;
  templateHash: string;
  ready: boolean;
  /** since when it has been ready (absent when not ready) */
  readySince?: string;
  /** a definite failure (ErrImagePull, CrashLoopBackOff, readiness probe failing): stops a rollout */
  failed?: boolean;
  reason?: string;
  ip?: string;
  labels?: Record<string, string>;
}

/** Per unit, the target template hash and replicas of its child at the rollout's target. */
export interface UnitTarget {
  unit: string;
  templateHash: string;
  replicas: number;
}

export interface RolloutProgress {
  done: number;
  total: number;
  percent: number;
  /** e.g. `[########------------] 2/5 units` */
  bar: string;
  phase: RolloutPhase;
  wave: string | null;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export interface Endpoint {
  pod: string;
  node: string;
  ip?: string;
}

export interface UnitEndpoints {
  service: string;
  unit: string;
  endpoints: Endpoint[];
}
