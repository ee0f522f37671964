import { context, propagation, trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** Injects the active context into a plain carrier (NATS headers, event metadata). */
export function injectTraceContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Rebuilds a context from a carrier that may hold `traceparent`/`tracestate`. */
export function extractTraceContext(carrier: Record<string, string | undefined>): Context {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(carrier)) if (typeof v === 'string') clean[k] = v;
  return propagation.extract(ROOT_CONTEXT, clean);
}

export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}
