import { ClusterHealthEngine } from '../src/engine/cluster-health.engine.js';
import type { EngineSettings } from '../src/engine/cluster-health.state.js';

/** Test clock: T0 plus seconds. */
export const T0 = Date.parse('2026-03-01T10:00:00.000Z');
export const s = (seconds: number): number => T0 + Math.round(seconds * 1000);
export const iso = (seconds: number): string => new Date(s(seconds)).toISOString();

export function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    multiRegion: false,
    noEviction: false,
    graceMs: 40_000,
    voteTtlMs: 60_000,
    disabledUnits: [],
    ...overrides,
  };
}

export function engine(overrides: Partial<EngineSettings> = {}): ClusterHealthEngine {
  return new ClusterHealthEngine('c1', { settings: settings(overrides), timerResolutionMs: 100 });
}

/** Registers nodes at T0; `units` maps a node to its NodeUnits. */
export function join(
  e: ClusterHealthEngine,
  names: readonly string[],
  units: Record<string, string[]> = {},
): void {
  for (const name of names) e.upsertNode(name, T0, units[name] ?? []);
}

export function heartbeat(e: ClusterHealthEngine, names: readonly string[], at: number): void {
  for (const name of names) e.observeHeartbeat(name, at);
}

/** `reporter` reports each listed peer healthy (true) or not (false). */
export function report(
  e: ClusterHealthEngine,
  reporter: string,
  views: Record<string, boolean>,
  at: number,
): number {
  return e.observeProbeReport(
    reporter,
    Object.entries(views).map(([peer, healthy]) => ({ peer, healthy })),
    at,
  );
}

/** Every reporter reports every other node of `all`: healthy iff `up(peer)`. */
export function probeRound(
  e: ClusterHealthEngine,
  reporters: readonly string[],
  all: readonly string[],
  up: (peer: string) => boolean,
  at: number,
): void {
  for (const r of reporters) {
    const views: Record<string, boolean> = {};
    for (const p of all) if (p !== r) views[p] = up(p);
    report(e, r, views, at);
  }
}

export const names = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
