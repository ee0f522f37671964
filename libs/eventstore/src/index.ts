export * from './database.js';
export * from './migrations.js';
export * from './event-store.js';
export * from './relay.js';
export * from './aggregate-handler.js';
