import client from 'prom-client';

/**
 * One Prometheus registry per process, with the backbone's metrics declared once here so every
 * service exposes the same names on /metrics.
 */
export const registry = client.register;

let defaultsOn = false;
export function collectDefaultMetrics(service: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
}

function counter(name: string, help: string, labelNames: string[]) {
  return (
    (registry.getSingleMetric(name) as client.Counter<string>) ??
    new client.Counter({ name, help, labelNames })
  );
}
function gauge(name: string, help: string, labelNames: string[]) {
  return (
    (registry.getSingleMetric(name) as client.Gauge<string>) ?? new client.Gauge({ name, help, labelNames })
  );
}
function histogram(name: string, help: string, labelNames: string[], buckets: number[]) {
  return (
    (registry.getSingleMetric(name) as client.Histogram<string>) ??
    new client.Histogram({ name, help, labelNames, buckets })
  );
}

export const metrics = {
  relayPublished: counter('edgeplane_relay_published_total', 'events published by the outbox relay', [
    'schema',
  ]),
  relayParked: counter(
    'edgeplane_relay_parked_total',
    'events the bus refused for good (too large), parked in relay_parked instead of blocking the outbox',
    ['schema'],
  ),
  relayLagEvents: gauge('edgeplane_relay_lag_events', 'events committed but not yet published', ['schema']),
  relayLagSeconds: gauge('edgeplane_relay_lag_seconds', 'age of the oldest event not yet published', [
    'schema',
  ]),
  relayIsLeader: gauge('edgeplane_relay_leader', '1 when this process holds the relay leader lock', [
    'schema',
  ]),
  consumerProcessed: counter('edgeplane_consumer_processed_total', 'messages settled by a consumer', [
    'consumer',
    'outcome',
  ]),
  consumerRedeliveries: counter(
    'edgeplane_consumer_redeliveries_total',
    'messages seen with deliveryCount > 1',
    ['consumer'],
  ),
  consumerDeadLetters: counter(
    'edgeplane_consumer_dead_letters_total',
    'messages sent to the dead-letter subject',
    ['consumer'],
  ),
  consumerLag: gauge('edgeplane_consumer_lag_messages', 'messages pending for a durable consumer', [
    'consumer',
  ]),
  consumerDuration: histogram(
    'edgeplane_consumer_handle_seconds',
    'handler time including its transaction',
    ['consumer'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  ),
  grpcDuration: histogram(
    'edgeplane_grpc_server_handling_seconds',
    'gRPC server handling time',
    ['method', 'code'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ),
};
