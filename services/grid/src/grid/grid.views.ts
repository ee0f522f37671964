import YAML from 'yaml';
import { rolloutProgress, type K8sObject } from '../domain/index.js';
import type { GridWorld } from '../read-model/world.queries.js';
import { gridAt, unitViews } from '../reconciler/reconcile-plan.js';
import { manifestOf, type ActiveGridState } from './grid.state.js';
import { renderGrid } from '../domain/index.js';

/** Pure helpers over a grid's state for the read paths (Get, Render, RolloutStatus). */

export function gridMessage(grid: ActiveGridState) {
  const pods = Object.values(grid.pods);
  return {
    clusterId: grid.clusterId,
    name: grid.name,
    kind: grid.kind,
    gridUniqKey: grid.gridUniqKey,
    generation: grid.generation,
    children: grid.children.map((c) => {
      const mine = pods.filter((p) => p.child === c.name);
      return {
        unit: c.unit,
        name: c.name,
        revision: c.revision,
        desiredPods: mine.length,
        scheduledPods: mine.filter((p) => p.node !== null).length,
        pendingPods: mine.filter((p) => p.node === null).length,
      };
    }),
    manifestYaml: YAML.stringify(manifestOf(grid, grid.generation)),
    rollout: rolloutMessage(grid),
    createdAt: grid.createdAt,
    updatedAt: grid.updatedAt,
    endpoints: Object.entries(grid.endpoints ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([unit, endpoints]) => ({ unit, endpoints: endpoints.map((e) => ({ ip: '', ...e })) })),
  };
}

export function rolloutMessage(grid: ActiveGridState) {
  const r = grid.rollout;
  if (!r) {
    return {
      generation: grid.generation,
      state: 'Complete',
      waves: [],
      currentWave: 0,
      updatedUnits: grid.children.length,
      totalUnits: grid.children.length,
      message: 'no rollout: every unit runs the first generation',
      units: grid.children.map((c) => ({ unit: c.unit, state: 'Done' })),
      undo: false,
      fromGeneration: 0,
      haltedUnit: '',
      haltedPod: '',
      haltedReason: '',
    };
  }
  const progress = rolloutProgress(r);
  const done = (unit: string) => r.units[unit]?.state === 'Done';
  return {
    generation: r.toRevision,
    state: r.phase,
    waves: r.waves.map((w, index) => ({
      index,
      name: w.name,
      units: w.units,
      state:
        index < r.currentWave
          ? 'completed'
          : index === r.currentWave
            ? r.phase === 'Failed'
              ? 'halted'
              : 'progressing'
            : 'waiting',
      updatedUnits: w.units.filter(done).length,
      totalUnits: w.units.length,
    })),
    currentWave: r.currentWave,
    updatedUnits: progress.done,
    totalUnits: progress.total,
    message: `${progress.bar} ${progress.message}`.trim(),
    units: Object.keys(r.units)
      .sort()
      .map((unit) => ({ unit, state: r.units[unit]?.state ?? 'Waiting' })),
    undo: r.undo,
    fromGeneration: r.fromRevision ?? 0,
    haltedUnit: r.phase === 'Failed' ? (r.failure?.unit ?? '') : '',
    haltedPod: r.phase === 'Failed' ? (r.failure?.pod ?? '') : '',
    haltedReason: r.phase === 'Failed' ? (r.failure?.reason ?? '') : '',
  };
}

/** Every object the grid renders to now (each unit's child from the generation it runs). */
export function renderedObjects(grid: ActiveGridState, world: GridWorld, unit: string) {
  const units = unitViews(world, grid.gridUniqKey).filter((u) => !unit || u.name === unit);
  const refs = units.map((u) => ({ name: u.name, labels: u.labels }));
  const generationOf = new Map(grid.children.map((c) => [c.unit, c.generation]));
  const byGeneration = new Map<number, typeof refs>();
  for (const r of refs) {
    const g = generationOf.get(r.name) ?? grid.generation;
    byGeneration.set(g, [...(byGeneration.get(g) ?? []), r]);
  }
  if (grid.kind === 'ServiceGrid' || byGeneration.size === 0) {
    const result = renderGrid(gridAt(grid, grid.generation), refs);
    return objectsOf(result.objects, (o) => (result.service === o ? '' : unitOfChild(grid, o)));
  }
  const objects: K8sObject[] = [];
  for (const [g, us] of [...byGeneration].sort(([a], [b]) => a - b))
    objects.push(...renderGrid(gridAt(grid, g), us).objects);
  return objectsOf(objects, (o) => unitOfChild(grid, o));
}

function unitOfChild(grid: ActiveGridState, o: K8sObject): string {
  return (
    grid.children.find((c) => c.name === o.metadata.name)?.unit ??
    o.metadata.labels?.['superedge.io/grid-uniq-key-value'] ??
    ''
  );
}

function objectsOf(objects: K8sObject[], unitOf: (o: K8sObject) => string) {
  const items = objects.map((o) => ({
    unit: unitOf(o),
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    yaml: YAML.stringify(o),
  }));
  return { objects: items, yaml: items.map((i) => i.yaml).join('---\n') };
}
