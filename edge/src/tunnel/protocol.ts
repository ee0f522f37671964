import type { EdgeplaneTunnelV1 as T } from '@edgeplane/proto';
import { decodeChunk, decodeGatewayFrame, encodeAgentFrame, encodeChunk, frameChunk } from './codec.js';
import { Channel, type Call } from './grpc-h2.js';

export type { EdgeplaneTunnelV1 as Tunnel } from '@edgeplane/proto';
export { CallError, Status } from './grpc-h2.js';
export type ControlCall = Call<T.AgentFrame, T.GatewayFrame__Output>;
export type ChunkCall = Call<T.Chunk, T.Chunk__Output>;

/** Metadata keys of a sub-stream (proto/edgeplane/tunnel/v1/tunnel.proto). */
export const STREAM_ID_KEY = 'x-edgeplane-stream-id';
export const TARGET_KEY = 'x-edgeplane-target';
export const TARGET_NODE_KEY = 'x-edgeplane-target-node';

const SERVICE = '/edgeplane.tunnel.v1.TunnelService';
const CONTROL = { encode: encodeAgentFrame, decode: decodeGatewayFrame };
const CHUNKS = { encode: encodeChunk, decode: decodeChunk, frame: frameChunk };

/**
 * The agent's end of edgeplane.tunnel.v1.TunnelService: one HTTP/2 connection over mutual TLS
 * (the node's key and certificate; the gateway CA it pinned at join as the only trusted root), the
 * control stream and the sub-streams on it. Keepalive pings find a dead gateway within ~45 s when
 * nothing else is sent (a gateway that goes away closes the connection at once); they are sparse
 * because every byte an idle agent sends is multiplied by the fleet.
 */
export class TunnelClient {
  private readonly channel: Channel;

  constructor(options: {
    address: string;
    gatewayCaPem: string;
    keyPem: string;
    certPem: string;
    serverName?: string;
  }) {
    this.channel = new Channel({
      address: options.address,
      ca: options.gatewayCaPem,
      key: options.keyPem,
      cert: options.certPem,
      serverName: options.serverName,
      keepaliveMs: 30_000,
      keepaliveTimeoutMs: 15_000,
    });
  }

  /** TunnelService.Control: AgentFrame up, GatewayFrame down. */
  Control(): ControlCall {
    return this.channel.call(`${SERVICE}/Control`, CONTROL);
  }

  /** TunnelService.Stream: one sub-stream of Chunks, named by its metadata. */
  Stream(metadata: Record<string, string>): ChunkCall {
    return this.channel.call(`${SERVICE}/Stream`, CHUNKS, metadata);
  }

  close(): void {
    this.channel.close();
  }
}

export function tunnelClient(options: ConstructorParameters<typeof TunnelClient>[0]): TunnelClient {
  return new TunnelClient(options);
}
