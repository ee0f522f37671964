/** Injection tokens of the cluster service (Nest: always `@Inject(TOKEN)`, tsx emits no metadata). */

/** The service's clock. Commands carry the time it reads; tests move it (token expiry). */
export const CLOCK = Symbol('cluster.clock');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** MachineProviderRegistry: ECM/CVM-style providers and `local`. */
export const MACHINE_PROVIDERS = Symbol('cluster.machine-providers');
