/**
 * grid-pods-startup: pod start-up latency on the simulated fleet with real containers (issue 11's
 * third figure; KubeEdge's 100k-node test reports p99 4.09 s). Its own bench because it needs a
 * fleet: root, network namespaces and containerd/runc/CNI (scripts/runtime/setup.sh).
 *
 * cluster, nodepool, health-arbiter, tunnel and grid run as real processes (e2e/fleet-stack.ts);
 * `scripts/fleet.mjs up --runtime cri` makes SITES (default east:2:e,west:2:w: 4 hosts, a
 * containerd each inside its namespace, agents on the cri driver). Then ROUNDS times a
 * DeploymentGrid of the local busybox httpd image (a readiness probe on :8080, period 1 s) with
 * PODS_PER_UNIT replicas per unit is applied and later deleted. Per pod, on this process's clock:
 * assigned = the first NodePodsAssigned (grid → bus) naming it on a node; running / ready = the
 * first NodePodsStatusReported (agent → tunnel → bus) saying so for it. Start-up = running −
 * assigned (what the tunnel push, the agent, containerd's sandbox + CNI + container start and the
 * report back cost; the image is local, so no pull). The RESULT holds p50/p99/max of running and
 * of ready, the sample count, and the load average (the figures move with the machine's load).
 * Env: SITES (east:2:e,west:2:w), PODS_PER_UNIT (10), ROUNDS (3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import {
  busSubject,
  NodePodsAssigned,
  NodePodsStatusReported,
  type Envelope,
  type NodePodsAssignedData,
  type NodePodsStatusReportedData,
} from '@edgeplane/contracts';
import { eventually, testServices, uniqueName } from '@edgeplane/testing';
import { fleetUnavailable, REPO, startFleetStack, type FleetStack } from '../e2e/fleet-stack.js';
import { percentile, progress, result, round } from './util.js';

const SITES = process.env.SITES ?? 'east:2:e,west:2:w';
const PODS_PER_UNIT = Number(process.env.PODS_PER_UNIT ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const IMAGE = 'localhost/edgeplane/busybox-httpd:1';
const units = SITES.split(',').map((s) => s.split(':')[0]!);

const why =
  fleetUnavailable() ??
  (spawnSync(path.join(REPO, 'scripts/runtime/setup.sh'), ['--check']).status !== 0
    ? 'containerd/runc/CNI missing: run scripts/runtime/setup.sh'
    : spawnSync(path.join(REPO, 'scripts/runtime/build-images.sh')).status !== 0
      ? 'the local test images could not be built (scripts/runtime/build-images.sh)'
      : undefined);
if (why) {
  console.error(`grid-pods-startup cannot run here: ${why}`);
  process.exit(1);
}

interface Times {
  assigned?: number;
  running?: number;
  ready?: number;
}
const times = new Map<string, Times>();
/** the latest report per node: which pods each agent still runs */
const latest = new Map<string, NodePodsStatusReportedData>();
let clusterId = '';

const nc = await connect({ servers: (await testServices()).natsUrl });
nc.subscribe(busSubject(NodePodsAssigned.subject), {
  callback: (_e, m) => {
    const now = performance.now();
    try {
      const d = m.json<Envelope<NodePodsAssignedData>>().data;
      if (d.clusterId !== clusterId) return;
      for (const p of d.pods) {
        const t = times.get(p.pod) ?? {};
        t.assigned ??= now;
        times.set(p.pod, t);
      }
    } catch {
      /* not an envelope */
    }
  },
});
nc.subscribe(busSubject(NodePodsStatusReported.subject), {
  callback: (_e, m) => {
    const now = performance.now();
    try {
      const d = m.json<Envelope<NodePodsStatusReportedData>>().data;
      if (d.clusterId !== clusterId) return;
      latest.set(d.node, d);
      for (const p of d.pods) {
        const t = times.get(p.name);
        if (!t) continue;
        if (p.phase === 'Running') t.running ??= now;
        if (p.ready) t.ready ??= now;
      }
    } catch {
      /* not an envelope */
    }
  },
});

const dir = mkdtempSync(path.join(os.tmpdir(), 'edgeplane-pods-startup-'));
const cluster = uniqueName('podstart').replace(/_/g, '-').toLowerCase().slice(0, 40);
let stack: FleetStack | undefined;
const running: number[] = [];
const ready: number[] = [];
const failures: string[] = [];
try {
  progress(`grid-pods-startup: fleet ${SITES} (cri), ${PODS_PER_UNIT} pods per unit, ${ROUNDS} rounds`);
  stack = await startFleetStack({ grid: true });
  const t0 = performance.now();
  const up = await stack.fleet(
    'up',
    '--cluster',
    cluster,
    '--sites',
    SITES,
    '--dir',
    dir,
    '--runtime',
    'cri',
  );
  if (up.code !== 0) throw new Error(`fleet up failed:\n${up.stdout}\n${up.stderr}`);
  progress(`fleet up: ${round((performance.now() - t0) / 1000)} s`);
  const c = await stack.cliJson<{ id?: string; cluster?: { id: string } }>('cluster', 'get', cluster);
  clusterId = c.id ?? c.cluster?.id ?? '';

  for (let r = 1; r <= ROUNDS; r++) {
    const name = `start-${r}`;
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata: { name: ${name}, namespace: default }
spec:
  gridUniqKey: location
  template:
    replicas: ${PODS_PER_UNIT}
    selector: { matchLabels: { app: ${name} } }
    template:
      metadata: { labels: { app: ${name} } }
      spec:
        containers:
          - name: web
            image: ${IMAGE}
            ports: [{ containerPort: 8080 }]
            readinessProbe: { httpGet: { path: /healthz, port: 8080 }, periodSeconds: 1 }
`,
    );
    const applied = await stack.cli('apply', '-f', file, '--cluster', cluster);
    if (applied.code !== 0) throw new Error(`apply: ${applied.stderr}`);
    const total = PODS_PER_UNIT * units.length;
    const mine = () => [...times.entries()].filter(([pod]) => pod.startsWith(`${name}-`));
    await eventually(
      () => {
        const m = mine();
        return m.length === total && m.every(([, t]) => t.ready !== undefined);
      },
      240_000,
      250,
    ).catch(() => {
      const m = mine();
      failures.push(
        `${name}: ${m.filter(([, t]) => t.ready !== undefined).length}/${total} ready in 240 s (${m.length} assigned)`,
      );
    });
    const m = mine();
    for (const [, t] of m) {
      if (t.assigned !== undefined && t.running !== undefined) running.push(t.running - t.assigned);
      if (t.assigned !== undefined && t.ready !== undefined) ready.push(t.ready - t.assigned);
    }
    const rs = m.flatMap(([, t]) => (t.assigned && t.running ? [t.running - t.assigned] : []));
    progress(
      `round ${r}: ${m.length} pods, running p50 ${round(percentile(rs, 50))} ms, max ${round(Math.max(...rs))} ms`,
    );
    // gone from every host before the next round (each round starts on idle nodes)
    await stack.cli('grid', 'delete', name, '--cluster', cluster);
    await eventually(
      () => [...latest.values()].every((d) => !d.pods.some((p) => p.name.startsWith(`${name}-`))),
      120_000,
      500,
    ).catch(() => failures.push(`${name}: pods still reported 120 s after delete`));
  }
} finally {
  if (stack) {
    const down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
    if (down.code !== 0) console.error(down.stdout, down.stderr);
    await stack.stop();
  }
  await nc.close();
  rmSync(dir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exitCode = 1;
}
result({
  bench: 'grid-pods-startup',
  sites: SITES,
  runtime: 'cri',
  pods_per_unit: PODS_PER_UNIT,
  rounds: ROUNDS,
  samples: running.length,
  running_ms_p50: round(percentile(running, 50)),
  running_ms_p99: round(percentile(running, 99)),
  running_ms_max: round(Math.max(...running)),
  ready_ms_p50: round(percentile(ready, 50)),
  ready_ms_p99: round(percentile(ready, 99)),
  ready_ms_max: round(Math.max(...ready)),
  reference: 'KubeEdge 100k-node test: pod start-up p99 4.09 s',
  failures: failures.length,
  loadavg: os.loadavg().map((l) => round(l, 2)),
});
