import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import type { EdgeplaneTunnelV1, EdgeplaneTunnelV1TunnelProto } from '@edgeplane/proto';
import type { INamespace } from 'protobufjs';
import { TUNNEL_DESCRIPTOR_JSON } from './tunnel.descriptor.js';

export type { EdgeplaneTunnelV1 as Tunnel } from '@edgeplane/proto';
export type TunnelClient = EdgeplaneTunnelV1.TunnelServiceClient;
export type ControlCall = grpc.ClientDuplexStream<
  EdgeplaneTunnelV1.AgentFrame,
  EdgeplaneTunnelV1.GatewayFrame__Output
>;
export type ChunkCall = grpc.ClientDuplexStream<EdgeplaneTunnelV1.Chunk, EdgeplaneTunnelV1.Chunk__Output>;

/**
 * The loader options of libs/proto (LOADER_OPTIONS; a unit test holds them equal), so the objects
 * the agent reads are exactly the generated `__Output` types.
 */
export const AGENT_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let ctor: EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1']['TunnelService'] | undefined;

/**
 * The tunnel protocol from the descriptor the agent carries (tunnel.descriptor.ts, generated from
 * proto/): an installed agent is one file, on a node without the proto/ folder, and it loads no
 * more of the protobuf machinery than this one service needs.
 */
function tunnelService(): EdgeplaneTunnelV1TunnelProto['edgeplane']['tunnel']['v1']['TunnelService'] {
  if (!ctor) {
    const descriptor: INamespace = JSON.parse(TUNNEL_DESCRIPTOR_JSON);
    const pkg = grpc.loadPackageDefinition(fromJSON(descriptor, AGENT_LOADER_OPTIONS));
    // the generated ProtoGrpcType describes exactly what loadPackageDefinition returns for it
    ctor = (pkg as unknown as EdgeplaneTunnelV1TunnelProto).edgeplane.tunnel.v1.TunnelService;
  }
  return ctor;
}

/** Metadata keys of a sub-stream (proto/edgeplane/tunnel/v1/tunnel.proto). */
export const STREAM_ID_KEY = 'x-edgeplane-stream-id';
export const TARGET_KEY = 'x-edgeplane-target';
export const TARGET_NODE_KEY = 'x-edgeplane-target-node';

/**
 * A TunnelService client over mutual TLS: the node's key and certificate, and the gateway CA it
 * pinned at join as the only trusted root. Keepalive pings find a dead gateway within ~45 s even
 * when nothing is sent (a gateway that goes away closes the connection at once); they are kept
 * sparse because every byte an idle agent sends is multiplied by the fleet.
 */
export function tunnelClient(options: {
  address: string;
  gatewayCaPem: string;
  keyPem: string;
  certPem: string;
  serverName?: string;
}): TunnelClient {
  const credentials = grpc.credentials.createSsl(
    Buffer.from(options.gatewayCaPem),
    Buffer.from(options.keyPem),
    Buffer.from(options.certPem),
  );
  return new (tunnelService())(options.address, credentials, {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 15_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
    ...(options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {}),
  });
}
