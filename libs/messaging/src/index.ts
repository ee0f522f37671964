export * from './connection.js';
export * from './credentials.js';
export * from './provisioning.js';
export * from './publisher.js';
export * from './consumer-runner.js';
export * from './nest.js';
export * from './transient.js';
export * from './until-reachable.js';
