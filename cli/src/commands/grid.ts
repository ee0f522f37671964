import type { EdgeplaneGridV1 } from '@edgeplane/proto';
import { Command, Option } from 'commander';
import YAML from 'yaml';
import { gridApi, serverOf } from '../client.js';
import { allPages, CLI_PAGE_SIZE } from '../paging.js';
import { registerPodStreamCommands } from './pod-stream.js';
import { age, outputOption, print, printDocument, type Column, type OutputFormat } from '../output.js';

/**
 * `edgeplane grid …` and `edgeplane pod …` — DeploymentGrid / StatefulSetGrid / ServiceGrid and
 * the pods of their per-unit children, served by the grid service (`apply -f` of grid YAML is
 * routed here by the apply command). Every command names its cluster with `-c/--cluster`.
 */
type Grid = EdgeplaneGridV1.Grid__Output;
type Rollout = EdgeplaneGridV1.Rollout__Output;
type Pod = EdgeplaneGridV1.Pod__Output;

const api = (cmd: Command) => gridApi(serverOf(cmd));
const clusterOption = () =>
  new Option('-c, --cluster <name|id>', 'cluster name or id').env('EDGEPLANE_CLUSTER').makeOptionMandatory();

interface Target {
  cluster: string;
  output: OutputFormat;
}

/** The grid kinds `apply -f` sends to the grid service (superedge.io/v1). */
export const GRID_KINDS = new Set(['DeploymentGrid', 'StatefulSetGrid', 'ServiceGrid']);

/**
 * Splits an `apply -f` file into its grid documents and the rest (NodeUnit/NodeGroup for
 * nodepool), each as YAML text of its own; null where a part has no document.
 */
export function splitApplyYaml(text: string): { grids: string | null; sites: string | null } {
  const documents = YAML.parseAllDocuments(text);
  const kindOf = (doc: (typeof documents)[number]): unknown =>
    YAML.isMap(doc.contents) ? doc.get('kind') : undefined;
  const isGrid = (doc: (typeof documents)[number]) => {
    const kind = kindOf(doc);
    return typeof kind === 'string' && GRID_KINDS.has(kind);
  };
  // A file that does not parse goes whole to one service, so its parser names the problem.
  if (!Array.isArray(documents) || documents.some((d) => d.errors.length > 0)) {
    const docs = Array.isArray(documents) ? documents : [];
    return docs.some(isGrid) ? { grids: text, sites: null } : { grids: null, sites: text };
  }
  const grids: string[] = [];
  const sites: string[] = [];
  for (const doc of documents) {
    const empty = doc.contents === null || (YAML.isScalar(doc.contents) && doc.contents.value === null);
    if (empty) continue;
    (isGrid(doc) ? grids : sites).push(doc.toString({ directives: false }));
  }
  if (grids.length === 0) return { grids: null, sites: text };
  return { grids: grids.join('---\n'), sites: sites.length > 0 ? sites.join('---\n') : null };
}

export async function applyGrids(
  cmd: Command,
  cluster: string,
  yaml: string,
  dryRun: boolean,
): Promise<EdgeplaneGridV1.AppliedGrid__Output[]> {
  return (await api(cmd).apply({ cluster, yaml, dryRun })).grids;
}

/** kubectl-style lines for the applied grids. */
export function appliedGridsText(grids: EdgeplaneGridV1.AppliedGrid__Output[], suffix: string): string {
  return grids
    .map((g) => {
      const verb = g.action === 'updated' ? 'configured' : g.action;
      return `${g.kind.toLowerCase()}.superedge.io/${g.name} ${verb}${suffix}\n`;
    })
    .join('');
}

const gridColumns: Column<Grid>[] = [
  { header: 'name', value: (g) => g.name },
  { header: 'kind', value: (g) => g.kind },
  { header: 'group', value: (g) => g.gridUniqKey },
  { header: 'children', value: (g) => g.children.length },
  {
    header: 'pods',
    value: (g) => {
      const desired = g.children.reduce((n, c) => n + c.desiredPods, 0);
      const scheduled = g.children.reduce((n, c) => n + c.scheduledPods, 0);
      return `${scheduled}/${desired}`;
    },
  },
  { header: 'rollout', value: (g) => g.rollout?.state },
  { header: 'generation', value: (g) => g.generation },
  { header: 'age', value: (g) => age(g.createdAt) },
  { header: 'units', value: (g) => g.children.map((c) => c.unit), wide: true },
];

const podColumns: Column<Pod>[] = [
  { header: 'name', value: (p) => p.name },
  { header: 'grid', value: (p) => p.grid },
  { header: 'unit', value: (p) => p.unit },
  { header: 'node', value: (p) => p.node },
  { header: 'status', value: (p) => p.phase },
  { header: 'reason', value: (p) => p.reason },
  { header: 'age', value: (p) => age(p.updatedAt) },
  { header: 'child', value: (p) => p.child, wide: true },
  { header: 'revision', value: (p) => p.revision, wide: true },
];

function describeGrid(g: Grid): string {
  const lines = [
    `Name:         ${g.name}`,
    `Kind:         ${g.kind}`,
    `Cluster:      ${g.clusterId}`,
    `Group:        ${g.gridUniqKey}`,
    `Generation:   ${g.generation}`,
    `Created:      ${g.createdAt}`,
    `Rollout:      ${g.rollout?.state ?? '<none>'} ${g.rollout?.message ?? ''}`.trimEnd(),
    'Children:',
    ...(g.children.length === 0
      ? ['  <none>']
      : g.children.map(
          (c) =>
            `  ${c.name.padEnd(32)} unit=${c.unit} pods=${c.scheduledPods}/${c.desiredPods}` +
            (c.pendingPods > 0 ? ` pending=${c.pendingPods}` : '') +
            ` revision=${c.revision}`,
        )),
    ...(g.kind === 'ServiceGrid'
      ? [
          'Endpoints:',
          ...(g.endpoints.length === 0
            ? ['  <none>']
            : g.endpoints.map(
                (u) =>
                  `  ${u.unit.padEnd(24)} ${u.endpoints.map((e) => `${e.pod}@${e.node}`).join(',') || '<none: 503 in this unit>'}`,
              )),
        ]
      : []),
    'Manifest:',
    ...g.manifestYaml
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
  ];
  return lines.join('\n') + '\n';
}

function rolloutText(name: string, r: Rollout): string {
  const lines = [
    `grid/${name} generation ${r.generation}: ${r.state}`,
    `  ${r.message}`,
    ...r.waves.map((w) => `  wave ${w.index + 1}: ${w.state.padEnd(11)} ${w.units.join(',')}`),
  ];
  return lines.join('\n') + '\n';
}

export function registerGridCommands(program: Command): void {
  const grid = program
    .command('grid')
    .description('DeploymentGrid / StatefulSetGrid / ServiceGrid: one app to every unit of a NodeGroup');
  const gridName = (g: Grid) => `${g.kind.toLowerCase()}/${g.name}`;

  grid
    .command('get [name]')
    .description('list the grids, or show one')
    .addOption(clusterOption())
    .option('--kind <kind>', 'only DeploymentGrid | StatefulSetGrid | ServiceGrid')
    .addOption(outputOption())
    .action(async (name: string | undefined, opts: Target & { kind?: string }, cmd: Command) => {
      const client = api(cmd);
      if (name) {
        print(await client.getGrid({ cluster: opts.cluster, name }), gridColumns, opts.output, gridName);
        return;
      }
      const grids = await allPages(async (pageToken) => {
        const res = await client.listGrids({
          cluster: opts.cluster,
          kind: opts.kind ?? '',
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [res.grids, res.nextPageToken];
      });
      print(grids, gridColumns, opts.output, gridName);
    });

  grid
    .command('describe <name>')
    .description('a grid in detail: children per unit, pods, rollout, manifest')
    .addOption(clusterOption())
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(async (name: string, opts: Target, cmd: Command) => {
      const g = await api(cmd).getGrid({ cluster: opts.cluster, name });
      printDocument(g, opts.output, describeGrid);
    });

  grid
    .command('render <name>')
    .description('the Kubernetes objects (apps/v1, v1) the grid renders to, as YAML')
    .addOption(clusterOption())
    .option('--unit <unit>', "only this unit's child")
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(
      async (
        name: string,
        opts: { cluster: string; unit?: string; output: 'yaml' | 'json' },
        cmd: Command,
      ) => {
        const res = await api(cmd).render({ cluster: opts.cluster, name, unit: opts.unit ?? '' });
        if (opts.output === 'json') {
          const items = res.objects.map((o) => YAML.parse(o.yaml) as unknown);
          process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2) + '\n');
        } else {
          process.stdout.write(res.yaml);
        }
      },
    );

  grid
    .command('delete <name>')
    .description('delete a grid with every child and pod')
    .addOption(clusterOption())
    .action(async (name: string, opts: { cluster: string }, cmd: Command) => {
      await api(cmd).deleteGrid({ cluster: opts.cluster, name });
      process.stdout.write(`grid/${name} deleted\n`);
    });

  const rollout = grid.command('rollout').description('staged rollout of a grid across its units');
  const rolloutCommand = (
    verb: 'status' | 'pause' | 'resume' | 'undo',
    description: string,
    call: (client: ReturnType<typeof api>, req: { cluster: string; name: string }) => Promise<Rollout>,
  ) =>
    rollout
      .command(`${verb} <name>`)
      .description(description)
      .addOption(clusterOption())
      .addOption(outputOption(['table', 'json', 'yaml']))
      .action(async (name: string, opts: Target, cmd: Command) => {
        const r = await call(api(cmd), { cluster: opts.cluster, name });
        printDocument(r, opts.output, (x) => rolloutText(name, x));
      });
  rolloutCommand('status', 'waves, units updated and the progress bar', (c, r) => c.rolloutStatus(r));
  rolloutCommand('pause', 'start no further wave', (c, r) => c.pause(r));
  rolloutCommand('resume', 'go on with a paused or halted rollout', (c, r) => c.resume(r));
  rolloutCommand('undo', 'roll every unit back to the previous revision', (c, r) => c.undo(r));

  const pod = program.command('pod').description("the pods of grids' children, placed inside their units");
  const podName = (p: Pod) => `pod/${p.name}`;

  pod
    .command('list')
    .description('list pods (all, or of one grid, unit or node)')
    .addOption(clusterOption())
    .option('--grid <name>', 'only pods of this grid')
    .option('--unit <name>', 'only pods of this unit')
    .option('--node <name>', 'only pods on this node')
    .addOption(outputOption())
    .action(async (opts: Target & { grid?: string; unit?: string; node?: string }, cmd: Command) => {
      const client = api(cmd);
      const pods = await allPages(async (pageToken) => {
        const res = await client.listPods({
          cluster: opts.cluster,
          grid: opts.grid ?? '',
          unit: opts.unit ?? '',
          node: opts.node ?? '',
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [res.pods, res.nextPageToken];
      });
      print(pods, podColumns, opts.output, podName);
    });

  pod
    .command('get <name>')
    .description('one pod: node or Pending reason, and its spec with -o yaml|json')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Target, cmd: Command) => {
      print(await api(cmd).getPod({ cluster: opts.cluster, name }), podColumns, opts.output, podName);
    });

  registerPodStreamCommands(pod);
}
