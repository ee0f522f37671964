import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the node offers pods: millicores, MiB, pod count (the tunnel's NodeResources). */
export interface Allocatable {
  cpuMilli: number;
  memoryMib: number;
  pods: number;
}

/** Kubernetes' default max pods per node (kubelet --max-pods). */
export const DEFAULT_MAX_PODS = 110;

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The agent's own cgroup path (v2 `0::/path`, or the v1 hierarchy naming `controller`). */
function cgroupPath(controller: string, selfCgroup: string): { v2?: string; v1?: string } {
  const out: { v2?: string; v1?: string } = {};
  for (const line of selfCgroup.split('\n')) {
    const [id, ctrls, p] = line.split(':');
    if (p === undefined) continue;
    if (id === '0' && ctrls === '') out.v2 = p;
    else if (ctrls?.split(',').includes(controller)) out.v1 = p;
  }
  return out;
}

/** The cgroup's CPU limit in millicores (quota/period), or undefined when unlimited/unreadable. */
export function cgroupCpuMilli(
  root = '/sys/fs/cgroup',
  selfCgroup = read('/proc/self/cgroup') ?? '',
): number | undefined {
  const { v2, v1 } = cgroupPath('cpu', selfCgroup);
  const candidates: number[] = [];
  for (const dir of v2 !== undefined ? [`${root}${v2 === '/' ? '' : v2}`, root] : []) {
    const max = read(`${dir}/cpu.max`);
    const m = max && /^(\d+)\s+(\d+)$/.exec(max);
    if (m) candidates.push(Math.floor((Number(m[1]) * 1000) / Number(m[2])));
  }
  for (const dir of [
    `${root}/cpu${v1 && v1 !== '/' ? v1 : ''}`,
    `${root}/cpu,cpuacct${v1 && v1 !== '/' ? v1 : ''}`,
  ]) {
    const quota = Number(read(`${dir}/cpu.cfs_quota_us`));
    const period = Number(read(`${dir}/cpu.cfs_period_us`));
    if (quota > 0 && period > 0) candidates.push(Math.floor((quota * 1000) / period));
  }
  const positive = candidates.filter((c) => c > 0);
  return positive.length > 0 ? Math.min(...positive) : undefined;
}

/** The cgroup's memory limit in bytes, or undefined when unlimited/unreadable. */
export function cgroupMemoryBytes(
  root = '/sys/fs/cgroup',
  selfCgroup = read('/proc/self/cgroup') ?? '',
): number | undefined {
  const { v2, v1 } = cgroupPath('memory', selfCgroup);
  const candidates: number[] = [];
  for (const dir of v2 !== undefined ? [`${root}${v2 === '/' ? '' : v2}`, root] : []) {
    const max = read(`${dir}/memory.max`);
    if (max && /^\d+$/.test(max)) candidates.push(Number(max));
  }
  const limit = read(`${root}/memory${v1 && v1 !== '/' ? v1 : ''}/memory.limit_in_bytes`);
  // v1 says "no limit" with a huge number (PAGE_COUNTER_MAX pages): anything ≥ 2^60 is that
  if (limit && /^\d+$/.test(limit) && Number(limit) < 2 ** 60) candidates.push(Number(limit));
  const positive = candidates.filter((c) => c > 0);
  return positive.length > 0 ? Math.min(...positive) : undefined;
}

/** "2", "1.5", "500m" → millicores (Kubernetes CPU quantity); undefined when not one. */
export function parseCpu(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text.trim());
  if (!m) return undefined;
  const v = m[2] ? Number(m[1]) : Number(m[1]) * 1000;
  return Number.isFinite(v) && v >= 1 && v <= 2 ** 31 - 1 ? Math.floor(v) : undefined;
}

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** "4Gi", "512Mi", "2G", "1073741824" → MiB (Kubernetes memory quantity); undefined when not one. */
export function parseMemoryMib(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(|k|M|G|T|Ki|Mi|Gi|Ti)$/.exec(text.trim());
  if (!m) return undefined;
  const mib = Math.floor((Number(m[1]) * UNITS[m[2]!]!) / 2 ** 20);
  return mib >= 1 && mib <= 2 ** 31 - 1 ? mib : undefined;
}

/**
 * The node's allocatable: what agent.json or the environment says (EDGEPLANE_ALLOCATABLE_CPU,
 * EDGEPLANE_ALLOCATABLE_MEMORY, EDGEPLANE_ALLOCATABLE_PODS — the environment wins, so a simulated
 * host can be given a size at start), else the host: the agent's cgroup limits when set, else its
 * CPUs (os.availableParallelism) and memory (/proc/meminfo through os.totalmem). Nothing is held
 * back for the system (Kubernetes' kube-reserved/system-reserved are 0 here).
 */
export function nodeAllocatable(
  configured: Partial<Allocatable> = {},
  env: NodeJS.ProcessEnv = process.env,
  host: { cpuMilli?: number; memoryBytes?: number } = {
    cpuMilli: cgroupCpuMilli(),
    memoryBytes: cgroupMemoryBytes(),
  },
): Allocatable {
  const envCpu = env.EDGEPLANE_ALLOCATABLE_CPU ? parseCpu(env.EDGEPLANE_ALLOCATABLE_CPU) : undefined;
  const envMemory = env.EDGEPLANE_ALLOCATABLE_MEMORY
    ? parseMemoryMib(env.EDGEPLANE_ALLOCATABLE_MEMORY)
    : undefined;
  const envPods = Number(env.EDGEPLANE_ALLOCATABLE_PODS);
  const hostCpu = Math.min(host.cpuMilli ?? Infinity, os.availableParallelism() * 1000);
  const hostMemory = Math.floor(Math.min(host.memoryBytes ?? Infinity, os.totalmem()) / 2 ** 20);
  return {
    cpuMilli: envCpu ?? configured.cpuMilli ?? hostCpu,
    memoryMib: envMemory ?? configured.memoryMib ?? hostMemory,
    pods:
      Number.isInteger(envPods) && envPods >= 1 && envPods <= 10_000
        ? envPods
        : (configured.pods ?? DEFAULT_MAX_PODS),
  };
}
