import { readFileSync } from 'node:fs';
import type { EdgeplaneNodepoolV1 } from '@edgeplane/proto';
import { Command, Option } from 'commander';
import { nodepoolApi, serverOf } from '../client.js';
import { appliedGridsText, applyGrids, splitApplyYaml } from './grid.js';
import { allPages, CLI_PAGE_SIZE } from '../paging.js';
import {
  age,
  outputOption,
  print,
  printChange,
  printDocument,
  type Column,
  type OutputFormat,
} from '../output.js';

/**
 * `edgeplane unit|group|apply` — NodeUnits, NodeGroups, Kins and SuperEdge YAML, served by the
 * nodepool service. Every command names its cluster with `-c/--cluster` (name or id, or
 * EDGEPLANE_CLUSTER). Failures print the server's reason and exit non-zero (main.ts).
 */
type NodeUnit = EdgeplaneNodepoolV1.NodeUnit__Output;
type NodeGroup = EdgeplaneNodepoolV1.NodeGroup__Output;
type Kins = EdgeplaneNodepoolV1.Kins__Output;
type Taint = EdgeplaneNodepoolV1.Taint__Output;

const api = (cmd: Command) => nodepoolApi(serverOf(cmd));
const clusterOption = () =>
  new Option('-c, --cluster <name|id>', 'cluster name or id').env('EDGEPLANE_CLUSTER').makeOptionMandatory();

interface Target {
  cluster: string;
  output: OutputFormat;
}

/** `a=b,c=d` or repeated `--flag a=b`, into a map. */
function pairs(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const out = { ...previous };
  for (const part of value.split(',').filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new Error(`expected key=value, got "${part}"`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
/** `key=value:Effect` or `key:Effect`. */
function taint(value: string, previous: Taint[] = []): Taint[] {
  const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(value);
  if (!m) throw new Error(`expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute, got "${value}"`);
  return [...previous, { key: m[1]!, value: m[2] ?? '', effect: m[3]! }];
}

interface UnitFlags {
  type?: string;
  nodes?: string[];
  selector?: Record<string, string>;
  setLabel?: Record<string, string>;
  setAnnotation?: Record<string, string>;
  taint?: Taint[];
  label?: Record<string, string>;
}

const unitFlags = (cmd: Command) =>
  cmd
    .option('--type <type>', 'edge | cloud | master | other')
    .option('--nodes <names>', 'explicit member nodes (comma-separated, repeatable)', list)
    .option('--selector <k=v,...>', 'member nodes by label (matchLabels)', pairs)
    .option('--set-label <k=v,...>', 'label written on every member (setNode)', pairs)
    .option('--set-annotation <k=v,...>', 'annotation written on every member (setNode)', pairs)
    .option('--taint <key[=value]:Effect>', 'taint put on every member (setNode, repeatable)', taint)
    .option('--label <k=v,...>', "the unit's own labels (matched by group selectors)", pairs);

/** Flags over a base spec: given flags replace their field, the rest is kept (update = patch). */
function unitSpec(
  flags: UnitFlags,
  base?: EdgeplaneNodepoolV1.NodeUnitSpec__Output | null,
): EdgeplaneNodepoolV1.NodeUnitSpec {
  const baseSetNode = base?.setNode ?? { labels: {}, annotations: {}, taints: [] };
  return {
    type: flags.type ?? base?.type ?? 'edge',
    nodes: flags.nodes ?? base?.nodes ?? [],
    selector: flags.selector
      ? { matchLabels: flags.selector, matchExpressions: [] }
      : (base?.selector ?? null),
    setNode: {
      labels: flags.setLabel ?? baseSetNode.labels,
      annotations: flags.setAnnotation ?? baseSetNode.annotations,
      taints: flags.taint ?? baseSetNode.taints,
    },
    labels: flags.label ?? base?.labels ?? {},
  };
}

interface GroupFlags {
  units?: string[];
  selector?: Record<string, string>;
  autoFindNodeKeys?: string[];
}

function groupSpec(
  flags: GroupFlags,
  base?: EdgeplaneNodepoolV1.NodeGroupSpec__Output | null,
): EdgeplaneNodepoolV1.NodeGroupSpec {
  return {
    nodeUnits: flags.units ?? base?.nodeUnits ?? [],
    selector: flags.selector
      ? { matchLabels: flags.selector, matchExpressions: [] }
      : (base?.selector ?? null),
    autoFindNodeKeys: flags.autoFindNodeKeys ?? base?.autoFindNodeKeys ?? [],
  };
}

const selectorText = (s: EdgeplaneNodepoolV1.LabelSelector__Output | null | undefined) =>
  s
    ? [
        ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
        ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} (${e.values.join(',')})`),
      ]
    : [];

const unitColumns: Column<NodeUnit>[] = [
  { header: 'name', value: (u) => u.name },
  { header: 'type', value: (u) => (u.isDefault ? 'default' : u.spec?.type) },
  { header: 'nodes', value: (u) => u.members.length },
  { header: 'ready', value: (u) => u.status?.readyRate },
  { header: 'groups', value: (u) => u.groups },
  { header: 'kins', value: (u) => (u.kinsPhase === 'none' ? '-' : u.kinsPhase) },
  { header: 'age', value: (u) => age(u.createdAt) },
  { header: 'members', value: (u) => u.members, wide: true },
  { header: 'selector', value: (u) => selectorText(u.spec?.selector), wide: true },
  { header: 'managed-by', value: (u) => u.managedBy, wide: true },
];

const groupColumns: Column<NodeGroup>[] = [
  { header: 'name', value: (g) => g.name },
  { header: 'units', value: (g) => g.units },
  { header: 'auto-find-keys', value: (g) => g.spec?.autoFindNodeKeys },
  { header: 'age', value: (g) => age(g.createdAt) },
  { header: 'selector', value: (g) => selectorText(g.spec?.selector), wide: true },
];

const kinsColumns: Column<Kins>[] = [
  { header: 'unit', value: (k) => k.unit },
  { header: 'phase', value: (k) => k.phase },
  { header: 'mode', value: (k) => k.mode },
  {
    header: 'servers',
    value: (k) => k.nodes.filter((n) => n.role === 'server').map((n) => n.name),
  },
  { header: 'agents', value: (k) => k.nodes.filter((n) => n.role === 'agent').map((n) => n.name) },
  { header: 'service-cidr', value: (k) => k.serviceCidr },
  {
    header: 'node-ports',
    value: (k) => (k.nodePortRange ? `${k.nodePortRange.from}-${k.nodePortRange.to}` : ''),
  },
  { header: 'public', value: (k) => (k.publicAccess ? 'on' : 'off') },
  { header: 'generation', value: (k) => k.generation, wide: true },
  { header: 'reason', value: (k) => k.failureReason, wide: true },
];

const statusColumns: Column<EdgeplaneNodepoolV1.NodeUnitStatus__Output & { unit: string }>[] = [
  { header: 'unit', value: (s) => s.unit },
  { header: 'ready', value: (s) => s.readyNodes.length },
  { header: 'not-ready', value: (s) => s.notReadyNodes.length },
  { header: 'ready-rate', value: (s) => s.readyRate },
  { header: 'not-ready-nodes', value: (s) => s.notReadyNodes },
];

export function registerNodepoolCommands(program: Command): void {
  const unit = program
    .command('unit')
    .description('NodeUnits (edge node pools): sites whose nodes reach each other');
  const unitName = (u: NodeUnit) => `nodeunit/${u.name}`;
  const kinsName = (k: Kins) => `nodeunit/${k.unit}`;

  unitFlags(
    unit
      .command('create <name>')
      .description('create a NodeUnit')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(async (name: string, opts: UnitFlags & Target, cmd: Command) => {
    const u = await api(cmd).nodeUnits.createNodeUnit({ cluster: opts.cluster, name, spec: unitSpec(opts) });
    printChange(u, (x) => `nodeunit/${x.name} created`, unitColumns, opts.output, unitName);
  });

  unitFlags(
    unit
      .command('update <name>')
      .description('change a NodeUnit (given flags replace their field)')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(async (name: string, opts: UnitFlags & Target, cmd: Command) => {
    const { nodeUnits } = api(cmd);
    const current = await nodeUnits.getNodeUnit({ cluster: opts.cluster, name });
    const u = await nodeUnits.updateNodeUnit({
      cluster: opts.cluster,
      name,
      spec: unitSpec(opts, current.spec),
    });
    printChange(u, (x) => `nodeunit/${x.name} configured`, unitColumns, opts.output, unitName);
  });

  unit
    .command('list')
    .alias('ls')
    .description('list the NodeUnits of a cluster')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (opts: Target, cmd: Command) => {
      const { nodeUnits } = api(cmd);
      const units = await allPages(async (pageToken) => {
        const res = await nodeUnits.listNodeUnits({
          cluster: opts.cluster,
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [res.units, res.nextPageToken];
      });
      print(units, unitColumns, opts.output, unitName);
    });

  unit
    .command('get <name>')
    .description('show one NodeUnit')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Target, cmd: Command) => {
      const u = await api(cmd).nodeUnits.getNodeUnit({ cluster: opts.cluster, name });
      print(u, unitColumns, opts.output, unitName);
    });

  unit
    .command('delete <name>')
    .description('delete a NodeUnit (its labels leave every member; a K3s unit must be demoted first)')
    .addOption(clusterOption())
    .action(async (name: string, opts: { cluster: string }, cmd: Command) => {
      await api(cmd).nodeUnits.deleteNodeUnit({ cluster: opts.cluster, name });
      process.stdout.write(`nodeunit/${name} deleted\n`);
    });

  unit
    .command('status <name>')
    .description('ready / not-ready nodes and the ready rate of a NodeUnit')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Target, cmd: Command) => {
      const s = await api(cmd).nodeUnits.getUnitStatus({ cluster: opts.cluster, name });
      print({ unit: name, ...s }, statusColumns, opts.output, (x) => `nodeunit/${x.unit}`);
    });

  unit
    .command('promote <name>')
    .description('promote a NodeUnit to an independent K3s cluster (Kins; Kubernetes 1.22 + containerd)')
    .addOption(clusterOption())
    .addOption(
      new Option('--mode <mode>', '1–2 nodes: single; ≥ 3 nodes: single or ha')
        .choices(['single', 'ha'])
        .default('single'),
    )
    .option('--servers <names>', 'server nodes (1 for single, 3 for ha); default: first by name', list)
    .option('--service-cidr <cidr>', 'service CIDR of the K3s cluster (default: next free 26.<k>.0.0/16)')
    .option('--node-port-range <from-to>', 'NodePort range (default: next free 1000-port block from 40000)')
    .addOption(outputOption())
    .action(
      async (
        name: string,
        opts: Target & { mode: string; servers?: string[]; serviceCidr?: string; nodePortRange?: string },
        cmd: Command,
      ) => {
        let nodePortRange: EdgeplaneNodepoolV1.PortRange | null = null;
        if (opts.nodePortRange) {
          const m = /^(\d+)-(\d+)$/.exec(opts.nodePortRange);
          if (!m) throw new Error(`--node-port-range: expected FROM-TO, got "${opts.nodePortRange}"`);
          nodePortRange = { from: Number(m[1]), to: Number(m[2]) };
        }
        const k = await api(cmd).kins.promote({
          cluster: opts.cluster,
          unit: name,
          mode: opts.mode,
          servers: opts.servers ?? [],
          serviceCidr: opts.serviceCidr ?? '',
          nodePortRange,
        });
        print(k, kinsColumns, opts.output, kinsName);
      },
    );

  unit
    .command('demote <name>')
    .description('turn a K3s unit back into a normal NodeUnit (agents uninstall K3s)')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Target, cmd: Command) => {
      const k = await api(cmd).kins.demote({ cluster: opts.cluster, unit: name });
      print(k, kinsColumns, opts.output, kinsName);
    });

  unit
    .command('kins <name>')
    .description("show a unit's Kins (K3s) state")
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Target, cmd: Command) => {
      const k = await api(cmd).kins.getKins({ cluster: opts.cluster, unit: name });
      print(k, kinsColumns, opts.output, kinsName);
    });

  unit
    .command('public-access <name>')
    .description(
      'turn public (cloud proxy) access to a K3s unit on or off; the password is read from EDGEPLANE_KINS_PASSWORD',
    )
    .addOption(clusterOption())
    .addOption(new Option('--state <on|off>', 'on or off').choices(['on', 'off']).makeOptionMandatory())
    .addOption(outputOption())
    .action(async (name: string, opts: Target & { state: string }, cmd: Command) => {
      const enabled = opts.state === 'on';
      const k = await api(cmd).kins.setPublicAccess({
        cluster: opts.cluster,
        unit: name,
        enabled,
        password: enabled ? (process.env.EDGEPLANE_KINS_PASSWORD ?? '') : '',
      });
      print(k, kinsColumns, opts.output, kinsName);
    });

  const group = program
    .command('group')
    .description('NodeGroups: classifications of nodes by unit (label <group>=<unit>)');
  const groupName = (g: NodeGroup) => `nodegroup/${g.name}`;
  const groupFlags = (cmd: Command) =>
    cmd
      .option('--units <names>', 'member units (comma-separated, repeatable)', list)
      .option('--selector <k=v,...>', 'member units by unit label', pairs)
      .option(
        '--auto-find-node-keys <keys>',
        'create one unit per distinct value tuple of these node labels',
        list,
      );

  groupFlags(
    group
      .command('create <name>')
      .description('create a NodeGroup')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(async (name: string, opts: GroupFlags & Target, cmd: Command) => {
    const g = await api(cmd).nodeGroups.createNodeGroup({
      cluster: opts.cluster,
      name,
      spec: groupSpec(opts),
    });
    printChange(g, (x) => `nodegroup/${x.name} created`, groupColumns, opts.output, groupName);
  });

  groupFlags(
    group
      .command('update <name>')
      .description('change a NodeGroup (given flags replace their field)')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(async (name: string, opts: GroupFlags & Target, cmd: Command) => {
    const { nodeGroups } = api(cmd);
    const current = await nodeGroups.getNodeGroup({ cluster: opts.cluster, name });
    const g = await nodeGroups.updateNodeGroup({
      cluster: opts.cluster,
      name,
      spec: groupSpec(opts, current.spec),
    });
    printChange(g, (x) => `nodegroup/${x.name} configured`, groupColumns, opts.output, groupName);
  });

  group
    .command('list')
    .alias('ls')
    .description('list the NodeGroups of a cluster')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (opts: Target, cmd: Command) => {
      const { nodeGroups } = api(cmd);
      const groups = await allPages(async (pageToken) => {
        const res = await nodeGroups.listNodeGroups({
          cluster: opts.cluster,
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [res.groups, res.nextPageToken];
      });
      print(groups, groupColumns, opts.output, groupName);
    });

  group
    .command('get <name>')
    .description('show one NodeGroup')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Target, cmd: Command) => {
      const g = await api(cmd).nodeGroups.getNodeGroup({ cluster: opts.cluster, name });
      print(g, groupColumns, opts.output, groupName);
    });

  group
    .command('delete <name>')
    .description('delete a NodeGroup (its <group>=<unit> label leaves every node)')
    .addOption(clusterOption())
    .action(async (name: string, opts: { cluster: string }, cmd: Command) => {
      await api(cmd).nodeGroups.deleteNodeGroup({ cluster: opts.cluster, name });
      process.stdout.write(`nodegroup/${name} deleted\n`);
    });

  program
    .command('apply')
    .description(
      'apply SuperEdge YAML: site.superedge.io/v1alpha2 NodeUnit / NodeGroup (nodepool) and superedge.io/v1 DeploymentGrid / StatefulSetGrid / ServiceGrid (grid)',
    )
    .requiredOption('-f, --filename <file>', "YAML file ('-' for stdin)")
    .addOption(clusterOption())
    .option('--dry-run', 'show what would change, change nothing')
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(async (opts: Target & { filename: string; dryRun?: boolean }, cmd: Command) => {
      const text = readFileSync(opts.filename === '-' ? 0 : opts.filename, 'utf8');
      const dryRun = !!opts.dryRun;
      // Sites first: a grid may name a NodeGroup the same file creates.
      const { grids: gridYaml, sites } = splitApplyYaml(text);
      const res = sites
        ? await api(cmd).apply.apply({ cluster: opts.cluster, yaml: sites, dryRun })
        : { changes: [], warnings: [] };
      const grids = gridYaml ? await applyGrids(cmd, opts.cluster, gridYaml, dryRun) : [];
      if (opts.output === 'table') for (const w of res.warnings) process.stderr.write(`Warning: ${w}\n`);
      const suffix = dryRun ? ' (dry run)' : '';
      printDocument(
        { ...res, grids },
        opts.output,
        (r) =>
          r.changes
            .map((c) => {
              const verb = c.action === 'updated' ? 'configured' : c.action;
              const head = `${c.kind.toLowerCase()}.site.superedge.io/${c.name} ${verb}${suffix}\n`;
              return head + c.changes.map((line) => `  ${line}\n`).join('');
            })
            .join('') + appliedGridsText(r.grids, suffix),
      );
    });
}
