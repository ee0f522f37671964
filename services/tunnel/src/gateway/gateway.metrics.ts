import client from 'prom-client';
import { registry } from '@edgeplane/observability';

function counter(name: string, help: string, labelNames: string[] = []) {
  return (
    (registry.getSingleMetric(name) as client.Counter<string> | undefined) ??
    new client.Counter({ name, help, labelNames, registers: [registry] })
  );
}
function gauge(name: string, help: string, labelNames: string[] = []) {
  return (
    (registry.getSingleMetric(name) as client.Gauge<string> | undefined) ??
    new client.Gauge({ name, help, labelNames, registers: [registry] })
  );
}

/** The gateway's metrics on the service's /metrics (docs/tunnel.md). */
export const gatewayMetrics = {
  connectedNodes: gauge('tunnel_connected_nodes', 'nodes whose control stream this replica holds'),
  openSubstreams: gauge('tunnel_open_substreams', 'sub-streams open through this replica'),
  bytes: counter('tunnel_bytes_total', 'bytes relayed through sub-streams', ['direction']),
  controlBytes: counter('tunnel_control_bytes_total', 'bytes of control frames (encoded estimate)', [
    'direction',
  ]),
  frames: counter('tunnel_control_frames_total', 'control frames received from agents', ['type']),
  droppedFrames: counter(
    'tunnel_dropped_frames_total',
    'frames, probe results or streams refused: claiming another node, outside the peer set, bad identity…',
    ['reason'],
  ),
  substreams: counter('tunnel_substreams_total', 'sub-streams by kind and outcome', ['kind', 'outcome']),
  forwardingHops: counter(
    'tunnel_forwarding_hops_total',
    'sub-streams forwarded to or from another replica',
    ['direction'],
  ),
  signals: counter('tunnel_signals_published_total', 'heartbeats and probe reports published', ['kind']),
  sessions: counter('tunnel_sessions_total', 'control streams by how they ended', ['outcome']),
};
