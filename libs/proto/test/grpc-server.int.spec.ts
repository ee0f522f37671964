import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEALTH_PROTO,
  addReflection,
  checkHealth,
  createHealthImplementation,
  loadPackage,
  serviceCertificate,
  type GrpcHealthV1HealthProto,
} from '../src/index.js';

// A real grpc-js server on loopback, set up the way every Edgeplane service is: Health + reflection.
const health = createHealthImplementation({ '': 'NOT_SERVING' });
const server = new grpc.Server();
let address = '';
// TLS as on every service port (the test run's platform PKI); health and reflection need no client certificate
const tls = serviceCertificate('proto-test');
const clientTls = () => grpc.credentials.createSsl(Buffer.from(tls.ca.certPem));

beforeAll(async () => {
  const { packageDefinition } = loadPackage([HEALTH_PROTO]);
  health.addToServer(server);
  addReflection(server, packageDefinition);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createSsl(
        Buffer.from(tls.ca.certPem),
        [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }],
        false,
      ),
      (e, p) => (e ? reject(e) : resolve(p)),
    ),
  );
  address = `127.0.0.1:${port}`;
});
afterAll(() => server.forceShutdown());

describe('gRPC server with health and reflection', () => {
  it('checkHealth reports NOT_SERVING, then SERVING after setStatus', async () => {
    const before = await checkHealth(address);
    expect(before).toMatchObject({ serving: false, status: 'NOT_SERVING', reason: 'NOT_SERVING' });
    health.setStatus('', 'SERVING');
    expect(await checkHealth(address)).toMatchObject({ serving: true, status: 'SERVING' });
    expect((await checkHealth(address, { service: 'missing' })).reason).toMatch(/service unknown/);
  });

  it('checkHealth says "connection refused" for a closed port', async () => {
    const probe = await checkHealth('127.0.0.1:1', { timeoutMs: 1000 });
    expect(probe).toMatchObject({ serving: false, reason: 'connection refused' });
  });

  it('streams status changes over Watch', async () => {
    health.setStatus('watched', 'SERVING');
    const { grpcObject } = loadPackage<GrpcHealthV1HealthProto>([HEALTH_PROTO]);
    const client = new grpcObject.grpc.health.v1.Health(address, clientTls());
    const seen: string[] = [];
    const stream = client.Watch({ service: 'watched' });
    stream.on('error', () => {}); // our own cancel() ends the stream with CANCELLED
    await new Promise<void>((resolve) => {
      stream.on('data', (m: { status: string }) => {
        seen.push(m.status);
        if (seen.length === 1) health.setStatus('watched', 'NOT_SERVING');
        if (seen.length === 2) resolve();
      });
    });
    stream.cancel();
    client.close();
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
  });

  it('lists services through server reflection', async () => {
    const require = createRequire(import.meta.url);
    const reflectionRoot = path.join(
      path.dirname(require.resolve('@grpc/reflection/package.json')),
      'build/proto',
    );
    const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', {
      includeDirs: [reflectionRoot],
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      grpc: {
        reflection: { v1: { ServerReflection: new (a: string, c: grpc.ChannelCredentials) => grpc.Client } };
      };
    };
    const client = new pkg.grpc.reflection.v1.ServerReflection(address, clientTls()) as grpc.Client & {
      serverReflectionInfo: () => grpc.ClientDuplexStream<
        object,
        { listServicesResponse?: { service: { name: string }[] } }
      >;
    };
    const call = client.serverReflectionInfo();
    const response = await new Promise<{ listServicesResponse?: { service: { name: string }[] } }>(
      (resolve, reject) => {
        call.on('data', resolve);
        call.on('error', reject);
        call.write({ listServices: '*' });
      },
    );
    call.end();
    client.close();
    expect(response.listServicesResponse?.service.map((s) => s.name)).toContain('grpc.health.v1.Health');
  });
});
