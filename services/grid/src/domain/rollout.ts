/**
 * Staged rollout across units (Fleet's partitions, per unit instead of per cluster): the units
 * are cut into waves — explicit waves by unit matcher, in order, with every unmatched unit in a
 * last wave `rest`; or automatic waves of `waveSize` units (a count or a percentage of the units,
 * at least 1) in unit-name order. Inside a wave at most `maxUnavailable` units update at once
 * (a count or a percentage of all units, at least 1).
 *
 * The health gate: a unit is done when every pod of its child at the target template hash is
 * ready and has stayed ready for `soakSeconds` (a pod that flaps restarts the soak); the next wave
 * starts only when every unit of the current one is done. A unit with a failed pod (ErrImagePull,
 * CrashLoopBackOff, failing readiness) or not all ready within `progressDeadlineSeconds` of its
 * start halts the rollout: phase Failed with the unit, the pod and the reason.
 *
 * A first revision (no previous one) is not staged: there is nothing to keep running, so every
 * unit gets it at once. Undo goes back to the previous revision in one wave of the units that
 * had started (the others never left it). Time always comes in as an argument.
 */
import { IllegalStateError } from '@edgeplane/es-kit';
import { unitMatches } from './selectors.js';
import type {
  PodObservation,
  RolloutProgress,
  RolloutState,
  RolloutWave,
  UnitRollout,
  UnitTarget,
  WorkloadGrid,
} from './types.js';

type UnitRef = { name: string; labels: Readonly<Record<string, string>> };

/** A count, or a percentage of `total` rounded up; at least 1. */
export function resolveCount(value: number | string, total: number): number {
  if (typeof value === 'number') return Math.max(1, value);
  const pct = Number.parseInt(value, 10);
  return Math.max(1, Math.ceil((pct * total) / 100));
}

function sortedUnits(units: readonly UnitRef[]): UnitRef[] {
  const seen = new Map<string, UnitRef>();
  for (const u of units) if (!seen.has(u.name)) seen.set(u.name, u);
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function planRollout(grid: WorkloadGrid, units: readonly UnitRef[]): RolloutWave[] {
  const strategy = grid.spec.rolloutStrategy;
  const all = sortedUnits(units);
  const waves: RolloutWave[] = [];
  if (strategy.waves.length > 0) {
    const taken = new Set<string>();
    for (const w of strategy.waves) {
      const members = all.filter((u) => !taken.has(u.name) && unitMatches(w, u)).map((u) => u.name);
      for (const m of members) taken.add(m);
      if (members.length > 0) waves.push({ name: w.name, units: members });
    }
    const rest = all.filter((u) => !taken.has(u.name)).map((u) => u.name);
    if (rest.length > 0) waves.push({ name: 'rest', units: rest });
    return waves;
  }
  const size = resolveCount(strategy.waveSize, all.length);
  for (let i = 0; i < all.length; i += size) {
    waves.push({ name: `wave-${waves.length + 1}`, units: all.slice(i, i + size).map((u) => u.name) });
  }
  return waves;
}

const ms = (iso: string) => Date.parse(iso);

export function startRollout(args: {
  grid: WorkloadGrid;
  units: readonly UnitRef[];
  toRevision: number;
  fromRevision: number | null;
  unchangedUnits?: readonly string[];
  now: string;
}): RolloutState {
  const { grid, now } = args;
  const strategy = grid.spec.rolloutStrategy;
  const waves = planRollout(grid, args.units);
  const total = waves.reduce((n, w) => n + w.units.length, 0);
  const unchanged = new Set(args.unchangedUnits ?? []);
  const first = args.fromRevision === null;
  const units: Record<string, UnitRollout> = {};
  for (const w of waves)
    for (const u of w.units)
      units[u] = first || unchanged.has(u) ? { state: 'Done', doneAt: now } : { state: 'Waiting' };
  const state: RolloutState = {
    grid: grid.metadata.name,
    toRevision: args.toRevision,
    fromRevision: args.fromRevision,
    phase: strategy.paused ? 'Paused' : 'Progressing',
    waves,
    currentWave: 0,
    maxUnavailable: resolveCount(strategy.maxUnavailable, total),
    soakSeconds: strategy.soakSeconds,
    progressDeadlineSeconds: strategy.progressDeadlineSeconds,
    units,
    undo: false,
    updatedAt: now,
  };
  return state.phase === 'Progressing' ? advanceRollout(state, [], [], now) : state;
}

/** Health of one unit at its target: failed pod, all ready since when, or still waiting. */
function unitHealth(
  target: UnitTarget,
  pods: readonly PodObservation[],
): { failed?: PodObservation; readySince?: string; notReady?: PodObservation; ready: number } {
  const current = pods.filter((p) => p.templateHash === target.templateHash);
  const failed = current.find((p) => p.failed);
  if (failed) return { failed, ready: 0 };
  const ready = current.filter((p) => p.ready);
  if (ready.length >= target.replicas) {
    // the last pod to turn ready sets when the whole unit became ready ('' = no pods wanted)
    let latest = '';
    for (const p of ready)
      if (p.readySince && (latest === '' || ms(p.readySince) > ms(latest))) latest = p.readySince;
    return { readySince: latest, ready: ready.length };
  }
  return { notReady: current.find((p) => !p.ready), ready: ready.length };
}

export function advanceRollout(
  state: RolloutState,
  targets: readonly UnitTarget[],
  pods: readonly PodObservation[],
  now: string,
): RolloutState {
  if (state.phase !== 'Progressing') return state;
  const next: RolloutState = { ...state, units: { ...state.units }, updatedAt: now };
  const targetOf = new Map(targets.map((t) => [t.unit, t]));
  const podsOf = new Map<string, PodObservation[]>();
  for (const p of pods) {
    const list = podsOf.get(p.unit);
    if (list) list.push(p);
    else podsOf.set(p.unit, [p]);
  }
  const nowMs = ms(now);
  while (next.currentWave < next.waves.length) {
    const wave = next.waves[next.currentWave] as RolloutWave;
    for (const unit of wave.units) {
      const u = next.units[unit] as UnitRollout;
      if (u.state !== 'Updating' && u.state !== 'Soaking') continue;
      const target = targetOf.get(unit);
      if (!target) {
        // targets given but none for this unit: it left the group, there is nothing to update
        if (targets.length > 0) next.units[unit] = { ...u, state: 'Done', doneAt: now };
        continue;
      }
      const health = unitHealth(target, podsOf.get(unit) ?? []);
      if (health.failed) {
        const pod = health.failed;
        next.units[unit] = { ...u, state: 'Failed' };
        next.phase = 'Failed';
        next.failure = {
          unit,
          pod: pod.pod,
          reason: `pod ${pod.pod}${pod.node ? ` on ${pod.node}` : ''} failed: ${pod.reason ?? 'not ready'}`,
          at: now,
        };
        return next;
      }
      if (health.readySince !== undefined) {
        const since = health.readySince === '' ? (u.readySince ?? now) : health.readySince;
        if (nowMs - ms(since) >= next.soakSeconds * 1000) {
          next.units[unit] = { ...u, state: 'Done', readySince: since, doneAt: now };
        } else {
          next.units[unit] = { ...u, state: 'Soaking', readySince: since };
        }
        continue;
      }
      // not all ready: back from soaking, or past the deadline
      const started = ms(u.startedAt ?? now);
      if (nowMs - started > next.progressDeadlineSeconds * 1000) {
        const pod = health.notReady;
        next.units[unit] = { ...u, state: 'Failed' };
        next.phase = 'Failed';
        next.failure = {
          unit,
          pod: pod?.pod ?? null,
          reason: pod
            ? `pod ${pod.pod}${pod.node ? ` on ${pod.node}` : ''} not ready after ${next.progressDeadlineSeconds}s${pod.reason ? `: ${pod.reason}` : ''}`
            : `only ${health.ready}/${target.replicas} pods ready after ${next.progressDeadlineSeconds}s`,
          at: now,
        };
        return next;
      }
      const { readySince: _dropped, ...rest } = u;
      next.units[unit] = { ...rest, state: 'Updating' };
    }
    // start waiting units of this wave, at most maxUnavailable in flight
    let inFlight = wave.units.filter((n) => {
      const s = next.units[n]?.state;
      return s === 'Updating' || s === 'Soaking';
    }).length;
    for (const unit of wave.units) {
      if (inFlight >= next.maxUnavailable) break;
      if (next.units[unit]?.state !== 'Waiting') continue;
      next.units[unit] = { state: 'Updating', startedAt: now };
      inFlight++;
    }
    if (!wave.units.every((n) => next.units[n]?.state === 'Done')) break;
    next.currentWave++;
  }
  if (next.currentWave >= next.waves.length) next.phase = 'Complete';
  return next;
}

export function pauseRollout(state: RolloutState, now: string): RolloutState {
  if (state.phase === 'Paused') return state;
  if (state.phase !== 'Progressing')
    throw new IllegalStateError(
      `rollout of ${state.grid} is ${state.phase}; only a progressing rollout can be paused`,
    );
  return { ...state, phase: 'Paused', updatedAt: now };
}

export function resumeRollout(state: RolloutState, now: string): RolloutState {
  if (state.phase === 'Progressing') return state;
  if (state.phase !== 'Paused')
    throw new IllegalStateError(
      `rollout of ${state.grid} is ${state.phase}; only a paused rollout can be resumed (undo or apply a new revision)`,
    );
  // the deadline of units caught in flight counts from the resume, not from before the pause
  const units: Record<string, UnitRollout> = {};
  for (const [name, u] of Object.entries(state.units))
    units[name] = u.state === 'Updating' ? { ...u, startedAt: now } : u;
  return advanceRollout({ ...state, units, phase: 'Progressing', updatedAt: now }, [], [], now);
}

export function undoRollout(state: RolloutState, now: string): RolloutState {
  if (state.fromRevision === null)
    throw new IllegalStateError(`rollout of ${state.grid} has no previous revision to go back to`);
  const touched: string[] = [];
  const units: Record<string, UnitRollout> = {};
  for (const name of Object.keys(state.units).sort()) {
    const u = state.units[name] as UnitRollout;
    if (u.state === 'Waiting') units[name] = { state: 'Done', doneAt: now };
    else {
      units[name] = { state: 'Waiting' };
      touched.push(name);
    }
  }
  const { failure: _failure, ...rest } = state;
  const undone: RolloutState = {
    ...rest,
    toRevision: state.fromRevision,
    fromRevision: state.toRevision,
    phase: 'Progressing',
    waves: touched.length > 0 ? [{ name: 'undo', units: touched }] : [],
    currentWave: 0,
    // the previous revision ran before: restore every touched unit at once
    maxUnavailable: Math.max(1, touched.length),
    units,
    undo: true,
    updatedAt: now,
  };
  return advanceRollout(undone, [], [], now);
}

/**
 * The revision a unit's child runs now: the target once its turn came, the previous before. A
 * unit the rollout does not know (it joined the group meanwhile) has nothing running to protect:
 * it gets the target at once.
 */
export function unitRevision(state: RolloutState, unit: string): number {
  const u = state.units[unit];
  if (!u) return state.toRevision;
  if (u.state === 'Waiting') return state.fromRevision ?? state.toRevision;
  return state.toRevision;
}

export function rolloutProgress(state: RolloutState, width = 20): RolloutProgress {
  const names = Object.keys(state.units);
  const total = names.length;
  const done = names.filter((n) => state.units[n]?.state === 'Done').length;
  const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
  const filled = total === 0 ? width : Math.round((done * width) / total);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} units`;
  const wave = state.waves[state.currentWave];
  const waveLabel = wave
    ? `wave ${state.currentWave + 1}/${state.waves.length} "${wave.name}"`
    : `${state.waves.length} wave(s)`;
  let message: string;
  switch (state.phase) {
    case 'Complete':
      message = `complete: ${done}/${total} units at revision ${state.toRevision}${state.undo ? ' (undo)' : ''}`;
      break;
    case 'Failed':
      message = `halted at ${waveLabel}: unit ${state.failure?.unit ?? '?'}: ${state.failure?.reason ?? 'failed'}`;
      break;
    case 'Paused':
      message = `paused at ${waveLabel}`;
      break;
    default: {
      const inWave = wave?.units ?? [];
      const updating = inWave.filter((n) => state.units[n]?.state === 'Updating').length;
      const soaking = inWave.filter((n) => state.units[n]?.state === 'Soaking');
      const soak = soaking
        .map((n) => {
          const since = state.units[n]?.readySince;
          const elapsed = since ? Math.max(0, Math.floor((ms(state.updatedAt) - ms(since)) / 1000)) : 0;
          return `${n} ${Math.min(elapsed, state.soakSeconds)}s/${state.soakSeconds}s`;
        })
        .join(', ');
      message = `${waveLabel}: ${updating} updating, ${soaking.length} soaking${soak ? ` (${soak})` : ''}`;
    }
  }
  return { done, total, percent, bar, phase: state.phase, wave: wave?.name ?? null, message };
}
