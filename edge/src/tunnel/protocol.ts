import * as grpc from '@grpc/grpc-js';
import {
  loadPackage,
  protoFilesOf,
  type EdgeplaneTunnelV1,
  type EdgeplaneTunnelV1TunnelProto,
} from '@edgeplane/proto';

export type { EdgeplaneTunnelV1 as Tunnel } from '@edgeplane/proto';
export type TunnelClient = EdgeplaneTunnelV1.TunnelServiceClient;
export type ControlCall = grpc.ClientDuplexStream<
  EdgeplaneTunnelV1.AgentFrame,
  EdgeplaneTunnelV1.GatewayFrame__Output
>;
export type ChunkCall = grpc.ClientDuplexStream<EdgeplaneTunnelV1.Chunk, EdgeplaneTunnelV1.Chunk__Output>;

let ctor: EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1']['TunnelService'] | undefined;

/** Metadata keys of a sub-stream (proto/edgeplane/tunnel/v1/tunnel.proto). */
export const STREAM_ID_KEY = 'x-edgeplane-stream-id';
export const TARGET_KEY = 'x-edgeplane-target';
export const TARGET_NODE_KEY = 'x-edgeplane-target-node';

/**
 * A TunnelService client over mutual TLS: the node's key and certificate, and the gateway CA it
 * pinned at join as the only trusted root. Keepalive pings find a dead gateway within ~15 s even
 * when nothing is sent; a gateway that goes away closes the connection at once.
 */
export function tunnelClient(options: {
  address: string;
  gatewayCaPem: string;
  keyPem: string;
  certPem: string;
  serverName?: string;
}): TunnelClient {
  ctor ??= loadPackage<EdgeplaneTunnelV1TunnelProto>(protoFilesOf('tunnel')).grpcObject.edgeplane.tunnel.v1
    .TunnelService;
  const credentials = grpc.credentials.createSsl(
    Buffer.from(options.gatewayCaPem),
    Buffer.from(options.keyPem),
    Buffer.from(options.certPem),
  );
  return new ctor(options.address, credentials, {
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
    ...(options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {}),
  });
}
