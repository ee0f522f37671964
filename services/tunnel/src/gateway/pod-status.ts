import { createHash } from 'node:crypto';
import type { NodePodsStatusReportedData, ReportedPod } from '@edgeplane/contracts';
import type { EventStore } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';
import type { PodStatusReport } from './frames.js';

/**
 * An agent's PodStatusReport checked against what the node was told to run: pods that are not
 * assigned to the node (`unassigned`, dropped and counted by the session) never reach the bus;
 * the rest become NodePodsStatusReported's pods, with the grid, unit and revision of their
 * assignment. Empty strings and zero values the wire cannot tell from "absent" are left out.
 */
export function reportedPods(
  report: PodStatusReport,
  assigned: ReadonlyMap<string, EdgeplaneTunnelV1.PodSpec__Output>,
): { pods: ReportedPod[]; unassigned: string[] } {
  const pods: ReportedPod[] = [];
  const unassigned: string[] = [];
  for (const p of report.pods) {
    const spec = assigned.get(p.uid);
    if (!spec || spec.name !== p.name || spec.namespace !== p.namespace) {
      unassigned.push(p.uid);
      continue;
    }
    pods.push({
      uid: p.uid,
      name: p.name,
      namespace: p.namespace,
      phase: p.phase,
      ready: p.ready,
      restarts: p.restarts,
      ...(p.podIp ? { podIP: p.podIp } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.message ? { message: p.message } : {}),
      ...(spec.grid ? { grid: spec.grid } : {}),
      ...(spec.unit ? { unit: spec.unit } : {}),
      ...(spec.revision ? { revision: spec.revision } : {}),
      containers: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        state: c.state,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
        ...(c.state === 'terminated' ? { exitCode: c.exitCode } : {}),
        restartCount: c.restartCount,
        ready: c.ready,
      })),
    });
  }
  pods.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  return { pods, unassigned };
}

/** Equal digests, equal reports (what makes a report a change worth an event). */
export function reportDigest(
  pods: readonly ReportedPod[],
  podsStreamVersion: number,
  allocatable?: NodePodsStatusReportedData['allocatable'],
): string {
  return createHash('sha256')
    .update(JSON.stringify([podsStreamVersion, pods, allocatable ?? null]))
    .digest('hex')
    .slice(0, 32);
}

export function podStatusStreamId(clusterId: string, node: string): string {
  return `podstatus:${clusterId}:${node}`;
}

/**
 * Appends NodePodsStatusReported (the outbox relay publishes it). Appends for one node are kept
 * in order; a failed append is logged and dropped — the agent's next change reports the whole
 * set again, and a reconnect reports it at once.
 */
export class PodStatusRecorder {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  record(data: NodePodsStatusReportedData): Promise<void> {
    const streamId = podStatusStreamId(data.clusterId, data.node);
    const previous = this.chains.get(streamId) ?? Promise.resolve();
    const next = previous
      .then(() =>
        this.store.append(streamId, 'any', [{ type: 'NodePodsStatusReported', data }], {
          metadata: { actor: 'tunnel' },
        }),
      )
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.error(
            { node: data.node, clusterId: data.clusterId, err: (error as Error).message },
            'recording a pod status report failed',
          ),
      )
      .finally(() => {
        if (this.chains.get(streamId) === next) this.chains.delete(streamId);
      });
    this.chains.set(streamId, next);
    return next;
  }

  /** Resolves once everything recorded so far is appended (shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }
}
