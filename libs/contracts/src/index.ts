export * from './define-event.js';
export * from './catalogue.js';
export * from './subjects.js';
export { ProbeRecorded } from './events/test/index.js';
