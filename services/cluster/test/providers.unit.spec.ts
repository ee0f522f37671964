import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, IllegalStateError, NotFoundError } from '@edgeplane/es-kit';
import {
  LocalMachineProvider,
  MachineProviderRegistry,
  type LocalAgentLauncher,
  type MachineSpec,
} from '../src/index.js';

const spec: MachineSpec = {
  clusterId: 'cls-a',
  nodeName: 'edge-01',
  join: { server: 'http://127.0.0.1:50051', token: 'tok.secret', containerDir: '/var/lib/containerd' },
};

describe('machine providers (F-NO-5)', () => {
  it('the registry finds providers by name and refuses unknown or duplicate names', () => {
    const registry = new MachineProviderRegistry([new LocalMachineProvider()]);
    expect(registry.names()).toEqual(['local']);
    expect(registry.get('local').name).toBe('local');
    expect(() => registry.get('ecm')).toThrow(NotFoundError);
    expect(() => registry.register(new LocalMachineProvider())).toThrow(AlreadyExistsError);
  });

  it('the local provider refuses to provision until an agent launcher exists', async () => {
    await expect(new LocalMachineProvider().provision(spec)).rejects.toBeInstanceOf(IllegalStateError);
  });

  it('the local provider starts an agent with the join data and stops it on release', async () => {
    const started: unknown[] = [];
    let stopped = 0;
    const launcher: LocalAgentLauncher = {
      async start(input) {
        started.push(input);
        return { stop: async () => void stopped++ };
      },
    };
    const provider = new LocalMachineProvider(launcher);
    const { machineId } = await provider.provision(spec);
    expect(machineId).toBe('local-cls-a-edge-01');
    expect(started).toEqual([{ machineId, nodeName: 'edge-01', join: spec.join }]);
    expect((await provider.provision(spec)).machineId).toBe(machineId);
    expect(started).toHaveLength(1);
    await provider.release(machineId);
    await provider.release(machineId);
    expect(stopped).toBe(1);
    expect(provider.machines()).toEqual([]);
  });
});
