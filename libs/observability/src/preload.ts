/**
 * Preloaded with `node --import tsx --import ./libs/observability/src/preload.ts …` so tracing is
 * live before Nest, grpc-js or pg are imported: the ESM loader hook lets the pg instrumentation
 * patch modules that ESM code imports. The service name comes from OTEL_SERVICE_NAME.
 */
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { startTracing } from './sdk.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
await startTracing(process.env.OTEL_SERVICE_NAME ?? 'edgeplane');
registerInstrumentations({ instrumentations: [new PgInstrumentation({ requireParentSpan: true })] });
