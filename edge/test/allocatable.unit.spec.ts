import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cgroupCpuMilli,
  cgroupMemoryBytes,
  nodeAllocatable,
  parseCpu,
  parseMemoryMib,
} from '../src/agent/allocatable.js';
import { parseAgentConfig } from '../src/agent/config.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'allocatable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const put = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

describe("the node's allocatable (what the agent reports and the grid service places against)", () => {
  it('reads cgroup v2 limits along the agent’s own cgroup (the smaller of its own and the root)', () => {
    const v2 = path.join(root, 'v2');
    put('v2/cpu.max', 'max 100000\n');
    put('v2/memory.max', 'max\n');
    put('v2/edge/agent/cpu.max', '150000 100000\n');
    put('v2/edge/agent/memory.max', `${3 * 2 ** 30}\n`);
    expect(cgroupCpuMilli(v2, '0::/edge/agent\n')).toBe(1500);
    expect(cgroupMemoryBytes(v2, '0::/edge/agent\n')).toBe(3 * 2 ** 30);
    // unlimited everywhere: no limit (the host's CPUs and memory are used)
    expect(cgroupCpuMilli(v2, '0::/\n')).toBeUndefined();
    expect(cgroupMemoryBytes(v2, '0::/\n')).toBeUndefined();
  });

  it('reads cgroup v1 quota/period and limit_in_bytes; the "no limit" huge value is no limit', () => {
    const v1 = path.join(root, 'v1');
    put('v1/cpu,cpuacct/job/cpu.cfs_quota_us', '50000');
    put('v1/cpu,cpuacct/job/cpu.cfs_period_us', '100000');
    put('v1/memory/job/memory.limit_in_bytes', String(512 * 2 ** 20));
    const self = '4:cpu,cpuacct:/job\n3:memory:/job\n';
    expect(cgroupCpuMilli(v1, self)).toBe(500);
    expect(cgroupMemoryBytes(v1, self)).toBe(512 * 2 ** 20);
    put('v1/memory/free/memory.limit_in_bytes', '9223372036854771712');
    expect(cgroupMemoryBytes(v1, '3:memory:/free\n')).toBeUndefined();
  });

  it('Kubernetes quantities: CPU in cores or millicores, memory with SI or binary suffixes', () => {
    expect(parseCpu('2')).toBe(2000);
    expect(parseCpu('1.5')).toBe(1500);
    expect(parseCpu('250m')).toBe(250);
    for (const bad of ['', '-1', 'two', '0', '2 cores', '1e3']) expect(parseCpu(bad), bad).toBeUndefined();
    expect(parseMemoryMib('4Gi')).toBe(4096);
    expect(parseMemoryMib('512Mi')).toBe(512);
    expect(parseMemoryMib('1G')).toBe(953);
    expect(parseMemoryMib(String(2 ** 30))).toBe(1024);
    for (const bad of ['', '4GB', '-1Gi', '1Ki', 'lots']) expect(parseMemoryMib(bad), bad).toBeUndefined();
  });

  it('environment over agent.json over the host; the host is its cgroup limit capped by its CPUs and memory', () => {
    const host = { cpuMilli: 1500, memoryBytes: 2 * 2 ** 30 };
    expect(nodeAllocatable({}, {}, host)).toEqual({
      cpuMilli: Math.min(1500, os.availableParallelism() * 1000),
      memoryMib: Math.min(2048, Math.floor(os.totalmem() / 2 ** 20)),
      pods: 110,
    });
    expect(nodeAllocatable({}, {}, {})).toEqual({
      cpuMilli: os.availableParallelism() * 1000,
      memoryMib: Math.floor(os.totalmem() / 2 ** 20),
      pods: 110,
    });
    expect(nodeAllocatable({ cpuMilli: 4000, memoryMib: 8192, pods: 20 }, {}, host)).toEqual({
      cpuMilli: 4000,
      memoryMib: 8192,
      pods: 20,
    });
    expect(
      nodeAllocatable(
        { cpuMilli: 4000, memoryMib: 8192 },
        {
          EDGEPLANE_ALLOCATABLE_CPU: '500m',
          EDGEPLANE_ALLOCATABLE_MEMORY: '1Gi',
          EDGEPLANE_ALLOCATABLE_PODS: '7',
        },
        host,
      ),
    ).toEqual({ cpuMilli: 500, memoryMib: 1024, pods: 7 });
    // an environment value that is not a quantity is ignored, not half-used
    expect(nodeAllocatable({ cpuMilli: 4000 }, { EDGEPLANE_ALLOCATABLE_CPU: 'lots' }, host).cpuMilli).toBe(
      4000,
    );
  });

  it('agent.json allocatable is checked field by field', () => {
    const base = {
      clusterId: 'c',
      nodeName: 'n',
      tunnelAddress: '10.0.0.1:50444',
      files: {},
      listen: {},
      relayTargets: {},
      reconnect: {},
    };
    const ok = parseAgentConfig({ ...base, allocatable: { cpuMilli: 2000, memoryMib: 4096 } });
    expect(ok.ok && ok.config.allocatable).toEqual({ cpuMilli: 2000, memoryMib: 4096 });
    const none = parseAgentConfig(base);
    expect(none.ok && none.config.allocatable).toBeUndefined();
    const bad = parseAgentConfig({ ...base, allocatable: { cpuMilli: 0, pods: 'x' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.join('\n')).toMatch(/allocatable\.cpuMilli/);
    expect(!bad.ok && bad.problems.join('\n')).toMatch(/allocatable\.pods/);
  });
});
