/**
 * grid-fanout, two parts (issue 11's bench).
 *
 * (a) The grid domain's pure part at fleet size — one DeploymentGrid (a templatePool canary for
 * some units, an overrider by unit label) over UNITS units of NODES nodes each, rendered (children
 * as apps/v1 Deployments validated with kubernetes-models, pods listed) and placed (every pod on
 * a node of its unit), then placed again from that result (must move nothing). ROUNDS rounds; the
 * RESULT holds the medians. Goal: render + place ≤ 1000 ms for 1,000 units × 3 nodes.
 *
 * (b) A unit joining the group, through the real services: nodepool and grid booted in this
 * process (bootstrapService: their own schemas, real gRPC, PostgreSQL, JetStream, outbox relays
 * and durable consumers). The cluster service's part is played by publishing ClusterCreated and
 * NodeJoined as it would (a join per node through the cluster service is bcrypt and certificates,
 * not what is measured). A DeploymentGrid over the group `location` of JOIN_BASE units × NODES
 * nodes is applied; then JOINS times a new unit (NODES nodes) is applied through nodepool's Apply
 * (NodeUnit + the NodeGroup naming it) and the clock runs until grid's ListPods shows all of the
 * new child's pods placed on the new unit's nodes: nodepool's decision, its outbox relay, the bus,
 * grid's consumer and reconcile, and the read model. The RESULT holds p50/p99/max.
 * Pod start-up on real containers is the separate bench `grid-pods-startup` (it needs a fleet).
 * Env: UNITS (1000), NODES (3), REPLICAS (3), ROUNDS (5), JOIN_BASE (100), JOINS (10; 0 skips (b)).
 */
import {
  parseGridYaml,
  place,
  renderGrid,
  type UnitView,
  type WorkloadGrid,
} from '../services/grid/src/domain/index.js';
import 'reflect-metadata';
import * as grpc from '@grpc/grpc-js';
import { sql } from 'kysely';
import { schemaName } from '@edgeplane/contracts';
import { createDatabase } from '@edgeplane/eventstore';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService, type ServiceDefinition } from '@edgeplane/service-kit';
import {
  clusterCreated,
  eventually,
  freePort,
  nodeJoined,
  publishEvents,
  testBus,
  testGrpcCredentials,
  testServices,
  uniqueName,
} from '@edgeplane/testing';
import { gridService } from '../services/grid/src/service.js';
import { nodepoolService } from '../services/nodepool/src/service.js';
import { median, percentile, progress, result, round } from './util.js';

const UNITS = Number(process.env.UNITS ?? 1000);
const NODES = Number(process.env.NODES ?? 3);
const REPLICAS = Number(process.env.REPLICAS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const JOIN_BASE = Number(process.env.JOIN_BASE ?? 100);
const JOINS = Number(process.env.JOINS ?? 10);
const GOAL_MS = 1000;

const yaml = `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata: { name: echo, labels: { app: echo } }
spec:
  gridUniqKey: sites
  template:
    replicas: ${REPLICAS}
    selector: { matchLabels: { app: echo } }
    template:
      metadata: { labels: { app: echo } }
      spec:
        tolerations: [{ key: edge, operator: Exists, effect: NoSchedule }]
        containers:
          - name: echo
            image: edgeplane/echo:1
            resources: { requests: { cpu: 100m, memory: 64Mi } }
  templatePool:
    canary:
      replicas: 1
      selector: { matchLabels: { app: echo } }
      template:
        metadata: { labels: { app: echo } }
        spec: { containers: [{ name: echo, image: "edgeplane/echo:2" }] }
  templates: { site-00000: canary, site-00001: canary }
  overriders:
    - name: big
      unitSelector: { matchLabels: { size: big } }
      env: [{ name: MODE, value: big }]
      resources: [{ requests: { cpu: 200m } }]
`;

const units: UnitView[] = Array.from({ length: UNITS }, (_, u) => {
  const name = `site-${String(u).padStart(5, '0')}`;
  return {
    name,
    labels: { size: u % 10 === 0 ? 'big' : 'small' },
    frozen: false,
    nodes: Array.from({ length: NODES }, (_, n) => ({
      name: `${name}-n${n}`,
      labels: { 'kubernetes.io/hostname': `${name}-n${n}` },
      taints: n === 0 ? [{ key: 'edge', value: '', effect: 'NoSchedule' as const }] : [],
      unschedulable: false,
      draining: false,
      verdict: 'Ready' as const,
      allocatable: { cpuMilli: 2000, memoryBytes: 4 * 2 ** 30, pods: 110 },
    })),
  };
});

const parseMs: number[] = [];
const renderMs: number[] = [];
const placeMs: number[] = [];
const totalMs: number[] = [];
const replaceMs: number[] = [];
let children = 0;
let pods = 0;
let pending = 0;
let movedOnRerun = 0;
let outsideUnit = 0;

progress(`grid-fanout: ${UNITS} units × ${NODES} nodes, ${REPLICAS} replicas, ${ROUNDS} rounds`);
for (let r = 1; r <= ROUNDS; r++) {
  let t = performance.now();
  const parsed = parseGridYaml(yaml);
  const grid = parsed.grids[0]?.grid as WorkloadGrid;
  parseMs.push(performance.now() - t);

  t = performance.now();
  const rendered = renderGrid(grid, units);
  const rendering = performance.now() - t;
  renderMs.push(rendering);
  if (rendered.problems.length > 0)
    throw new Error(`render problems: ${JSON.stringify(rendered.problems.slice(0, 3))}`);

  t = performance.now();
  const allPods = rendered.children.flatMap((c) => c.pods);
  const placed = place({ pods: allPods, units, previous: [] });
  const placing = performance.now() - t;
  placeMs.push(placing);
  totalMs.push(rendering + placing);

  t = performance.now();
  const again = place({ pods: allPods, units, previous: placed.placements });
  replaceMs.push(performance.now() - t);

  children = rendered.children.length;
  pods = placed.placements.length;
  pending = placed.placements.filter((p) => p.phase === 'Pending').length;
  movedOnRerun = again.moved.length;
  const unitOf = new Map(units.flatMap((u) => u.nodes.map((n) => [n.name, u.name] as const)));
  outsideUnit = placed.placements.filter((p) => p.node !== null && unitOf.get(p.node) !== p.unit).length;
  progress(
    `round ${r}: parse ${round(parseMs.at(-1) ?? 0)} ms, render ${round(rendering)} ms (${children} children), ` +
      `place ${round(placing)} ms (${pods} pods, ${pending} pending), re-place ${round(replaceMs.at(-1) ?? 0)} ms (moved ${movedOnRerun})`,
  );
}

const total = median(totalMs);
if (movedOnRerun !== 0 || outsideUnit !== 0) process.exitCode = 1;
const join = JOINS > 0 ? await unitJoins() : undefined;
result({
  bench: 'grid-fanout',
  units: UNITS,
  nodes_per_unit: NODES,
  replicas: REPLICAS,
  rounds: ROUNDS,
  children,
  pods,
  pending,
  parse_ms_median: round(median(parseMs)),
  render_ms_median: round(median(renderMs)),
  place_ms_median: round(median(placeMs)),
  render_place_ms_median: round(total),
  replace_ms_median: round(median(replaceMs)),
  moved_on_rerun: movedOnRerun,
  pods_outside_unit: outsideUnit,
  goal_ms: GOAL_MS,
  within_goal: total <= GOAL_MS,
  ...(join
    ? {
        join_base_units: JOIN_BASE,
        join_nodes_per_unit: NODES,
        joins: join.samples.length,
        join_to_placed_ms_p50: round(percentile(join.samples, 50)),
        join_to_placed_ms_p99: round(percentile(join.samples, 99)),
        join_to_placed_ms_max: round(Math.max(...join.samples)),
        join_setup_s: round(join.setupMs / 1000),
      }
    : {}),
  loadavg: (await import('node:os')).loadavg().map((l) => round(l, 2)),
});

// ───────────────────────────── (b) a unit joining, through the services ─────────────────────────────

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

async function unitJoins(): Promise<{ samples: number[]; setupMs: number }> {
  const setupStart = performance.now();
  const { databaseUrl, natsUrl } = await testServices();
  const services: { svc: RunningService<never>; schema: string }[] = [];
  const boot = async (def: ServiceDefinition<never>, extra: Record<string, string> = {}) => {
    const schema = schemaName(uniqueName(`bj_${def.name}`).toLowerCase().slice(0, 40));
    const port = await freePort();
    const svc = await bootstrapService(
      { ...def, schema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(port),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'error',
        CONSUMER_START: 'new',
        ...extra,
      },
    );
    services.push({ svc, schema });
    return { schema, address: `127.0.0.1:${port}` };
  };
  const clientOf = (service: 'nodepool' | 'grid', address: string) => {
    const { grpcObject } = loadPackage<any>(protoFilesOf(service));
    const Ctor = grpcObject.edgeplane[service].v1[service === 'grid' ? 'GridService' : 'ApplyService'];
    const client = new Ctor(address, testGrpcCredentials()) as grpc.Client & Record<string, Unary>;
    const call = <T = any>(method: string, request: unknown) =>
      new Promise<T>((resolve, reject) =>
        client[method]!.call(client, request, new grpc.Metadata(), (err, res) =>
          err ? reject(err) : resolve(res),
        ),
      );
    return { client, call };
  };
  const bus = await testBus();
  const db = createDatabase({ url: databaseUrl, max: 2 });
  try {
    const nodepool = await boot(nodepoolService as ServiceDefinition<never>);
    const grid = await boot(gridService as ServiceDefinition<never>);
    const np = clientOf('nodepool', nodepool.address);
    const gr = clientOf('grid', grid.address);
    const clusterId = `cls-${uniqueName('gj').slice(-12).replace(/_/g, '')}`;
    const cluster = `bench-${clusterId.slice(4)}`.toLowerCase();
    const unitName = (i: number) => `unit-${String(i).padStart(4, '0')}`;
    const nodesOf = (i: number) => Array.from({ length: NODES }, (_, n) => `${unitName(i)}-n${n}`);
    const allNodes = Array.from({ length: JOIN_BASE + JOINS }, (_, i) => nodesOf(i)).flat();

    await publishEvents(bus, [
      { type: 'ClusterCreated', streamId: `cluster-${clusterId}`, data: clusterCreated(clusterId, cluster) },
    ]);
    await publishEvents(
      bus,
      allNodes.map((n) => ({
        type: 'NodeJoined',
        streamId: `node-${clusterId}-${n}`,
        data: nodeJoined(clusterId, n),
      })),
    );
    const joinedIn = async (schema: string) =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ${sql.id(schema, 'proj_nodes')} WHERE cluster_id = ${clusterId} AND joined_at <> ''`.execute(
            db,
          )
        ).rows[0]!.n,
      );
    await eventually(
      async () =>
        (await joinedIn(nodepool.schema)) === allNodes.length &&
        (await joinedIn(grid.schema)) === allNodes.length,
      180_000,
      250,
    );
    progress(`(b) ${allNodes.length} nodes known to nodepool and grid`);

    const unitsYaml = (from: number, to: number) =>
      Array.from(
        { length: to - from },
        (_, k) =>
          `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata:\n  name: ${unitName(from + k)}\nspec:\n  type: edge\n  nodes: [${nodesOf(from + k).join(', ')}]\n`,
      );
    const groupYaml = (units: number) =>
      `apiVersion: site.superedge.io/v1alpha2\nkind: NodeGroup\nmetadata:\n  name: location\nspec:\n  nodeUnits: [${Array.from({ length: units }, (_, i) => unitName(i)).join(', ')}]\n`;
    for (let from = 0; from < JOIN_BASE; from += 50)
      await np.call('Apply', {
        cluster,
        yaml: unitsYaml(from, Math.min(JOIN_BASE, from + 50)).join('---\n'),
      });
    await np.call('Apply', { cluster, yaml: groupYaml(JOIN_BASE) });
    await gr.call('Apply', {
      cluster,
      yaml: `apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata: { name: echo }
spec:
  gridUniqKey: location
  template:
    replicas: ${REPLICAS}
    selector: { matchLabels: { app: echo } }
    template:
      metadata: { labels: { app: echo } }
      spec: { containers: [{ name: echo, image: edgeplane/echo:1, resources: { requests: { cpu: 100m } } }] }
`,
    });
    const placedIn = async (unit?: string) =>
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(grid.schema, 'proj_pods')}
            WHERE cluster_id = ${clusterId} AND node IS NOT NULL ${unit ? sql`AND unit = ${unit}` : sql``}`.execute(
            db,
          )
        ).rows[0]!.n,
      );
    await eventually(async () => (await placedIn()) === JOIN_BASE * REPLICAS, 300_000, 250);
    const setupMs = performance.now() - setupStart;
    progress(
      `(b) grid echo over ${JOIN_BASE} units: ${JOIN_BASE * REPLICAS} pods placed (setup ${round(setupMs / 1000)} s)`,
    );

    const samples: number[] = [];
    for (let j = 0; j < JOINS; j++) {
      const i = JOIN_BASE + j;
      const unit = unitName(i);
      const mine = new Set(nodesOf(i));
      const t0 = performance.now();
      await np.call('Apply', { cluster, yaml: [...unitsYaml(i, i + 1), groupYaml(i + 1)].join('---\n') });
      // through grid's API: every pod of the new child on a node of the new unit
      await eventually(
        async () => {
          const { pods } = await gr.call<{ pods: { node: string }[] }>('ListPods', {
            cluster,
            grid: 'echo',
            unit,
            pageSize: 1000,
          });
          return pods.length === REPLICAS && pods.every((p) => mine.has(p.node));
        },
        60_000,
        10,
      );
      const ms = performance.now() - t0;
      samples.push(ms);
      progress(
        `(b) join ${j + 1}/${JOINS}: ${unit} → echo-${unit} ${REPLICAS} pods placed in ${round(ms)} ms`,
      );
    }
    np.client.close();
    gr.client.close();
    return { samples, setupMs };
  } finally {
    for (const { svc } of services.reverse()) await svc.stop().catch(() => undefined);
    for (const { schema } of services)
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
    await bus.close();
  }
}
