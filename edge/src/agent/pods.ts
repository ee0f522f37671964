import type { Tunnel } from '../tunnel/protocol.js';
import type {
  ContainerSpec,
  PodSpec,
  PodStatus,
  Probe,
  RestartPolicy,
  PullPolicy,
} from '../runtime/types.js';

/**
 * The tunnel's pods ↔ the runtime's (edge/src/runtime/types.ts). Only types are imported from the
 * runtime: its code is loaded when a driver is configured (workloads.ts), so an agent without one
 * never pays for it. Protobuf cannot tell "absent" from an empty string or zero: those become
 * undefined, the runtime's defaults.
 */

/** At most this many pods are run (the gateway sends no more). */
export const MAX_PODS = 256;

const opt = (s: string): string | undefined => (s === '' ? undefined : s);
const optInt = (n: number): number | undefined => (n === 0 ? undefined : n);

export function podsFromTunnel(pods: readonly Tunnel.PodSpec__Output[]): PodSpec[] {
  return pods.slice(0, MAX_PODS).map((p) => {
    const labels = { ...p.labels };
    return {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      containers: p.containers.map(containerFromTunnel),
      ...(p.restartPolicy ? { restartPolicy: p.restartPolicy as RestartPolicy } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(p.terminationGracePeriodSeconds
        ? { terminationGracePeriodSeconds: p.terminationGracePeriodSeconds }
        : {}),
    };
  });
}

function containerFromTunnel(c: Tunnel.ContainerSpec__Output): ContainerSpec {
  const out: ContainerSpec = { name: c.name, image: c.image };
  if (c.imagePullPolicy) out.imagePullPolicy = c.imagePullPolicy as PullPolicy;
  if (c.command.length > 0) out.command = [...c.command];
  if (c.args.length > 0) out.args = [...c.args];
  if (c.env.length > 0) out.env = c.env.map((e) => ({ name: e.name, value: e.value }));
  if (c.workingDir) out.workingDir = c.workingDir;
  if (c.ports.length > 0)
    out.ports = c.ports.map((p) => ({
      containerPort: p.containerPort,
      ...(p.hostPort ? { hostPort: p.hostPort } : {}),
      ...(p.protocol ? { protocol: p.protocol as 'TCP' | 'UDP' } : {}),
      ...(p.name ? { name: p.name } : {}),
    }));
  if (c.readinessProbe) out.readinessProbe = probeFromTunnel(c.readinessProbe);
  if (c.livenessProbe) out.livenessProbe = probeFromTunnel(c.livenessProbe);
  return out;
}

function probeFromTunnel(p: Tunnel.Probe__Output): Probe {
  const out: Probe = {};
  if (p.exec) out.exec = { command: [...p.exec.command] };
  if (p.httpGet) out.httpGet = { port: p.httpGet.port, ...(p.httpGet.path ? { path: p.httpGet.path } : {}) };
  if (p.tcpSocket) out.tcpSocket = { port: p.tcpSocket.port };
  const initialDelaySeconds = optInt(p.initialDelaySeconds);
  const periodSeconds = optInt(p.periodSeconds);
  const timeoutSeconds = optInt(p.timeoutSeconds);
  const failureThreshold = optInt(p.failureThreshold);
  const successThreshold = optInt(p.successThreshold);
  return {
    ...out,
    ...(initialDelaySeconds ? { initialDelaySeconds } : {}),
    ...(periodSeconds ? { periodSeconds } : {}),
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
    ...(failureThreshold ? { failureThreshold } : {}),
    ...(successThreshold ? { successThreshold } : {}),
  };
}

const cut = (s: string | undefined, max: number) => (s && s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A pod's status as the tunnel carries it (bounded as the gateway checks it). */
export function podStateOf(s: PodStatus): Tunnel.PodState {
  return {
    uid: s.uid,
    name: s.name,
    namespace: s.namespace,
    phase: s.phase,
    ready: s.ready,
    restarts: s.containers.reduce((n, c) => n + c.restartCount, 0),
    podIp: opt(s.podIP ?? ''),
    reason: cut(s.reason, 128),
    message: cut(s.message, 1024),
    containers: s.containers.slice(0, 16).map((c) => ({
      name: c.name,
      image: cut(c.image, 512),
      state: c.state,
      reason: cut(c.reason, 128),
      message: cut(c.message, 1024),
      exitCode: c.exitCode ?? 0,
      restartCount: c.restartCount,
      ready: c.ready,
      startedAt: cut(c.startedAt, 40),
      finishedAt: cut(c.finishedAt, 40),
    })),
  };
}

/**
 * What makes a report worth sending: everything but timestamps (a running container's startedAt
 * does not change; a restart changes its restart count anyway).
 */
export function reportKey(states: readonly Tunnel.PodState[]): string {
  return JSON.stringify(
    states.map((p) => [
      p.uid,
      p.phase,
      p.ready,
      p.restarts,
      p.podIp ?? '',
      p.reason ?? '',
      p.message ?? '',
      (p.containers ?? []).map((c) => [c.name, c.state, c.reason ?? '', c.exitCode ?? 0, c.ready]),
    ]),
  );
}
