import type http2 from 'node:http2';
import type tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import {
  loadPackage,
  tolerateUndecodableMethods,
  protoFilesOf,
  type EdgeplaneTunnelV1,
  type EdgeplaneTunnelV1TunnelProto,
} from '@edgeplane/proto';
import { withChunkCodec } from './chunk-codec.js';

/** The tunnel package's service definitions through the shared loader (loaded once). */
let loaded: EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1'] | undefined;
export function tunnelPackage(): EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1'] {
  loaded ??= loadPackage<EdgeplaneTunnelV1TunnelProto>(protoFilesOf('tunnel')).grpcObject.edgeplane.tunnel.v1;
  return loaded;
}

/**
 * TunnelService with the hand-written Chunk codec on its sub-streams (chunk-codec.ts), and
 * Control frames that are not an AgentFrame handed to the session as an UndecodableRequest
 * (refused as the first frame, dropped and counted later) instead of grpc-js ending the stream
 * with INTERNAL.
 */
export function tunnelService(): grpc.ServiceDefinition {
  const service = withChunkCodec(tunnelPackage().TunnelService.service, ['Stream']);
  const control = { ...service.Control };
  tolerateUndecodableMethods({ Control: control }, { streams: true });
  return { ...service, Control: control };
}

/** TunnelPeerService with the hand-written Chunk codec on Forward (server and client). */
export function peerService(): grpc.ServiceDefinition {
  const service = tunnelPackage().TunnelPeerService.service;
  return withChunkCodec(service, ['Forward']);
}

/**
 * HTTP/2 and keepalive settings of the tunnel and peer ports. Sub-streams ride their own HTTP/2
 * streams; the per-stream window is what keeps one stalled reader from stalling its neighbours.
 * Keepalive pings find a dead agent (or peer) within about 30 s even without traffic.
 */
const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': 4 * 1024 * 1024,
  'grpc.max_send_message_length': 4 * 1024 * 1024,
  'grpc.keepalive_time_ms': 20_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.max_concurrent_streams': 1000,
};

/**
 * HTTP/2 flow-control windows of what the gateway receives. Node's defaults are 64 KiB per stream
 * and 64 KiB for the whole connection, and grpc-js's server has no option for them: a connection
 * then carries at most 64 KiB per round trip between the sender and this process's event loop,
 * shared by all of its sub-streams. The per-stream window stays what bounds each sub-stream (a
 * stalled reader holds at most this much, and its neighbours go on).
 */
export const STREAM_WINDOW = 1024 * 1024;
export const CONNECTION_WINDOW = 16 * 1024 * 1024;

/** Applies the windows above to every HTTP/2 session a grpc-js server accepts. */
function widenWindows(server: grpc.Server): void {
  // grpc-js keeps its node:http2 servers in this private map (1.14); fail loudly if that changes
  const servers = (server as unknown as { http2Servers?: Map<http2.Http2SecureServer, unknown> })
    .http2Servers;
  if (!(servers instanceof Map) || servers.size === 0)
    throw new Error('cannot reach the HTTP/2 servers of grpc-js to set flow-control windows');
  for (const h2 of servers.keys()) {
    h2.on('session', (session: http2.ServerHttp2Session) => {
      session.setLocalWindowSize(CONNECTION_WINDOW);
      session.settings({ initialWindowSize: STREAM_WINDOW });
      memoizePeerCertificate(session);
    });
  }
}

/**
 * grpc-js builds the auth context of every call with `socket.getPeerCertificate()`, which turns the
 * whole certificate into a fresh JS object each time: about 1 ms of the gateway's CPU per
 * sub-stream in the throughput bench (half of what opening one cost). Over TLS 1.3 (what agents
 * and peers negotiate) a connection's client certificate cannot change — there is no
 * renegotiation — so such a connection computes it once; a TLS 1.2 connection keeps asking.
 * The caller still re-checks the node's admission (revocation) on every call.
 */
function memoizePeerCertificate(session: http2.ServerHttp2Session): void {
  const socket = session.socket as tls.TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function' || socket.getProtocol?.() !== 'TLSv1.3') return;
  const original = socket.getPeerCertificate.bind(socket);
  let plain: tls.PeerCertificate | undefined;
  const memoized = ((detailed?: boolean) =>
    detailed ? original(true) : (plain ??= original())) as tls.TLSSocket['getPeerCertificate'];
  socket.getPeerCertificate = memoized;
}

export async function startGrpcServer(
  address: string,
  credentials: grpc.ServerCredentials,
  register: (server: grpc.Server) => void,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server(SERVER_OPTIONS);
  register(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  widenWindows(server);
  return { server, port };
}

export type TunnelHandlers = EdgeplaneTunnelV1.TunnelServiceHandlers;
export type PeerHandlers = EdgeplaneTunnelV1.TunnelPeerServiceHandlers;
