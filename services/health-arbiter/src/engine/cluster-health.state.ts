import type { Verdict, VerdictRule } from '@edgeplane/contracts';
import { DEFAULT_HEALTH_SETTINGS, type HealthSettings } from '../settings/settings.state.js';
import { TimerWheel } from './timer-wheel.js';

/**
 * The state of one cluster's health engine: its settings, node and unit records, the sets of
 * lost and dirty nodes, the timer wheel, the restart hold and the counters. Plain data; the
 * bookkeeping over it is in ./cluster-health.membership.ts, the decision table in
 * ./cluster-health.decide.ts, the explanations in ./cluster-health.views.ts.
 */

export interface EngineSettings {
  multiRegion: boolean;
  noEviction: boolean;
  graceMs: number;
  voteTtlMs: number;
  disabledUnits: readonly string[];
}

export function engineSettingsFrom(settings: HealthSettings): EngineSettings {
  return {
    multiRegion: settings.multiRegion,
    noEviction: settings.noEviction,
    graceMs: settings.graceSeconds * 1000,
    voteTtlMs: settings.voteTtlSeconds * 1000,
    disabledUnits: settings.disabledUnits,
  };
}

export interface EngineOptions {
  settings?: EngineSettings;
  /** Timer resolution: deadlines are noticed at most this late (plus the tick period). */
  timerResolutionMs?: number;
  /** Verdict history kept per node for explain. */
  historyLimit?: number;
  /** Initial `membershipKnownAt` (default +∞: membership always known, no gate). */
  membershipKnownAt?: number;
}

/** A verdict as published (the last NodeVerdictChanged of the node). */
export interface PublishedVerdict {
  verdict: Verdict;
  rule: VerdictRule;
  since: string;
}

export interface VerdictHistoryEntry {
  at: string;
  verdict: Verdict;
  previous: Verdict | null;
  rule: VerdictRule;
}

/** A verdict as persisted (folded from the node-verdict stream), used to seed after a restart. */
export interface PersistedVerdict extends PublishedVerdict {
  node: string;
  history?: VerdictHistoryEntry[];
}

export interface EngineStats {
  nodes: number;
  heartbeats: number;
  heartbeatsUnknownNode: number;
  reports: number;
  reportsUnknownReporter: number;
  resultsAccepted: number;
  resultsIgnored: number;
  evaluations: number;
  changes: number;
}

interface Vote {
  reporter: NodeRec;
  healthy: boolean;
  at: number;
}

export interface Scope {
  version: number;
  checked: boolean;
  /** Units whose members are N's peers (and whose darkness freezes N). */
  units: UnitRec[];
  /** -1 until computed. */
  peerSetSize: number;
}

export interface NodeRec {
  name: string;
  registeredAt: number;
  lastHeartbeat: number | undefined;
  cloudLost: boolean;
  /** Site units the node is in (sorted, default unit excluded). */
  units: string[];
  /** Incoming votes: reporter → its latest vote about this node (keyed by record: identity hashing is cheap). */
  votes: Map<NodeRec, Vote>;
  lastReportAt: number;
  /** The latest report of this node (as a reporter) held at least one healthy in-scope peer. */
  hearsPeers: boolean;
  scope: Scope;
  hbScheduledFor: number;
  checkScheduledFor: number;
  removed: boolean;
  current: PublishedVerdict | undefined;
  history: VerdictHistoryEntry[];
}

export interface UnitRec {
  name: string;
  members: Map<string, NodeRec>;
  /** Members the cloud currently hears (not lost). */
  alive: number;
}

const NO_SCOPE: Scope = { version: -1, checked: false, units: [], peerSetSize: 0 };

export interface EngineState {
  readonly clusterId: string;
  settings: EngineSettings;
  disabled: Set<string>;
  readonly nodes: Map<string, NodeRec>;
  readonly units: Map<string, UnitRec>;
  /** Nodes the cloud does not hear. */
  readonly lost: Set<NodeRec>;
  /** Nodes to judge at the next tick (unless every node is: `allDirty`). */
  readonly dirty: Set<NodeRec>;
  allDirty: boolean;
  recheckAllCloud: boolean;
  /** Bumped by every change of membership or scope settings; invalidates cached scopes. */
  scopeVersion: number;
  checkedCount: { version: number; count: number };
  /** The engine's clock: the latest `now` it was advanced to. */
  clock: number;
  readonly wheel: TimerWheel<NodeRec>;
  readonly historyLimit: number;
  /** After a restart: no change is published before this time. */
  holdUntil: number;
  readonly pendingRestore: Map<string, PersistedVerdict>;
  readonly earlyHeartbeats: Map<string, number>;
  /**
   * Every membership / node event published before this time has been applied (epoch ms; +∞ when
   * the caller does not track it). A lost node in no unit is evicted by the standard rule only if
   * its membership was known when the cloud last heard it; until then it is held (NoSchedule).
   */
  membershipKnownAt: number;
  /** Nodes the membership gate is holding: judged again when `membershipKnownAt` moves on. */
  readonly gateHeld: Set<NodeRec>;
  readonly counters: Omit<EngineStats, 'nodes'>;
}

export function createEngineState(clusterId: string, options: EngineOptions = {}): EngineState {
  const settings = options.settings ?? engineSettingsFrom(DEFAULT_HEALTH_SETTINGS);
  return {
    clusterId,
    settings,
    disabled: new Set(settings.disabledUnits),
    nodes: new Map(),
    units: new Map(),
    lost: new Set(),
    dirty: new Set(),
    allDirty: false,
    recheckAllCloud: false,
    scopeVersion: 0,
    checkedCount: { version: -1, count: 0 },
    clock: Number.NEGATIVE_INFINITY,
    wheel: new TimerWheel(options.timerResolutionMs ?? 250),
    historyLimit: options.historyLimit ?? 20,
    holdUntil: Number.NEGATIVE_INFINITY,
    pendingRestore: new Map(),
    earlyHeartbeats: new Map(),
    membershipKnownAt: options.membershipKnownAt ?? Number.POSITIVE_INFINITY,
    gateHeld: new Set(),
    counters: {
      heartbeats: 0,
      heartbeatsUnknownNode: 0,
      reports: 0,
      reportsUnknownReporter: 0,
      resultsAccepted: 0,
      resultsIgnored: 0,
      evaluations: 0,
      changes: 0,
    },
  };
}

export function newNodeRec(name: string, registeredAt: number): NodeRec {
  return {
    name,
    registeredAt,
    lastHeartbeat: undefined,
    cloudLost: false,
    units: [],
    votes: new Map(),
    lastReportAt: Number.NEGATIVE_INFINITY,
    hearsPeers: false,
    scope: NO_SCOPE,
    hbScheduledFor: Number.NaN,
    checkScheduledFor: Number.NEGATIVE_INFINITY,
    removed: false,
    current: undefined,
    history: [],
  };
}

export function markDirty(st: EngineState, rec: NodeRec): void {
  if (!st.allDirty) st.dirty.add(rec);
}

/** A unit of 2 or more members the cloud hears none of. */
export function isDark(unit: UnitRec): boolean {
  return unit.members.size >= 2 && unit.alive === 0;
}
