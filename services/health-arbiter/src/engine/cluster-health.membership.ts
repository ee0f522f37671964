import {
  isDark,
  markDirty,
  type EngineState,
  type NodeRec,
  type Scope,
  type UnitRec,
} from './cluster-health.state.js';

/**
 * The bookkeeping every input and every judgement reads: who is in which unit (and which units
 * are dark), who is in whose peer set (scopes, cached per scope version), and whom the cloud
 * hears at the engine's clock (grace deadlines and vote expiries on the timer wheel).
 */

// ───────────────────────────── units ─────────────────────────────

export function joinUnit(st: EngineState, rec: NodeRec, name: string): void {
  let unit = st.units.get(name);
  if (!unit) {
    unit = { name, members: new Map(), alive: 0 };
    st.units.set(name, unit);
  }
  const wasDark = isDark(unit);
  unit.members.set(rec.name, rec);
  if (!rec.cloudLost) unit.alive++;
  noteDarkness(st, unit, wasDark);
}

export function leaveUnit(st: EngineState, rec: NodeRec, name: string): void {
  const unit = st.units.get(name);
  if (!unit || !unit.members.has(rec.name)) return;
  const wasDark = isDark(unit);
  unit.members.delete(rec.name);
  if (!rec.cloudLost) unit.alive--;
  if (unit.members.size === 0) st.units.delete(name);
  noteDarkness(st, unit, wasDark);
}

/** A unit turning dark (or lit again) may change the verdict of each of its lost members. */
function noteDarkness(st: EngineState, unit: UnitRec, wasDark: boolean): void {
  if (isDark(unit) !== wasDark)
    for (const member of unit.members.values()) if (member.cloudLost) markDirty(st, member);
}

// ───────────────────────────── peer scopes ─────────────────────────────

export function scopeOf(st: EngineState, rec: NodeRec): Scope {
  if (rec.scope.version === st.scopeVersion) return rec.scope;
  let units: UnitRec[];
  let checked: boolean;
  if (st.settings.multiRegion) {
    units = [];
    for (const name of rec.units) {
      const unit = st.units.get(name);
      if (unit && !st.disabled.has(name)) units.push(unit);
    }
    checked = units.length > 0;
  } else {
    checked = !rec.units.some((u) => st.disabled.has(u));
    units = [];
    if (checked)
      for (const name of rec.units) {
        const unit = st.units.get(name);
        if (unit) units.push(unit);
      }
  }
  rec.scope = { version: st.scopeVersion, checked, units, peerSetSize: -1 };
  return rec.scope;
}

export function peerSetSize(st: EngineState, rec: NodeRec): number {
  const scope = scopeOf(st, rec);
  if (!scope.checked) return 0;
  if (scope.peerSetSize >= 0) return scope.peerSetSize;
  let size: number;
  if (!st.settings.multiRegion) {
    size = clusterCheckedCount(st) - 1;
  } else if (scope.units.length === 1) {
    size = scope.units[0]!.members.size - 1;
  } else {
    const union = new Set<string>();
    for (const unit of scope.units) for (const name of unit.members.keys()) union.add(name);
    size = union.size - 1;
  }
  scope.peerSetSize = Math.max(0, size);
  return scope.peerSetSize;
}

function clusterCheckedCount(st: EngineState): number {
  if (st.checkedCount.version !== st.scopeVersion) {
    let count = 0;
    for (const rec of st.nodes.values()) if (scopeOf(st, rec).checked) count++;
    st.checkedCount = { version: st.scopeVersion, count };
  }
  return st.checkedCount.count;
}

/** Are two distinct nodes, with these scopes, in each other's peer set? (shared enabled unit; identity compare) */
export function inScope(st: EngineState, a: Scope, b: Scope): boolean {
  if (!a.checked || !b.checked) return false;
  if (!st.settings.multiRegion) return true;
  for (const u of a.units) for (const v of b.units) if (u === v) return true;
  return false;
}

// ───────────────────────────── the cloud's view, over time ─────────────────────────────

/** Moves the engine's clock to `now`: grace deadlines and vote expiries that passed take effect. */
export function advance(st: EngineState, now: number): void {
  if (now <= st.clock) return;
  st.clock = now;
  if (st.recheckAllCloud) {
    st.recheckAllCloud = false;
    for (const rec of st.nodes.values()) recheckCloud(st, rec);
  }
  st.wheel.due(now, (rec) => {
    if (rec.removed) return;
    recheckCloud(st, rec);
    // A lost node's entry is its earliest vote expiry (or its loss): re-evaluate it.
    if (rec.cloudLost) markDirty(st, rec);
  });
}

/** Cloud view of one node at the engine's clock; schedules its grace deadline while heard. */
export function recheckCloud(st: EngineState, rec: NodeRec): void {
  const deadline =
    Math.max(rec.lastHeartbeat ?? Number.NEGATIVE_INFINITY, rec.registeredAt) + st.settings.graceMs;
  const lost = st.clock >= deadline;
  if (lost !== rec.cloudLost) setCloudLost(st, rec, lost);
  if (!lost && rec.hbScheduledFor !== deadline) {
    rec.hbScheduledFor = deadline;
    st.wheel.schedule(deadline, rec);
  }
}

function setCloudLost(st: EngineState, rec: NodeRec, lost: boolean): void {
  rec.cloudLost = lost;
  if (lost) st.lost.add(rec);
  else st.lost.delete(rec);
  for (const name of rec.units) {
    const unit = st.units.get(name);
    if (!unit) continue;
    const wasDark = isDark(unit);
    unit.alive += lost ? -1 : 1;
    noteDarkness(st, unit, wasDark);
  }
  markDirty(st, rec);
}

/** Re-judge a lost node at `at` (its earliest counted vote expiry). */
export function scheduleCheck(st: EngineState, rec: NodeRec, at: number): void {
  if (rec.checkScheduledFor > st.clock && rec.checkScheduledFor <= at) return;
  rec.checkScheduledFor = at;
  st.wheel.schedule(at, rec);
}
