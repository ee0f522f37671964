import { createHash } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { testGrpcCredentials } from './grpc-credentials.js';
import {
  loadPackage,
  protoFilesOf,
  type EdgeplaneTunnelV1,
  type EdgeplaneTunnelV1TunnelProto,
} from '@edgeplane/proto';

/** The operator's side of a tunnel relay, shared by the tunnel's integration tests and the fleet e2e. */
export type RelayCall = grpc.ClientDuplexStream<EdgeplaneTunnelV1.Chunk, EdgeplaneTunnelV1.Chunk__Output>;

/** An operator's RemoteAccessService client on one tunnel replica's gRPC port (what the CLI's node relay uses). */
export function remoteAccess(address: string) {
  const v1 = loadPackage<EdgeplaneTunnelV1TunnelProto>(protoFilesOf('tunnel')).grpcObject.edgeplane.tunnel.v1;
  const client = new v1.RemoteAccessService(address, testGrpcCredentials());
  return {
    client,
    close: () => client.close(),
    relay(cluster: string, node: string, target: string): RelayCall {
      const md = new grpc.Metadata();
      md.set('x-edgeplane-cluster', cluster);
      md.set('x-edgeplane-node', node);
      md.set('x-edgeplane-target', target);
      return client.Relay(md);
    },
    listConnections(cluster: string): Promise<EdgeplaneTunnelV1.ListConnectionsResponse__Output> {
      return new Promise((resolve, reject) =>
        client.ListConnections({ cluster }, (e, r) => (e ? reject(e) : resolve(r!))),
      );
    },
  };
}

/** Resolves once the relay is open (initial metadata), or rejects with the call's error. */
export function relayOpen(call: RelayCall): Promise<void> {
  return new Promise((resolve, reject) => {
    call.once('metadata', () => resolve());
    call.once('error', reject);
  });
}

/** Sends `bytes` of a deterministic pattern through the call (honouring back-pressure), then half-closes. */
export async function sendAll(call: RelayCall, bytes: number, seed = 1): Promise<string> {
  const hash = createHash('sha256');
  let sent = 0;
  let n = seed;
  while (sent < bytes) {
    const size = Math.min(64 * 1024, bytes - sent);
    const chunk = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) chunk.writeUInt32LE((n = (n * 1664525 + 1013904223) >>> 0), i);
    hash.update(chunk);
    sent += size;
    if (!call.write({ data: chunk })) await new Promise((r) => call.once('drain', r));
  }
  call.end();
  return hash.digest('hex');
}

/** Reads the call to its end (fin or status OK); resolves with the hash and byte count. */
export function receiveAll(call: RelayCall): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve({ hash: hash.digest('hex'), bytes });
      }
    };
    call.on('data', (c: EdgeplaneTunnelV1.Chunk__Output) => {
      hash.update(c.data);
      bytes += c.data.length;
      if (c.fin) finish();
    });
    call.on('end', finish);
    call.on('error', reject);
  });
}
