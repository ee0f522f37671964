import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { client } from '../client.js';
import { age, print, type Column, type OutputFormat } from '../output.js';

/**
 * `edgeplane unit|group|apply` — NodeUnits, NodeGroups, Kins and SuperEdge YAML, served by the
 * nodepool service. Every command names its cluster with `-c/--cluster` (name or id, or
 * EDGEPLANE_CLUSTER). Failures print the server's reason and exit non-zero (main.ts).
 */
const PKG = 'edgeplane.nodepool.v1';

const outputOption = () =>
  new Option('-o, --output <format>', 'output format')
    .choices(['table', 'wide', 'json', 'yaml', 'name'])
    .default('table');
const clusterOption = () =>
  new Option('-c, --cluster <name|id>', 'cluster name or id').env('EDGEPLANE_CLUSTER').makeOptionMandatory();

function api(service: string, cmd: Command) {
  const { server } = cmd.optsWithGlobals() as { server?: string };
  return client('nodepool', `${PKG}.${service}`, server);
}

async function call<T = any>(cmd: Command, service: string, method: string, request: unknown): Promise<T> {
  const c = api(service, cmd);
  try {
    return await c.call<T>(method, request);
  } finally {
    c.close();
  }
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
function taint(value: string, previous: { key: string; value: string; effect: string }[] = []) {
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
  taint?: { key: string; value: string; effect: string }[];
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
function unitSpec(flags: UnitFlags, base?: any) {
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

function groupSpec(flags: GroupFlags, base?: any) {
  return {
    nodeUnits: flags.units ?? base?.nodeUnits ?? [],
    selector: flags.selector
      ? { matchLabels: flags.selector, matchExpressions: [] }
      : (base?.selector ?? null),
    autoFindNodeKeys: flags.autoFindNodeKeys ?? base?.autoFindNodeKeys ?? [],
  };
}

const selectorText = (s: any) =>
  s
    ? [
        ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
        ...(s.matchExpressions ?? []).map((e: any) => `${e.key} ${e.operator} (${e.values.join(',')})`),
      ]
    : [];

const unitColumns: Column<any>[] = [
  { header: 'name', value: (u) => u.name },
  { header: 'type', value: (u) => (u.isDefault ? 'default' : u.spec.type) },
  { header: 'nodes', value: (u) => u.members.length },
  { header: 'ready', value: (u) => u.status?.readyRate },
  { header: 'groups', value: (u) => u.groups },
  { header: 'kins', value: (u) => (u.kinsPhase === 'none' ? '-' : u.kinsPhase) },
  { header: 'age', value: (u) => age(u.createdAt) },
  { header: 'members', value: (u) => u.members, wide: true },
  { header: 'selector', value: (u) => selectorText(u.spec.selector), wide: true },
  { header: 'managed-by', value: (u) => u.managedBy, wide: true },
];

const groupColumns: Column<any>[] = [
  { header: 'name', value: (g) => g.name },
  { header: 'units', value: (g) => g.units },
  { header: 'auto-find-keys', value: (g) => g.spec.autoFindNodeKeys },
  { header: 'age', value: (g) => age(g.createdAt) },
  { header: 'selector', value: (g) => selectorText(g.spec.selector), wide: true },
];

const kinsColumns: Column<any>[] = [
  { header: 'unit', value: (k) => k.unit },
  { header: 'phase', value: (k) => k.phase },
  { header: 'mode', value: (k) => k.mode },
  {
    header: 'servers',
    value: (k) => k.nodes.filter((n: any) => n.role === 'server').map((n: any) => n.name),
  },
  { header: 'agents', value: (k) => k.nodes.filter((n: any) => n.role === 'agent').map((n: any) => n.name) },
  { header: 'service-cidr', value: (k) => k.serviceCidr },
  {
    header: 'node-ports',
    value: (k) => (k.nodePortRange ? `${k.nodePortRange.from}-${k.nodePortRange.to}` : ''),
  },
  { header: 'public', value: (k) => (k.publicAccess ? 'on' : 'off') },
  { header: 'generation', value: (k) => k.generation, wide: true },
  { header: 'reason', value: (k) => k.failureReason, wide: true },
];

const statusColumns: Column<any>[] = [
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

  unitFlags(
    unit
      .command('create <name>')
      .description('create a NodeUnit')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(
    async (name: string, opts: UnitFlags & { cluster: string; output: OutputFormat }, cmd: Command) => {
      const u = await call(cmd, 'NodeUnitService', 'CreateNodeUnit', {
        cluster: opts.cluster,
        name,
        spec: unitSpec(opts),
      });
      if (opts.output === 'table') process.stdout.write(`nodeunit/${u.name} created\n`);
      else print(u, unitColumns, opts.output, (x) => `nodeunit/${x.name}`);
    },
  );

  unitFlags(
    unit
      .command('update <name>')
      .description('change a NodeUnit (given flags replace their field)')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(
    async (name: string, opts: UnitFlags & { cluster: string; output: OutputFormat }, cmd: Command) => {
      const current = await call(cmd, 'NodeUnitService', 'GetNodeUnit', { cluster: opts.cluster, name });
      const u = await call(cmd, 'NodeUnitService', 'UpdateNodeUnit', {
        cluster: opts.cluster,
        name,
        spec: unitSpec(opts, current.spec),
      });
      if (opts.output === 'table') process.stdout.write(`nodeunit/${u.name} configured\n`);
      else print(u, unitColumns, opts.output, (x) => `nodeunit/${x.name}`);
    },
  );

  unit
    .command('list')
    .alias('ls')
    .description('list the NodeUnits of a cluster')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const units: any[] = [];
      let pageToken = '';
      do {
        const res = await call(cmd, 'NodeUnitService', 'ListNodeUnits', { cluster: opts.cluster, pageToken });
        units.push(...res.units);
        pageToken = res.nextPageToken;
      } while (pageToken);
      print(units, unitColumns, opts.output, (u) => `nodeunit/${u.name}`);
    });

  unit
    .command('get <name>')
    .description('show one NodeUnit')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const u = await call(cmd, 'NodeUnitService', 'GetNodeUnit', { cluster: opts.cluster, name });
      print(u, unitColumns, opts.output, (x) => `nodeunit/${x.name}`);
    });

  unit
    .command('delete <name>')
    .description('delete a NodeUnit (its labels leave every member; a K3s unit must be demoted first)')
    .addOption(clusterOption())
    .action(async (name: string, opts: { cluster: string }, cmd: Command) => {
      await call(cmd, 'NodeUnitService', 'DeleteNodeUnit', { cluster: opts.cluster, name });
      process.stdout.write(`nodeunit/${name} deleted\n`);
    });

  unit
    .command('status <name>')
    .description('ready / not-ready nodes and the ready rate of a NodeUnit')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const s = await call(cmd, 'NodeUnitService', 'GetUnitStatus', { cluster: opts.cluster, name });
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
        opts: {
          cluster: string;
          mode: string;
          servers?: string[];
          serviceCidr?: string;
          nodePortRange?: string;
          output: OutputFormat;
        },
        cmd: Command,
      ) => {
        let nodePortRange: { from: number; to: number } | null = null;
        if (opts.nodePortRange) {
          const m = /^(\d+)-(\d+)$/.exec(opts.nodePortRange);
          if (!m) throw new Error(`--node-port-range: expected FROM-TO, got "${opts.nodePortRange}"`);
          nodePortRange = { from: Number(m[1]), to: Number(m[2]) };
        }
        const k = await call(cmd, 'KinsService', 'Promote', {
          cluster: opts.cluster,
          unit: name,
          mode: opts.mode,
          servers: opts.servers ?? [],
          serviceCidr: opts.serviceCidr ?? '',
          nodePortRange,
        });
        print(k, kinsColumns, opts.output, (x) => `nodeunit/${x.unit}`);
      },
    );

  unit
    .command('demote <name>')
    .description('turn a K3s unit back into a normal NodeUnit (agents uninstall K3s)')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const k = await call(cmd, 'KinsService', 'Demote', { cluster: opts.cluster, unit: name });
      print(k, kinsColumns, opts.output, (x) => `nodeunit/${x.unit}`);
    });

  unit
    .command('kins <name>')
    .description("show a unit's Kins (K3s) state")
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const k = await call(cmd, 'KinsService', 'GetKins', { cluster: opts.cluster, unit: name });
      print(k, kinsColumns, opts.output, (x) => `nodeunit/${x.unit}`);
    });

  unit
    .command('public-access <name>')
    .description(
      'turn public (cloud proxy) access to a K3s unit on or off; the password is read from EDGEPLANE_KINS_PASSWORD',
    )
    .addOption(clusterOption())
    .addOption(new Option('--state <on|off>', 'on or off').choices(['on', 'off']).makeOptionMandatory())
    .addOption(outputOption())
    .action(
      async (name: string, opts: { cluster: string; state: string; output: OutputFormat }, cmd: Command) => {
        const enabled = opts.state === 'on';
        const k = await call(cmd, 'KinsService', 'SetPublicAccess', {
          cluster: opts.cluster,
          unit: name,
          enabled,
          password: enabled ? (process.env.EDGEPLANE_KINS_PASSWORD ?? '') : '',
        });
        print(k, kinsColumns, opts.output, (x) => `nodeunit/${x.unit}`);
      },
    );

  const group = program
    .command('group')
    .description('NodeGroups: classifications of nodes by unit (label <group>=<unit>)');
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
  ).action(
    async (name: string, opts: GroupFlags & { cluster: string; output: OutputFormat }, cmd: Command) => {
      const g = await call(cmd, 'NodeGroupService', 'CreateNodeGroup', {
        cluster: opts.cluster,
        name,
        spec: groupSpec(opts),
      });
      if (opts.output === 'table') process.stdout.write(`nodegroup/${g.name} created\n`);
      else print(g, groupColumns, opts.output, (x) => `nodegroup/${x.name}`);
    },
  );

  groupFlags(
    group
      .command('update <name>')
      .description('change a NodeGroup (given flags replace their field)')
      .addOption(clusterOption())
      .addOption(outputOption()),
  ).action(
    async (name: string, opts: GroupFlags & { cluster: string; output: OutputFormat }, cmd: Command) => {
      const current = await call(cmd, 'NodeGroupService', 'GetNodeGroup', { cluster: opts.cluster, name });
      const g = await call(cmd, 'NodeGroupService', 'UpdateNodeGroup', {
        cluster: opts.cluster,
        name,
        spec: groupSpec(opts, current.spec),
      });
      if (opts.output === 'table') process.stdout.write(`nodegroup/${g.name} configured\n`);
      else print(g, groupColumns, opts.output, (x) => `nodegroup/${x.name}`);
    },
  );

  group
    .command('list')
    .alias('ls')
    .description('list the NodeGroups of a cluster')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const groups: any[] = [];
      let pageToken = '';
      do {
        const res = await call(cmd, 'NodeGroupService', 'ListNodeGroups', {
          cluster: opts.cluster,
          pageToken,
        });
        groups.push(...res.groups);
        pageToken = res.nextPageToken;
      } while (pageToken);
      print(groups, groupColumns, opts.output, (g) => `nodegroup/${g.name}`);
    });

  group
    .command('get <name>')
    .description('show one NodeGroup')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const g = await call(cmd, 'NodeGroupService', 'GetNodeGroup', { cluster: opts.cluster, name });
      print(g, groupColumns, opts.output, (x) => `nodegroup/${x.name}`);
    });

  group
    .command('delete <name>')
    .description('delete a NodeGroup (its <group>=<unit> label leaves every node)')
    .addOption(clusterOption())
    .action(async (name: string, opts: { cluster: string }, cmd: Command) => {
      await call(cmd, 'NodeGroupService', 'DeleteNodeGroup', { cluster: opts.cluster, name });
      process.stdout.write(`nodegroup/${name} deleted\n`);
    });

  program
    .command('apply')
    .description('apply SuperEdge site.superedge.io/v1alpha2 NodeUnit / NodeGroup YAML')
    .requiredOption('-f, --filename <file>', "YAML file ('-' for stdin)")
    .addOption(clusterOption())
    .option('--dry-run', 'show what would change, change nothing')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'json', 'yaml'])
        .default('table'),
    )
    .action(
      async (
        opts: { filename: string; cluster: string; dryRun?: boolean; output: OutputFormat },
        cmd: Command,
      ) => {
        const yaml = readFileSync(opts.filename === '-' ? 0 : opts.filename, 'utf8');
        const res = await call(cmd, 'ApplyService', 'Apply', {
          cluster: opts.cluster,
          yaml,
          dryRun: !!opts.dryRun,
        });
        if (opts.output !== 'table') {
          print(res, [], opts.output);
          return;
        }
        for (const w of res.warnings) process.stderr.write(`Warning: ${w}\n`);
        const suffix = opts.dryRun ? ' (dry run)' : '';
        for (const c of res.changes) {
          const verb = c.action === 'updated' ? 'configured' : c.action;
          process.stdout.write(`${c.kind.toLowerCase()}.site.superedge.io/${c.name} ${verb}${suffix}\n`);
          for (const line of c.changes) process.stdout.write(`  ${line}\n`);
        }
      },
    );
}
