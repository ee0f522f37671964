export * from './services.js';
export * from './probe-event.js';
export * from './health-sim.js';
export * from './environments.js';
export * from './containers.js';
export * from './remote-access.js';
export * from './grpc-credentials.js';
