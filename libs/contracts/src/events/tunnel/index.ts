import type { EventDefinition } from '../../define-event.js';
import { GatewayCaPublished } from './gateway-ca-published.v1.js';
import { NodeConnected } from './node-connected.v1.js';
import { NodeDisconnected } from './node-disconnected.v1.js';

export * from './shared.js';
export * from './gateway-ca-published.v1.js';
export * from './node-connected.v1.js';
export * from './node-disconnected.v1.js';

/** Catalogue entries emitted by the tunnel service. Add one file per event and version, list it here. */
export const tunnelEvents: EventDefinition[] = [GatewayCaPublished, NodeConnected, NodeDisconnected];
