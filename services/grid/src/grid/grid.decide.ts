import { AlreadyExistsError, IllegalStateError } from '@edgeplane/es-kit';
import {
  pauseRollout,
  resumeRollout,
  serviceName,
  undoRollout,
  type PodPlacement,
  type RolloutState,
  type UnitEndpoints,
} from '../domain/index.js';
import {
  activeGrid,
  type ActiveGridState,
  type GridChild,
  type GridEvent,
  type GridKind,
  type GridState,
  type Manifest,
} from './grid.state.js';
import { sameJson } from '../shared/stable-json.js';

interface Addressed {
  clusterId: string;
  name: string;
  /** the handler's clock, read once per command */
  now: string;
}

export type GridCommand =
  /** `apply -f`: the manifest is already parsed and validated by the domain parser */
  | (Addressed & { type: 'ApplyGrid'; kind: GridKind; gridUniqKey: string; manifest: Manifest })
  | (Addressed & { type: 'DeleteGrid' })
  /** From the reconciler: the children and placements computed from the world right now. */
  | (Addressed & {
      type: 'ReconcileGrid';
      children: GridChild[];
      placements: PodPlacement[];
      /** ServiceGrid: the endpoints of every unit of its group (absent for workload grids) */
      endpoints?: UnitEndpoints[];
    })
  /** From the reconciler: the rollout as the domain moved it (started, advanced by the health gate). */
  | (Addressed & { type: 'AdvanceRollout'; next: RolloutState })
  | (Addressed & { type: 'PauseRollout' })
  | (Addressed & { type: 'ResumeRollout' })
  | (Addressed & { type: 'UndoRollout' });

const same = sameJson;

/** The rollout without its time stamp: what decides whether anything moved. */
const rolloutCore = (r: RolloutState | null) => (r ? { ...r, updatedAt: '' } : null);

export function decideGrid(command: GridCommand, state: GridState): GridEvent[] {
  const base = { clusterId: command.clusterId, name: command.name, at: command.now };
  switch (command.type) {
    case 'ApplyGrid': {
      const { kind, gridUniqKey, manifest } = command;
      if (state.status !== 'active')
        return [{ type: 'GridApplied', data: { ...base, kind, gridUniqKey, generation: 1, manifest } }];
      if (state.kind !== kind)
        throw new AlreadyExistsError(
          'Grid',
          `${command.name} (a ${state.kind}; delete it before applying a ${kind})`,
        );
      const current = state.manifests.find((m) => m.generation === state.generation)?.manifest;
      if (same(current, manifest)) return [];
      return [
        {
          type: 'GridApplied',
          data: { ...base, kind, gridUniqKey, generation: state.generation + 1, manifest },
        },
      ];
    }
    case 'DeleteGrid': {
      if (state.status === 'deleted') return [];
      const grid = activeGrid(state, command.name);
      return [{ type: 'GridDeleted', data: { ...base, kind: grid.kind } }];
    }
    case 'ReconcileGrid':
      if (state.status !== 'active') return [];
      return [
        ...reconcileEvents(state, command.children, command.placements, command.now),
        ...endpointEvents(state, command.endpoints ?? [], command.now),
      ];
    case 'AdvanceRollout':
      if (state.status !== 'active') return [];
      return rolloutEvents(state, command.next, command.now);
    case 'PauseRollout': {
      const grid = activeGrid(state, command.name);
      const rollout = inFlight(grid, 'pause');
      if (rollout.phase === 'Paused') return [];
      return [
        {
          type: 'RolloutPaused',
          data: { ...base, generation: grid.generation, rollout: asJson(pauseRollout(rollout, command.now)) },
        },
      ];
    }
    case 'ResumeRollout': {
      const grid = activeGrid(state, command.name);
      const rollout = inFlight(grid, 'resume');
      if (rollout.phase === 'Progressing') return [];
      return [
        {
          type: 'RolloutResumed',
          data: {
            ...base,
            generation: grid.generation,
            rollout: asJson(resumeRollout(rollout, command.now)),
          },
        },
      ];
    }
    case 'UndoRollout': {
      const grid = activeGrid(state, command.name);
      if (!grid.rollout)
        throw new IllegalStateError(`grid ${grid.name} has no earlier revision to go back to`);
      const next = undoRollout(grid.rollout, command.now);
      if (!grid.manifests.some((m) => m.generation === next.toRevision))
        throw new IllegalStateError(`revision ${next.toRevision} of grid ${grid.name} is no longer kept`);
      return [
        {
          type: 'RolloutUndone',
          data: {
            ...base,
            generation: grid.generation,
            restoredGeneration: next.toRevision,
            rollout: asJson(next),
          },
        },
      ];
    }
  }
}

function inFlight(grid: ActiveGridState, verb: string): RolloutState {
  if (!grid.rollout || grid.rollout.phase === 'Complete')
    throw new IllegalStateError(`grid ${grid.name} has no rollout in progress to ${verb}`);
  return grid.rollout;
}

const asJson = (r: RolloutState): Record<string, unknown> =>
  JSON.parse(JSON.stringify(r)) as Record<string, unknown>;

/** Only the differences between the grid's recorded children/pods and the desired ones. */
function reconcileEvents(
  grid: ActiveGridState,
  desiredChildren: GridChild[],
  placements: PodPlacement[],
  now: string,
): GridEvent[] {
  const base = { clusterId: grid.clusterId, at: now };
  const events: GridEvent[] = [];
  const children = [...desiredChildren].sort((a, b) => a.unit.localeCompare(b.unit));
  if (!same(children, grid.children)) {
    const before = new Map(grid.children.map((c) => [c.unit, c]));
    const after = new Map(children.map((c) => [c.unit, c]));
    events.push({
      type: 'GridChildrenChanged',
      data: {
        ...base,
        name: grid.name,
        kind: grid.kind,
        children,
        added: children.filter((c) => !before.has(c.unit)).map((c) => c.unit),
        removed: grid.children.filter((c) => !after.has(c.unit)).map((c) => c.unit),
        updated: children
          .filter((c) => before.has(c.unit) && !same(before.get(c.unit), c))
          .map((c) => c.unit),
      },
    });
  }
  const desired = new Set<string>();
  for (const p of [...placements].sort((a, b) => a.pod.localeCompare(b.pod))) {
    desired.add(p.pod);
    const current = Object.hasOwn(grid.pods, p.pod) ? grid.pods[p.pod] : undefined;
    const ref = { ...base, grid: grid.name, child: p.child, unit: p.unit, pod: p.pod };
    if (p.node !== null) {
      if (current && current.node === p.node && current.revision === p.templateHash) continue;
      events.push({
        type: 'PodScheduled',
        data: { ...ref, node: p.node, previousNode: current?.node ?? null, revision: p.templateHash },
      });
    } else {
      const reason = p.reason ?? 'Pending';
      if (
        current &&
        current.node === null &&
        current.reason === reason &&
        current.revision === p.templateHash
      )
        continue;
      events.push({
        type: 'PodUnscheduled',
        data: { ...ref, node: current?.node ?? null, pending: true, reason, revision: p.templateHash },
      });
    }
  }
  for (const [pod, current] of Object.entries(grid.pods).sort(([a], [b]) => a.localeCompare(b))) {
    if (desired.has(pod)) continue;
    events.push({
      type: 'PodUnscheduled',
      data: {
        ...base,
        grid: grid.name,
        child: current.child,
        unit: current.unit,
        pod,
        node: current.node,
        pending: false,
        reason: 'removed',
        revision: current.revision,
      },
    });
  }
  return events;
}

/** One event per unit whose endpoints differ from the recorded ones; units gone are removed. */
function endpointEvents(grid: ActiveGridState, desired: UnitEndpoints[], now: string): GridEvent[] {
  const events: GridEvent[] = [];
  const base = { clusterId: grid.clusterId, name: grid.name, at: now };
  const units = new Set<string>();
  for (const u of [...desired].sort((a, b) => a.unit.localeCompare(b.unit))) {
    units.add(u.unit);
    const current = Object.hasOwn(grid.endpoints, u.unit) ? grid.endpoints[u.unit] : undefined;
    if (current && same(current, u.endpoints)) continue;
    events.push({
      type: 'ServiceEndpointsChanged',
      data: { ...base, service: u.service, unit: u.unit, endpoints: u.endpoints, removed: false },
    });
  }
  const service = desired[0]?.service ?? serviceName(grid.name);
  for (const unit of Object.keys(grid.endpoints).sort()) {
    if (units.has(unit)) continue;
    events.push({
      type: 'ServiceEndpointsChanged',
      data: { ...base, service, unit, endpoints: [], removed: true },
    });
  }
  return events;
}

/** The events that tell a rollout's move: a wave completed and/or started, halted, or progressed. */
function rolloutEvents(grid: ActiveGridState, next: RolloutState, now: string): GridEvent[] {
  const prev = grid.rollout;
  if (same(rolloutCore(prev), rolloutCore(next))) return [];
  const base = { clusterId: grid.clusterId, name: grid.name, generation: grid.generation, at: now };
  const rollout = asJson(next);
  const count = next.waves.length;
  const waves = Math.max(count, 1);
  const unitsOf = (i: number) => next.waves[i]?.units ?? [];
  const completed = (w: number): GridEvent => ({
    type: 'RolloutWaveCompleted',
    data: { ...base, wave: w, waves, units: unitsOf(w), done: w >= count - 1, rollout },
  });
  const started = (w: number): GridEvent => ({
    type: 'RolloutWaveStarted',
    data: { ...base, wave: w, waves, units: unitsOf(w), rollout },
  });
  if (next.phase === 'Failed' && prev?.phase !== 'Failed') {
    const w = Math.min(next.currentWave, waves - 1);
    const reason = next.failure?.reason ?? 'health gate failed';
    return [{ type: 'RolloutWaveHalted', data: { ...base, wave: w, units: unitsOf(w), reason, rollout } }];
  }
  const fresh = !prev || prev.toRevision !== next.toRevision || prev.undo !== next.undo;
  const events: GridEvent[] = [];
  if (fresh) {
    for (let w = 0; w < Math.min(next.currentWave, count); w++) events.push(completed(w));
    if (next.currentWave < count) events.push(started(next.currentWave));
  } else if (next.currentWave > prev.currentWave) {
    for (let w = prev.currentWave; w < Math.min(next.currentWave, count); w++) events.push(completed(w));
    if (next.currentWave < count) events.push(started(next.currentWave));
  }
  if (events.length === 0)
    events.push({
      type: 'RolloutProgressed',
      data: { ...base, wave: Math.min(next.currentWave, waves - 1), rollout },
    });
  return events;
}
