export * from './config.js';
export * from './grpc-errors.js';
export * from './grpc-telemetry.interceptor.js';
export * from './metrics-server.js';
export * from './tokens.js';
export * from './bootstrap.js';
export * from './input-guard.js';
export * from './input-guard-paging.js';
