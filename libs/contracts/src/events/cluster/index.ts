import type { EventDefinition } from '../../define-event.js';

/** Catalogue entries emitted by the cluster service. Add one file per event and version, list it here. */
export const clusterEvents: EventDefinition[] = [];
