/**
 * Preloaded with `node --import tsx --import ./libs/observability/src/preload.ts …` so tracing is
 * live before Nest, grpc-js or pg are imported: the ESM loader hook lets the pg instrumentation
 * patch `pg` and `pg-pool` as ESM code imports them (and nothing else). The service name comes from OTEL_SERVICE_NAME.
 */
import { register } from 'import-in-the-middle/register-hooks.mjs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { startTracing } from './sdk.js';

// On Node 24 the hook runs in the main thread and wraps only what is instrumented: the old
// off-thread hook wrapped every module a service loads (≈ 150 MB more RSS per idle service).
register({ include: ['pg', 'pg-pool'] });
await startTracing(process.env.OTEL_SERVICE_NAME ?? 'edgeplane');
registerInstrumentations({ instrumentations: [new PgInstrumentation({ requireParentSpan: true })] });
