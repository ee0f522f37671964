import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createPlatformCa, issuePlatformCertificate, loadPackage, protoFilesOf } from '@edgeplane/proto';
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

/**
 * A CA and a server certificate for 127.0.0.1/localhost (the project's own issuer,
 * libs/proto/src/auth), the CA written to a temp dir for WEBHOOK_CA_FILE.
 */
export function testPki(): { dir: string; caFile: string; cert: string; key: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'events-webhook-pki-'));
  const root = createPlatformCa();
  const ca = { dir, certPem: root.certPem, key: createPrivateKey(root.keyPem) };
  const server = issuePlatformCertificate(ca, {
    subject: { CN: 'localhost', O: [] },
    server: true,
    sans: ['localhost', '127.0.0.1'],
  });
  const caFile = path.join(dir, 'ca.crt');
  writeFileSync(caFile, root.certPem);
  return {
    dir,
    caFile,
    cert: server.certPem,
    key: server.keyPem,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Received {
  body: string;
  event: any;
  signature: string;
  webhookId: string;
  contentType: string;
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
        contentType: String(req.headers['content-type'] ?? ''),
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
