import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { schemaName } from '@edgeplane/contracts';
import { fieldViolationsOf } from '@edgeplane/proto';
import { startTracing } from '@edgeplane/observability';
import { checkHealth, loadPackage } from '@edgeplane/proto';
import {
  eventually,
  freePort,
  TEST_STREAM,
  testGrpcCredentials,
  testServices,
  uniqueName,
} from '@edgeplane/testing';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from '../src/index.js';
import { consumed, ProbeModule } from './fixtures/probe.module.js';

const PROTO = fileURLToPath(new URL('./fixtures/probe.proto', import.meta.url));
const exporter = new InMemorySpanExporter();

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

describe('service kit: a Nest service over real gRPC, PostgreSQL and JetStream', () => {
  let svc: RunningService;
  let client: grpc.Client & { Record: Unary };
  let metricsPort: number;
  // in this file's EDGEPLANE_ENV, as the service kit puts it
  const schema = schemaName(uniqueName('t_kit'));

  const call = (req: unknown, md = new grpc.Metadata()) =>
    new Promise<any>((resolve, reject) =>
      client.Record(req, md, (err, res) => (err ? reject(err) : resolve(res))),
    );

  beforeAll(async () => {
    await startTracing('probe', exporter);
    const { databaseUrl, natsUrl } = await testServices();
    const grpcPort = await freePort();
    metricsPort = await freePort();
    svc = await bootstrapService(
      {
        name: 'probe',
        schema,
        module: ProbeModule,
        grpcPackages: ['edgeplane.probe.v1'],
        protoFiles: [PROTO],
        streams: [TEST_STREAM],
      },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(metricsPort),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
    );
    const { grpcObject } = loadPackage([PROTO]);
    const Ctor = (grpcObject as any).edgeplane.probe.v1.ProbeService as typeof grpc.Client;
    client = new Ctor(`127.0.0.1:${grpcPort}`, testGrpcCredentials()) as never;
  });
  afterAll(async () => {
    client?.close();
    await svc?.db.schema
      .dropSchema(schema)
      .cascade()
      .execute()
      .catch(() => undefined);
    await svc?.stop();
  });

  it('reports SERVING over grpc.health.v1 and exposes Prometheus metrics', async () => {
    const probe = await checkHealth(`127.0.0.1:${svc.grpcAddress.split(':')[1]}`, { timeoutMs: 2000 });
    expect(probe.serving).toBe(true);
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await res.text();
    expect(text).toContain('edgeplane_relay_published_total');
    expect(text).toContain('edgeplane_grpc_server_handling_seconds');
  });

  it('bad input gets INVALID_ARGUMENT naming the field, and stores nothing', async () => {
    const err = await call({ streamId: '', seq: 1 }).catch((e) => e);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(err)).toEqual([{ field: 'streamId', description: 'is required' }]);
    const rows = await svc.db.withSchema(schema).selectFrom('events').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it('one trace holds the gRPC call, the append, the relay publish and the consumer processing', async () => {
    const tracer = trace.getTracer('test-client');
    const streamId = uniqueName('traced');
    const root = tracer.startSpan('operator request');
    const md = new grpc.Metadata();
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), root), carrier);
    md.set('traceparent', carrier.traceparent!);
    const reply = await call({ streamId, seq: 7 }, md);
    root.end();
    expect(reply.version).toBe(1);
    await eventually(() => consumed.some((e) => e.streamId === streamId), 10_000);
    const traceId = root.spanContext().traceId;
    await eventually(() =>
      exporter
        .getFinishedSpans()
        .some((s) => s.spanContext().traceId === traceId && s.name.startsWith('consume ')),
    );
    const names = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId)
      .map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'operator request',
        'grpc.server ProbeController/record',
        'eventstore.append',
        'relay.publish edgeplane.test.probe.recorded',
        'consume edgeplane.test.probe.recorded',
      ]),
    );
  });
});
