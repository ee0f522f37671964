import type { EventDefinition } from '../../define-event.js';
import { GridApplied } from './grid-applied.v1.js';
import { GridChildrenChanged } from './grid-children-changed.v1.js';
import { GridDeleted } from './grid-deleted.v1.js';
import { NodePodsAssigned } from './node-pods-assigned.v1.js';
import { NodePodsStatusReported } from './node-pods-status-reported.v1.js';
import { PodScheduled } from './pod-scheduled.v1.js';
import { PodUnscheduled } from './pod-unscheduled.v1.js';
import { RolloutPaused } from './rollout-paused.v1.js';
import { RolloutProgressed } from './rollout-progressed.v1.js';
import { RolloutResumed } from './rollout-resumed.v1.js';
import { RolloutUndone } from './rollout-undone.v1.js';
import { RolloutWaveCompleted } from './rollout-wave-completed.v1.js';
import { RolloutWaveHalted } from './rollout-wave-halted.v1.js';
import { RolloutWaveStarted } from './rollout-wave-started.v1.js';
import { ServiceEndpointsChanged } from './service-endpoints-changed.v1.js';

/** Shared grid shapes, namespaced so they cannot clash with other services' exports. */
export * as gridSchemas from './shared.js';
export * from './grid-applied.v1.js';
export * from './grid-children-changed.v1.js';
export * from './grid-deleted.v1.js';
export * from './node-pods-assigned.v1.js';
export * from './node-pods-status-reported.v1.js';
export * from './pod-scheduled.v1.js';
export * from './pod-unscheduled.v1.js';
export * from './rollout-paused.v1.js';
export * from './rollout-progressed.v1.js';
export * from './rollout-resumed.v1.js';
export * from './rollout-undone.v1.js';
export * from './rollout-wave-completed.v1.js';
export * from './rollout-wave-halted.v1.js';
export * from './rollout-wave-started.v1.js';
export * from './service-endpoints-changed.v1.js';

/**
 * Catalogue entries of the grid's workloads: emitted by the grid service, and NodePodsStatusReported,
 * which the tunnel emits (on its own stream) for the grid to consume. One file per event and
 * version, listed here.
 */
export const gridEvents: EventDefinition[] = [
  GridApplied,
  GridDeleted,
  GridChildrenChanged,
  PodScheduled,
  PodUnscheduled,
  NodePodsAssigned,
  NodePodsStatusReported,
  ServiceEndpointsChanged,
  RolloutWaveStarted,
  RolloutProgressed,
  RolloutWaveCompleted,
  RolloutWaveHalted,
  RolloutPaused,
  RolloutResumed,
  RolloutUndone,
];
