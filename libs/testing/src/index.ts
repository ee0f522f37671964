export * from './services.js';
export * from './probe-event.js';
