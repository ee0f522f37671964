import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { testGrpcCredentials, type TestIdentity } from '@edgeplane/testing';

export type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void;
export type EventsClient = grpc.Client &
  Record<string, Unary> & { Subscribe(req: unknown): grpc.ClientReadableStream<any> };

export function eventsClient(
  address: string,
  as: TestIdentity = { user: 'test', groups: ['edgeplane:edit'] },
): EventsClient {
  const pkg = loadPackage(protoFilesOf('events')).grpcObject as any;
  const Ctor = pkg.edgeplane.events.v1.EventService as typeof grpc.Client;
  return new Ctor(address, testGrpcCredentials(as)) as EventsClient;
}

export function unary(client: EventsClient, method: string, req: unknown): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method]!(req, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

/** A CA and a server certificate for 127.0.0.1/localhost, made with openssl in a temp dir. */
export function testPki(): { dir: string; caFile: string; cert: string; key: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'events-webhook-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=events-test-ca',
    '-days',
    '1',
    '-out',
    'ca.crt',
  );
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'srv.key');
  run('req', '-new', '-key', 'srv.key', '-subj', '/CN=localhost', '-out', 'srv.csr');
  writeFileSync(
    path.join(dir, 'ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  run(
    'x509',
    '-req',
    '-in',
    'srv.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
    '-out',
    'srv.crt',
  );
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    cert: readFileSync(path.join(dir, 'srv.crt'), 'utf8'),
    key: readFileSync(path.join(dir, 'srv.key'), 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Received {
  body: string;
  event: any;
  signature: string;
  webhookId: string;
  at: number;
}

/**
 * A webhook receiver over HTTPS: `answer` decides the status of each request (500 = failing);
 * only requests answered 2xx are kept in `accepted`, every one in `all`.
 */
export async function startReceiver(pki: { cert: string; key: string }) {
  const all: Received[] = [];
  const accepted: Received[] = [];
  const state = { answer: (_r: Received) => 200 };
  const server = https.createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = {
        body,
        event: JSON.parse(body),
        signature: String(req.headers['edgeplane-signature'] ?? ''),
        webhookId: String(req.headers['edgeplane-webhook-id'] ?? ''),
        at: Date.now(),
      };
      all.push(r);
      const status = state.answer(r);
      if (status >= 200 && status < 300) accepted.push(r);
      res.writeHead(status).end(status >= 300 ? 'nope' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}/hook`,
    all,
    accepted,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
