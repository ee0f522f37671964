#!/usr/bin/env node
// The simulated fleet (docs/tunnel.md "The simulated fleet", SPEC F-IF-5): edge hosts as Linux
// network namespaces on one bridge, each joined with the real join command and `edgectl install`.
//
//   node scripts/fleet.mjs up --cluster demo --sites beijing:2,guangzhou:3   (npm run fleet -- up …)
//        [--runtime none|process|cri]   what runs the pods the cloud assigns (default none)
//        [--node-cpu 2 --node-memory 4Gi]   the size every host's agent reports (default: the machine's;
//        `add` can give the hosts it adds another size)
//        [--no-join]   the namespaces only; run a join command in them yourself (ip netns exec)
//   node scripts/fleet.mjs add --cluster demo --sites shenzhen:1   more hosts into the running fleet
//        (new sites become NodeUnits and join the NodeGroup `location`; same runtime as `up`)
//   node scripts/fleet.mjs hosts --cluster demo        the hosts, their addresses, agents and homes
//   node scripts/fleet.mjs cut|restore --cluster demo HOST   cut a host off the cloud (iptables in its namespace)
//   node scripts/fleet.mjs down --cluster demo         remove everything `up` made
//   node scripts/fleet.mjs env [--join-port P --tunnel-port P]   the stack settings the fleet needs (eval it before npm start)
//
// Sites are SITE:COUNT[:PREFIX] (hosts PREFIX-1…PREFIX-COUNT; PREFIX defaults to SITE), e.g.
// beijing:2:bj,guangzhou:3:gz gives bj-1, bj-2, gz-1, gz-2, gz-3.
//
// The network: a bridge (default edgeplane0) holding the cloud address (default 10.210.0.1/16);
// every host is a namespace `<cluster>-<host>` with a veth (eth0 inside) into the bridge and its
// own address 10.210.<fleet>.<n>. There is no default route and no NAT, so a host reaches the
// cloud address and the other hosts, nothing else. The services must listen where hosts can reach
// them (the tunnel binds 0.0.0.0 by default) and must tell hosts the bridge address: see `env`.
//
// What `up` does: creates the cluster if missing (public access on), makes the namespaces, asks
// `edgeplane token create` for the join command and runs it, as printed, in every namespace
// (curl with the pinned key, then edgectl install -n HOST with EDGEPLANE_HOME under the fleet dir),
// applies one NodeUnit per site and the NodeGroup `location`, and prints the hosts. The state is in
// <dir>/<cluster>/fleet.json (dir: --dir or EDGEPLANE_FLEET_DIR, default /var/lib/edgeplane-fleet);
// `down` reads it and removes only what it lists. Needs root, iproute2 (`ip netns`), iptables, curl.
//
// --runtime: every agent gets that driver (edgectl install --runtime). With `cri`, each host first
// gets its own containerd inside its namespace (scripts/runtime/fleet-containerd.mjs: host i owns
// the /24 number i+1 of 10.244.0.0/16, routes to the other hosts' slices, the local test images
// imported; needs scripts/runtime/setup.sh) and its agent is pointed at that socket; `down` removes
// the pods through CRI, stops every containerd and deletes its state before the namespaces go
// (their veths and routes go with them).
//
// The CLI is cli/bin/edgeplane.mjs with this process's env (EDGEPLANE_SERVER or
// EDGEPLANE_<SERVICE>_ADDR pick the services, as for any CLI call). The bundles the join server
// hands out (dist/edge/edgectl.mjs, dist/edge/agent.mjs) are rebuilt first when stale
// (scripts/edge-bundles.mjs).
import { createHash } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'cli/bin/edgeplane.mjs');
const FLEET_CONTAINERD = path.join(REPO, 'scripts/runtime/fleet-containerd.mjs');
const DEFAULTS = {
  dir: process.env.EDGEPLANE_FLEET_DIR || '/var/lib/edgeplane-fleet',
  bridge: 'edgeplane0',
  cloud: '10.210.0.1/16',
};
const STATUS_PORT = 51010;
const CLAIMS = '/run/edgeplane-fleet';

// ---------------------------------------------------------------------------------------------
// small helpers

function run(cmd, args, { input, env, allowFail = false, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { env: env ?? process.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        if (code !== 0 && !allowFail) {
          reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${(stderr || stdout).trim()}`));
        } else resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

const ip = (...args) => run('ip', args);
const cli = (...args) => run(process.execPath, [CLI, ...args], { allowFail: true, timeoutMs: 60_000 });
async function cliOk(...args) {
  const r = await cli(...args);
  if (r.code !== 0) throw new Error(`edgeplane ${args.join(' ')}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

function parseSites(text) {
  const sites = text.split(',').map((part) => {
    const [name, count, prefix] = part.trim().split(':');
    const n = Number(count);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name ?? '') || !Number.isInteger(n) || n < 1 || n > 50) {
      throw new InvalidArgumentError(
        `"${part}" is not SITE:COUNT[:PREFIX] (a DNS-1123 label and 1–50 hosts)`,
      );
    }
    return { name, count: n, prefix: prefix || name };
  });
  return sites;
}

function cpuQuantity(text) {
  if (!/^\d+(\.\d+)?m?$/.test(text))
    throw new InvalidArgumentError(`"${text}" is not a CPU quantity (2, 1.5, 500m)`);
  return text;
}
function memoryQuantity(text) {
  if (!/^\d+(\.\d+)?(k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(text))
    throw new InvalidArgumentError(`"${text}" is not a memory quantity (4Gi, 512Mi)`);
  return text;
}

/** 10.210.0.1/16 → { cloud: '10.210.0.1', prefixLength: 16, base: [10, 210] } (a /16 is what we lay out). */
function parseCloud(cidr) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/16$/.exec(cidr);
  if (!m) throw new InvalidArgumentError(`--cloud must be an IPv4 address with /16, got ${cidr}`);
  return { cloud: `${m[1]}.${m[2]}.${m[3]}.${m[4]}`, prefixLength: 16, base: [Number(m[1]), Number(m[2])] };
}

const vethOf = (cluster, host) =>
  `ep${createHash('sha1').update(`${cluster}/${host}`).digest('hex').slice(0, 10)}`;

const stateFile = (dir, cluster) => path.join(dir, cluster, 'fleet.json');
function readState(dir, cluster) {
  try {
    return JSON.parse(readFileSync(stateFile(dir, cluster), 'utf8'));
  } catch {
    return undefined;
  }
}
function writeState(dir, state) {
  mkdirSync(path.join(dir, state.cluster), { recursive: true });
  writeFileSync(stateFile(dir, state.cluster), JSON.stringify(state, null, 2) + '\n');
}

/** `[host] ` before every line of a host's output. */
function prefixed(name, text) {
  const body = text.replace(/\n+$/, '');
  return body ? `${body.replace(/^/gm, `[${name}] `)}\n` : '';
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  return [headers, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(widths[i])))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

function agentStatus(address) {
  return new Promise((resolve) => {
    const req = http.get({ host: address, port: STATUS_PORT, path: '/status', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(1500, () => req.destroy());
  });
}

async function requirePrivileges() {
  if (process.getuid?.() !== 0) throw new Error('the fleet needs root (network namespaces, veth, iptables)');
  const missing = [];
  for (const [tool, args] of [
    ['ip', ['netns', 'list']],
    ['iptables', ['--version']],
    ['curl', ['--version']],
  ]) {
    if ((await run(tool, args, { allowFail: true }).catch(() => ({ code: 127 }))).code !== 0)
      missing.push(tool);
  }
  if (missing.length > 0)
    throw new Error(`missing: ${missing.join(', ')} (apt-get install -y iproute2 iptables curl)`);
}

// ---------------------------------------------------------------------------------------------
// the network

async function linkExists(name) {
  return (await run('ip', ['link', 'show', name], { allowFail: true })).code === 0;
}

async function ensureBridge(bridge, cloudCidr) {
  if (!(await linkExists(bridge))) {
    await ip('link', 'add', bridge, 'type', 'bridge');
  }
  const addrs = (await ip('-o', 'addr', 'show', 'dev', bridge)).stdout;
  if (!addrs.includes(` ${cloudCidr} `)) await ip('addr', 'add', cloudCidr, 'dev', bridge);
  await ip('link', 'set', bridge, 'up');
  // Where the root namespace's FORWARD policy drops (a Docker host), bridged hosts could not reach
  // each other through br_netfilter: let traffic within the bridge pass.
  const forward = (await run('iptables', ['-S', 'FORWARD'], { allowFail: true })).stdout;
  const rule = ['FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'];
  if (!forward.startsWith('-P FORWARD ACCEPT') && !forward.includes(`-A ${rule.join(' ')}`)) {
    await run('iptables', ['-I', ...rule]);
    return true;
  }
  return false;
}

async function addHost(state, host) {
  const { netns, veth, address } = host;
  const peer = `${veth}p`;
  await ip('netns', 'add', netns);
  await ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', peer);
  await ip('link', 'set', veth, 'master', state.bridge);
  await ip('link', 'set', veth, 'up');
  await ip('link', 'set', peer, 'netns', netns);
  await ip('-n', netns, 'link', 'set', peer, 'name', 'eth0');
  await ip('-n', netns, 'addr', 'add', `${address}/${state.prefixLength}`, 'dev', 'eth0');
  await ip('-n', netns, 'link', 'set', 'eth0', 'up');
  await ip('-n', netns, 'link', 'set', 'lo', 'up');
}

async function removeHost(host) {
  const exists = (await ip('netns', 'list')).stdout.split('\n').some((l) => l.split(' ')[0] === host.netns);
  if (exists) {
    // anything still running in it (an agent that outlived clear) goes first
    const pids = (await run('ip', ['netns', 'pids', host.netns], { allowFail: true })).stdout
      .split('\n')
      .filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await ip('netns', 'del', host.netns);
  }
  // deleting the namespace takes its veth pair with it, asynchronously: gone is fine
  await run('ip', ['link', 'del', host.veth], { allowFail: true });
}

/**
 * Claims a free /24 inside the /16 for this fleet (10.210.<slot>.<n>; slot 0 holds the cloud
 * address). Claims are machine-wide files under /run/edgeplane-fleet/<bridge>/, made with O_EXCL,
 * so fleets kept in different folders (a test's, a user's) never get the same addresses; a claim
 * whose fleet state is gone is taken back.
 */
async function claimSlot(bridge, base, stateFilePath) {
  const claims = path.join(CLAIMS, bridge);
  mkdirSync(claims, { recursive: true });
  const inUse = await slotsInUse(base);
  for (let slot = 1; slot < 255; slot++) {
    if (inUse.has(slot)) continue;
    const claim = path.join(claims, `slot-${slot}`);
    try {
      writeFileSync(claim, stateFilePath, { flag: 'wx' });
      return slot;
    } catch {
      let owner = '';
      try {
        owner = readFileSync(claim, 'utf8');
      } catch {
        /* just released */
      }
      if (owner && !existsSync(owner)) {
        rmSync(claim, { force: true });
        slot--; // try this slot again
      }
    }
  }
  throw new Error('no free address block left on the bridge (254 fleets)');
}

/** Third octets of the /16 that some network namespace already has an address in. */
async function slotsInUse(base) {
  const used = new Set();
  const prefix = `${base[0]}.${base[1]}.`;
  const names = (await ip('netns', 'list')).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean);
  for (const name of names) {
    const addrs = (await run('ip', ['-n', name, '-o', '-4', 'addr', 'show'], { allowFail: true })).stdout;
    for (const m of addrs.matchAll(/inet (\d+\.\d+\.)(\d+)\.\d+\//g))
      if (m[1] === prefix) used.add(Number(m[2]));
  }
  return used;
}

function releaseSlot(state) {
  const claim = path.join(CLAIMS, state.bridge, `slot-${state.slot}`);
  try {
    if (readFileSync(claim, 'utf8') === stateFile(state.dir, state.cluster)) rmSync(claim, { force: true });
  } catch {
    /* not claimed */
  }
}

/** Interfaces still on the bridge (any fleet's hosts, wherever its state is kept). */
async function bridgePorts(bridge) {
  return (await run('ip', ['-o', 'link', 'show', 'master', bridge], { allowFail: true })).stdout
    .split('\n')
    .filter(Boolean).length;
}

// ---------------------------------------------------------------------------------------------
// commands

async function up(o) {
  await requirePrivileges();
  const sites = o.sites;
  const { cloud, prefixLength, base } = parseCloud(o.cloud);
  const dir = path.resolve(o.dir);
  if (readState(dir, o.cluster)) {
    throw new Error(
      `a fleet for cluster ${o.cluster} is already up (${stateFile(dir, o.cluster)}); fleet down first`,
    );
  }
  const hosts = [];
  for (const site of sites)
    for (let i = 1; i <= site.count; i++) hosts.push({ name: `${site.prefix}-${i}`, site: site.name });
  const names = hosts.map((h) => h.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`two hosts would be named ${dup}; give the sites distinct prefixes`);
  if (hosts.length > 250) throw new Error('at most 250 hosts per fleet');

  const slot = await claimSlot(o.bridge, base, stateFile(dir, o.cluster));
  const state = {
    cluster: o.cluster,
    dir,
    bridge: o.bridge,
    cloudCidr: o.cloud,
    cloud,
    prefixLength,
    slot,
    createdCluster: false,
    forwardRule: false,
    runtime: o.runtime,
    units: sites.map((s) => s.name),
    hosts: hosts.map((h, i) => ({
      ...h,
      netns: `${o.cluster}-${h.name}`,
      veth: vethOf(o.cluster, h.name),
      address: `${base[0]}.${base[1]}.${slot}.${i + 1}`,
      dir: path.join(dir, o.cluster, h.name),
      home: path.join(dir, o.cluster, h.name, 'home'),
      installed: false,
      ...(o.nodeCpu ? { cpu: o.nodeCpu } : {}),
      ...(o.nodeMemory ? { memory: o.nodeMemory } : {}),
    })),
    createdAt: new Date().toISOString(),
  };
  writeState(dir, state); // from here on, `down` can undo whatever happened

  // 1. The bundles the join server hands out.
  const { buildEdgeBundles } = await import('./edge-bundles.mjs');
  await buildEdgeBundles({ ifStale: true });

  // --no-join: the namespaces only (no cluster, no token, no install): whoever runs the join
  // command runs it in them (`ip netns exec <netns>`, as installHost does), e.g. the console e2e
  // with the command its "Add node" dialog shows. `down` removes them as any fleet's.
  if (o.join === false) {
    state.forwardRule = await ensureBridge(o.bridge, o.cloud);
    writeState(dir, state);
    for (const host of state.hosts) {
      await addHost(state, host);
      mkdirSync(host.dir, { recursive: true });
    }
    await hostsTable(state);
    return;
  }

  // 2. The cluster, if missing.
  const existing = await cli('cluster', 'get', o.cluster, '-o', 'json');
  if (existing.code !== 0) {
    if (!/NOT_FOUND/.test(existing.stderr))
      throw new Error(`edgeplane cluster get ${o.cluster}: ${existing.stderr.trim()}`);
    console.log(`cluster ${o.cluster}: creating it`);
    await cliOk(
      'cluster',
      'create',
      o.cluster,
      '--k8s-version',
      '1.22.5',
      '--runtime',
      'containerd',
      '--region',
      'ap-guangzhou',
      '--vpc-id',
      `vpc-fleet-${o.cluster}`,
      '--vpc-cidr',
      '10.0.0.0/16',
      '--pod-cidr',
      '172.16.0.0/16',
      '--service-cidr',
      '172.17.0.0/20',
      '--tier',
      'L20',
      '--auto-upgrade',
    );
    state.createdCluster = true;
    writeState(dir, state);
  } else console.log(`cluster ${o.cluster}: exists`);
  await cliOk('cluster', 'access', o.cluster, '--public', 'on');

  // 3. The network.
  state.forwardRule = await ensureBridge(o.bridge, o.cloud);
  writeState(dir, state);
  for (const host of state.hosts) {
    await addHost(state, host);
    mkdirSync(host.dir, { recursive: true });
  }
  console.log(`network: bridge ${o.bridge} (${o.cloud}), ${state.hosts.length} namespaces`);

  // 3b. With --runtime cri: a containerd per host, inside its namespace (one at a time).
  if (o.runtime === 'cri') {
    const t0 = Date.now();
    const r = await run(process.execPath, [FLEET_CONTAINERD, 'up', '--cluster', o.cluster, '--dir', dir], {
      allowFail: true,
      timeoutMs: 60_000 + 120_000 * state.hosts.length,
    });
    process.stdout.write(r.stdout);
    if (r.code !== 0) throw new Error(`containerd could not be set up on the hosts: ${r.stderr.trim()}`);
    const runtime = JSON.parse(readFileSync(path.join(dir, o.cluster, 'runtime.json'), 'utf8'));
    for (const host of state.hosts) {
      host.criSocket = runtime.hosts[host.name]?.socket;
      host.podCidr = runtime.hosts[host.name]?.podCidr;
      if (!host.criSocket) throw new Error(`${host.name}: fleet-containerd set up no containerd`);
    }
    writeState(dir, state);
    console.log(
      `runtime: containerd on ${state.hosts.length} hosts in ${Math.round((Date.now() - t0) / 1000)} s`,
    );
  }

  // 4. The join command, as an operator gets it.
  const token = JSON.parse(
    await cliOk('token', 'create', '--cluster', o.cluster, '--expires', '1h', '-o', 'json'),
  );
  if (!token.joinCommand) {
    throw new Error(`token create printed no join command:\n${token.instructions}`);
  }
  const server = /EDGEPLANE_SERVER='([^']+)'/.exec(token.joinCommand)?.[1] ?? '';
  if (new URL(server).hostname !== cloud) {
    throw new Error(
      `the join command points at ${server}, which the fleet's hosts cannot reach: the cluster service must ` +
        `print the bridge address. Start the stack with the fleet's settings:\n  eval "$(npm run -s fleet -- env)" && npm start`,
    );
  }
  console.log(
    `join command (token ${token.token.id}): ${token.joinCommand.replace(/EDGEPLANE_JOIN_TOKEN='[^']+'/, "EDGEPLANE_JOIN_TOKEN='…'")}`,
  );

  // 5. edgectl install in every host, as printed.
  const results = await Promise.all(
    state.hosts.map((host) => installHost(host, token.joinCommand, o.timeout, o.relayTarget, o.runtime)),
  );
  results.forEach((ok, i) => (state.hosts[i].installed = ok));
  writeState(dir, state);
  const failed = state.hosts.filter((h) => !h.installed).map((h) => h.name);

  // 6. Sites: one NodeUnit per site, the NodeGroup `location`.
  process.stdout.write(await applySites(state));

  await hostsTable(state);
  if (failed.length > 0) throw new Error(`edgectl install failed on ${failed.join(', ')} (output above)`);
}

/**
 * One NodeUnit per site of the fleet (its nodes: every host of that site) and the NodeGroup
 * `location` of all of them, applied with `edgeplane apply -f` (nodepool creates or updates).
 */
async function applySites(state) {
  const yaml = [
    ...state.units.map(
      (unit) =>
        `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata:\n  name: ${unit}\nspec:\n  type: edge\n  nodes: [${state.hosts
          .filter((h) => h.site === unit)
          .map((h) => h.name)
          .join(', ')}]\n`,
    ),
    `apiVersion: site.superedge.io/v1alpha2\nkind: NodeGroup\nmetadata:\n  name: location\nspec:\n  nodeUnits: [${state.units.join(', ')}]\n`,
  ].join('---\n');
  const file = path.join(state.dir, state.cluster, 'sites.yaml');
  writeFileSync(file, yaml);
  return cliOk('apply', '-f', file, '--cluster', state.cluster);
}

/** Addresses 10.210.<slot>.<n>: the next free host numbers of the fleet's /24. */
function nextAddresses(state, count) {
  const used = new Set(state.hosts.map((h) => Number(h.address.split('.')[3])));
  const [a, b] = state.cloud.split('.');
  const out = [];
  for (let n = 1; n <= 254 && out.length < count; n++)
    if (!used.has(n)) out.push(`${a}.${b}.${state.slot}.${n}`);
  if (out.length < count) throw new Error('no address left in the fleet block');
  return out;
}

/**
 * Hosts added to a running fleet: namespaces on the same bridge, a containerd each when the fleet
 * runs `cri` (the other hosts get routes to their pod slices), joined with a fresh join command
 * and `edgectl install`; then each site's NodeUnit is created (a new site) or updated (more nodes)
 * and the NodeGroup `location` names every site. `down` removes them with the rest.
 */
async function add(o) {
  await requirePrivileges();
  const dir = path.resolve(o.dir);
  const sites = [...(o.sites ?? []), ...(o.site ?? [])];
  if (sites.length === 0) throw new Error('add needs --sites SITE:COUNT[:PREFIX],…');
  const state = readState(dir, o.cluster);
  if (!state) throw new Error(`no fleet for cluster ${o.cluster} in ${dir}: fleet up first`);
  const fresh = [];
  for (const site of sites) {
    const taken = state.hosts.filter((h) => h.name.startsWith(`${site.prefix}-`)).length;
    for (let i = 1; i <= site.count; i++)
      fresh.push({ name: `${site.prefix}-${taken + i}`, site: site.name });
  }
  const names = [...state.hosts.map((h) => h.name), ...fresh.map((h) => h.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`two hosts would be named ${dup}; give the site a distinct prefix`);
  if (names.length > 250) throw new Error('at most 250 hosts per fleet');
  const addresses = nextAddresses(state, fresh.length);
  const added = fresh.map((h, i) => ({
    ...h,
    netns: `${o.cluster}-${h.name}`,
    veth: vethOf(o.cluster, h.name),
    address: addresses[i],
    dir: path.join(dir, o.cluster, h.name),
    home: path.join(dir, o.cluster, h.name, 'home'),
    installed: false,
    ...(o.nodeCpu ? { cpu: o.nodeCpu } : {}),
    ...(o.nodeMemory ? { memory: o.nodeMemory } : {}),
  }));
  state.hosts.push(...added);
  for (const site of sites) if (!state.units.includes(site.name)) state.units.push(site.name);
  writeState(dir, state); // `down` removes whatever of them exists

  const { buildEdgeBundles } = await import('./edge-bundles.mjs');
  await buildEdgeBundles({ ifStale: true });
  await ensureBridge(state.bridge, state.cloudCidr);
  for (const host of added) {
    await addHost(state, host);
    mkdirSync(host.dir, { recursive: true });
  }
  console.log(`network: ${added.length} namespace(s) added on bridge ${state.bridge}`);

  if (state.runtime === 'cri') {
    const t0 = Date.now();
    const r = await run(
      process.execPath,
      [
        FLEET_CONTAINERD,
        'up',
        '--cluster',
        o.cluster,
        '--dir',
        dir,
        '--only',
        added.map((h) => h.name).join(','),
      ],
      { allowFail: true, timeoutMs: 60_000 + 120_000 * added.length },
    );
    process.stdout.write(r.stdout);
    if (r.code !== 0) throw new Error(`containerd could not be set up on the new hosts: ${r.stderr.trim()}`);
    const runtime = JSON.parse(readFileSync(path.join(dir, o.cluster, 'runtime.json'), 'utf8'));
    for (const host of added) {
      host.criSocket = runtime.hosts[host.name]?.socket;
      host.podCidr = runtime.hosts[host.name]?.podCidr;
      if (!host.criSocket) throw new Error(`${host.name}: fleet-containerd set up no containerd`);
    }
    writeState(dir, state);
    console.log(
      `runtime: containerd on ${added.length} new host(s) in ${Math.round((Date.now() - t0) / 1000)} s`,
    );
  }

  const token = JSON.parse(
    await cliOk('token', 'create', '--cluster', o.cluster, '--expires', '1h', '-o', 'json'),
  );
  if (!token.joinCommand) throw new Error(`token create printed no join command:\n${token.instructions}`);
  const results = await Promise.all(
    added.map((host) =>
      installHost(host, token.joinCommand, o.timeout, o.relayTarget, state.runtime ?? 'none'),
    ),
  );
  results.forEach((ok, i) => (added[i].installed = ok));
  writeState(dir, state);
  const failed = added.filter((h) => !h.installed).map((h) => h.name);

  process.stdout.write(await applySites(state));
  await hostsTable(state);
  if (failed.length > 0) throw new Error(`edgectl install failed on ${failed.join(', ')} (output above)`);
}

/** The join command in the host's namespace, <NODE_NAME> → the host, from the host's folder. */
async function installHost(host, joinCommand, timeoutSeconds, relayTargets, runtime = 'none') {
  const command =
    joinCommand.replaceAll('<NODE_NAME>', host.name) +
    ` --timeout ${timeoutSeconds}` +
    relayTargets.map((t) => ` --relay-target '${t}'`).join('') +
    (runtime !== 'none' ? ` --runtime ${runtime}` : '') +
    (host.criSocket ? ` --cri-socket '${host.criSocket}'` : '') +
    (host.cpu ? ` --allocatable-cpu '${host.cpu}'` : '') +
    (host.memory ? ` --allocatable-memory '${host.memory}'` : '');
  const env = {
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    HOME: host.dir,
    EDGEPLANE_HOME: host.home,
  };
  return new Promise((resolve) => {
    const child = spawn(
      'ip',
      ['netns', 'exec', host.netns, '/bin/sh', '-c', `cd '${host.dir}' && ${command}`],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // each host's lines together, printed when its install ends (five installs run at once)
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      process.stdout.write(prefixed(host.name, output));
      resolve(code === 0);
    });
  });
}

async function hostsTable(state) {
  const rows = await Promise.all(
    state.hosts.map(async (h) => {
      const s = await agentStatus(h.address);
      const agent = !s
        ? h.installed
          ? 'not answering'
          : 'not installed'
        : s.connected
          ? 'connected'
          : 'disconnected';
      const cut = (
        await run('ip', ['netns', 'exec', h.netns, 'iptables', '-S', 'OUTPUT'], { allowFail: true })
      ).stdout.includes(`-d ${state.cloud}/32 -j DROP`);
      return [h.name, h.site, h.netns, h.address, agent + (cut ? ' (cut off)' : ''), h.home];
    }),
  );
  console.log(`\nfleet ${state.cluster}: cloud ${state.cloud} on bridge ${state.bridge}`);
  console.log(table(['HOST', 'SITE', 'NETNS', 'ADDRESS', 'AGENT', 'HOME'], rows));
  const example = state.hosts.at(-1);
  if (example) {
    console.log(
      `\ncut a host off the cloud:  ip netns exec ${example.netns} iptables -A OUTPUT -d ${state.cloud} -j DROP` +
        `\nrestore it:                ip netns exec ${example.netns} iptables -D OUTPUT -d ${state.cloud} -j DROP` +
        `\nits edgectl:               ip netns exec ${example.netns} env EDGEPLANE_HOME=${example.home} ${example.dir}/edgectl status`,
    );
  }
}

async function down(o) {
  await requirePrivileges();
  const dir = path.resolve(o.dir);
  const state = readState(dir, o.cluster);
  if (!state) {
    console.log(`no fleet for cluster ${o.cluster} in ${dir}`);
    return;
  }
  const problems = [];
  // the agents first (they would start pods again), then the hosts' containerd (pods removed
  // through CRI, daemons stopped, their state deleted), then the namespaces
  for (const host of state.hosts) {
    const edgectl = path.join(host.dir, 'edgectl');
    if (existsSync(edgectl) && existsSync(host.home)) {
      const r = await run(
        'ip',
        ['netns', 'exec', host.netns, process.execPath, edgectl, 'clear', '--home', host.home],
        { allowFail: true },
      );
      process.stdout.write(prefixed(host.name, r.stdout));
    }
  }
  if (state.hosts.some((h) => existsSync(path.join(h.dir, 'containerd')))) {
    const r = await run(process.execPath, [FLEET_CONTAINERD, 'down', '--cluster', o.cluster, '--dir', dir], {
      allowFail: true,
      timeoutMs: 60_000 + 120_000 * state.hosts.length,
    });
    process.stdout.write(r.stdout);
    if (r.code !== 0) problems.push(`containerd: ${r.stderr.trim()}`);
  }
  for (const host of state.hosts) {
    try {
      await removeHost(host);
      rmSync(host.dir, { recursive: true, force: true });
    } catch (error) {
      // go on with the others; the state stays so `down` can be run again
      problems.push(`${host.name}: ${error.message}`);
    }
  }
  if (problems.length > 0)
    throw new Error(`could not remove every host (run down again):\n  ${problems.join('\n  ')}`);
  console.log(`removed ${state.hosts.length} host namespace(s)`);
  if (state.createdCluster) {
    const r = await cli('cluster', 'delete', o.cluster);
    console.log(r.code === 0 ? `cluster ${o.cluster} deleted` : `cluster ${o.cluster}: ${r.stderr.trim()}`);
  } else {
    // the cluster was there before: take back only what `up` added to it
    for (const host of state.hosts.filter((h) => h.installed))
      await cli('node', 'remove', host.name, '--cluster', o.cluster);
    await cli('group', 'delete', 'location', '--cluster', o.cluster);
    for (const unit of state.units) await cli('unit', 'delete', unit, '--cluster', o.cluster);
    console.log(
      `cluster ${o.cluster} kept (it existed before); its fleet nodes, units and the group location removed`,
    );
  }
  rmSync(path.join(dir, state.cluster), { recursive: true, force: true });
  releaseSlot(state);
  if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
  const ports = await bridgePorts(state.bridge);
  if (ports === 0) {
    if (state.forwardRule)
      await run('iptables', ['-D', 'FORWARD', '-i', state.bridge, '-o', state.bridge, '-j', 'ACCEPT'], {
        allowFail: true,
      });
    if (await linkExists(state.bridge)) await ip('link', 'del', state.bridge);
    console.log(`bridge ${state.bridge} removed`);
  } else console.log(`bridge ${state.bridge} kept (${ports} other host(s) on it)`);
}

async function hosts(o) {
  const state = readState(path.resolve(o.dir), o.cluster);
  if (!state) throw new Error(`no fleet for cluster ${o.cluster}`);
  await hostsTable(state);
}

async function cut(o, hostName, action) {
  const state = readState(path.resolve(o.dir), o.cluster);
  const host = state?.hosts.find((h) => h.name === hostName);
  if (!host) throw new Error(`no host ${hostName} in the fleet of ${o.cluster}`);
  const args = [
    'netns',
    'exec',
    host.netns,
    'iptables',
    action === 'cut' ? '-A' : '-D',
    'OUTPUT',
    '-d',
    state.cloud,
    '-j',
    'DROP',
  ];
  await run('ip', args);
  console.log(
    `${hostName}: ${action === 'cut' ? 'cut off from' : 'reconnected to'} the cloud (ip ${args.join(' ')})`,
  );
}

function env(o) {
  const { cloud } = parseCloud(o.cloud);
  const lines = {
    JOIN_SERVER_URL: `https://${cloud}:${o.joinPort}`,
    TUNNEL_PUBLIC_ADDRESS: `${cloud}:${o.tunnelPort}`,
    TUNNEL_PUBLIC_HOSTS: `${cloud},127.0.0.1,localhost`,
    ...(o.joinPort !== '50443' ? { TUNNEL_JOIN_PORT: o.joinPort } : {}),
    ...(o.tunnelPort !== '50444' ? { TUNNEL_PORT: o.tunnelPort } : {}),
  };
  console.log(
    '# the stack settings a fleet on this bridge needs: eval "$(npm run -s fleet -- env)" && npm start',
  );
  for (const [k, v] of Object.entries(lines)) console.log(`export ${k}='${v}'`);
}

// ---------------------------------------------------------------------------------------------

const program = new Command('fleet').description('the simulated fleet: edge hosts as network namespaces');
const common = (cmd) =>
  cmd
    .option('--dir <dir>', 'where fleet state and host homes live (EDGEPLANE_FLEET_DIR)', DEFAULTS.dir)
    .option('--bridge <name>', 'the bridge hosts hang on', DEFAULTS.bridge)
    .option('--cloud <cidr>', 'the cloud address on the bridge, /16', DEFAULTS.cloud);
common(program.command('up'))
  .requiredOption('--cluster <name>', 'cluster to join (created if missing)')
  .requiredOption('--sites <list>', 'SITE:COUNT[:PREFIX],…', parseSites)
  .option(
    '--node-cpu <cpu>',
    "each host's allocatable CPU as its agent reports it, e.g. 2 or 500m (default: the machine's)",
    cpuQuantity,
  )
  .option(
    '--node-memory <bytes>',
    "each host's allocatable memory, e.g. 4Gi (default: the machine's)",
    memoryQuantity,
  )
  .option('--timeout <seconds>', 'per host: how long edgectl waits for its agent to connect', '90')
  .addOption(
    new Option('--runtime <driver>', "what runs the pods the cloud assigns (the agents' runtime driver)")
      .choices(['none', 'process', 'cri'])
      .default('none'),
  )
  .option(
    '--relay-target <name=host:port>',
    'what remote login may reach on every host (edgectl install --relay-target; default its sshd)',
    (v, prev) => [...prev, v],
    [],
  )
  .option('--no-join', 'make the hosts (namespaces) only: no cluster, token, install or sites')
  .action((o) => up(o));
common(program.command('add'))
  .description('add hosts to a running fleet (new sites become NodeUnits of the group location)')
  .requiredOption('--cluster <name>')
  .option('--sites <list>', 'SITE:COUNT[:PREFIX],… (an existing site gets more hosts)', parseSites)
  .option(
    '--node-cpu <cpu>',
    "each host's allocatable CPU as its agent reports it, e.g. 2 or 500m (default: the machine's)",
    cpuQuantity,
  )
  .option(
    '--node-memory <bytes>',
    "each host's allocatable memory, e.g. 4Gi (default: the machine's)",
    memoryQuantity,
  )
  .addOption(new Option('--site <list>', 'the same as --sites').argParser(parseSites).hideHelp())
  .option('--timeout <seconds>', 'per host: how long edgectl waits for its agent to connect', '90')
  .option(
    '--relay-target <name=host:port>',
    'what remote login may reach on every new host (edgectl install --relay-target)',
    (v, prev) => [...prev, v],
    [],
  )
  .action((o) => add(o));
common(program.command('down'))
  .requiredOption('--cluster <name>')
  .action((o) => down(o));
common(program.command('hosts'))
  .requiredOption('--cluster <name>')
  .action((o) => hosts(o));
common(program.command('cut <host>'))
  .requiredOption('--cluster <name>')
  .action((host, o) => cut(o, host, 'cut'));
common(program.command('restore <host>'))
  .requiredOption('--cluster <name>')
  .action((host, o) => cut(o, host, 'restore'));
common(program.command('env'))
  .option('--join-port <port>', "the tunnel's join port (TUNNEL_JOIN_PORT)", '50443')
  .option('--tunnel-port <port>', "the tunnel's agent port (TUNNEL_PORT)", '50444')
  .action((o) => env(o));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`fleet: ${error.message}`);
  process.exit(1);
}
