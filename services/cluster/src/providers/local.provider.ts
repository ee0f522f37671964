import { IllegalStateError } from '@edgeplane/es-kit';
import type { MachineProvider, MachineSpec } from './machine-provider.js';

/**
 * The `local` provider for the local stack: a "machine" is a local edge-agent process that runs the
 * join flow (`edgectl install -n <node>` with the join token in its environment).
 *
 * The agent lives in edge/ and is not built yet, so starting the process is delegated to an
 * injected launcher; without one, provision() refuses with FAILED_PRECONDITION and says why. Once
 * the agent exists, the service wires a launcher that spawns it (child_process) with
 * EDGEPLANE_SERVER / EDGEPLANE_JOIN_TOKEN / EDGEPLANE_CONTAINER_DIR and returns a stop handle.
 */
export interface LocalAgentLauncher {
  start(input: {
    machineId: string;
    nodeName: string;
    join: MachineSpec['join'];
  }): Promise<{ stop(): Promise<void> }>;
}

export class LocalMachineProvider implements MachineProvider {
  readonly name = 'local';
  private readonly running = new Map<string, { stop(): Promise<void> }>();

  constructor(private readonly launcher?: LocalAgentLauncher) {}

  async provision(spec: MachineSpec): Promise<{ machineId: string }> {
    if (!this.launcher) {
      throw new IllegalStateError(
        'the local provider needs the edge agent, which is not built yet; join nodes by script instead',
      );
    }
    const machineId = `local-${spec.clusterId}-${spec.nodeName}`;
    if (this.running.has(machineId)) return { machineId };
    const handle = await this.launcher.start({ machineId, nodeName: spec.nodeName, join: spec.join });
    this.running.set(machineId, handle);
    return { machineId };
  }

  async release(machineId: string): Promise<void> {
    const handle = this.running.get(machineId);
    if (!handle) return;
    this.running.delete(machineId);
    await handle.stop();
  }

  /** Machines this process started and has not released. */
  machines(): string[] {
    return [...this.running.keys()];
  }
}
