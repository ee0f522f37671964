import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { archName, osRelease } from './host-facts.js';

/**
 * `edgectl check` (F-NO-2): what would get in the way of an edge node here. Every finding is one
 * risk; the command prints one WARN line per risk and exits with their number.
 */

/** What the checks read of the machine (a fake in tests). */
export interface HostView {
  uid: number;
  arch: string;
  /** file text, or undefined when it cannot be read */
  read(file: string): string | undefined;
  exists(file: string): boolean;
  /** the `comm` of every running process */
  processNames(): string[];
  /** an executable of this name on PATH */
  onPath(command: string): boolean;
}

/** Ports the edge components need (F-NO-2): 1443, 10249–10259, 51000–51020. */
export const REQUIRED_PORTS: readonly number[] = [1443, ...range(10249, 10259), ...range(51000, 51020)];

const SUPPORTED_OS: Record<string, number> = {
  ubuntu: 18.04,
  debian: 10,
  centos: 7,
  rhel: 8,
  rocky: 8,
  almalinux: 8,
  tencentos: 2,
  opencloudos: 8,
};

const SUPPORTED_ARCH = ['x86_64', 'arm64', 'arm'];

export function checkEnvironment(host: HostView): string[] {
  const risks: string[] = [];
  if (host.uid !== 0) risks.push(`not running as root (uid ${host.uid}); install and clear need root`);

  const os = osRelease(host.read('/etc/os-release') ?? '');
  const id = (os.ID ?? '').toLowerCase();
  const version = Number.parseFloat(os.VERSION_ID ?? '');
  const minimum = SUPPORTED_OS[id];
  if (minimum === undefined) {
    risks.push(
      `operating system ${os.PRETTY_NAME ?? (id || 'unknown')} is not supported (supported: ${Object.keys(SUPPORTED_OS).join(', ')})`,
    );
  } else if (!(version >= minimum)) {
    risks.push(`operating system ${os.PRETTY_NAME ?? id} is older than the supported ${id} ${minimum}`);
  }
  const arch = archName(host.arch);
  if (!SUPPORTED_ARCH.includes(arch))
    risks.push(`architecture ${arch} is not supported (${SUPPORTED_ARCH.join(', ')})`);

  const swaps = (host.read('/proc/swaps') ?? '')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim());
  if (swaps.length > 0) {
    risks.push(
      `swap is on (${swaps.map((l) => l.split(/\s+/)[0]).join(', ')}); turn it off: swapoff -a, and remove it from /etc/fstab`,
    );
  }

  if (host.processNames().includes('firewalld'))
    risks.push('firewalld is running; stop and disable it: systemctl disable --now firewalld');
  if (/^\s*ENABLED\s*=\s*yes\s*$/m.test(host.read('/etc/ufw/ufw.conf') ?? ''))
    risks.push('ufw is enabled; disable it: ufw disable');

  const listening = listeningPorts(host);
  const busy = REQUIRED_PORTS.filter((p) => listening.has(p));
  if (busy.length > 0) risks.push(`port(s) already in use: ${busy.join(', ')}`);

  if (!memoryCgroupEnabled(host))
    risks.push(
      'the memory cgroup is not enabled; add cgroup_enable=memory to the kernel command line and reboot',
    );

  for (const command of ['kubeadm', 'kubelet', 'kubectl', 'docker']) {
    if (host.onPath(command)) risks.push(`leftover: ${command} is installed; remove it first`);
  }
  for (const dir of ['/etc/kubernetes', '/var/lib/kubelet', '/var/lib/docker']) {
    if (host.exists(dir)) risks.push(`leftover: ${dir} exists; remove it first`);
  }
  return risks;
}

/** TCP ports in LISTEN state, from /proc/net/tcp and tcp6 (this network namespace's). */
export function listeningPorts(host: Pick<HostView, 'read'>): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (host.read(table) ?? '').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local) ports.add(Number.parseInt(local.split(':').pop()!, 16));
    }
  }
  return ports;
}

function memoryCgroupEnabled(host: HostView): boolean {
  const v2 = host.read('/sys/fs/cgroup/cgroup.controllers');
  if (v2 !== undefined) return v2.split(/\s+/).includes('memory');
  for (const line of (host.read('/proc/cgroups') ?? '').split('\n')) {
    const [name, , , enabled] = line.trim().split(/\s+/);
    if (name === 'memory') return enabled === '1';
  }
  return false;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The machine edgectl runs on. */
export const realHost: HostView = {
  uid: process.getuid?.() ?? -1,
  arch: process.arch,
  read(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (file) => existsSync(file),
  processNames() {
    const names: string[] = [];
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        names.push(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      } catch {
        /* gone */
      }
    }
    return names;
  },
  onPath(command) {
    for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
      try {
        accessSync(path.join(dir, command), constants.X_OK);
        return true;
      } catch {
        /* not here */
      }
    }
    return false;
  },
};
