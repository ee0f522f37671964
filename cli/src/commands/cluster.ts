import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import { Command, Option } from 'commander';
import { clusterApi, serverOf } from '../client.js';
import {
  age,
  outputOption,
  print,
  printChange,
  printDocument,
  type Column,
  type OutputFormat,
} from '../output.js';
import { parseDuration, parseLabelArgs, parseSwitch, parseTaintArgs } from './cluster-args.js';
import { allPages, CLI_PAGE_SIZE } from '../paging.js';
import { commandGroup } from './command-group.js';

/**
 * `edgeplane` commands served by the cluster service (edgeplane.cluster.v1):
 *   cluster create|list|get|delete|access|tier|kubeconfig|rotate-kubeconfig|credentials|revoke-credential|verify-credential
 *   token create|list|revoke
 *   node list|get|label|taint|cordon|uncordon|drain|remove  (+ hidden `node join`, a node's redemption)
 * Clusters are named by name or id. A failed call prints the server's reason and exits 1.
 */

type Cluster = EdgeplaneClusterV1.Cluster__Output;
type JoinToken = EdgeplaneClusterV1.JoinToken__Output;
type Node = EdgeplaneClusterV1.Node__Output;
type NodeDetail = EdgeplaneClusterV1.NodeDetail__Output;

const api = (cmd: Command) => clusterApi(serverOf(cmd));
const ref = (nameOrId: string): EdgeplaneClusterV1.ClusterRef => ({ name: nameOrId });
const clusterOption = () => new Option('-c, --cluster <name>', 'cluster name or id').makeOptionMandatory();
const collect = (value: string, previous: string[] = []) => [...previous, value];

interface Output {
  output: OutputFormat;
}
interface ClusterFlag {
  cluster: string;
}
interface CreateFlags {
  k8sVersion: string;
  runtime: string;
  region: string;
  vpcCidr: string;
  podCidr: string;
  serviceCidr: string;
  tier?: string;
  autoUpgrade: boolean;
  kubeProxy?: string;
  nodeCidr: string[];
  vpcId?: string;
  description?: string;
}
interface TokenFlags {
  expires: string;
  containerDir?: string;
  preInstall?: string;
  postInstall?: string;
}
interface JoinFlags {
  token: string;
  name: string;
  arch: string;
  os: string;
  interface: string;
  ip: string[];
  gpuModel?: string;
  outDir?: string;
}

// ───────────────────────────── clusters ─────────────────────────────

const clusterColumns: Column<Cluster>[] = [
  { header: 'name', value: (c) => c.name },
  { header: 'id', value: (c) => c.id },
  { header: 'version', value: (c) => c.kubernetesVersion },
  { header: 'runtime', value: (c) => c.runtime },
  { header: 'region', value: (c) => c.region },
  { header: 'tier', value: (c) => `${c.tier?.name}${c.autoUpgrade ? ' (auto)' : ''}` },
  { header: 'nodes', value: (c) => `${c.usage?.nodes ?? 0}/${c.tier?.nodes ?? 0}` },
  { header: 'access', value: (c) => accessText(c.access) },
  { header: 'age', value: (c) => age(c.createdAt) },
  { header: 'vpc', value: (c) => [c.vpcId, c.vpcCidr].filter(Boolean).join(' '), wide: true },
  { header: 'pod cidr', value: (c) => c.podCidr, wide: true },
  { header: 'service cidr', value: (c) => c.serviceCidr, wide: true },
  { header: 'kube-proxy', value: (c) => c.kubeProxyMode, wide: true },
  { header: 'cordoned (tier)', value: (c) => c.overCapacityNodes, wide: true },
];

function accessText(a: EdgeplaneClusterV1.AccessState__Output | null): string {
  const parts = [a?.publicAccess && 'public', a?.privateAccess && `private(${a.privateSubnetId})`].filter(
    Boolean,
  );
  return parts.length ? parts.join(',') : 'off';
}

function registerClusters(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('Edge clusters: create, list, access, tier, kubeconfig');

  cluster
    .command('create <name>')
    .description('create an edge cluster; CIDRs must not overlap')
    .requiredOption('--k8s-version <version>', 'Kubernetes version, e.g. 1.22.5')
    .requiredOption('--runtime <runtime>', 'docker | containerd')
    .requiredOption('--region <region>', 'e.g. ap-guangzhou')
    .requiredOption('--vpc-cidr <cidr>', 'cluster network (VPC) CIDR')
    .requiredOption('--pod-cidr <cidr>', 'Pod CIDR (immutable)')
    .requiredOption('--service-cidr <cidr>', 'Service CIDR (immutable)')
    .option('--tier <name>', 'cluster tier, e.g. L5 (default: the smallest)')
    .option('--auto-upgrade', 'raise the tier one step when a cap is exceeded', false)
    .addOption(new Option('--kube-proxy <mode>', 'kube-proxy mode').choices(['iptables', 'ipvs']))
    .option('--node-cidr <cidr>', 'declared edge-node internal CIDR (repeatable)', collect, [])
    .option('--vpc-id <id>', 'VPC id, when clusters share a VPC by id')
    .option('--description <text>', 'description')
    .addOption(outputOption())
    .action(async (name: string, o: CreateFlags & Output, cmd: Command) => {
      const c = await api(cmd).clusters.createCluster({
        name,
        kubernetesVersion: o.k8sVersion,
        runtime: o.runtime,
        region: o.region,
        vpcCidr: o.vpcCidr,
        podCidr: o.podCidr,
        serviceCidr: o.serviceCidr,
        tier: o.tier ?? '',
        autoUpgrade: Boolean(o.autoUpgrade),
        kubeProxyMode: o.kubeProxy ?? '',
        nodeCidrs: o.nodeCidr,
        vpcId: o.vpcId ?? '',
        description: o.description ?? '',
      });
      printChange(c, (x) => `cluster/${x.name} created (${x.id})`, clusterColumns, o.output);
    });

  cluster
    .command('list')
    .description('list clusters')
    .option('--region <region>', 'only this region')
    .addOption(outputOption())
    .action(async (o: { region?: string } & Output, cmd: Command) => {
      const clusters = await allPages(async (pageToken) => {
        const r = await api(cmd).clusters.listClusters({
          region: o.region ?? '',
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [r.clusters, r.nextPageToken];
      });
      print(clusters, clusterColumns, o.output, (c) => `cluster/${c.name}`);
    });

  cluster
    .command('get <cluster>')
    .description('show one cluster')
    .addOption(outputOption())
    .action(async (name: string, o: Output, cmd: Command) => {
      const c = await api(cmd).clusters.getCluster({ cluster: ref(name) });
      print(c, clusterColumns, o.output, (x) => `cluster/${x.name}`);
    });

  cluster
    .command('delete <cluster>')
    .description('delete a cluster: its nodes are removed and every identity revoked')
    .action(async (name: string, _o: object, cmd: Command) => {
      const r = await api(cmd).clusters.deleteCluster({ cluster: ref(name) });
      process.stdout.write(
        `cluster/${name} deleted (${r.clusterId}); revoked node identities: ${r.revokedNodeIdentities.length}\n`,
      );
    });

  cluster
    .command('access <cluster>')
    .description('toggle APIServer public / private (VPC subnet) access separately')
    .option('--public <on|off>', 'public (internet) access')
    .option('--private <on|off>', 'private (VPC subnet) access')
    .option('--subnet <id>', 'VPC subnet for private access')
    .addOption(outputOption())
    .action(
      async (
        name: string,
        o: { public?: string; private?: string; subnet?: string } & Output,
        cmd: Command,
      ) => {
        const request: EdgeplaneClusterV1.SetAccessRequest = {
          cluster: ref(name),
          privateSubnetId: o.subnet ?? '',
        };
        if (o.public !== undefined) request.publicAccess = parseSwitch(o.public);
        if (o.private !== undefined) request.privateAccess = parseSwitch(o.private);
        const c = await api(cmd).clusters.setAccess(request);
        printChange(c, (x) => `cluster/${x.name} access: ${accessText(x.access)}`, clusterColumns, o.output);
      },
    );

  cluster
    .command('remote-login <cluster> <on|off>')
    .description("allow or forbid remote login to the cluster's nodes (edgeplane node ssh|exec|logs)")
    .addOption(outputOption())
    .action(async (name: string, value: string, o: Output, cmd: Command) => {
      const c = await api(cmd).clusters.setRemoteLogin({ cluster: ref(name), enabled: parseSwitch(value) });
      printChange(
        c,
        (x) => `cluster/${x.name} remote login: ${x.remoteLogin ? 'on' : 'off'}`,
        clusterColumns,
        o.output,
      );
    });

  cluster
    .command('tier <cluster> [tier]')
    .description('change the tier by hand (a downgrade only when usage fits) and/or switch auto-upgrade')
    .option('--auto-upgrade <on|off>', 'auto-upgrade')
    .addOption(outputOption())
    .action(
      async (name: string, tier: string | undefined, o: { autoUpgrade?: string } & Output, cmd: Command) => {
        const request: EdgeplaneClusterV1.SetTierRequest = { cluster: ref(name), tier: tier ?? '' };
        if (o.autoUpgrade !== undefined) request.autoUpgrade = parseSwitch(o.autoUpgrade);
        const c = await api(cmd).clusters.setTier(request);
        printChange(
          c,
          (x) => `cluster/${x.name} tier ${x.tier?.name}, auto-upgrade ${x.autoUpgrade ? 'on' : 'off'}`,
          clusterColumns,
          o.output,
        );
      },
    );

  const writeKubeconfig = (name: string, k: EdgeplaneClusterV1.Kubeconfig__Output, file?: string) => {
    if (file) {
      writeFileSync(file, k.kubeconfigYaml, { mode: 0o600 });
      const who = k.user ? ` for user ${k.user}, role ${k.role}, valid until ${k.notAfter}` : '';
      process.stdout.write(
        `kubeconfig of ${name} written to ${file} (credential ${k.credentialSerial}${who})\n`,
      );
    } else {
      process.stdout.write(k.kubeconfigYaml);
    }
    if (k.revokedSerial) process.stderr.write(`previous admin credential ${k.revokedSerial} revoked\n`);
  };
  cluster
    .command('kubeconfig <cluster>')
    .description(
      'print (or save) the admin kubeconfig; with --user and --role, issue a restricted credential (its key is shown once and stored nowhere)',
    )
    .option('-f, --file <path>', 'write it to a file (mode 600) instead of stdout')
    .option('--user <name>', 'issue a credential for this user (certificate CN)')
    .addOption(
      new Option('--role <role>', 'the role of the issued credential').choices([
        'view',
        'edit',
        'cluster-admin',
      ]),
    )
    .option('--ttl <duration>', 'how long the issued credential is valid, 1m to 365d (default 90d)')
    .action(
      async (
        name: string,
        o: { file?: string; user?: string; role?: string; ttl?: string },
        cmd: Command,
      ) => {
        const { clusters } = api(cmd);
        if (o.user === undefined && o.role === undefined && o.ttl === undefined) {
          writeKubeconfig(name, await clusters.getKubeconfig({ cluster: ref(name) }), o.file);
          return;
        }
        if (!o.user || !o.role) throw new Error('a restricted credential needs both --user and --role');
        const k = await clusters.issueCredential({
          cluster: ref(name),
          user: o.user,
          role: o.role,
          ttlSeconds: o.ttl ? parseDuration(o.ttl) : 0,
        });
        writeKubeconfig(name, k, o.file);
      },
    );
  cluster
    .command('rotate-kubeconfig <cluster>')
    .description('issue a new admin credential; the old kubeconfig stops working')
    .option('-f, --file <path>', 'write it to a file (mode 600) instead of stdout')
    .action(async (name: string, o: { file?: string }, cmd: Command) =>
      writeKubeconfig(name, await api(cmd).clusters.rotateKubeconfig({ cluster: ref(name) }), o.file),
    );

  const credentialColumns: Column<EdgeplaneClusterV1.UserCredential__Output>[] = [
    { header: 'serial', value: (c) => c.serial },
    { header: 'user', value: (c) => c.user },
    { header: 'role', value: (c) => c.role },
    { header: 'expires', value: (c) => c.notAfter },
    { header: 'age', value: (c) => age(c.issuedAt) },
    { header: 'groups', value: (c) => c.groups, wide: true },
    { header: 'fingerprint', value: (c) => c.fingerprint, wide: true },
  ];
  cluster
    .command('credentials <cluster>')
    .description('list the active restricted credentials (kubeconfig --user/--role) of a cluster')
    .addOption(outputOption())
    .action(async (name: string, o: Output, cmd: Command) => {
      const r = await api(cmd).clusters.listCredentials({ cluster: ref(name) });
      print(r.credentials, credentialColumns, o.output, (c) => `credential/${c.serial}`);
    });
  cluster
    .command('revoke-credential <cluster>')
    .description('revoke a restricted credential by serial, or every one of a user')
    .option('--serial <serial>', 'the credential (see cluster credentials)')
    .option('--user <name>', 'all credentials of this user')
    .action(async (name: string, o: { serial?: string; user?: string }, cmd: Command) => {
      if (Boolean(o.serial) === Boolean(o.user)) throw new Error('give either --serial or --user');
      const r = await api(cmd).clusters.revokeCredential({
        cluster: ref(name),
        serial: o.serial ?? '',
        user: o.user ?? '',
      });
      for (const c of r.revoked)
        process.stdout.write(`credential/${c.serial} of ${c.user} (${c.role}) revoked\n`);
    });

  cluster
    .command('verify-credential <cluster>')
    .description('check a client certificate (a kubeconfig or a node certificate) against the cluster')
    .option('--kubeconfig <file>', 'take the client certificate from this kubeconfig')
    .option('--cert <file>', 'a PEM client certificate')
    .option('--target-node <name>', 'for a node credential: the node it wants to act on')
    .action(
      async (name: string, o: { kubeconfig?: string; cert?: string; targetNode?: string }, cmd: Command) => {
        let pem = '';
        if (o.kubeconfig) {
          const m = /client-certificate-data:\s*(\S+)/.exec(readFileSync(o.kubeconfig, 'utf8'));
          pem = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
        } else if (o.cert) pem = readFileSync(o.cert, 'utf8');
        else throw new Error('give --kubeconfig FILE or --cert FILE');
        const r = await api(cmd).clusters.verifyCredential({
          cluster: ref(name),
          certificatePem: pem,
          targetNode: o.targetNode ?? '',
        });
        if (r.valid && r.authorized) {
          process.stdout.write(
            `valid ${r.kind} credential${r.nodeName ? ` of node ${r.nodeName}` : ''} (serial ${r.serial})\n`,
          );
        } else {
          process.stdout.write(`${r.valid ? 'not authorized' : 'invalid'}: ${r.reason}\n`);
          process.exitCode = 1;
        }
      },
    );
}

// ───────────────────────────── join tokens ─────────────────────────────

const tokenColumns: Column<JoinToken>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'cluster', value: (t) => t.clusterName || t.clusterId },
  { header: 'status', value: (t) => t.status },
  { header: 'expires', value: (t) => t.expiresAt },
  { header: 'nodes', value: (t) => t.redeemedBy?.length ?? 0 },
  { header: 'age', value: (t) => age(t.createdAt) },
  { header: 'container dir', value: (t) => t.containerDir, wide: true },
  {
    header: 'scripts',
    value: (t) => [t.hasPreInstallScript && 'pre', t.hasPostInstallScript && 'post'].filter(Boolean),
    wide: true,
  },
  { header: 'redeemed by', value: (t) => t.redeemedBy, wide: true },
];

function registerTokens(program: Command): void {
  const token = program.command('token').description('Join tokens for adding nodes by script');

  token
    .command('create')
    .description('create a join token and print the join command to run on nodes')
    .addOption(clusterOption())
    .option('--expires <duration>', 'expiry, 1m to 24h', '24h')
    .option('--container-dir <dir>', 'container/image storage directory on the node')
    .option('--pre-install <file>', 'script to run before install')
    .option('--post-install <file>', 'script to run after install')
    .addOption(outputOption())
    .action(async (o: TokenFlags & ClusterFlag & Output, cmd: Command) => {
      const r = await api(cmd).joinTokens.createJoinToken({
        cluster: ref(o.cluster),
        ttlSeconds: parseDuration(o.expires),
        containerDir: o.containerDir ?? '',
        preInstallScript: o.preInstall ? readFileSync(o.preInstall, 'utf8') : '',
        postInstallScript: o.postInstall ? readFileSync(o.postInstall, 'utf8') : '',
      });
      printDocument(
        r,
        o.output,
        (x) =>
          `token ${x.token?.id} for cluster ${x.token?.clusterName}, expires ${x.token?.expiresAt}\n` +
          `token: ${x.tokenSecretText}   (shown once)\n\n${x.instructions}`,
      );
    });

  token
    .command('list')
    .description('list the join tokens of a cluster')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (o: ClusterFlag & Output, cmd: Command) => {
      const tokens = await allPages(async (pageToken) => {
        const r = await api(cmd).joinTokens.listJoinTokens({
          cluster: ref(o.cluster),
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [r.tokens, r.nextPageToken];
      });
      print(tokens, tokenColumns, o.output, (t) => `token/${t.id}`);
    });

  token
    .command('revoke <token-id>')
    .description('revoke a join token: nodes can no longer join with it')
    .action(async (tokenId: string, _o: object, cmd: Command) => {
      const id = tokenId.split('.')[0]!;
      const t = await api(cmd).joinTokens.revokeJoinToken({ tokenId: id });
      process.stdout.write(`token/${t.id} revoked\n`);
    });
}

// ───────────────────────────── nodes ─────────────────────────────

const nodeStatus = (n: Node) => {
  const ready = n.ready === 'True' ? 'Ready' : n.ready === 'False' ? 'NotReady' : 'Unknown';
  return n.schedulable ? ready : `${ready},SchedulingDisabled`;
};

const nodeColumns: Column<Node>[] = [
  { header: 'name', value: (n) => n.name },
  { header: 'status', value: nodeStatus },
  { header: 'arch', value: (n) => n.inventory?.arch },
  { header: 'ips', value: (n) => n.inventory?.ips },
  { header: 'age', value: (n) => age(n.joinedAt) },
  { header: 'os', value: (n) => n.inventory?.os, wide: true },
  { header: 'gpu', value: (n) => n.inventory?.gpuModel, wide: true },
  {
    header: 'source',
    value: (n) => (n.source === 'provider' ? `${n.provider}/${n.machineId}` : n.source),
    wide: true,
  },
  { header: 'labels', value: (n) => n.labels, wide: true },
  { header: 'taints', value: (n) => (n.taints ?? []).map(taintText), wide: true },
];

function taintText(t: { key: string; value?: string; effect: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

function describeNode(n: Node, d: NodeDetail): string {
  const lines: string[] = [];
  const field = (label: string, values: string[]) => {
    const [first, ...rest] = values.length ? values : ['<none>'];
    lines.push(`${`${label}:`.padEnd(16)}${first}`);
    for (const v of rest) lines.push(`${''.padEnd(16)}${v}`);
  };
  const owners = new Map<string, string>();
  for (const layer of n.systemLabels ?? [])
    for (const k of Object.keys(layer.labels ?? {})) owners.set(k, layer.owner);
  field('Name', [n.name]);
  field('Cluster', [`${n.clusterName} (${n.clusterId})`]);
  field('Status', [nodeStatus(n)]);
  field(
    'Labels',
    Object.entries(n.labels ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}${owners.has(k) ? `   (${owners.get(k)})` : ''}`),
  );
  const annotationOwners = new Map<string, string>();
  for (const layer of n.systemAnnotations ?? [])
    for (const k of Object.keys(layer.labels ?? {})) annotationOwners.set(k, layer.owner);
  field(
    'Annotations',
    Object.entries(n.annotations ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([k, v]) =>
          `${k}=${String(v).replace(/\r?\n/g, '\\n')}${annotationOwners.has(k) ? `   (${annotationOwners.get(k)})` : ''}`,
      ),
  );
  field('Taints', (n.taints ?? []).map(taintText));
  field(
    'Cordons',
    (n.cordons ?? []).map((c) => `${c.holder}: ${c.reason} (since ${c.since})`),
  );
  field('Draining', [String(n.draining)]);
  field('Inventory', [
    `arch ${n.inventory?.arch}, os ${n.inventory?.os}, interface ${n.inventory?.interface}`,
    `ips ${(n.inventory?.ips ?? []).join(', ')}`,
    `gpu ${n.inventory?.gpuModel || '<none>'}${n.gpuDevicePlugin ? ' (nvidia-device-plugin enabled)' : ''}`,
  ]);
  field('Source', [
    n.source === 'provider'
      ? `provider ${n.provider}, machine ${n.machineId}`
      : `script (token ${n.tokenId})`,
  ]);
  field('Credential', [`serial ${n.credentialSerial}, valid until ${n.credentialNotAfter}`]);
  field(
    'Conditions',
    (d.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`),
  );
  lines.push('Events:');
  for (const e of d.events ?? []) lines.push(`  ${e.at}  ${e.type.padEnd(28)} ${e.message}`);
  return `${lines.join('\n')}\n`;
}

function nodeRef(name: string, cluster: string): { node: EdgeplaneClusterV1.NodeRef } {
  return { node: { cluster: ref(cluster), name } };
}

function registerNodes(program: Command): void {
  const node = commandGroup(program, 'node').description(
    'Nodes: list, describe, labels, taints, cordon, drain, remove',
  );

  node
    .command('list')
    .description('list the nodes of a cluster')
    .addOption(clusterOption())
    .option('-l, --selector <selector>', 'label selector, e.g. env=prod,!gpu')
    .addOption(outputOption())
    .action(async (o: { selector?: string } & ClusterFlag & Output, cmd: Command) => {
      const nodes = await allPages(async (pageToken) => {
        const r = await api(cmd).nodes.listNodes({
          cluster: ref(o.cluster),
          labelSelector: o.selector ?? '',
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [r.nodes, r.nextPageToken];
      });
      print(nodes, nodeColumns, o.output, (n) => `node/${n.name}`);
    });

  node
    .command('get <name>')
    .description('describe a node: labels and annotations by owner, taints, conditions, the events timeline')
    .addOption(clusterOption())
    .addOption(outputOption())
    .action(async (name: string, o: ClusterFlag & Output, cmd: Command) => {
      const d = await api(cmd).nodes.getNode(nodeRef(name, o.cluster));
      const n = d.node;
      if (!n) throw new Error(`the API returned no node ${name}`);
      printDocument(
        d,
        o.output,
        () => describeNode(n, d),
        () => `node/${n.name}`,
      );
    });

  node
    .command('label <name> <labels...>')
    .description('set (key=value) or remove (key-) operator labels, kubectl syntax')
    .addOption(clusterOption())
    .action(async (name: string, labels: string[], o: ClusterFlag, cmd: Command) => {
      const { set, remove } = parseLabelArgs(labels);
      await api(cmd).nodes.labelNode({ ...nodeRef(name, o.cluster), set, remove });
      process.stdout.write(`node/${name} labeled\n`);
    });

  node
    .command('taint <name> <taints...>')
    .description('add (key=value:Effect) or remove (key:Effect- / key-) taints, kubectl syntax')
    .addOption(clusterOption())
    .action(async (name: string, taints: string[], o: ClusterFlag, cmd: Command) => {
      const { set, remove } = parseTaintArgs(taints);
      await api(cmd).nodes.taintNode({ ...nodeRef(name, o.cluster), set, remove });
      process.stdout.write(`node/${name} tainted\n`);
    });

  node
    .command('cordon <name>')
    .description('mark the node unschedulable (SchedulingDisabled)')
    .addOption(clusterOption())
    .option('--reason <text>', 'why')
    .action(async (name: string, o: { reason?: string } & ClusterFlag, cmd: Command) => {
      await api(cmd).nodes.cordonNode({ ...nodeRef(name, o.cluster), reason: o.reason ?? '' });
      process.stdout.write(`node/${name} cordoned\n`);
    });

  node
    .command('uncordon <name>')
    .description('make the node schedulable again (a tier-capacity cordon stays until the tier is raised)')
    .addOption(clusterOption())
    .action(async (name: string, o: ClusterFlag, cmd: Command) => {
      await api(cmd).nodes.uncordonNode(nodeRef(name, o.cluster));
      process.stdout.write(`node/${name} uncordoned\n`);
    });

  node
    .command('drain <name>')
    .description('cordon the node and request eviction of its pods')
    .addOption(clusterOption())
    .option('--grace-period <seconds>', 'pod termination grace period', (v) => Number(v))
    .action(async (name: string, o: { gracePeriod?: number } & ClusterFlag, cmd: Command) => {
      const request: EdgeplaneClusterV1.DrainNodeRequest = nodeRef(name, o.cluster);
      if (o.gracePeriod !== undefined) request.gracePeriodSeconds = o.gracePeriod;
      await api(cmd).nodes.drainNode(request);
      process.stdout.write(`node/${name} cordoned\nnode/${name} drain requested\n`);
    });

  node
    .command('remove <name>')
    .description('remove the node (a provider node also has its machine released)')
    .addOption(clusterOption())
    .action(async (name: string, o: ClusterFlag, cmd: Command) => {
      const r = await api(cmd).nodes.removeNode(nodeRef(name, o.cluster));
      process.stdout.write(`node/${name} removed${r.machineReleased ? '; machine release requested' : ''}\n`);
    });

  // What edgectl does on the node, for development and tests without the agent: generate a key
  // and CSR locally, redeem the token, keep the key.
  node
    .command('join', { hidden: true })
    .description('redeem a join token as a node would (dev/test)')
    .requiredOption('--token <token>', 'the join token <id>.<secret>')
    .requiredOption('--name <node>', 'node name')
    .option('--arch <arch>', 'x86_64 | arm64 | arm', 'x86_64')
    .option('--os <os>', 'operating system', 'Ubuntu 22.04')
    .option('--interface <iface>', 'default interface', 'eth0')
    .option('--ip <ip>', 'node IP (repeatable)', collect, [])
    .option('--gpu-model <model>', 'GPU model')
    .option('--out-dir <dir>', 'write node.key, node.crt and ca.crt here')
    .addOption(outputOption())
    .action(async (o: JoinFlags & Output, cmd: Command) => {
      // Loaded on demand: the X.509 library is only needed by this command.
      const { createNodeCsr } = await import('@edgeplane/k8s');
      const { csrPem, privateKeyPem } = await createNodeCsr(o.name);
      const r = await api(cmd).joinTokens.redeemJoinToken({
        token: o.token,
        nodeName: o.name,
        csrPem,
        arch: o.arch,
        os: o.os,
        interface: o.interface,
        ips: o.ip.length ? o.ip : ['127.0.0.1'],
        gpuModel: o.gpuModel ?? '',
      });
      if (o.outDir) {
        mkdirSync(o.outDir, { recursive: true });
        writeFileSync(path.join(o.outDir, 'node.key'), privateKeyPem, { mode: 0o600 });
        writeFileSync(path.join(o.outDir, 'node.crt'), r.certificatePem);
        writeFileSync(path.join(o.outDir, 'ca.crt'), r.caCertificatePem);
      }
      printDocument(
        r,
        o.output,
        (x) =>
          `node/${x.nodeName} joined cluster ${x.clusterId}${x.cordoned ? ` (cordoned: ${x.cordonReason})` : ''}\n`,
      );
    });
}

export function registerClusterCommands(program: Command): void {
  registerClusters(program);
  registerTokens(program);
  registerNodes(program);
}
