import type { SignalDefinition } from './define-signal.js';
import { Heartbeat } from './heartbeat.signal.js';
import { ProbeReport } from './probe-report.signal.js';

export * from './define-signal.js';
export * from './heartbeat.signal.js';
export * from './probe-report.signal.js';
export * from './subjects.js';

/** Every signal of the SIGNALS stream. */
export const signals: readonly SignalDefinition[] = [Heartbeat, ProbeReport];
