import * as grpc from '@grpc/grpc-js';
import {
  loadPackage,
  protoFilesOf,
  type EdgeplaneTunnelV1,
  type EdgeplaneTunnelV1TunnelProto,
} from '@edgeplane/proto';

/** The tunnel package's service definitions through the shared loader (loaded once). */
let loaded: EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1'] | undefined;
export function tunnelPackage(): EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1'] {
  loaded ??= loadPackage<EdgeplaneTunnelV1TunnelProto>(protoFilesOf('tunnel')).grpcObject.edgeplane.tunnel.v1;
  return loaded;
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
  return { server, port };
}

export type TunnelHandlers = EdgeplaneTunnelV1.TunnelServiceHandlers;
export type PeerHandlers = EdgeplaneTunnelV1.TunnelPeerServiceHandlers;
