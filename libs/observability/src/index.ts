export * from './metrics.js';
export * from './logger.js';
export * from './tracing.js';
export * from './sdk.js';
export * from './actor.js';
