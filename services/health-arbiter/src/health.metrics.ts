import { registry } from '@edgeplane/observability';
import client from 'prom-client';

/**
 * The arbiter's own Prometheus metrics. Ingestion counts into plain numbers (no per-message
 * metric call on the hot path); they are folded into the counters when /metrics is scraped.
 * Module-level so a second instance in the same process (tests restart the arbiter) reuses them.
 */
export const ingestCounts = {
  observations: 0,
  heartbeats: 0,
  reports: 0,
  invalid: 0,
  /** signals about clusters this instance does not judge (not owned, unknown or deleted) */
  unowned: 0,
};
const flushed = { ...ingestCounts };

/** Nodes judged by this instance (set by the runtime). */
export const gaugeSources = {
  nodes: () => 0,
  clusters: () => 0,
  replayCaughtUp: () => 0,
  partitions: () => 0,
  /** the partitions held now (for the per-partition gauge) */
  heldPartitions: (): readonly number[] => [],
  inputsLagSeconds: () => 0,
};

function counter(name: string, help: string, key: keyof typeof ingestCounts): client.Counter {
  const existing = registry.getSingleMetric(name) as client.Counter | undefined;
  if (existing) return existing;
  return new client.Counter({
    name,
    help,
    collect() {
      const delta = ingestCounts[key] - flushed[key];
      if (delta > 0) this.inc(delta);
      flushed[key] = ingestCounts[key];
    },
  });
}

function gauge(name: string, help: string, read: () => number): client.Gauge {
  const existing = registry.getSingleMetric(name) as client.Gauge | undefined;
  if (existing) return existing;
  return new client.Gauge({
    name,
    help,
    collect() {
      this.set(read());
    },
  });
}

counter(
  'edgeplane_health_observations_total',
  'observations ingested: 1 per heartbeat, 1 per probe result',
  'observations',
);
counter('edgeplane_health_heartbeats_total', 'heartbeat signals ingested', 'heartbeats');
counter('edgeplane_health_probe_reports_total', 'probe report signals ingested', 'reports');
counter(
  'edgeplane_health_signals_invalid_total',
  'signals dropped: not decodable or failing their schema',
  'invalid',
);
counter(
  'edgeplane_health_signals_unowned_total',
  'signals about clusters this instance does not judge',
  'unowned',
);
gauge('edgeplane_health_nodes', 'nodes judged by this instance', () => gaugeSources.nodes());
gauge('edgeplane_health_clusters', 'clusters judged by this instance', () => gaugeSources.clusters());
gauge('edgeplane_health_partitions_held', 'signal partitions this instance holds the lease of', () =>
  gaugeSources.partitions(),
);
const existingHeld = registry.getSingleMetric('edgeplane_health_partition_held') as
  | client.Gauge<'partition'>
  | undefined;
export const partitionHeld =
  existingHeld ??
  new client.Gauge({
    name: 'edgeplane_health_partition_held',
    help: '1 for each signal partition whose lease this instance holds',
    labelNames: ['partition'],
    collect() {
      this.reset();
      for (const p of gaugeSources.heldPartitions()) this.set({ partition: String(p) }, 1);
    },
  });
gauge(
  'edgeplane_health_inputs_lag_seconds',
  'how far behind the applied membership and node events are (now − the time everything before which is applied)',
  () => gaugeSources.inputsLagSeconds(),
);
gauge('edgeplane_health_replay_caught_up', '1 once the signal window has been replayed after start', () =>
  gaugeSources.replayCaughtUp(),
);

const existingChanges = registry.getSingleMetric('edgeplane_health_verdict_changes_total') as
  | client.Counter<'verdict'>
  | undefined;
export const verdictChanges =
  existingChanges ??
  new client.Counter({
    name: 'edgeplane_health_verdict_changes_total',
    help: 'verdict changes recorded (NodeVerdictChanged appended)',
    labelNames: ['verdict'],
  });

const existingTick = registry.getSingleMetric('edgeplane_health_tick_seconds') as
  | client.Histogram
  | undefined;
export const tickDuration =
  existingTick ??
  new client.Histogram({
    name: 'edgeplane_health_tick_seconds',
    help: 'one evaluation tick: engines evaluated and changes recorded',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
