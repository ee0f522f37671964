/**
 * The grid domain: pure functions over ./types.ts (no database, no bus, no clock — time comes in
 * as an ISO-8601 argument). STUBS in this first commit: the signatures are final, the bodies
 * throw until filled in.
 */
import type {
  Grid,
  K8sObject,
  ParsedGrids,
  PlacementInput,
  PlacementResult,
  PodObservation,
  RenderResult,
  RolloutProgress,
  RolloutState,
  RolloutWave,
  ServiceGrid,
  UnitEndpoints,
  UnitTarget,
  UnitView,
  WorkloadGrid,
  ChildPlan,
} from './types.js';

export * from './types.js';

/** A unit as fan-out, variants and wave planning need it. */
export type UnitRef = Pick<UnitView, 'name' | 'labels'>;

const todo = (what: string): never => {
  throw new Error(`grid domain: ${what} not implemented yet`);
};

/** Parses one or many `superedge.io/v1` grid documents; throws ValidationError naming field paths. */
export function parseGridYaml(text: string): ParsedGrids {
  return todo(`parseGridYaml(${text.length})`);
}
/** Validates and normalises one grid given as a JS object (e.g. decoded JSON); `at` prefixes field paths. */
export function parseGrid(raw: unknown, at = ''): Grid {
  return todo(`parseGrid(${typeof raw}, ${at})`);
}
/** `<grid>-<unit>`, hash-shortened when longer than the kind allows. */
export function childName(grid: string, unit: string, kind: 'Deployment' | 'StatefulSet'): string {
  return todo(`childName(${grid}, ${unit}, ${kind})`);
}
/** One child per unit of the grid's group (units given are that group's units). */
export function fanOut(grid: WorkloadGrid, units: readonly UnitRef[]): ChildPlan[] {
  return todo(`fanOut(${grid.metadata.name}, ${units.length})`);
}
/** Every object the grid renders to (children, or the ServiceGrid's Service), validated. */
export function render(grid: Grid, units: readonly UnitRef[]): K8sObject[] {
  return todo(`render(${grid.metadata.name}, ${units.length})`);
}
/** render with the per-child details (pods, hashes, chosen template, problems). */
export function renderGrid(grid: Grid, units: readonly UnitRef[]): RenderResult {
  return todo(`renderGrid(${grid.metadata.name}, ${units.length})`);
}
/** Places desired pods on schedulable nodes of their own unit; stable for unchanged input. */
export function place(input: PlacementInput): PlacementResult {
  return todo(`place(${input.pods.length})`);
}
/** The waves a rollout of this grid goes through over these units. */
export function planRollout(grid: WorkloadGrid, units: readonly UnitRef[]): RolloutWave[] {
  return todo(`planRollout(${grid.metadata.name}, ${units.length})`);
}
export function startRollout(args: {
  grid: WorkloadGrid;
  units: readonly UnitRef[];
  toRevision: number;
  fromRevision: number | null;
  /** units already at the target (unchanged by this revision) are done at once */
  unchangedUnits?: readonly string[];
  now: string;
}): RolloutState {
  return todo(`startRollout(${args.grid.metadata.name})`);
}
/** The health gate: moves units and waves on from what the pods show at `now`. */
export function advanceRollout(
  state: RolloutState,
  targets: readonly UnitTarget[],
  pods: readonly PodObservation[],
  now: string,
): RolloutState {
  return todo(`advanceRollout(${state.grid}, ${targets.length}, ${pods.length}, ${now})`);
}
export function pauseRollout(state: RolloutState, now: string): RolloutState {
  return todo(`pauseRollout(${state.grid}, ${now})`);
}
export function resumeRollout(state: RolloutState, now: string): RolloutState {
  return todo(`resumeRollout(${state.grid}, ${now})`);
}
/** Back to the previous revision (fromRevision); throws IllegalStateError without one. */
export function undoRollout(state: RolloutState, now: string): RolloutState {
  return todo(`undoRollout(${state.grid}, ${now})`);
}
/** The revision a unit's child should run now under this rollout. */
export function unitRevision(state: RolloutState, unit: string): number {
  return todo(`unitRevision(${state.grid}, ${unit})`);
}
export function rolloutProgress(state: RolloutState, width?: number): RolloutProgress {
  return todo(`rolloutProgress(${state.grid}, ${width})`);
}
/** Per unit of the ServiceGrid's group: the ready pods it selects on that unit's usable nodes. */
export function unitEndpoints(
  grid: ServiceGrid,
  units: readonly UnitView[],
  pods: readonly PodObservation[],
): UnitEndpoints[] {
  return todo(`unitEndpoints(${grid.metadata.name}, ${units.length}, ${pods.length})`);
}
