import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

/**
 * JSON logs (pino) that carry the active trace and span ids, so a log line can be found from a
 * trace and the other way round.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  });
}

export type { Logger };
