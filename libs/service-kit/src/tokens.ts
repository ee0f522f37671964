export { BUS, DB, SCHEMA, LOGGER, CONSUMER_OPTIONS } from '@edgeplane/messaging';
export const EVENT_STORE = Symbol('edgeplane.event-store');
export const CONFIG = Symbol('edgeplane.config');
export const HEALTH = Symbol('edgeplane.health');
