/**
 * grid-fanout: the grid domain's pure part at fleet size — one DeploymentGrid (a templatePool
 * canary for some units, an overrider by unit label) over UNITS units of NODES nodes each,
 * rendered (children as apps/v1 Deployments validated with kubernetes-models, pods listed) and
 * placed (every pod on a node of its unit), then placed again from that result (must move
 * nothing). ROUNDS rounds; the RESULT holds the medians. Goal: render + place ≤ 1000 ms for
 * 1,000 units × 3 nodes (issue 11). No database, bus or service: the service part comes later.
 * Env: UNITS (1000), NODES (3), REPLICAS (3), ROUNDS (5).
 */
import {
  parseGridYaml,
  place,
  renderGrid,
  type UnitView,
  type WorkloadGrid,
} from '../services/grid/src/domain/index.js';
import { median, progress, result, round } from './util.js';

const UNITS = Number(process.env.UNITS ?? 1000);
const NODES = Number(process.env.NODES ?? 3);
const REPLICAS = Number(process.env.REPLICAS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
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
});
