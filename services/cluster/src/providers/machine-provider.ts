import { AlreadyExistsError, NotFoundError } from '@edgeplane/es-kit';

/**
 * Cloud-provisioned nodes (F-NO-5): ECM edge machines, CVM cloud machines, or a local process.
 * A provider creates a machine that runs the ordinary join flow with the token it is given, and
 * releases the machine when its node is removed (NodeRemoved.releaseMachine).
 */
export interface MachineSpec {
  clusterId: string;
  nodeName: string;
  /** Where the machine should run; CVM machines may come from any region/VPC. */
  region?: string;
  zone?: string;
  vpcId?: string;
  subnetId?: string;
  /** Provider-specific size/module, e.g. an ECM module or a CVM instance type. */
  instanceType?: string;
  image?: string;
  /** What the machine needs to join: the platform address, the full join token, the container dir. */
  join: { server: string; token: string; containerDir: string };
}

export interface MachineProvider {
  /** Registry key, recorded in NodeSource.provider. */
  readonly name: string;
  provision(spec: MachineSpec): Promise<{ machineId: string }>;
  /** Idempotent: releasing an unknown or already released machine succeeds. */
  release(machineId: string): Promise<void>;
}

export class MachineProviderRegistry {
  private readonly providers = new Map<string, MachineProvider>();

  constructor(providers: MachineProvider[] = []) {
    for (const provider of providers) this.register(provider);
  }

  register(provider: MachineProvider): void {
    if (this.providers.has(provider.name)) throw new AlreadyExistsError('machine provider', provider.name);
    this.providers.set(provider.name, provider);
  }

  get(name: string): MachineProvider {
    const provider = this.providers.get(name);
    if (!provider) throw new NotFoundError('machine provider', name);
    return provider;
  }

  names(): string[] {
    return [...this.providers.keys()].sort();
  }
}
