export * from './loader.js';
export * from './health.js';
export * from './health-client.js';
export * from './reflection.js';
export * from './nest.js';
export * from './status-details.js';
export * from './generated/index.js';
export * from './undecodable.js';
