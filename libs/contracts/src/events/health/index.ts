import type { EventDefinition } from '../../define-event.js';

/** Catalogue entries emitted by the health service. Add one file per event and version, list it here. */
export const healthEvents: EventDefinition[] = [];
