import { context, propagation, trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/**
 * The one trace-context carrier of the platform (W3C traceparent/tracestate), used wherever a
 * trace crosses a boundary: event metadata on append, NATS headers on publish and consume, gRPC
 * metadata on the server.
 */

/** Injects a context (default: the active one) into a plain carrier. */
export function injectTraceContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Rebuilds a context from a carrier that may hold `traceparent`/`tracestate` (missing keys ignored). */
export function extractTraceContext(carrier: Record<string, string | undefined>): Context {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(carrier)) if (typeof v === 'string') clean[k] = v;
  return propagation.extract(ROOT_CONTEXT, clean);
}

/** The trace fields of a context, for event metadata (absent when no span is recording). */
export function traceFields(ctx: Context = context.active()): { traceparent?: string; tracestate?: string } {
  const carrier = injectTraceContext(ctx);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}
