#!/usr/bin/env node
// One containerd per host of a simulated fleet (scripts/fleet.mjs), each inside its host's network
// namespace, with the host's slice of the pod CIDR and routes to the other hosts' slices — so the
// agents' `cri` runtime has a runtime on every host and pods on different hosts reach each other.
//
//   node scripts/runtime/fleet-containerd.mjs up --cluster demo [--pod-cidr 10.244.0.0/16] [--dir D]
//   node scripts/runtime/fleet-containerd.mjs up --cluster demo --only HOST,HOST   hosts added later
//   node scripts/runtime/fleet-containerd.mjs down --cluster demo [--dir D]
//
// Host i (in fleet.json order, from 0) gets the /24 number i+1 of the pod CIDR (a /16: up to 250
// hosts, as the fleet allows). Each containerd lives in <host dir>/containerd (socket
// <host dir>/containerd/containerd.sock). `up` writes <dir>/<cluster>/runtime.json
// {podCidr, hosts: {name: {netns, socket, podCidr}}}, what an e2e reads to point agents at their
// runtime; `down` stops every containerd (pods removed through CRI first) and deletes that file.
// Needs scripts/runtime/setup.sh done (containerd, runc, CNI plugins, busybox-static).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const exec = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST_SCRIPT = path.join(HERE, 'containerd-host.sh');

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cluster: { type: 'string' },
    dir: { type: 'string', default: process.env.EDGEPLANE_FLEET_DIR || '/var/lib/edgeplane-fleet' },
    'pod-cidr': { type: 'string', default: '10.244.0.0/16' },
    /** hosts added to a running fleet: only they get a containerd; the others only routes to them */
    only: { type: 'string' },
  },
});
const command = positionals[0];
if (!o.cluster || !['up', 'down'].includes(command ?? '')) {
  console.error('usage: fleet-containerd.mjs up|down --cluster NAME [--pod-cidr A.B.0.0/16] [--dir D]');
  process.exit(2);
}
const fleetFile = path.join(o.dir, o.cluster, 'fleet.json');
const runtimeFile = path.join(o.dir, o.cluster, 'runtime.json');
if (!existsSync(fleetFile)) {
  console.error(`no fleet ${o.cluster} (${fleetFile}): run scripts/fleet.mjs up first`);
  process.exit(1);
}
const fleet = JSON.parse(readFileSync(fleetFile, 'utf8'));
const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(o['pod-cidr']);
if (!m) {
  console.error(`--pod-cidr must be a /16 like 10.244.0.0/16, got ${o['pod-cidr']}`);
  process.exit(2);
}
const slice = (i) => `${m[1]}.${m[2]}.${i + 1}.0/24`;
const runtimeDir = (host) => path.join(host.dir, 'containerd');

try {
  if (command === 'up') {
    const only = o.only ? new Set(o.only.split(',')) : undefined;
    const hosts = only && existsSync(runtimeFile) ? JSON.parse(readFileSync(runtimeFile, 'utf8')).hosts : {};
    if (only) {
      // the hosts already running reach the new hosts' pod slices through them
      for (const host of fleet.hosts) {
        if (only.has(host.name)) continue;
        for (const [j, other] of fleet.hosts.entries())
          if (only.has(other.name))
            await exec('ip', ['-n', host.netns, 'route', 'replace', slice(j), 'via', other.address]).catch(
              (e) => console.error(`${host.name}: route to ${other.name}'s pods: ${e.message}`),
            );
      }
    }
    // one at a time: each start imports the images (cached archives) and the machine is small
    for (const [i, host] of fleet.hosts.entries()) {
      if (only && !only.has(host.name)) continue;
      const routes = fleet.hosts.flatMap((other, j) =>
        j === i ? [] : ['--route', `${slice(j)}=${other.address}`],
      );
      const { stdout } = await exec(
        'ip',
        [
          'netns',
          'exec',
          host.netns,
          HOST_SCRIPT,
          'start',
          '--dir',
          runtimeDir(host),
          '--pod-cidr',
          slice(i),
          ...routes,
        ],
        { timeout: 300_000 },
      );
      const socket = /CONTAINERD_SOCKET=(\S+)/.exec(stdout)?.[1];
      if (!socket) throw new Error(`${host.name}: containerd-host.sh printed no socket`);
      hosts[host.name] = { netns: host.netns, socket, podCidr: slice(i) };
      console.log(`${host.name}: containerd on ${socket}, pods ${slice(i)}`);
      writeFileSync(runtimeFile, JSON.stringify({ podCidr: o['pod-cidr'], hosts }, null, 2) + '\n');
    }
  } else {
    for (const host of fleet.hosts) {
      if (!existsSync(runtimeDir(host))) continue;
      await exec(HOST_SCRIPT, ['stop', '--dir', runtimeDir(host)], { timeout: 300_000 }).catch((e) =>
        console.error(`${host.name}: ${e.message}`),
      );
      rmSync(runtimeDir(host), { recursive: true, force: true });
      console.log(`${host.name}: containerd stopped`);
    }
    rmSync(runtimeFile, { force: true });
  }
} catch (error) {
  console.error(`fleet-containerd ${command}: ${error.stderr || error.message}`);
  process.exit(1);
}
