import { MAX_PROBE_RESULTS } from '@edgeplane/contracts';
import { z } from 'zod';

/**
 * Bounds on what an agent sends up its control stream (validated on receipt; a type annotation
 * is not validation). A frame that fails is dropped and counted, never half-applied.
 */
const NodeName = z.string().max(253);
const Instant = z.string().max(40);

export const HelloSchema = z.object({
  nodeName: NodeName,
  agentVersion: z.string().max(64),
  ips: z.array(z.string().max(45)).max(16),
  probePort: z.number().int().min(0).max(65535),
  desiredVersion: z.string().max(64),
  proxyPort: z.number().int().min(0).max(65535),
});
export type Hello = z.infer<typeof HelloSchema>;

export const HeartbeatSchema = z.object({
  nodeName: NodeName,
  seq: z.number().int().nonnegative(),
  sentAt: Instant,
});

export const ProbeReportSchema = z.object({
  reporter: NodeName,
  sentAt: Instant,
  results: z
    .array(
      z.object({
        peer: z.string().min(1).max(253),
        healthy: z.boolean(),
        probedAt: Instant,
        latencyMs: z.number().int(),
      }),
    )
    .max(MAX_PROBE_RESULTS),
});

export const NodeStatusSchema = z.object({
  nodeName: NodeName,
  desiredVersion: z.string().max(64),
  servingCached: z.boolean(),
  pods: z
    .array(z.object({ namespace: z.string().max(253), name: z.string().max(253), phase: z.string().max(32) }))
    .max(1000),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const StreamFailedSchema = z.object({
  streamId: z.string().max(64),
  code: z.string().max(32),
  message: z.string().max(1024),
});

/** PodStatusReport: every pod the agent was told to run (bounded as NodePodsStatusReported is). */
export const PodStatusReportSchema = z.object({
  nodeName: NodeName,
  sentAt: Instant,
  desiredVersion: z.string().max(64),
  runtime: z.enum(['', 'cri', 'process']),
  pods: z
    .array(
      z.object({
        uid: z.string().min(1).max(64),
        name: z.string().min(1).max(253),
        namespace: z.string().min(1).max(63),
        phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
        ready: z.boolean(),
        restarts: z.number().int().nonnegative(),
        podIp: z.string().max(45),
        reason: z.string().max(128),
        message: z.string().max(1024),
        containers: z
          .array(
            z.object({
              name: z.string().min(1).max(63),
              image: z.string().max(512),
              state: z.enum(['waiting', 'running', 'terminated']),
              reason: z.string().max(128),
              message: z.string().max(1024),
              exitCode: z.number().int(),
              restartCount: z.number().int().nonnegative(),
              ready: z.boolean(),
              startedAt: Instant,
              finishedAt: Instant,
            }),
          )
          .max(16),
      }),
    )
    .max(256),
  /** the node's size (NodeResources); null from an agent that does not report it */
  allocatable: z
    .object({
      cpuMilli: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
      memoryMib: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
      pods: z.number().int().min(0).max(10_000),
    })
    .nullish(),
});
export type PodStatusReport = z.infer<typeof PodStatusReportSchema>;
