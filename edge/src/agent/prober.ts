import net from 'node:net';
import type { Tunnel } from '../tunnel/protocol.js';

export interface ProbeTarget {
  name: string;
  address: string;
}

/**
 * The peer prober (SuperEdge's edge-health PingCheck): each round, a TCP connect to every peer's
 * probe port, all at once, each with a timeout; one report per round with every result.
 */
export async function probeRound(
  peers: readonly ProbeTarget[],
  timeoutMs: number,
  localAddress?: string,
): Promise<Tunnel.ProbeResult[]> {
  return Promise.all(peers.map((p) => probeOne(p, timeoutMs, localAddress)));
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
