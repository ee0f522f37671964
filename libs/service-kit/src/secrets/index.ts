import type { FactoryProvider } from '@nestjs/common';
import { CONFIG } from '../tokens.js';
import { loadKeyring, type KekSettings, type Keyring } from './keyring.js';

export * from './keyring.js';
export * from './sweep.js';

/** Nest token of the service's Keyring (a service that keeps secrets lists `keyringProvider`). */
export const KEYRING = Symbol('edgeplane.keyring');

/** The keyring from the service's config (its schema spreads `kekConfigShape`, checked at parse). */
export const keyringProvider: FactoryProvider<Keyring> = {
  provide: KEYRING,
  inject: [CONFIG],
  useFactory: (config: KekSettings) => loadKeyring(config),
};
