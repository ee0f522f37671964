import { signalSubject, type HeartbeatData, type ProbeReportData } from '@edgeplane/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import { gatewayMetrics } from './gateway.metrics.js';

/**
 * Publishes agents' heartbeats and probe reports on the health-arbiter's signal subjects
 * (EDGEPLANE_SIGNALS). Core NATS publishes: the stream captures them, and a lost heartbeat is
 * harmless (the next one follows), so no acknowledgement is awaited per frame.
 */
export class SignalPublisher {
  private readonly encoder = new TextEncoder();

  constructor(private readonly nc: NatsConnection) {}

  heartbeat(data: HeartbeatData): void {
    this.nc.publish(signalSubject('heartbeat', data.clusterId), this.encoder.encode(JSON.stringify(data)));
    gatewayMetrics.signals.inc({ kind: 'heartbeat' });
  }

  probeReport(data: ProbeReportData): void {
    this.nc.publish(signalSubject('probe', data.clusterId), this.encoder.encode(JSON.stringify(data)));
    gatewayMetrics.signals.inc({ kind: 'probe' });
  }
}
