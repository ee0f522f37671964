export * from './define-event.js';
export * from './catalogue.js';
export * from './subjects.js';
export * from './events/cluster/index.js';
export * from './events/nodepool/index.js';
export * from './events/health/index.js';
export * from './events/tunnel/index.js';
export * from './signals/index.js';
