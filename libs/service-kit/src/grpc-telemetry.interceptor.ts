import { Metadata, status } from '@grpc/grpc-js';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { SpanKind, SpanStatusCode, context as otelContext, trace } from '@opentelemetry/api';
import { extractTraceContext, metrics } from '@edgeplane/observability';
import { Observable } from 'rxjs';
import { toServiceError } from './grpc-errors.js';

const tracer = trace.getTracer('@edgeplane/service-kit');

/**
 * A SERVER span and a latency observation per gRPC call. The caller's trace context comes from
 * the `traceparent` metadata key, and the handler runs inside the span's context, so the events
 * it appends (and everything downstream of them) join the caller's trace.
 */
@Injectable()
export class GrpcTelemetryInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'rpc') return next.handle();
    const method = `${ctx.getClass().name}/${ctx.getHandler().name}`;
    const md = ctx.getArgByIndex(1) as Metadata | undefined;
    const field = (key: string) => {
      const v = md instanceof Metadata ? md.get(key)[0] : undefined;
      return typeof v === 'string' ? v : undefined;
    };
    const parent = extractTraceContext({
      traceparent: field('traceparent'),
      tracestate: field('tracestate'),
    });
    const span = tracer.startSpan(
      `grpc.server ${method}`,
      { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.method': method } },
      parent,
    );
    const spanCtx = trace.setSpan(parent, span);
    const timer = metrics.grpcDuration.startTimer({ method });
    const finish = (code: number, error?: unknown) => {
      timer({ code: status[code] ?? String(code) });
      span.setAttribute('rpc.grpc.status_code', code);
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.end();
    };
    return new Observable((subscriber) =>
      otelContext.with(spanCtx, () =>
        next.handle().subscribe({
          next: (v) => subscriber.next(v),
          error: (err) => {
            const mapped = toServiceError(err) as { code?: number };
            finish(mapped.code ?? status.UNKNOWN, err);
            subscriber.error(err);
          },
          complete: () => {
            finish(status.OK);
            subscriber.complete();
          },
        }),
      ),
    );
  }
}
