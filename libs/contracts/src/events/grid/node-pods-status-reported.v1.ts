import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant } from './shared.js';

const text = (max: number) => z.string().max(max);

/** One container of a reported pod, as the node's runtime driver sees it. */
export const ReportedContainerSchema = z.object({
  name: text(63).min(1),
  image: text(512),
  state: z.enum(['waiting', 'running', 'terminated']),
  /** ErrImagePull, CrashLoopBackOff, ContainerCreating, Completed, Error, OOMKilled … */
  reason: text(128).optional(),
  message: text(1024).optional(),
  exitCode: z.number().int().optional(),
  restartCount: z.number().int().nonnegative(),
  ready: z.boolean(),
});

/** One pod of the node as its agent reports it. */
export const ReportedPodSchema = z.object({
  uid: text(64).min(1),
  name: text(253).min(1),
  namespace: text(63).min(1),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
  ready: z.boolean(),
  restarts: z.number().int().nonnegative(),
  podIP: text(45).optional(),
  /** why it is not running, e.g. ErrImagePull (message then names the image) */
  reason: text(128).optional(),
  message: text(1024).optional(),
  /** the grid, unit and revision of the assignment the pod runs */
  grid: text(253).optional(),
  unit: text(253).optional(),
  revision: text(128).optional(),
  containers: z.array(ReportedContainerSchema).max(16),
});
export type ReportedPod = z.infer<typeof ReportedPodSchema>;

/**
 * NodePodsStatusReported — what a node's agent reports about the pods assigned to it changed
 * (phase, readiness, restarts, pod IP, a container's state or reason). Emitter: tunnel service
 * (the gateway holding the node's control stream; stream `podstatus:<clusterId>:<node>`), consumed
 * by the grid service (pod readiness for endpoints and the rollout health gate).
 * Invariants: `pods` is the FULL status of the node's assigned pods (at most 256), each naming a
 * pod of the node's latest NodePodsAssigned (a report naming any other pod is refused by the
 * gateway); emitted only when it differs from the previous report of that node seen by that
 * gateway, never per heartbeat (an agent with a runtime reports once per connection even with no
 * pods, for its `allocatable`); `podsStreamVersion` is the NodePodsAssigned streamVersion the
 * gateway had applied when it accepted the report (0 = none yet), so a consumer can tell a report
 * about an older assignment.
 */
export const NodePodsStatusReported = defineEvent({
  type: 'NodePodsStatusReported',
  version: 1,
  subject: 'edgeplane.tunnel.node.pods-status-reported',
  emitter: 'tunnel',
  schema: z.object({
    clusterId: z.string().min(1),
    node: z.string().min(1).max(253),
    pods: z.array(ReportedPodSchema).max(256),
    podsStreamVersion: z.number().int().nonnegative(),
    /** the driver that runs them on the node */
    runtime: z.enum(['cri', 'process']).optional(),
    /** the agent's desired-state version the pods come from */
    desiredVersion: text(64).optional(),
    /**
     * What the node offers pods, as its agent measured it (cgroup limits, else the host's CPUs
     * and memory) or was told (agent.json / EDGEPLANE_ALLOCATABLE_*): the grid service places
     * pods against it. Absent from agents that do not report it.
     */
    allocatable: z
      .object({
        cpuMilli: z.number().int().positive(),
        memoryBytes: z.number().int().positive(),
        pods: z.number().int().positive().max(10_000),
      })
      .optional(),
    reportedAt: GridInstant,
  }),
});
export type NodePodsStatusReportedData = z.infer<typeof NodePodsStatusReported.schema>;
