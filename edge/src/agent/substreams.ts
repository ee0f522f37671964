import net from 'node:net';
import { ChunkDuplex, bridge } from '../tunnel/chunk-duplex.js';
import { STREAM_ID_KEY, type Tunnel, type TunnelClient } from '../tunnel/protocol.js';
import type { AgentLogger } from './logger.js';
import { servePodStream, type PodStreamPolicy } from './pod-streams.js';
import { splitHostPort } from './prober.js';

const DIAL_TIMEOUT_MS = 10_000;

export interface SubstreamPolicy {
  /** the node's pods, for pod-logs / pod-exec sub-streams (pod-streams.ts) */
  pods?: PodStreamPolicy;
  /** is remote login on (the desired state the agent applies now, cloud or cache)? */
  remoteLogin(): boolean;
  relayTargets: Record<string, string>;
  dialFrom?: string;
}

/**
 * Answers the gateway's OpenStream: dial the target, then open a Stream call carrying the stream
 * id on the same connection as the control stream, and bridge the two. A relay target (remote
 * login/exec, F-TU-3) is served only if the agent offers it and only while remote login is on;
 * proxy targets are host:port in this node's site (F-TU-2); pod-logs / pod-exec serve this node's
 * own pods (pod-streams.ts). Refusals go back as StreamFailed.
 */
export function serveOpenStream(input: {
  open: Tunnel.OpenStream__Output;
  client: TunnelClient;
  policy: SubstreamPolicy;
  fail(
    streamId: string,
    code: 'NOT_FOUND' | 'FAILED_PRECONDITION' | 'UNAVAILABLE' | 'INVALID_ARGUMENT',
    message: string,
  ): void;
  logger: AgentLogger;
}): void {
  const { open, client, policy, fail, logger } = input;
  if (open.kind === 'STREAM_KIND_POD_LOGS' || open.kind === 'STREAM_KIND_POD_EXEC') {
    if (!policy.pods) return fail(open.streamId, 'FAILED_PRECONDITION', 'this agent serves no pods');
    void servePodStream({ open, client, pods: policy.pods, fail, logger }).catch((error: unknown) =>
      fail(open.streamId, 'UNAVAILABLE', (error as Error).message),
    );
    return;
  }
  let target: string;
  if (open.kind === 'STREAM_KIND_RELAY') {
    if (!policy.remoteLogin())
      return fail(open.streamId, 'FAILED_PRECONDITION', 'remote login is off on this node');
    const address = policy.relayTargets[open.target];
    if (!address)
      return fail(open.streamId, 'NOT_FOUND', `this node offers no relay target "${open.target}"`);
    target = address;
  } else if (open.kind === 'STREAM_KIND_PROXY') {
    target = open.target;
  } else {
    return fail(open.streamId, 'INVALID_ARGUMENT', `unknown stream kind ${open.kind}`);
  }
  let host: string;
  let port: number;
  try {
    ({ host, port } = splitHostPort(target));
  } catch {
    return fail(open.streamId, 'INVALID_ARGUMENT', `not host:port: ${target}`);
  }
  const socket = net.connect({
    host,
    port,
    allowHalfOpen: true,
    ...(policy.dialFrom ? { localAddress: policy.dialFrom } : {}),
  });
  socket.setTimeout(DIAL_TIMEOUT_MS, () =>
    socket.destroy(new Error(`no connection to ${target} within ${DIAL_TIMEOUT_MS} ms`)),
  );
  socket.once('error', (error) =>
    fail(open.streamId, 'UNAVAILABLE', `cannot reach ${target}: ${error.message}`),
  );
  socket.once('connect', () => {
    socket.setTimeout(0);
    socket.removeAllListeners('error');
    const stream = new ChunkDuplex(client.Stream({ [STREAM_ID_KEY]: open.streamId }));
    bridge(socket, stream);
    logger.debug(
      { streamId: open.streamId, kind: open.kind, target, origin: open.origin },
      'sub-stream open',
    );
  });
}
