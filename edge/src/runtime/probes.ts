import net from 'node:net';
import type { Probe } from './types.js';

/** How one probe is carried out against one container attempt: the driver supplies exec. */
export interface ProbeTarget {
  /** where HTTP and TCP probes connect: the pod IP (cri) or 127.0.0.1 (process) */
  host: string;
  exec(command: string[], timeoutMs: number): Promise<boolean>;
}

interface State {
  result: boolean;
  successes: number;
  failures: number;
  lastStartMs: number;
  running: boolean;
  lastError?: string;
}

/**
 * Readiness and liveness of container attempts, with Kubernetes' semantics: nothing runs before
 * `initialDelaySeconds`; a probe runs every `periodSeconds` (never two at once); the result flips
 * after `successThreshold` successes / `failureThreshold` failures in a row. Readiness starts
 * false, liveness true; with no probe both are true. Checking is non-blocking: `check` starts a
 * due probe and answers with the result so far, so a slow probe never stalls the reconcile loop.
 */
export class ProbeTracker {
  private readonly states = new Map<string, State>();

  /** `key`: one container attempt and kind, e.g. `<containerId>/readiness` */
  check(
    key: string,
    kind: 'readiness' | 'liveness',
    probe: Probe | undefined,
    startedAtMs: number,
    target: ProbeTarget,
    nowMs = Date.now(),
  ): boolean {
    if (!probe) return true;
    let s = this.states.get(key);
    if (!s) {
      s = { result: kind === 'liveness', successes: 0, failures: 0, lastStartMs: 0, running: false };
      this.states.set(key, s);
    }
    const period = (probe.periodSeconds ?? 10) * 1000;
    if (nowMs - startedAtMs < (probe.initialDelaySeconds ?? 0) * 1000) return s.result;
    if (!s.running && nowMs - s.lastStartMs >= period) {
      s.running = true;
      s.lastStartMs = nowMs;
      const state = s;
      runProbe(probe, target)
        .then(
          (ok) => ok,
          (e: Error) => ((state.lastError = e.message), false),
        )
        .then((ok) => {
          state.running = false;
          if (ok) {
            state.failures = 0;
            state.successes++;
            if (state.successes >= (probe.successThreshold ?? 1)) state.result = true;
          } else {
            state.successes = 0;
            state.failures++;
            if (state.failures >= (probe.failureThreshold ?? 3)) state.result = false;
          }
        });
    }
    return s.result;
  }

  /** Forgets the attempts whose key starts with one of `prefixes` (removed containers). */
  forget(prefix: string): void {
    for (const key of this.states.keys()) if (key.startsWith(prefix)) this.states.delete(key);
  }

  /** Keeps only the keys `keep` answers true for. */
  retain(keep: (key: string) => boolean): void {
    for (const key of this.states.keys()) if (!keep(key)) this.states.delete(key);
  }
}

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec) return target.exec(probe.exec.command, timeoutMs);
  if (probe.tcpSocket) return tcpProbe(target.host, probe.tcpSocket.port, timeoutMs);
  if (probe.httpGet) return httpProbe(target.host, probe.httpGet.port, probe.httpGet.path ?? '/', timeoutMs);
  return false;
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Kubernetes' rule: a status 200–399 within the timeout is a success. */
export async function httpProbe(
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<boolean> {
  // node:http only once an HTTP probe runs (the agent keeps its idle memory small)
  const http = await import('node:http');
  return new Promise((resolve) => {
    const req = http.get(
      { host, port, path, timeout: timeoutMs, headers: { 'user-agent': 'edgeplane-probe' }, agent: false },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}
