import net from 'node:net';
import type { Tunnel } from '../tunnel/protocol.js';

export interface ProbeTarget {
  name: string;
  address: string;
}

/** Probes in flight at once: a round of 100 unreachable peers still ends within 4 timeouts. */
const IN_FLIGHT = 32;

/**
 * The peer prober (SuperEdge's edge-health PingCheck): each round, a TCP connect to every peer's
 * probe port, at most IN_FLIGHT at a time, each with a timeout; one report per round with every
 * result, in the peers' order.
 */
export async function probeRound(
  peers: readonly ProbeTarget[],
  timeoutMs: number,
  localAddress?: string,
): Promise<Tunnel.ProbeResult[]> {
  const results: Tunnel.ProbeResult[] = new Array(peers.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < peers.length; i = next++)
      results[i] = await probeOne(peers[i]!, timeoutMs, localAddress);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, peers.length) }, worker));
  return results;
}

function probeOne(peer: ProbeTarget, timeoutMs: number, localAddress?: string): Promise<Tunnel.ProbeResult> {
  const started = performance.now();
  const { host, port } = splitHostPort(peer.address);
  return new Promise((resolve) => {
    let done = false;
    const finish = (healthy: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({
        peer: peer.name,
        healthy,
        probedAt: new Date().toISOString(),
        latencyMs: Math.round(performance.now() - started),
      });
    };
    const socket = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!m) throw new Error(`not host:port: ${address}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** The TCP listener peers probe: accepts and closes (a connect is the whole check). */
export function startProbeListener(host: string, port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
