import { randomBytes, randomUUID } from 'node:crypto';

/** Injection tokens of the cluster service (Nest: always `@Inject(TOKEN)`, tsx emits no metadata). */

/** The service's clock. Commands carry the time it reads; tests move it (token expiry). */
export const CLOCK = Symbol('cluster.clock');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** The ids handlers put on commands. Secrets and keys are not ids: the PKI makes those. */
export const ID_GENERATOR = Symbol('cluster.id-generator');
export interface IdGenerator {
  /** `cls-` and 10 hex digits */
  clusterId(): string;
  /** 10 hex digits: the part of the token text before the dot */
  tokenId(): string;
  /** a drain request */
  requestId(): string;
}
export const randomIds: IdGenerator = {
  clusterId: () => `cls-${randomBytes(5).toString('hex')}`,
  tokenId: () => randomBytes(5).toString('hex'),
  requestId: () => randomUUID(),
};

/** MachineProviderRegistry: ECM/CVM-style providers and `local`. */
export const MACHINE_PROVIDERS = Symbol('cluster.machine-providers');
